//! The wording and placement of every `P0001` (syntax) diagnostic of the typed-Lua front end:
//! full_moon's parse errors, Luau-only constructs, and dialect syntax found where it cannot go.
//!
//! full_moon reports some errors at the token *before* the problem (`local x = )` is reported at the
//! `=`: "expected an expression"). Users need the place where their code went wrong, so those errors
//! are moved to the next token and phrased as "unexpected `)`, expected an expression". Errors that
//! come from a bracket that is not closed where expected are reported at the opening bracket, the
//! only place full_moon knows. Several errors at one place are one problem seen by several parser
//! rules; only the first is kept.

use std::path::Path;

use full_moon::tokenizer::{Token, TokenType, TokenizerErrorType};

use super::prepass::Construct;
use super::scan;
use super::walk::LuauOnly;
use crate::diagnostic::{Diagnostic, Location};

/// The code of every syntax error in a Lua source.
pub(crate) const CODE: &str = "P0001";

/// Parser (and tokenizer) errors, in source order, one per place.
pub(crate) fn from_parser(errors: &[full_moon::Error], text: &str, file: &Path) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(errors.len());
    for error in errors {
        let mut diagnostic = match error {
            full_moon::Error::TokenizerError(e) => {
                let at = e.position();
                let location = Location::new(file, at.line() as u32, at.character() as u32);
                tokenizer_error(e.error(), location)
            }
            full_moon::Error::AstError(e) => parser_error(e.token(), e.error_message(), e.range(), text, file),
        };
        // Tokens full_moon invents while recovering have no position (line 0).
        diagnostic.location.line = diagnostic.location.line.max(1);
        diagnostic.location.column = diagnostic.location.column.max(1);
        if !out.iter().any(|d| d.location == diagnostic.location) {
            out.push(diagnostic);
        }
    }
    out.sort_by(|a, b| a.location.cmp(&b.location));
    out
}

pub(crate) fn luau_only(found: &LuauOnly, file: &Path) -> Diagnostic {
    let location = Location::new(file, found.at.line() as u32, found.at.character() as u32);
    Diagnostic::error(CODE, location, found.message.clone()).with_help(found.help)
}

/// Type syntax that the parse placed outside any type: `original` is its source text, `start` its
/// byte offset in the parsed `text`.
pub(crate) fn misplaced(construct: Construct, original: &str, text: &str, start: usize, file: &Path) -> Diagnostic {
    let (line, column) = line_column(text, start);
    let location = Location::new(file, line, column);
    let (message, help) = match construct {
        Construct::ArraySuffix => (
            "unexpected `[]` outside a type".to_string(),
            "`T[]` is an array type and only goes in annotations; to index a table write `t[key]`",
        ),
        Construct::Validator if is_attribute(text, start + original.chars().count()) => {
            (format!("attributes like `{original}` are not Lua 5.4"), "remove the attribute")
        }
        Construct::Validator => (
            format!("validator `{original}` outside a type"),
            "validators follow a type in an annotation: `local n: number @min(0) = 1`",
        ),
        _ => (format!("unexpected `{original}` outside a type"), "remove it or move it into a type annotation"),
    };
    Diagnostic::error(CODE, location, message).with_help(help)
}

/// Text that full_moon dropped without an error (see `lossless`), from byte `at` of `text`.
pub(crate) fn dropped(text: &str, at: usize, file: &Path) -> Diagnostic {
    // `at` can be inside a token (`f(x :: )` printed as `f()` differs at `x`): start at its token.
    let bytes = text.as_bytes();
    let mut start = at;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
        start -= 1;
    }
    let (start, found) = match scan::next_token(text, start) {
        Some(tok) => (tok.start, describe(tok.text(text))),
        None => (text.len(), describe("")),
    };
    let (line, column) = line_column(text, start);
    Diagnostic::error(CODE, Location::new(file, line, column), format!("incomplete type syntax near {found}"))
        .with_help("a type is missing, e.g. after `:`, `::`, `=`, `->` or `|`")
}

