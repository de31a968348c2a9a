//! Turning a Lua or typed-Lua source into the AST the rules read, or into `P0001` diagnostics.
//!
//! Most files are plain Lua 5.4, so the source is first parsed as such: one parse, no copy. Only
//! when that fails does the typed-Lua front end (`typed::compile`) run; it is the single judge of
//! what is valid (the runtime loads code through it too), so its errors are the ones reported, and
//! its output (plain Lua, types blanked, every token at its original line and column) is what is
//! parsed for the rules. For a file valid as plain Lua 5.4 the front end would return the text
//! unchanged, so both paths agree.
//!
//! Erasing types loses two things the rules need, which are recovered from the bytes the front end
//! blanked: the names that `type T = ...` declares (a run-time value, `T(data)` validates), and the
//! names used inside type annotations (`local json = require("json")` used only as `x: json.Value`
//! is not unused).

use std::panic;
use std::path::Path;

use full_moon::ast::Ast;
use full_moon::LuaVersion;
use rustc_hash::FxHashSet;

use crate::diagnostic::{Diagnostic, Location};

/// The code for every way a file fails to compile.
pub(crate) const SYNTAX_ERROR: &str = "P0001";

/// A parsed file, ready for the walk.
pub(crate) struct Parsed {
    pub ast: Ast,
    pub types: TypeNames,
    /// The types the front end read, for the type checker (typed files only).
    pub declared: Option<crate::typed::declared::Declared>,
}

/// What the erased type syntax of a typed-Lua file named.
#[derive(Default)]
pub(crate) struct TypeNames {
    /// Names declared by `type T = ...` / `export type T = ...`.
    pub declared: FxHashSet<String>,
    /// Every name that appears inside type syntax (`json` in `x: json.Value`).
    pub referenced: FxHashSet<String>,
}

/// Parses `source` (which may start with a byte-order mark). `Err` holds the P0001 diagnostics;
/// it is empty for valid Lua 5.4 that full_moon cannot parse.
pub(crate) fn parse(source: &str, file: &Path) -> Result<Parsed, Vec<Diagnostic>> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if let Ok(Ok(ast)) = panic::catch_unwind(|| full_moon::parse_fallible(source, LuaVersion::lua54()).into_result()) {
        return Ok(Parsed { ast, types: TypeNames::default(), declared: None });
    }
    let compiled = match crate::typed::compile(source, file) {
        Ok(compiled) => compiled,
        // full_moon rejects a few things Lua 5.4 accepts (statements after `break`): no false
        // P0001 for those. The rules cannot read such a file, so it gets no other report either.
        Err(_) if crate::lua::code::is_valid_plain_lua(source) => return Err(Vec::new()),
        Err(d) => return Err(d.0),
    };
    let parsed = panic::catch_unwind(|| full_moon::parse_fallible(&compiled.lua, LuaVersion::lua54()).into_result());
    match parsed {
        Ok(Ok(ast)) => {
            let types = type_names(source, &compiled.lua);
            // Positions of the checker's types are byte offsets: they match only when erasure
            // kept the length (no blanked multi-byte character); otherwise nothing is checked.
            let declared = (source.len() == compiled.lua.len()).then_some(compiled.types);
            Ok(Parsed { ast, types, declared })
        }
        // The front end promises plain Lua 5.4; if full_moon disagrees, say so at the place.
        Ok(Err(errors)) => Err(errors
            .iter()
            .map(|e| {
                let (start, _) = e.range();
                let at = Location::new(file, start.line() as u32, start.character().max(1) as u32);
                Diagnostic::error(SYNTAX_ERROR, at, e.error_message().to_string())
            })
            .collect()),
        Err(_) => Err(vec![Diagnostic::error(
            SYNTAX_ERROR,
            Location::file_start(file),
            "the Lua parser failed on this file after its types were removed",
        )]),
    }
}

/// Reads the names in the bytes that differ between the source and its erased form. Both have
/// the same length (erasure is width-preserving); if not, nothing is recovered, which can only
/// make the rules report less.
fn type_names(source: &str, erased: &str) -> TypeNames {
    let mut names = TypeNames::default();
    let (src, out) = (source.as_bytes(), erased.as_bytes());
    if src.len() != out.len() {
        return names;
    }
    let mut i = 0;
    while i < src.len() {
        if src[i] == out[i] || !is_name_start(src[i]) || (i > 0 && is_name_byte(src[i - 1])) {
            i += 1;
            continue;
        }
        let name = read_name(src, i);
        let after = i + name.len();
        if name == "type" {
            if let Some(declared) = declared_after(src, after) {
                names.declared.insert(declared.to_string());
            }
        } else if name != "export" {
            names.referenced.insert(name.to_string());
        }
        i = after;
    }
    names
}

/// `type Name =` or `type Name<`: the declared name.
fn declared_after(src: &[u8], at: usize) -> Option<&str> {
    let start = skip_spaces(src, at);
    if start == at || start >= src.len() || !is_name_start(src[start]) {
        return None;
    }
    let name = read_name(src, start);
    let next = skip_spaces(src, start + name.len());
    matches!(src.get(next), Some(b'=') | Some(b'<')).then_some(name)
}

fn skip_spaces(src: &[u8], mut at: usize) -> usize {
    while at < src.len() && src[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

fn read_name(src: &[u8], start: usize) -> &str {
    let mut end = start;
    while end < src.len() && is_name_byte(src[end]) {
        end += 1;
    }
    // Names are ASCII, so the range is on character boundaries.
    std::str::from_utf8(&src[start..end]).unwrap_or("")
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lua_needs_no_front_end() {
        let Ok(p) = parse("local x = 1\nreturn x\n", Path::new("a.lua")) else { panic!("does not parse") };
        assert!(p.types.declared.is_empty() && p.types.referenced.is_empty());
    }

    #[test]
    fn typed_lua_keeps_type_names() {
        let src = "type User = {name: string}\nlocal json = require('json')\nlocal function f(u: User, v: json.Value): number return 1 end\nreturn f\n";
        let Ok(p) = parse(src, Path::new("a.lua")) else { panic!("does not parse") };
        assert!(p.types.declared.contains("User"));
        assert!(p.types.referenced.contains("json"));
        assert!(p.types.referenced.contains("User"));
    }

    #[test]
    fn syntax_errors_are_p0001() {
        let errs = parse("local = 1\n", Path::new("a.lua")).err().expect("fails");
        assert!(errs.iter().all(|d| d.code == SYNTAX_ERROR));
        assert_eq!(errs[0].location.line, 1);
    }
}
