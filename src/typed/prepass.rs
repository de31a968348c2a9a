//! The pre-pass: same-width rewrites of the dialect syntax that full_moon does not parse, found
//! from tokens alone, before parsing.
//!
//! | construct | rewrite | why it is safe |
//! | --- | --- | --- |
//! | shebang line `#!...` | blanked | Lua's `load` rejects it |
//! | postfix non-nil `x!`, `f()!`, `t[k]!` | `!` blanked | `!` is never Lua; `!=` is left for the error |
//! | cast `x as T` | `as` → `::` | `as` after an expression and before a type (a guess) |
//! | array suffix `T[]` | `[]` blanked | `[]` is never Lua |
//! | validators `@min(0)`, `@int` | blanked | `@` is never Lua 5.4 |
//! | `readonly {..}`, `{readonly x: T}` | `readonly` blanked | `readonly` in a type position (a guess) |
//! | optional fields `{port?: number}` | `?` blanked | `?` is never Lua |
//! | constraints `<T: C>` in generic lists of functions and `type` | `: C` blanked | never Lua |
//! | `local x <const>: T` (annotation after the attribute) | `: T` blanked | `:` never follows `<const>` in Lua |
//! | numeric literal types `200 \| 404`, `-1` | first character → `_` (`_00`) | next to `\|`, after `:` or `->`, or the body of a `type` (a guess) |
//! | goto labels `::name::` after an expression | `;` for the parse only | see below (a guess) |
//!
//! In Luau mode `x = y` followed by `::continue::` reads as a cast `y :: continue` and then fails.
//! Labels have no types, so the parser does not need them: in the text that is parsed such a label
//! becomes `;` and blanks, which ends the statement before it and is valid only where a label is;
//! the output keeps the label. The one valid place where `;` is not (full_moon rejects a `;` that
//! opens a block, as after a return type `function f(): T ::top::`) makes the parse fail, and the
//! label is then left to the parser as it is.
//!
//! Each rewrite replaces every character with one character, so positions stay (see `erase`). The
//! parse then tells whether each rewrite was right: all but the shebang, labels and `!` must end up
//! inside or right after (whitespace apart) a span of type syntax (see `placement`). A misplaced *guess* was plain Lua that
//! happened to look typed (`local t = readonly {1}` calls a function named `readonly`): it is undone
//! and the text parsed again. Any other misplaced rewrite is a syntax error (`t[]`, `@native`).

use super::erase::{Edit, Fill};
use super::scan::{self, Kind, Tok};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Construct {
    Shebang,
    Label,
    NonNil,
    AsCast,
    ArraySuffix,
    Validator,
    Readonly,
    OptionalField,
    Constraint,
    NumberType,
    AttributedAnnotation,
}

impl Construct {
    /// Whether the rewrite is type syntax, so it must end up inside or right after a type span.
    pub fn belongs_in_type(self) -> bool {
        !matches!(self, Construct::Shebang | Construct::Label | Construct::NonNil | Construct::AttributedAnnotation)
    }

    /// Whether the rewrite only helps the parser, and the output keeps the source text.
    pub fn parse_only(self) -> bool {
        self == Construct::Label
    }

    /// Whether the rewrite can be wrong for valid code, so that it is undone when misplaced or on
    /// a line the parser rejects.
    pub fn is_guess(self) -> bool {
        matches!(self, Construct::AsCast | Construct::Readonly | Construct::Label | Construct::NumberType)
    }
}

/// One rewrite, as a byte range of the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rewrite {
    pub start: usize,
    pub end: usize,
    pub fill: Fill,
    pub construct: Construct,
}