/// full_moon panicked. Its known panics follow a character it cannot lex, so those characters are
/// reported; failing that, the file as a whole.
pub(crate) fn parser_panicked(text: &str, file: &Path) -> Vec<Diagnostic> {
    let unlexable = scan::tokens(text).into_iter().filter(|t| match t.kind {
        scan::Kind::Other => true,
        scan::Kind::Symbol => matches!(text.as_bytes()[t.start], b'!' | b'$' | b'\\'),
        _ => false,
    });
    let diagnostics: Vec<Diagnostic> = unlexable
        .map(|t| {
            let (line, column) = line_column(text, t.start);
            let c = t.text(text).chars().next().unwrap_or(' ');
            tokenizer_error(&TokenizerErrorType::UnexpectedToken(c), Location::new(file, line, column))
        })
        .collect();
    if diagnostics.is_empty() {
        let message = "the Lua parser failed on this file";
        vec![Diagnostic::error(CODE, Location::file_start(file), message)
            .with_help("this is a bug in the parser; simplifying the type annotations may avoid it")]
    } else {
        diagnostics
    }
}

/// 1-based line and character column of byte `at` in `text`.
pub(crate) fn line_column(text: &str, at: usize) -> (u32, u32) {
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line as u32, before[line_start..].chars().count() as u32 + 1)
}

fn is_attribute(text: &str, after: usize) -> bool {
    scan::next_token(text, after).is_some_and(|t| matches!(t.text(text), "function" | "local"))
}

fn tokenizer_error(error: &TokenizerErrorType, location: Location) -> Diagnostic {
    match error {
        TokenizerErrorType::UnclosedString => Diagnostic::error(CODE, location, "unfinished string").with_help(
            "a quoted string ends with the same quote on the same line; use `[[...]]` for text over several lines",
        ),
        TokenizerErrorType::UnclosedComment => Diagnostic::error(CODE, location, "unfinished long comment")
            .with_help("close it with `]]`, with as many `=` between the brackets as the opening `--[[` has"),
        TokenizerErrorType::InvalidNumber => Diagnostic::error(CODE, location, "malformed number"),
        TokenizerErrorType::UnexpectedToken(c) => {
            let diagnostic = Diagnostic::error(CODE, location, format!("unexpected character `{c}`"));
            match c {
                '!' => diagnostic.with_help("Lua writes 'not equal' as `~=` and negation as `not x`"),
                c if !c.is_ascii() => diagnostic
                    .with_help("names are ASCII letters, digits and `_`; other characters go in strings and comments"),
                _ => diagnostic,
            }
        }
        TokenizerErrorType::InvalidSymbol(symbol) => {
            Diagnostic::error(CODE, location, format!("invalid symbol `{symbol}`"))
        }
    }
}

const NOT_A_STATEMENT: &str = "unexpected token, this needs to be a statement";
const LONE_EXPRESSION: &str = "unexpected expression when looking for a statement";

/// Messages full_moon attaches to the token before the problem, beyond those ending in
/// "after `<that token>`".
const REPORTED_AT_PREVIOUS_TOKEN: &[&str] = &[
    "expected an expression",
    "expected values to set to",
    "expected expression to set to",
    "expected another variable",
    "expected a function body",
    "expected a type function body",
    "expected expression after binary operator",
    "expected arguments after `:`",
];

