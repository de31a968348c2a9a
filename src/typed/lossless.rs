//! Checks that the AST prints back to exactly the parsed text.
//!
//! full_moon is lossless, yet on some incomplete type syntax it recovers without reporting an
//! error: `f(x :: )` parses as `f()`, `type F = (number) ->` and `type X =` vanish, and `function
//! f():` gains an `end`. Erasing types from such an AST would pass broken code on silently, so a
//! parse counts as clean only if printing it reproduces the text. The comparison streams the printed
//! AST against the text and stops at the first difference, so it allocates nothing.

use std::fmt::{self, Write};

/// The byte offset of the first difference between `ast` printed and `text`, if any.
pub(crate) fn first_difference(ast: &full_moon::ast::Ast, text: &str) -> Option<usize> {
    let mut compare = Compare { text: text.as_bytes(), at: 0, differs_at: None };
    // An error only means the comparison stopped early at a difference.
    let _ = write!(compare, "{ast}");
    match compare.differs_at {
        Some(at) => Some(at),
        None if compare.at != text.len() => Some(compare.at),
        None => None,
    }
}

struct Compare<'a> {
    text: &'a [u8],
    at: usize,
    differs_at: Option<usize>,
}

impl Write for Compare<'_> {
    fn write_str(&mut self, printed: &str) -> fmt::Result {
        let rest = &self.text[self.at..];
        let same = printed.bytes().zip(rest).take_while(|(a, b)| a == *b).count();
        if same < printed.len() {
            self.differs_at = Some(self.at + same);
            return Err(fmt::Error);
        }
        self.at += same;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> full_moon::ast::Ast {
        full_moon::parse_fallible(text, full_moon::LuaVersion::lua54().with_luau()).into_ast()
    }

    #[test]
    fn a_clean_parse_prints_back_the_same() {
        let text = "#!/bin/lua\nlocal x: {[string]: number?} = {} -- c\ntype T<A> = A | nil\n";
        assert_eq!(first_difference(&parse(text), text), None);
    }

    #[test]
    fn silently_dropped_type_syntax_is_found() {
        assert_eq!(first_difference(&parse("f(x :: )"), "f(x :: )"), Some(2));
        assert_eq!(first_difference(&parse("local a = 1\ntype X ="), "local a = 1\ntype X ="), Some(12));
        assert_eq!(first_difference(&parse("function f(): end"), "function f(): end"), Some(12));
    }
}
