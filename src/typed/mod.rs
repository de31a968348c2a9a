//! The typed-Lua front end: turns a Wippy source (Lua 5.4 plus type annotations) into plain Lua 5.4
//! in which every remaining token keeps its line and column, plus the declared types (a type AST,
//! `types`) for the runtime and the checker; or into located syntax diagnostics.
//!
//! Annotations have no run-time effect, so they are *erased*: each character of type syntax becomes
//! a space (line breaks stay). `type` declarations are values at run time (`emit`). The steps of
//! [`compile`]:
//!
//! 1. A leading byte-order mark is dropped (editors do not count it as a column).
//! 2. The pre-pass (`prepass`) rewrites, at the same width, the dialect syntax full_moon does not
//!    parse: `x as T` → `x :: T`, `T[]`, `@validators`, `readonly`, optional fields `{port?: T}`,
//!    `<T: Constraint>`, numeric literal types, an annotation beside `<const>`, postfix `x!` and a
//!    shebang line. It hides `::label::` after an expression
//!    from the parser, which would read it as a cast. It needs tokens only.
//! 3. full_moon parses the result once, in Lua 5.4 + Luau mode: Luau's grammar is the type grammar.
//!    Its errors become `P0001` diagnostics (`syntax_error`), all of them, one per place.
//!    full_moon 3.0.0 panics on a few inputs (a type followed by a character it cannot lex:
//!    `local x: number ! 1`); the panic is caught and becomes a diagnostic too (the panic hook
//!    still prints it).
//!    full_moon drops some incomplete type syntax without an error (`f(x :: )` parses as `f()`),
//!    so a parse is clean only if the AST prints back to the same text (`lossless`).
//! 4. One AST walk (`walk`) collects the spans of type syntax: annotations `: T` on locals,
//!    parameters, `...`, `for` variables and returns (`: (A, B)` too), generic lists `<T, U>`, casts
//!    `:: T`, and whole `type`/`export type` statements. It also flags what Luau mode accepts but Lua
//!    5.4 cannot run (`+=`, `continue`, backtick strings, `if` expressions, `const`, `1_000`, ...).
//! 5. Every pre-pass rewrite of type syntax must lie inside or right after such a span
//!    (`placement`). A misplaced guess (`as` or `readonly` used as plain names) is undone and the
//!    text parsed again; anything else misplaced (`t[]`, `@native`) is a syntax error. When a parse
//!    with guesses fails, it is retried without the guesses on the error lines, then without any.
//!    Re-parsing happens only in these rare cases, so `compile` stays linear.
//! 6. The spans are blanked (`erase`) in the text with every rewrite but the parser-only ones. A
//!    cast or type declaration followed by `(` leaves a `;` where it started, so the next line is
//!    not read as a call of the previous expression. This is `Compiled::lua` (what the checker
//!    parses).
//! 7. The types are read from the source at the spans the walk found (`declared`, `type_parse`):
//!    declarations resolved to type ASTs, annotations and casts by position. `emit` writes each
//!    declaration back as a run-time type value: `Compiled::runtime` (what the loader compiles).
//!
//! The pure type system lives beside it: `types` (the AST), `validate` (run-time validation),
//! `subtype` (structural subtyping); the Lua binding is `lua/api/types.rs`, the checker
//! `lint/typecheck/`.
//!
//! Not handled yet (each is a syntax error today): `as` casts to
//! a parenthesised type other than a function type (`x as (A | B)`) or to a generic function type;
//! postfix `!` apart from its value (`x !.y`); `readonly` where the pre-pass does not expect a type.
//! A label written with inner spaces (`:: name ::`) right after an expression is read as a cast.

pub mod declared;
mod emit;
mod erase;
mod lossless;
mod placement;
mod prepass;
mod scan;
pub mod subtype;
mod syntax_error;
pub(crate) mod type_parse;
pub mod types;
pub mod validate;
mod walk;

#[cfg(test)]
mod tests;

use std::panic;
use std::path::Path;

use full_moon::LuaVersion;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// Plain Lua 5.4, same lines and columns as the input for every token that remains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    /// Types erased, every other character in place (what the checker parses).
    pub lua: String,
    /// What the runtime loads: `lua` with each `type` statement replaced by a local type value
    /// (`emit`); lines stay, columns stay apart from the rare case `emit` describes.
    pub runtime: String,
    /// The declared types and annotations, for the checker (the runtime gets them in `lua`).
    pub types: declared::Declared,
}

