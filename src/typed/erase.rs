//! Position-preserving text edits: blanking byte ranges character by character, and merging the
//! type spans found in the AST into the edits that turn typed Lua into plain Lua.
//!
//! Every edit replaces each character with exactly one character (a space, or the ASCII text of a
//! same-width replacement), and keeps `\n` and `\r`, so the line and column (counted in characters) of
//! everything outside the edits stays the same. Byte offsets are kept too unless a blanked range holds
//! multi-byte characters; nothing downstream relies on byte offsets of the input.

use super::scan;

/// What an edit writes over its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fill {
    /// One space per character, line breaks kept.
    Blank,
    /// Exactly this ASCII text; the range must be ASCII of the same length.
    Text(&'static str),
    /// A `;` then blanks: ends the statement before a following `(` (see [`plan`]).
    Semicolon,
    /// `_` over one ASCII character: a numeric literal type `200` reads as the name `_00`.
    Underscore,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub start: usize,
    pub end: usize,
    pub fill: Fill,
}

/// A byte range of the parsed text that holds only type syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TypeSpan {
    pub start: usize,
    pub end: usize,
    /// An expression may come right before the span (always, for a cast; for a type declaration,
    /// when the statement before it has no `;`), so removing it can glue that expression to a
    /// following `(`.
    pub can_end_statement: bool,
}

/// Writes `edits` (sorted by start, not overlapping) over `text`.
pub(crate) fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in edits {
        debug_assert!(copied <= edit.start, "edits overlap or are unsorted");
        out.push_str(&text[copied..edit.start]);
        let original = &text[edit.start..edit.end];
        match edit.fill {
            Fill::Blank => blank_into(&mut out, original),
            Fill::Text(replacement) => {
                debug_assert_eq!(original.len(), replacement.len());
                debug_assert!(original.is_ascii());
                out.push_str(replacement);
            }
            Fill::Underscore => {
                out.push('_');
                out.push_str(&original[1..]);
            }
            Fill::Semicolon => {
                let mut chars = original.chars();
                if chars.next().is_some() {
                    out.push(';');
                }
                blank_into(&mut out, chars.as_str());
            }
        }
        copied = edit.end;
    }
    out.push_str(&text[copied..]);
    out
}

fn blank_into(out: &mut String, original: &str) {
    for c in original.chars() {
        out.push(if c == '\n' || c == '\r' { c } else { ' ' });
    }
}

/// The edits that erase `spans` from `text`; nested spans fold into the outer one.
///
/// Blanking a cast or a type declaration can make Lua read the next line as a call:
/// `local x = y :: T` followed by a line `(f)()` would become `local x = y (f)()`. Where a span that
/// can end a statement is followed by `(`, its first character becomes `;` (an empty statement in Lua
/// 5.4), which keeps the statements apart and every token where it was.
pub(crate) fn plan(text: &str, mut spans: Vec<TypeSpan>) -> Vec<Edit> {
    spans.sort_unstable_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let bytes = text.as_bytes();
    let mut edits: Vec<Edit> = Vec::with_capacity(spans.len());
    for span in spans {
        if let Some(last) = edits.last_mut() {
            if span.start < last.end {
                // Nested, like a cast inside a type declaration: the outer span decides. AST spans
                // never partly overlap, so the outer span's end stays the end.
                last.end = last.end.max(span.end);
                continue;
            }
        }
        let guard = span.can_end_statement && bytes.get(scan::skip_trivia(bytes, span.end)) == Some(&b'(');
        let fill = if guard { Fill::Semicolon } else { Fill::Blank };
        edits.push(Edit { start: span.start, end: span.end, fill });
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> TypeSpan {
        TypeSpan { start, end, can_end_statement: false }
    }

    #[test]
    fn blanking_keeps_line_breaks_and_counts_characters() {
        let edits = [Edit { start: 1, end: 10, fill: Fill::Blank }];
        assert_eq!(apply("a:é\r\n  xy b", &edits), "a  \r\n     b");
    }

    #[test]
    fn text_fill_replaces_same_width() {
        let edits = [Edit { start: 2, end: 4, fill: Fill::Text("::") }];
        assert_eq!(apply("x as T", &edits), "x :: T");
    }

    #[test]
    fn nested_and_overlapping_spans_merge() {
        let edits = plan("0123456789", vec![span(5, 8), span(1, 4), span(2, 3), span(7, 9)]);
        let ranges: Vec<_> = edits.iter().map(|e| (e.start, e.end)).collect();
        assert_eq!(ranges, [(1, 4), (5, 9)]);
    }

    #[test]
    fn statement_ending_span_before_paren_gets_a_semicolon() {
        let text = "local x = y :: T\n-- c\n(f)()";
        let cast = TypeSpan { start: 12, end: 16, can_end_statement: true };
        let edits = plan(text, vec![cast]);
        assert_eq!(apply(text, &edits), "local x = y ;   \n-- c\n(f)()");
    }
}