/// Finds the rewrites for `src`, sorted by position and not overlapping.
pub(crate) fn rewrites(src: &str) -> Vec<Rewrite> {
    let toks = scan::tokens(src);
    let mut found = Finder { src, toks: &toks, out: Vec::new(), parameter_lists_end: Vec::new(), nesting: Vec::new() };
    if src.starts_with('#') {
        found.push(0, scan::line_end(src.as_bytes(), 0), Fill::Blank, Construct::Shebang);
    }
    let mut i = 0;
    while i < toks.len() {
        found.track_nesting(toks[i]);
        i = found.at(i);
    }
    found.out.sort_unstable_by_key(|r| r.start);
    found.out
}

/// The edits that apply `rewrites` to the source, for the parser or (without the parse-only ones)
/// for the output.
pub(crate) fn edits(rewrites: &[Rewrite], for_parser: bool) -> Vec<Edit> {
    rewrites
        .iter()
        .filter(|r| for_parser || !r.construct.parse_only())
        .map(|r| Edit { start: r.start, end: r.end, fill: r.fill })
        .collect()
}

/// Byte ranges of `rewrites` in the rewritten text: blanking a multi-byte character shortens the text.
pub(crate) fn ranges_in_text(src: &str, rewrites: &[Rewrite]) -> Vec<(usize, usize)> {
    let mut shrunk = 0;
    rewrites
        .iter()
        .map(|r| {
            let start = r.start - shrunk;
            let original = &src[r.start..r.end];
            shrunk += original.len() - original.chars().count();
            (start, r.end - shrunk)
        })
        .collect()
}

struct Finder<'a> {
    src: &'a str,
    toks: &'a [Tok],
    out: Vec<Rewrite>,
    /// Token indexes of the `)` that close function parameter lists seen so far, ascending.
    parameter_lists_end: Vec<usize>,
    /// What the current token is inside of, innermost last. Tokens that `at` skips are balanced.
    nesting: Vec<Nest>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Nest {
    /// `(`, `[` or `{`: expressions, fields or types, never a statement.
    Bracket,
    /// A block opened by `function`, `if`, `do` or `repeat`: statements.
    Block,
}