pub use emit::TYPE_GLOBAL;

/// Erases the types of a typed-Lua `source`; `file` is only used to locate diagnostics.
pub fn compile(source: &str, file: &Path) -> Result<Compiled, Diagnostics> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut rewrites = prepass::rewrites(source);
    let mut first_errors: Option<Vec<Diagnostic>> = None;
    loop {
        let text = erase::apply(source, &prepass::edits(&rewrites, true));
        let Ok(parsed) = panic::catch_unwind(|| full_moon::parse_fallible(&text, lua_version())) else {
            return Err(Diagnostics(syntax_error::parser_panicked(&text, file)));
        };
        if !parsed.errors().is_empty() {
            let errors = syntax_error::from_parser(parsed.errors(), &text, file);
            // A guess may have turned plain Lua into broken typed Lua (`x = y as {1}`, where
            // `as{1}` is a call). Parse again without the guesses on the lines of the errors, then
            // without any guess; if neither helps, the first errors are the ones to show.
            let guesses: Vec<usize> = (0..rewrites.len()).filter(|&i| rewrites[i].construct.is_guess()).collect();
            if !guesses.is_empty() {
                let near = if first_errors.is_none() {
                    placement::on_lines_of(source, &text, &rewrites, &guesses, &errors)
                } else {
                    vec![]
                };
                let undo = if near.is_empty() { &guesses } else { &near };
                rewrites = placement::without(rewrites, undo);
                first_errors.get_or_insert(errors);
                continue;
            }
            return Err(Diagnostics(first_errors.unwrap_or(errors)));
        }
        if let Some(at) = lossless::first_difference(parsed.ast(), &text) {
            return Err(Diagnostics(vec![syntax_error::dropped(&text, at, file)]));
        }

        let found = walk::walk(parsed.ast());
        let mut edits = erase::plan(&text, found.spans);
        placement::clip(&mut edits, source, &rewrites);
        let misplaced = placement::misplaced(source, &text, &rewrites, &edits);
        let mut undo: Vec<usize> =
            misplaced.iter().map(|&(i, _)| i).filter(|&i| rewrites[i].construct.is_guess()).collect();
        undo.extend(placement::labels_after_return(source, &rewrites, &found.return_semicolons));
        if !undo.is_empty() {
            rewrites = placement::without(rewrites, &undo);
            continue;
        }

        let mut errors: Vec<Diagnostic> = found.luau_only.iter().map(|l| syntax_error::luau_only(l, file)).collect();
        for (i, at) in misplaced {
            let r = &rewrites[i];
            errors.push(syntax_error::misplaced(r.construct, &source[r.start..r.end], &text, at, file));
        }
        if !errors.is_empty() {
            errors.sort_by(|a, b| a.location.cmp(&b.location));
            return Err(Diagnostics(errors));
        }
        let output_base = erase::apply(source, &prepass::edits(&rewrites, false));
        let erased = erase::apply(&output_base, &edits);
        let to_source = source_offsets(source, &rewrites);
        let mut types = declared::read(
            source,
            &text,
            &to_source,
            &found.declarations,
            &found.annotations,
            &found.casts,
            &found.generic_functions,
        );
        let ranges = prepass::ranges_in_text(source, &rewrites);
        for (r, &(start, _)) in rewrites.iter().zip(&ranges) {
            if r.construct == prepass::Construct::NonNil {
                types.non_nil.insert(start);
            }
        }
        let runtime = emit::splice(&erased, &types.declarations);
        return Ok(Compiled { lua: erased, runtime, types });
    }
}

/// Maps a byte offset of the parsed text to the source: they differ only after a blanked
/// multi-byte character.
fn source_offsets(source: &str, rewrites: &[prepass::Rewrite]) -> impl Fn(usize) -> usize {
    let ranges = prepass::ranges_in_text(source, rewrites);
    // (end in the text, total shrink up to there), for each rewrite that shrank.
    let shifts: Vec<(usize, usize)> = rewrites
        .iter()
        .zip(&ranges)
        .filter(|(r, (s, e))| r.end - r.start != e - s)
        .map(|(r, &(_, e))| (e, r.end - e))
        .collect();
    move |at| shifts.iter().rev().find(|(e, _)| *e <= at).map_or(at, |(_, shift)| at + shift)
}

/// Lua 5.4 for the code, Luau for the type syntax.
fn lua_version() -> LuaVersion {
    LuaVersion::lua54().with_luau()
}
