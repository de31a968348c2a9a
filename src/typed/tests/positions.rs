//! The core guarantee as a property: every token of the output, lexed as plain Lua 5.4, stands at the
//! line and column where the same text stands in the input; and the output parses as Lua 5.4.

use std::path::Path;

use full_moon::tokenizer::{Lexer, LexerResult, Token, TokenType};
use full_moon::LuaVersion;

use super::corpus::CASES;
use crate::typed::compile;

/// Inputs beyond the corpus: odd spacing, tabs, comments inside types, deep nesting.
const MORE: &[&str] = &[
    "local\tx:\tnumber\t=\t1 local y :number= 2",
    "local t: {\n  -- a comment: inside :: a type\n  a: {b: {c: (number) -> {d: string}}},\n} = {}",
    "local function f<T, U>(\n  a: T,\n  b: U?\n): (\n  T,\n  U\n)\n  return a, b\nend",
    "return (((x :: any) :: {n: number}).n :: number) + (y as number)",
    "for i, v: string in ipairs(list :: {string}) do print(i, v!) end",
    "type A = number type B = string local c: A | B = 1",
    "local s = [==[\n local x: T = ]] \n]==] local n: number = #s",
];

#[test]
fn every_output_token_keeps_its_line_and_column() {
    let inputs = CASES.iter().map(|case| case.input.join("\n")).chain(MORE.iter().map(|s| s.to_string()));
    for input in inputs {
        let lua = match compile(&input, Path::new("p.lua")) {
            Ok(compiled) => compiled.lua,
            Err(diagnostics) => panic!("{input}\n{diagnostics}"),
        };
        assert_same_places(&input, &lua);
        let parsed = full_moon::parse_fallible(&lua, LuaVersion::lua54());
        assert!(parsed.errors().is_empty(), "output is not Lua 5.4: {:?}\n{lua}", parsed.errors());
    }
}

/// The loaded text (type declarations replaced by run-time type values) keeps every token in
/// place, except on a line where a declaration starts, and parses as Lua 5.4.
#[test]
fn runtime_output_keeps_places_outside_declaration_lines() {
    let inputs = CASES.iter().map(|case| case.input.join("\n")).chain(MORE.iter().map(|s| s.to_string()));
    for input in inputs {
        let compiled = compile(&input, Path::new("p.lua")).unwrap_or_else(|d| panic!("{input}\n{d}"));
        let declaration_lines: Vec<usize> =
            compiled.types.declarations.iter().map(|d| compiled.lua[..d.start].matches('\n').count() + 1).collect();
        let input_at = CharGrid::new(&input);
        for token in lex(&compiled.runtime) {
            let (line, column) = (token.start_position().line(), token.start_position().character());
            if declaration_lines.contains(&line) {
                continue;
            }
            let text = token.to_string();
            let guard = text == ";";
            let found = input_at.text(line, column, text.chars().count());
            assert!(
                found == text || guard,
                "{text:?} at {line}:{column} is {found:?}\n{input}\n--\n{}",
                compiled.runtime
            );
        }
        let parsed = full_moon::parse_fallible(&compiled.runtime, LuaVersion::lua54());
        assert!(
            parsed.errors().is_empty(),
            "runtime output is not Lua 5.4: {:?}\n{}",
            parsed.errors(),
            compiled.runtime
        );
    }
}

#[test]
fn a_byte_order_mark_is_dropped_without_moving_lines() {
    let lua = compile("\u{feff}local x: number = 1\nlocal y = 2", Path::new("p.lua")).unwrap().lua;
    assert_eq!(lua, "local x         = 1\nlocal y = 2");
}

/// Each output token's text must be found in the input at the token's line and column. A `;` may
/// stand where a cast or type declaration started (see `erase::plan`).
fn assert_same_places(input: &str, lua: &str) {
    let input_at = CharGrid::new(input);
    for token in lex(lua) {
        let text = token.to_string();
        let (line, column) = (token.start_position().line(), token.start_position().character());
        let found = input_at.text(line, column, text.chars().count());
        let guard =
            text == ";" && ["::", "as", "type", "export"].iter().any(|s| input_at.text(line, column, s.len()) == *s);
        assert!(
            found == text || guard,
            "token {text:?} at {line}:{column} of the output is {found:?} in the input\ninput:\n{input}\noutput:\n{lua}"
        );
    }
}

fn lex(lua: &str) -> Vec<Token> {
    let tokens = match Lexer::new(lua, LuaVersion::lua54()).collect() {
        LexerResult::Ok(tokens) => tokens,
        other => panic!("output does not lex as Lua 5.4: {:?}", other.unwrap_errors()),
    };
    tokens.into_iter().filter(|t| !t.token_type().is_trivia() && !matches!(t.token_type(), TokenType::Eof)).collect()
}

/// The input's characters, addressable by 1-based line and column like full_moon's positions.
struct CharGrid {
    chars: Vec<char>,
    line_starts: Vec<usize>,
}

impl CharGrid {
    fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut line_starts = vec![0];
        line_starts.extend(chars.iter().enumerate().filter(|(_, &c)| c == '\n').map(|(i, _)| i + 1));
        CharGrid { chars, line_starts }
    }

    fn text(&self, line: usize, column: usize, len: usize) -> String {
        let start = self.line_starts.get(line - 1).map_or(self.chars.len(), |s| s + column - 1);
        self.chars.iter().skip(start).take(len).collect()
    }
}

/// Mangled corpus inputs (characters deleted, typed-Lua punctuation inserted) must never make
/// `compile` panic, and whatever still compiles must keep its positions.
#[test]
fn mangled_inputs_never_panic_and_keep_positions() {
    const INSERTS: &[&str] = &[
        ":",
        "::",
        " as ",
        "!",
        "[]",
        "@min(",
        "(",
        ")",
        "{",
        "}",
        "<",
        ">",
        "\"",
        "--",
        "\n",
        "type ",
        "readonly ",
        "?",
        "é",
        "->",
        "|",
        "=",
        ",",
        "::x::",
        "[[",
        "]]",
    ];
    let mut rng = Lcg(0x8);
    let mut compiled = 0;
    for case in CASES {
        let input = case.input.join("\n");
        for _ in 0..300 {
            let mut chars: Vec<char> = input.chars().collect();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(chars.len() + 1);
                if rng.below(2) == 0 && at < chars.len() {
                    chars.remove(at);
                } else {
                    let insert = INSERTS[rng.below(INSERTS.len())];
                    chars.splice(at..at, insert.chars());
                }
            }
            let mangled: String = chars.into_iter().collect();
            let result = std::panic::catch_unwind(|| compile(&mangled, Path::new("m.lua")));
            match result {
                Ok(Ok(out)) => {
                    assert_same_places(&mangled, &out.lua);
                    let parsed = full_moon::parse_fallible(&out.lua, LuaVersion::lua54());
                    assert!(
                        parsed.errors().is_empty(),
                        "not Lua 5.4: {:?}\n{mangled}\n--\n{}",
                        parsed.errors().iter().map(|e| e.to_string()).collect::<Vec<_>>(),
                        out.lua
                    );
                    compiled += 1;
                }
                Ok(Err(diagnostics)) => assert!(!diagnostics.0.is_empty()),
                Err(_) => panic!("compile panicked on {mangled:?}"),
            }
        }
    }
    assert!(compiled > 0);
}

/// A tiny deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}
