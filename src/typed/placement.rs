//! Where the pre-pass rewrites landed, once the parse has shown where type syntax is: rewrites of
//! type syntax found outside every type span, and the guesses to undo when a parse fails.

use super::erase::{Edit, Fill};
use super::prepass::{self, Rewrite};
use super::syntax_error;
use crate::diagnostic::Diagnostic;

/// Cuts type spans short where a parse-only rewrite starts: the `;` that stands for a label right
/// after a type declaration (`type T = {..}::top::`) reads as the declaration's own `;`, but the
/// output keeps the label there.
pub(crate) fn clip(edits: &mut [Edit], source: &str, rewrites: &[Rewrite]) {
    let ranges = prepass::ranges_in_text(source, rewrites);
    for (rewrite, &(start, _)) in rewrites.iter().zip(&ranges) {
        if !rewrite.construct.parse_only() {
            continue;
        }
        for edit in edits.iter_mut().filter(|e| e.start < start && start < e.end) {
            edit.end = start;
        }
    }
}

/// Labels whose `;` the parser took for the end of a `return`: a label cannot follow `return`,
/// so these are undone and left to the parser to report.
pub(crate) fn labels_after_return(source: &str, rewrites: &[Rewrite], return_semicolons: &[usize]) -> Vec<usize> {
    let ranges = prepass::ranges_in_text(source, rewrites);
    (0..rewrites.len())
        .filter(|&i| rewrites[i].construct.parse_only() && return_semicolons.contains(&ranges[i].0))
        .collect()
}

/// `rewrites` less those at the indexes `drop`.
pub(crate) fn without(rewrites: Vec<Rewrite>, drop: &[usize]) -> Vec<Rewrite> {
    rewrites.into_iter().enumerate().filter(|(i, _)| !drop.contains(i)).map(|(_, r)| r).collect()
}

/// Those of the rewrites `candidates` that stand on a line where one of `errors` is.
pub(crate) fn on_lines_of(
    source: &str,
    text: &str,
    rewrites: &[Rewrite],
    candidates: &[usize],
    errors: &[Diagnostic],
) -> Vec<usize> {
    let ranges = prepass::ranges_in_text(source, rewrites);
    candidates
        .iter()
        .copied()
        .filter(|&i| {
            let (line, _) = syntax_error::line_column(text, ranges[i].0);
            errors.iter().any(|e| e.location.line == line)
        })
        .collect()
}

/// The rewrites of type syntax that are neither inside nor, for blanks, right after (whitespace
/// apart) a type span, as (index, byte offset in `text`). `edits` are the merged type spans, sorted.
pub(crate) fn misplaced(source: &str, text: &str, rewrites: &[Rewrite], edits: &[Edit]) -> Vec<(usize, usize)> {
    let ranges = prepass::ranges_in_text(source, rewrites);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, (rewrite, &(start, _))) in rewrites.iter().zip(&ranges).enumerate() {
        if !rewrite.construct.belongs_in_type() {
            continue;
        }
        let before = edits.partition_point(|e| e.start <= start);
        // Only a blank may trail a span: `as` rewritten to `::` would stay in the output.
        let may_trail = rewrite.fill == Fill::Blank;
        let attached = before > 0 && {
            let span = edits[before - 1];
            let trails = || bytes[span.end..start].iter().all(u8::is_ascii_whitespace);
            start < span.end || (may_trail && trails())
        };
        if !attached {
            out.push((i, start));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite_at(source: &str, needle: &str) -> Rewrite {
        let start = source.find(needle).unwrap();
        let end = start + needle.len();
        let construct = prepass::Construct::ArraySuffix;
        Rewrite { start, end, fill: Fill::Blank, construct }
    }

    fn span(start: usize, end: usize) -> Edit {
        Edit { start, end, fill: Fill::Blank }
    }

    #[test]
    fn inside_or_right_after_a_span_is_in_place() {
        let source = "local xs: number[] = t[]";
        let text = "local xs: number   = t  ";
        let after_type = rewrite_at(source, "[]");
        let after_value = Rewrite { start: 22, end: 24, ..after_type };
        // `: number` (bytes 8..16) is the only type span.
        let misplaced = misplaced(source, text, &[after_type, after_value], &[span(8, 16)]);
        assert_eq!(misplaced, [(1, 22)]);
    }

    #[test]
    fn type_spans_stop_at_a_label() {
        let source = "type T = {}::top::";
        let label = Rewrite { start: 11, end: 18, fill: Fill::Semicolon, construct: prepass::Construct::Label };
        let mut edits = [span(0, 12)];
        clip(&mut edits, source, &[label]);
        assert_eq!(edits, [span(0, 11)]);
    }

    #[test]
    fn without_drops_by_index() {
        let source = "a[] b[] c[]";
        let all: Vec<Rewrite> = ["a[]", "b[]", "c[]"].iter().map(|n| rewrite_at(source, n)).collect();
        let kept = without(all.clone(), &[0, 2]);
        assert_eq!(kept, [all[1]]);
    }
}