fn parser_error(
    token: &Token,
    message: &str,
    range: (full_moon::tokenizer::Position, full_moon::tokenizer::Position),
    text: &str,
    file: &Path,
) -> Diagnostic {
    let token_text = token.to_string();
    let at_opener = message.contains(" to close ") && range.0 == token.start_position() && is_opener(&token_text);
    let at_previous = !at_opener
        && (REPORTED_AT_PREVIOUS_TOKEN.contains(&message)
            || message.ends_with(&format!("after `{token_text}`"))
            || message.ends_with(&format!("after {token_text}")));

    let (line, column, found) = if at_previous {
        let end = token.end_position();
        match scan::next_token(text, end.bytes()) {
            Some(next) => {
                let (line, column) = advance(text, end, next.start);
                (line, column, describe(next.text(text)))
            }
            None => {
                let (line, column) = advance(text, end, text.len());
                (line, column, describe(""))
            }
        }
    } else {
        let start = token.start_position();
        let found = if matches!(token.token_type(), TokenType::Eof) { describe("") } else { describe(&token_text) };
        (start.line() as u32, start.character() as u32, found)
    };

    let wording = if at_opener {
        format!("unmatched {found}, {message}")
    } else if message == NOT_A_STATEMENT || message == LONE_EXPRESSION {
        format!("unexpected {found}, expected a statement")
    } else if message.starts_with("expected") {
        format!("unexpected {found}, {message}")
    } else {
        message.to_string()
    };
    let diagnostic = Diagnostic::error(CODE, Location::new(file, line, column), wording);
    match help(message, at_opener) {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

fn is_opener(token: &str) -> bool {
    matches!(token, "(" | "[" | "{")
}

fn help(message: &str, at_opener: bool) -> Option<String> {
    if at_opener {
        // full_moon only knows the opening bracket; the usual causes are these two.
        let closer = message.split('`').nth(1).unwrap_or(")");
        return Some(format!("add the missing `{closer}`, or the `,` missing between two values before it"));
    }
    let help = if message.contains("expected `end`") {
        "each `function`, `if`, `for`, `while` and `do` needs its own `end`"
    } else if message.contains("expected `then`") {
        "an `if` condition is followed by `then`: `if ok then ... end`"
    } else if message.contains("expected `do`") {
        "a loop header ends with `do`: `for i = 1, n do ... end`"
    } else if message == NOT_A_STATEMENT {
        "a statement is a declaration (`local x = 1`), an assignment, a function call or a keyword like `if` or `return`"
    } else if message == LONE_EXPRESSION {
        "a value on its own is not a statement: assign it (`x = ...`) or call a function"
    } else if message == "unexpected statement after last statement" {
        "`return` and `break` end their block; to return early write `do return end`"
    } else if message.contains("after last field") {
        "separate table fields with `,` or `;`"
    } else if message.contains("trailing comma") {
        "remove the last `,`"
    } else if message.contains("should use `:` instead of `->`") {
        "write the return type after a colon: `function f(x: number): string`"
    } else if message.contains("cannot mix union and intersection") {
        "put parentheses around one part: `(A & B) | C`"
    } else {
        return None;
    };
    Some(help.to_string())
}

/// The line and column of byte `to`, walking from `from` (a position in `text`, before `to`).
fn advance(text: &str, from: full_moon::tokenizer::Position, to: usize) -> (u32, u32) {
    let (mut line, mut column) = (from.line() as u32, from.character() as u32);
    for c in text[from.bytes()..to].chars() {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

/// How a token is named in a message: its text in backticks, shortened, or "end of file".
fn describe(token: &str) -> String {
    if token.is_empty() {
        return "end of file".to_string();
    }
    let first_line = token.lines().next().unwrap_or(token);
    let shown: String = first_line.chars().take(24).collect();
    if shown.len() < token.len() {
        format!("`{shown}...`")
    } else {
        format!("`{shown}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\né x", 6), (2, 3));
        assert_eq!(line_column("ab", 0), (1, 1));
    }

    #[test]
    fn long_tokens_are_shortened() {
        assert_eq!(describe("\"abcdefghijklmnopqrstuvwxyz\""), "`\"abcdefghijklmnopqrstuvw...`");
        assert_eq!(describe("[[a\nb]]"), "`[[a...`");
        assert_eq!(describe(")"), "`)`");
    }
}