impl Finder<'_> {
    fn push(&mut self, start: usize, end: usize, fill: Fill, construct: Construct) {
        self.out.push(Rewrite { start, end, fill, construct });
    }

    fn tok(&self, i: usize) -> Option<Tok> {
        self.toks.get(i).copied()
    }

    fn symbol(&self, i: usize, symbol: u8) -> bool {
        self.tok(i).is_some_and(|t| t.is_symbol(self.src, symbol))
    }

    fn adjacent(&self, i: usize) -> bool {
        i > 0 && self.toks[i - 1].end == self.toks[i].start
    }

    fn rewritten_as(&self, tok: Tok, construct: Construct) -> bool {
        self.out.last().is_some_and(|r| r.start == tok.start && r.construct == construct)
    }

    /// Follows brackets and blocks. Every loop's `do` opens its block, so `while` and `for` do not;
    /// `then`, `elseif` and `else` continue the block `if` opened.
    fn track_nesting(&mut self, tok: Tok) {
        let src = self.src;
        let opens = match tok.kind {
            Kind::Symbol => match src.as_bytes()[tok.start] {
                b'(' | b'[' | b'{' => Some(Nest::Bracket),
                b')' | b']' | b'}' => None,
                _ => return,
            },
            Kind::Name => match tok.text(src) {
                "function" | "if" | "do" | "repeat" => Some(Nest::Block),
                "end" | "until" => None,
                _ => return,
            },
            _ => return,
        };
        match opens {
            Some(nest) => self.nesting.push(nest),
            None => {
                self.nesting.pop();
            }
        }
    }

    /// Looks for a construct at token `i`; returns the index of the next token to look at.
    fn at(&mut self, i: usize) -> usize {
        let src = self.src;
        let tok = self.toks[i];
        let prev = i.checked_sub(1).map(|p| self.toks[p]);
        match tok.kind {
            Kind::Symbol => match src.as_bytes()[tok.start] {
                b':' => {
                    if let Some(close) = self.label_end(i) {
                        let (start, end) = (tok.start, self.toks[close].end);
                        let after_expression = i > 0 && self.ends_expression(i - 1);
                        // In a table constructor `;` separates fields: `{a::x::b = 1}` would parse.
                        let in_block = self.nesting.last().is_none_or(|n| *n == Nest::Block);
                        // Parse and output text must keep the same byte offsets after it.
                        if after_expression && in_block && src[start..end].is_ascii() {
                            self.push(start, end, Fill::Semicolon, Construct::Label);
                        }
                        return close + 1;
                    }
                    if let Some(last) = self.attributed_annotation_end(i) {
                        self.push(tok.start, self.toks[last].end, Fill::Blank, Construct::AttributedAnnotation);
                        return last + 1;
                    }
                }
                b'!' => {
                    let after_value = self.adjacent(i)
                        && prev
                            .is_some_and(|p| p.is_identifier(src) || p.is_symbol(src, b')') || p.is_symbol(src, b']'));
                    let not_equal = src.as_bytes().get(tok.end) == Some(&b'=');
                    if after_value && !not_equal {
                        self.push(tok.start, tok.end, Fill::Blank, Construct::NonNil);
                    }
                }
                b'<' if self.attribute_at(i) => {
                    if let Some(colon) = self.annotation_before_attribute(i) {
                        let start = self.toks[colon].start;
                        self.out.retain(|r| r.start < start);
                        self.push(start, self.toks[i - 1].end, Fill::Blank, Construct::AttributedAnnotation);
                    }
                    return i + 3;
                }
                b'?' if self.symbol(i + 1, b':') => {
                    let after_key = self.adjacent(i) && prev.is_some_and(|p| p.is_identifier(src));
                    if after_key {
                        self.push(tok.start, tok.end, Fill::Blank, Construct::OptionalField);
                    }
                }
                b'[' if self.symbol(i + 1, b']') && self.adjacent(i + 1) => {
                    let after_type = prev.is_some_and(|p| {
                        p.kind == Kind::Name || [b')', b'}', b']', b'>', b'?'].iter().any(|&s| p.is_symbol(src, s))
                    });
                    if after_type {
                        self.push(tok.start, self.toks[i + 1].end, Fill::Blank, Construct::ArraySuffix);
                        return i + 2;
                    }
                }
                b'@' if self.tok(i + 1).is_some_and(|n| n.kind == Kind::Name) && self.adjacent(i + 1) => {
                    let mut end_index = i + 1;
                    if self.symbol(i + 2, b'(') && self.adjacent(i + 2) {
                        match self.matching(i + 2, b'(', b')') {
                            Some(close) => end_index = close,
                            None => return i + 1,
                        }
                    }
                    self.push(tok.start, self.toks[end_index].end, Fill::Blank, Construct::Validator);
                    return end_index + 1;
                }
                _ => {}
            },
            Kind::Name => match tok.text(src) {
                "as" if prev.is_some_and(|p| self.ends_value(p)) && self.starts_type(i + 1) => {
                    self.push(tok.start, tok.end, Fill::Text("::"), Construct::AsCast);
                }
                "readonly" if self.readonly_modifier(i) => {
                    self.push(tok.start, tok.end, Fill::Blank, Construct::Readonly);
                }
                "function" => return self.function_header(i),
                "type" if self.tok(i + 1).is_some_and(|n| n.is_identifier(src)) && self.symbol(i + 2, b'<') => {
                    if let Some(close) = self.generic_list_end(i + 2) {
                        if self.symbol(close + 1, b'=') {
                            self.blank_constraints(i + 2, close);
                        }
                        return close + 1;
                    }
                }
                _ => {}
            },
            Kind::Number if self.number_type(i) => {
                let minus = i > 0 && self.symbol(i - 1, b'-') && self.adjacent(i);
                let at = if minus { self.toks[i - 1].start } else { tok.start };
                self.push(at, at + 1, Fill::Underscore, Construct::NumberType);
            }
            _ => {}
        }
        i + 1
    }

    /// A number that looks like a literal type: an integer or hexadecimal literal next to `|`,
    /// after `:` or `->`, or right after `type Name =`. Luau has no numeric literal types; as a name (`_00`) it parses.
    fn number_type(&self, i: usize) -> bool {
        let src = self.src;
        if !self.toks[i].text(src).bytes().all(|b| b.is_ascii_alphanumeric()) {
            return false;
        }
        let first = if i > 0 && self.symbol(i - 1, b'-') && self.adjacent(i) { i - 1 } else { i };
        let after_bar = first > 0 && self.symbol(first - 1, b'|');
        // `x: 3` and `-> 3`: a number never follows `:` or `->` in Lua.
        let after_colon = first > 0 && self.symbol(first - 1, b':');
        let after_arrow = first > 1 && self.symbol(first - 1, b'>') && self.symbol(first - 2, b'-');
        let before_bar = self.symbol(i + 1, b'|');
        let declared = first >= 3
            && self.symbol(first - 1, b'=')
            && self.tok(first - 2).is_some_and(|t| t.is_identifier(src))
            && self.tok(first - 3).is_some_and(|t| t.kind == Kind::Name && t.text(src) == "type");
        after_bar || before_bar || declared || after_colon || after_arrow
    }

    /// `<const>` or `<close>` at token `i`, in the place of a local's attribute.
    fn attribute_at(&self, i: usize) -> bool {
        let src = self.src;
        self.tok(i + 1).is_some_and(|t| matches!(t.text(src), "const" | "close"))
            && self.symbol(i + 2, b'>')
            && self
                .tok(i + 3)
                .is_none_or(|t| [b'=', b',', b';', b':'].iter().any(|&s| t.is_symbol(src, s)) || t.kind == Kind::Name)
    }

    /// `local x: T <const>`: full_moon reads `T <const>` as a generic type and the attribute would
    /// be lost, so the annotation is blanked by the pre-pass. The index of its `:`.
    fn annotation_before_attribute(&self, i: usize) -> Option<usize> {
        let src = self.src;
        let mut depth = 0i32;
        for k in (1..i).rev() {
            let t = self.toks[k];
            if t.kind == Kind::Symbol {
                match src.as_bytes()[t.start] {
                    b')' | b'}' | b']' => depth += 1,
                    b'(' | b'{' | b'[' => depth -= 1,
                    b'=' | b';' if depth == 0 => return None,
                    b':' if depth == 0 => {
                        let name = self.toks[k - 1];
                        let before = k.checked_sub(2).map(|b| self.toks[b]);
                        let declares = name.is_identifier(src)
                            && before.is_some_and(|b| b.text(src) == "local" || b.is_symbol(src, b','));
                        return declares.then_some(k);
                    }
                    _ => {}
                }
            } else if t.kind == Kind::Name
                && scan::is_keyword(t.text(src))
                && !matches!(t.text(src), "nil" | "true" | "false")
            {
                return None;
            }
            if depth < 0 {
                return None;
            }
        }
        None
    }

    /// `local x <const>: T = ...`: full_moon wants the annotation before the attribute, so the
    /// pre-pass blanks it here; the index of its last token (before `=`, `,` or `;` outside
    /// brackets, or the end of the line).
    fn attributed_annotation_end(&self, i: usize) -> Option<usize> {
        let src = self.src;
        let attribute = i >= 3
            && self.symbol(i - 1, b'>')
            && self.tok(i - 2).is_some_and(|t| matches!(t.text(src), "const" | "close"))
            && self.symbol(i - 3, b'<');
        if !attribute || self.symbol(i + 1, b':') {
            return None;
        }
        let line_end = scan::line_end(src.as_bytes(), self.toks[i].start);
        let mut depth = 0i32;
        let mut last = None;
        for k in i + 1..self.toks.len() {
            let t = self.toks[k];
            if t.start >= line_end {
                break;
            }
            match src.as_bytes()[t.start] {
                b'(' | b'{' | b'[' | b'<' if t.kind == Kind::Symbol => depth += 1,
                b')' | b'}' | b']' if t.kind == Kind::Symbol => depth -= 1,
                b'>' if t.kind == Kind::Symbol && !(self.symbol(k - 1, b'-') && self.adjacent(k)) => depth -= 1,
                b'=' | b',' | b';' if t.kind == Kind::Symbol && depth <= 0 => break,
                _ => {}
            }
            last = Some(k);
        }
        last
    }

    /// `::name::` starting at token `i`: the index of its last `:`. Only the compact form counts:
    /// `x :: T ::done::` is a cast followed by a label (`:: name ::`, legal but rare, is left to the
    /// parser, which reads it as a cast after an expression).
    fn label_end(&self, i: usize) -> Option<usize> {
        let compact = (i + 1..=i + 4).all(|k| k < self.toks.len() && self.adjacent(k));
        let shape = self.symbol(i, b':')
            && self.symbol(i + 1, b':')
            && self.tok(i + 2).is_some_and(|t| t.is_identifier(self.src))
            && self.symbol(i + 3, b':')
            && self.symbol(i + 4, b':');
        (compact && shape).then_some(i + 4)
    }

    /// Whether token `p` can end an expression statement, so that a label after it would be read
    /// as a cast. Not the `)` of a parameter list: a label can open a function body as it is.
    fn ends_expression(&self, p: usize) -> bool {
        let tok = self.toks[p];
        if tok.is_symbol(self.src, b')') && self.parameter_lists_end.binary_search(&p).is_ok() {
            return false;
        }
        self.ends_value(tok) || (tok.kind == Kind::Name && tok.text(self.src) == "end")
    }

    /// A token after which `as` is a cast: the end of a value.
    fn ends_value(&self, tok: Tok) -> bool {
        let src = self.src;
        match tok.kind {
            Kind::Name => !scan::is_keyword(tok.text(src)) || matches!(tok.text(src), "nil" | "true" | "false"),
            Kind::Number | Kind::String => true,
            Kind::Symbol => {
                tok.is_symbol(src, b')')
                    || tok.is_symbol(src, b']')
                    || tok.is_symbol(src, b'}')
                    || self.rewritten_as(tok, Construct::NonNil)
            }
            Kind::Other => false,
        }
    }

    /// Whether token `i` can start the type of a cast. A `(` only when it opens a function type
    /// `(..) -> T`, because `x as (y)` would otherwise also read as a call of a function `as`.
    fn starts_type(&self, i: usize) -> bool {
        let src = self.src;
        let Some(tok) = self.tok(i) else { return false };
        match tok.kind {
            Kind::Name => tok.is_identifier(src) || matches!(tok.text(src), "nil" | "true" | "false"),
            Kind::String => true,
            Kind::Symbol if tok.is_symbol(src, b'{') => true,
            Kind::Symbol if tok.is_symbol(src, b'(') => self.matching(i, b'(', b')').is_some_and(|close| {
                self.symbol(close + 1, b'-') && self.symbol(close + 2, b'>') && self.adjacent(close + 2)
            }),
            _ => false,
        }
    }

    /// `readonly` before a table type or a field name, in a position where a type can start. A `:`
    /// right before it (`obj:readonly{..}`) is a method call, not an annotation.
    fn readonly_modifier(&self, i: usize) -> bool {
        let src = self.src;
        let next_fits = self.tok(i + 1).is_some_and(|n| n.is_identifier(src) || n.is_symbol(src, b'{'));
        let Some(prev) = i.checked_sub(1).map(|p| self.toks[p]) else {
            return false;
        };
        let prev_fits =
            b":{,;(|&=<>".iter().any(|&s| prev.is_symbol(src, s)) || self.rewritten_as(prev, Construct::AsCast);
        let method_call = prev.is_symbol(src, b':') && self.adjacent(i);
        next_fits && prev_fits && !method_call
    }

    /// `function name<...>(...)` or `function<...>(...)`: blanks constraints in the generic list and
    /// notes where the parameter list ends.
    fn function_header(&mut self, i: usize) -> usize {
        let src = self.src;
        let mut j = i + 1;
        if self.tok(j).is_some_and(|t| t.is_identifier(src)) {
            j += 1;
            while (self.symbol(j, b'.') || self.symbol(j, b':'))
                && self.tok(j + 1).is_some_and(|t| t.is_identifier(src))
            {
                j += 2;
            }
        }
        let mut next = i + 1;
        if self.symbol(j, b'<') {
            match self.generic_list_end(j) {
                Some(close) if self.symbol(close + 1, b'(') => {
                    self.blank_constraints(j, close);
                    next = close + 1;
                    j = close + 1;
                }
                _ => return next,
            }
        }
        if self.symbol(j, b'(') {
            if let Some(close) = self.matching(j, b'(', b')') {
                self.parameter_lists_end.push(close);
            }
        }
        next
    }

    /// The index of the `>` closing the generic list opened at `open`. `->` arrows inside do not
    /// close it; a keyword that cannot be in a type means this was no generic list.
    fn generic_list_end(&self, open: usize) -> Option<usize> {
        let src = self.src;
        let mut depth = 0usize;
        for (k, t) in self.toks.iter().enumerate().skip(open) {
            if t.is_symbol(src, b'<') {
                depth += 1;
            } else if t.is_symbol(src, b'>') && !(self.symbol(k - 1, b'-') && self.adjacent(k)) {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            } else if t.kind == Kind::Name
                && scan::is_keyword(t.text(src))
                && !matches!(t.text(src), "nil" | "true" | "false")
            {
                return None;
            }
        }
        None
    }

    /// Blanks each `: Constraint` (up to the next `,` or the closing `>` at the list's own depth).
    fn blank_constraints(&mut self, open: usize, close: usize) {
        let src = self.src;
        let mut depth = 0i32;
        let mut constraint_start: Option<usize> = None;
        for k in open + 1..close {
            let t = self.toks[k];
            let b = src.as_bytes()[t.start];
            if t.kind == Kind::Symbol {
                match b {
                    b'<' | b'(' | b'{' => depth += 1,
                    b'>' if self.symbol(k - 1, b'-') && self.adjacent(k) => {}
                    b'>' | b')' | b'}' => depth -= 1,
                    b':' if depth == 0 && constraint_start.is_none() => constraint_start = Some(t.start),
                    b',' if depth == 0 => {
                        if let Some(start) = constraint_start.take() {
                            self.push(start, self.toks[k - 1].end, Fill::Blank, Construct::Constraint);
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(start) = constraint_start {
            self.push(start, self.toks[close - 1].end, Fill::Blank, Construct::Constraint);
        }
    }

    /// The index of the token closing the bracket opened at `open`.
    fn matching(&self, open: usize, opener: u8, closer: u8) -> Option<usize> {
        let src = self.src;
        let mut depth = 0usize;
        for (k, t) in self.toks.iter().enumerate().skip(open) {
            if t.is_symbol(src, opener) {
                depth += 1;
            } else if t.is_symbol(src, closer) {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typed::erase::apply;

    fn rewrite(src: &str) -> String {
        apply(src, &edits(&rewrites(src), true))
    }

    #[test]
    fn non_nil_postfix_is_blanked_but_not_equal_is_left() {
        assert_eq!(rewrite("a = (u!).n .. u!.n .. f()! .. t[1]!"), "a = (u ).n .. u .n .. f()  .. t[1] ");
        assert_eq!(rewrite("if a != b then end"), "if a != b then end");
    }

    #[test]
    fn as_after_a_value_before_a_type_is_a_cast() {
        assert_eq!(rewrite("local y = x as User"), "local y = x :: User");
        assert_eq!(rewrite("f(g() as {number}, s as \"a\")"), "f(g() :: {number}, s :: \"a\")");
        assert_eq!(rewrite("local f = g as (number) -> string"), "local f = g :: (number) -> string");
    }

    #[test]
    fn as_as_a_plain_name_is_left() {
        for src in ["local as = 1", "as.x = as", "local a = b as(1)", "obj:as(x)", "t = {as = 1}", "x = y as = 1"] {
            assert_eq!(rewrite(src), src);
        }
    }

    #[test]
    fn array_suffix_and_validators_are_blanked() {
        assert_eq!(rewrite("local xs: number[] = {}"), "local xs: number   = {}");
        assert_eq!(
            rewrite("type P = {port: number @min(1) @max(65535), tags: string[][]}"),
            "type P = {port: number                    , tags: string    }"
        );
        assert_eq!(rewrite("local s: string @pattern(\"^(a)\") = s"), "local s: string                  = s");
    }

    #[test]
    fn optional_field_marks_are_blanked() {
        assert_eq!(rewrite("type C = {name: string, port?: number}"), "type C = {name: string, port : number}");
        assert_eq!(rewrite("local f: (a: T?) -> U = g"), "local f: (a: T?) -> U = g");
    }

    #[test]
    fn readonly_in_type_positions_is_blanked() {
        assert_eq!(rewrite("local p: readonly {x: number}"), "local p:          {x: number}");
        assert_eq!(rewrite("type P = {readonly x: number}"), "type P = {         x: number}");
        assert_eq!(rewrite("obj:readonly{1}"), "obj:readonly{1}");
        assert_eq!(rewrite("local readonly = 1"), "local readonly = 1");
    }

    #[test]
    fn generic_constraints_are_blanked() {
        assert_eq!(rewrite("function f<T: HasName, U>(x: T) end"), "function f<T         , U>(x: T) end");
        assert_eq!(rewrite("function M.a:b<K: Map<K, V>>() end"), "function M.a:b<K           >() end");
        assert_eq!(rewrite("local g = function<F: (T) -> U>() end"), "local g = function<F          >() end");
        assert_eq!(rewrite("type R<T: C, E> = T"), "type R<T   , E> = T");
        assert_eq!(rewrite("if a < b then return b > c end"), "if a < b then return b > c end");
    }

    #[test]
    fn labels_after_expressions_become_semicolons_for_the_parser_only() {
        let src = "x = y\n::continue::";
        let rs = rewrites(src);
        assert_eq!(apply(src, &edits(&rs, true)), format!("x = y\n;{}", " ".repeat(11)));
        assert_eq!(apply(src, &edits(&rs, false)), src);
        assert_eq!(rewrite("local v = x :: T ::done::"), "local v = x :: T ;       ");
        assert_eq!(rewrite("local v = x :: T :: U"), "local v = x :: T :: U");
        let in_callback = "pcall(function() x = y ::continue:: end)";
        assert_eq!(rewrite(in_callback), "pcall(function() x = y ;            end)");
    }

    #[test]
    fn labels_where_no_expression_ends_are_left_to_the_parser() {
        for src in ["do ::a:: end", "function f() ::top:: end", "x = 1; ::a::", "::start::"] {
            assert_eq!(rewrite(src), src);
        }
    }

    #[test]
    fn shebang_is_blanked() {
        assert_eq!(rewrite("#!/usr/bin/env lua\nx = 1"), "                  \nx = 1");
    }

    #[test]
    fn ranges_in_text_account_for_multibyte_characters() {
        let src = "local s: string @pattern(\"é\") = x @v";
        let rs = rewrites(src);
        let ranges = ranges_in_text(src, &rs);
        let text = apply(src, &edits(&rs, true));
        assert_eq!(&text[ranges[1].0..ranges[1].1], "  ");
        assert_eq!(text.len() + 1, src.len());
    }
}
