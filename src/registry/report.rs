//! The registry's diagnostic codes and `Report`, which collects located diagnostics for one
//! definition file (and the entry being checked in it).

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};

use super::yaml::Pos;

/// Stable codes, documented in docs/codes.md. `W` codes belong to the Lua linter, so registry
/// warnings are `R01xx`.
pub(crate) mod code {
    pub(crate) const YAML_SYNTAX: &str = "R0001";
    pub(crate) const UNKNOWN_FIELD: &str = "R0002";
    pub(crate) const WRONG_TYPE: &str = "R0003";
    pub(crate) const BAD_DURATION: &str = "R0004";
    pub(crate) const DUPLICATE_ID: &str = "R0005";
    pub(crate) const UNRESOLVED: &str = "R0006";
    pub(crate) const FILE_MISSING: &str = "R0007";
    pub(crate) const REQUIRES_CYCLE: &str = "R0008";
    pub(crate) const WRONG_KIND: &str = "R0009";
    pub(crate) const MISSING_FIELD: &str = "R0010";
    pub(crate) const UNSUPPORTED_KIND: &str = "R0101";
    pub(crate) const NOT_A_DEFINITION_FILE: &str = "R0102";
}

/// Diagnostics for one file, tagged with the entry being checked when there is one.
pub(crate) struct Report<'a> {
    file: &'a Path,
    entry: Option<String>,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub(crate) fn new(file: &'a Path, out: &'a mut Vec<Diagnostic>) -> Self {
        Report { file, entry: None, out }
    }

    pub(crate) fn file(&self) -> &'a Path {
        self.file
    }

    /// Tags every following diagnostic with this entry ID.
    pub(crate) fn set_entry(&mut self, id: Option<String>) {
        self.entry = id;
    }

    pub(crate) fn location(&self, pos: Pos) -> Location {
        Location::new(self.file, pos.line, pos.column)
    }

    pub(crate) fn error(&mut self, code: &'static str, pos: Pos, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::error(code, self.location(pos), message).with_help(help);
        self.push(d);
    }

    pub(crate) fn warning(
        &mut self,
        code: &'static str,
        pos: Pos,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::warning(code, self.location(pos), message).with_help(help);
        self.push(d);
    }

    fn push(&mut self, d: Diagnostic) {
        let d = match &self.entry {
            Some(id) => d.with_entry(id.clone()),
            None => d,
        };
        self.out.push(d);
    }
}

/// Orders diagnostics by file, line and column; errors before warnings at the same place.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.location.file, a.location.line, a.location.column, a.severity).cmp(&(
            &b.location.file,
            b.location.line,
            b.location.column,
            b.severity,
        ))
    });
}

/// The closest candidate to a misspelled name, if it is close enough to be a likely typo.
pub(crate) fn suggest<'c>(wrong: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (wrong.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters (the commonest typo, `mian` for `main`) each cost 1.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_names() {
        let fields = ["source", "method", "modules", "imports"];
        assert_eq!(suggest("mehtod", fields), Some("method"));
        assert_eq!(suggest("module", fields), Some("modules"));
        assert_eq!(suggest("import", fields), Some("imports"));
        assert_eq!(suggest("timeout", fields), None);
        assert_eq!(suggest("x", fields), None);
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_substitutions() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("mian", "main"), 1);
        assert_eq!(edit_distance("abc", ""), 3);
    }
}
