//! Diagnostics as text: human (rustc-like, the source line with a caret, optional colour), JSON
//! (cli.md's schema) and GitHub workflow annotations. Returns strings; the CLI prints them.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde_json::json;

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[1;34m";

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Hint => "\x1b[1;36m",
    }
}

/// File texts for snippets: the checked sources, and others (YAML) read on first use, each
/// with the byte offsets of its lines so that a snippet costs no scan of the file.
pub struct Sources<'r> {
    known: &'r FxHashMap<PathBuf, Arc<str>>,
    indexed: FxHashMap<PathBuf, Option<Indexed>>,
}

/// A text and the byte offset where each of its lines starts.
type Indexed = (Arc<str>, Vec<usize>);

impl<'r> Sources<'r> {
    pub fn new(report: &'r Report) -> Sources<'r> {
        Sources { known: &report.sources, indexed: FxHashMap::default() }
    }

    /// Line `line` (1-based) of `path`, without its line break.
    fn line(&mut self, path: &Path, line: u32) -> Option<String> {
        let known = self.known;
        let entry = self.indexed.entry(path.to_path_buf()).or_insert_with(|| {
            let text = known.get(path).cloned().or_else(|| std::fs::read_to_string(path).ok().map(Arc::from))?;
            let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
            Some((text, starts))
        });
        let (text, starts) = entry.as_ref()?;
        let start = *starts.get(line.checked_sub(1)? as usize)?;
        let end = starts.get(line as usize).map_or(text.len(), |&next| next - 1);
        text.get(start..end).map(|l| l.trim_end_matches('\r').to_string())
    }
}

/// One diagnostic, rustc style:
///
/// ```text
/// warning[W0001]: variable `x` is never read
///  --> src/app.lua:3:9
///   |
/// 3 |   local x = 1
///   |         ^
///   = help: remove it, or start its name with `_` if it must stay
/// ```
pub fn human(d: &Diagnostic, sources: &mut Sources<'_>, colour: bool) -> String {
    let paint = |code: &'static str| if colour { code } else { "" };
    let (sev, bold, blue, reset) = (paint(severity_colour(d.severity)), paint(BOLD), paint(BLUE), paint(RESET));
    let mut out = String::new();
    let _ = writeln!(out, "{sev}{}[{}]{reset}{bold}: {}{reset}", d.severity, d.code, d.message);
    let line_no = d.location.line;
    let width = line_no.to_string().len();
    let pad = " ".repeat(width);
    let _ = writeln!(out, "{pad}{blue}-->{reset} {}", d.location);
    if let Some(line) = sources.line(&d.location.file, line_no) {
        let line = line.strip_prefix('\u{feff}').unwrap_or(&line);
        let col = d.location.column.max(1) as usize;
        let len = line.chars().count();
        let carets = match d.end {
            Some((end_line, end_col)) if end_line == line_no && end_col as usize > col => end_col as usize - col,
            Some((end_line, _)) if end_line > line_no => len.saturating_sub(col - 1),
            _ => 1,
        }
        .max(1);
        let indent: String = line.chars().take(col - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        let _ = writeln!(out, "{pad} {blue}|{reset}");
        let _ = writeln!(out, "{blue}{line_no} |{reset} {line}");
        let _ = writeln!(out, "{pad} {blue}|{reset} {indent}{sev}{}{reset}", "^".repeat(carets));
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} {blue}={reset} {bold}help{reset}: {help}");
    }
    if let Some(id) = &d.entry_id {
        let _ = writeln!(out, "{pad} {blue}={reset} {bold}entry{reset}: {id}");
    }
    out
}

/// The last line: how many files and what was found.
pub fn summary(files: usize, shown: &[&Diagnostic]) -> String {
    let errors = shown.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = shown.iter().filter(|d| d.severity == Severity::Warning).count();
    let hints = shown.iter().filter(|d| d.severity == Severity::Hint).count();
    let files = plural(files, "Lua file");
    if errors + warnings + hints == 0 {
        return format!("{files} checked: no problems");
    }
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if hints > 0 {
        parts.push(plural(hints, "hint"));
    }
    format!("{files} checked: {}", parts.join(", "))
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The JSON document of cli.md: `{diagnostics: [...], error_count, warning_count, ...}`.
/// `end_line`/`end_column` are `null` when unknown; `end_column` is just after the span.
pub fn json(files: usize, shown: &[&Diagnostic]) -> String {
    let count = |s: Severity| shown.iter().filter(|d| d.severity == s).count();
    let diagnostics: Vec<serde_json::Value> = shown
        .iter()
        .map(|d| {
            json!({
                "file": d.location.file.display().to_string(),
                "line": d.location.line,
                "column": d.location.column,
                "end_line": d.end.map(|e| e.0),
                "end_column": d.end.map(|e| e.1),
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "entry_id": d.entry_id,
                "help": d.help,
            })
        })
        .collect();
    let doc = json!({
        "diagnostics": diagnostics,
        "error_count": count(Severity::Error),
        "warning_count": count(Severity::Warning),
        "hint_count": count(Severity::Hint),
        "file_count": files,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// One GitHub Actions workflow command: `::warning file=..,line=..::message`.
pub fn github(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "notice",
    };
    let mut props = format!(
        "file={},line={},col={}",
        property(&d.location.file.display().to_string()),
        d.location.line,
        d.location.column
    );
    if let Some((line, col)) = d.end {
        let _ = write!(props, ",endLine={line},endColumn={col}");
    }
    let _ = write!(props, ",title={}", property(d.code));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{level} {props}::{}\n", data(&message))
}

fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    #[test]
    fn caret_under_the_span() {
        let report = Report {
            sources: [(PathBuf::from("a.lua"), Arc::from("local x = 1\n"))].into_iter().collect(),
            ..Report::default()
        };
        let d = Diagnostic::warning("W0001", Location::new("a.lua", 1, 7), "variable `x` is never read").with_end(1, 8);
        let text = human(&d, &mut Sources::new(&report), false);
        assert_eq!(
            text,
            "warning[W0001]: variable `x` is never read\n --> a.lua:1:7\n  |\n1 | local x = 1\n  |       ^\n"
        );
    }

    #[test]
    fn github_escapes() {
        let d = Diagnostic::error("R0202", Location::new("a,b.lua", 2, 3), "50% done\nno");
        assert_eq!(github(&d), "::error file=a%2Cb.lua,line=2,col=3,title=R0202::50%25 done%0Ano\n");
    }
}
