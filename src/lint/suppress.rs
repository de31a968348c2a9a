//! Inline suppression: `-- wippy: allow(W0004)` (codes or rule names, comma-separated) silences
//! those diagnostics on its own line and on the line below. Syntax errors cannot be silenced.

use rustc_hash::FxHashMap;

use super::parse::SYNTAX_ERROR;
use super::rules::ALL;
use crate::diagnostic::Diagnostic;

const MARKER: &str = "wippy:";

/// Drops the diagnostics that an allow comment in `source` covers.
pub(crate) fn apply(source: &str, diagnostics: &mut Vec<Diagnostic>) {
    if diagnostics.is_empty() || !source.contains(MARKER) {
        return;
    }
    let allows = allows(source);
    if allows.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        if d.code == SYNTAX_ERROR {
            return true;
        }
        let line = d.location.line;
        let covered = |l: u32| allows.get(&l).is_some_and(|words| words.iter().any(|w| names(w, d.code)));
        !(covered(line) || (line > 1 && covered(line - 1)))
    });
}

/// Line number → the words inside `allow(...)` of a `-- wippy:` comment on that line.
fn allows(source: &str) -> FxHashMap<u32, Vec<&str>> {
    let mut out = FxHashMap::default();
    for (n, line) in source.lines().enumerate() {
        let Some(at) = line.find(MARKER) else { continue };
        if !line[..at].trim_end().ends_with("--") {
            continue;
        }
        let rest = line[at + MARKER.len()..].trim_start();
        let Some(inner) = rest.strip_prefix("allow(").and_then(|r| r.split(')').next()) else { continue };
        let words: Vec<&str> = inner.split(',').map(str::trim).filter(|w| !w.is_empty()).collect();
        out.insert(n as u32 + 1, words);
    }
    out
}

/// Whether `word` names the diagnostic `code` (its code, or the name of its rule).
fn names(word: &str, code: &str) -> bool {
    word.eq_ignore_ascii_case(code) || ALL.iter().any(|r| r.info().code == code && r.info().name == word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    fn at(line: u32, code: &'static str) -> Diagnostic {
        Diagnostic::warning(code, Location::new("a.lua", line, 1), "x")
    }

    #[test]
    fn same_line_and_line_above() {
        let src = "x = 1 -- wippy: allow(W0004)\n-- wippy: allow(global_assignment, W0001)\ny = 2\nz = 3\n";
        let mut d = vec![at(1, "W0004"), at(3, "W0004"), at(4, "W0004"), at(1, "W0009")];
        apply(src, &mut d);
        let left: Vec<(u32, &str)> = d.iter().map(|d| (d.location.line, d.code)).collect();
        assert_eq!(left, vec![(4, "W0004"), (1, "W0009")]);
    }
}
