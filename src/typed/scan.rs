//! A minimal Lua token scanner: where names, numbers, strings, comments and symbols are, nothing more.
//!
//! The pre-pass and the syntax-error reporter need to look at tokens of text full_moon cannot (or did
//! not) tokenize, e.g. `x!` or `@min(0)`. They only need token boundaries, never values, so this is a
//! single allocation-free pass over bytes. Symbols are always single bytes (`->` is `-` then `>`), which
//! keeps bracket counting in the pre-pass simple. Unterminated strings and comments run to the end of
//! the line or file: full_moon reports those errors properly.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Name,
    Number,
    /// Quoted, backtick or long-bracket string.
    String,
    /// One ASCII punctuation byte.
    Symbol,
    /// Anything else (a non-ASCII character outside strings and comments).
    Other,
}

/// A significant (non-trivia) token: a byte range of the scanned text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

impl Tok {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }

    pub fn is_symbol(&self, src: &str, symbol: u8) -> bool {
        self.kind == Kind::Symbol && src.as_bytes()[self.start] == symbol
    }

    /// A name that is not a Lua keyword, i.e. a variable or type name.
    pub fn is_identifier(&self, src: &str) -> bool {
        self.kind == Kind::Name && !is_keyword(self.text(src))
    }
}

pub(crate) fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "and"
            | "break"
            | "do"
            | "else"
            | "elseif"
            | "end"
            | "false"
            | "for"
            | "function"
            | "goto"
            | "if"
            | "in"
            | "local"
            | "nil"
            | "not"
            | "or"
            | "repeat"
            | "return"
            | "then"
            | "true"
            | "until"
            | "while"
    )
}

/// All significant tokens of `src`, in order. A first line starting with `#` (shebang) is trivia.
pub(crate) fn tokens(src: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(src.len() / 4);
    let mut pos = 0;
    while let Some(tok) = next_token(src, pos) {
        pos = tok.end;
        out.push(tok);
    }
    out
}

/// The first significant token at or after byte `pos` (which must be a token boundary).
pub(crate) fn next_token(src: &str, pos: usize) -> Option<Tok> {
    let bytes = src.as_bytes();
    let start = skip_trivia(bytes, pos);
    if start >= bytes.len() {
        return None;
    }
    let b = bytes[start];
    let (end, kind) = match b {
        b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
            let mut i = start + 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            (i, Kind::Name)
        }
        b'0'..=b'9' => (number_end(bytes, start), Kind::Number),
        b'.' if bytes.get(start + 1).is_some_and(u8::is_ascii_digit) => (number_end(bytes, start), Kind::Number),
        b'"' | b'\'' | b'`' => (quoted_end(bytes, start), Kind::String),
        b'[' => match long_bracket_level(bytes, start) {
            Some(level) => (long_bracket_end(bytes, start, level), Kind::String),
            None => (start + 1, Kind::Symbol),
        },
        _ if b.is_ascii() => (start + 1, Kind::Symbol),
        _ => {
            let width = src[start..].chars().next().map_or(1, char::len_utf8);
            (start + width, Kind::Other)
        }
    };
    Some(Tok { start, end, kind })
}

/// Skips whitespace, comments and a leading shebang line from `pos`.
pub(crate) fn skip_trivia(bytes: &[u8], mut pos: usize) -> usize {
    if pos == 0 && bytes.first() == Some(&b'#') {
        pos = line_end(bytes, 0);
    }
    loop {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if bytes[pos..].starts_with(b"--") {
            let body = pos + 2;
            pos = match long_bracket_level(bytes, body) {
                Some(level) => long_bracket_end(bytes, body, level),
                None => line_end(bytes, body),
            };
        } else {
            return pos;
        }
    }
}

/// Byte index of the end of the first line (the `\n` itself, or the end of the text).
pub(crate) fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| from + i)
}

fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        let exponent_sign = (b == b'+' || b == b'-')
            && matches!(bytes[i - 1], b'e' | b'E' | b'p' | b'P')
            // `0xe+1` is `0xe + 1`: only decimal `e` and hex `p` take a sign.
            && !(matches!(bytes[i - 1], b'e' | b'E') && is_hex_literal(bytes, start));
        if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || exponent_sign {
            i += 1;
        } else {
            break;
        }
    }
    i
}

fn is_hex_literal(bytes: &[u8], start: usize) -> bool {
    bytes[start] == b'0' && matches!(bytes.get(start + 1), Some(b'x' | b'X'))
}

fn quoted_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `[[`, `[=[`, ... at `at`: the number of `=`; `None` when `at` is not a long bracket opener.
fn long_bracket_level(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    let level = bytes[at + 1..].iter().take_while(|&&b| b == b'=').count();
    (bytes.get(at + 1 + level) == Some(&b'[')).then_some(level)
}

fn long_bracket_end(bytes: &[u8], start: usize, level: usize) -> usize {
    let mut i = start + level + 2;
    while i < bytes.len() {
        if bytes[i] == b']'
            && bytes[i + 1..].iter().take(level).all(|&b| b == b'=')
            && bytes.get(i + 1 + level) == Some(&b']')
        {
            return i + level + 2;
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        tokens(src).iter().map(|t| t.text(src)).collect()
    }

    #[test]
    fn strings_and_comments_hide_their_contents() {
        let src = "a = 'x :: y' -- c as T\nb = [==[ ]] ! ]==] --[[ @x\n ]] c";
        assert_eq!(texts(src), ["a", "=", "'x :: y'", "b", "=", "[==[ ]] ! ]==]", "c"]);
    }

    #[test]
    fn symbols_are_single_bytes() {
        assert_eq!(texts("(a)->b::c"), ["(", "a", ")", "-", ">", "b", ":", ":", "c"]);
    }

    #[test]
    fn numbers_take_exponent_signs_but_not_hex_e() {
        assert_eq!(texts("1e+5 0x1p-2 0xe+1 .5"), ["1e+5", "0x1p-2", "0xe", "+", "1", ".5"]);
    }

    #[test]
    fn escaped_quotes_and_unterminated_strings() {
        assert_eq!(texts(r#"s = "a\"b" t = 'open"#), ["s", "=", r#""a\"b""#, "t", "=", "'open"]);
    }

    #[test]
    fn shebang_line_is_trivia() {
        assert_eq!(texts("#!/usr/bin/env lua\nx!"), ["x", "!"]);
    }

    #[test]
    fn non_ascii_outside_strings_is_one_token() {
        assert_eq!(texts("é = 'é'"), ["é", "=", "'é'"]);
    }
}
