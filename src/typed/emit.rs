//! Run-time type values: each `type T = ...` statement, blanked by the erasure, is replaced by
//! `local T=__wippy_type[==[<json>]==];` written where the statement started.
//!
//! The type AST travels inside the chunk, as JSON in a long string, already resolved (see
//! `declared`): no side table has to follow the compiled code around (the code cache, `require`,
//! reloads), and the run-time global `__wippy_type` (`lua/api/types.rs`) turns the text into an
//! interned type object. The `;` ends the statement, so a following line starting with `(` is not
//! read as a call.
//!
//! Positions: the replacement starts at the statement's first character. When it is longer than
//! the statement's first line, that line grows; everything on later lines keeps its place, and so
//! does everything before it. Only tokens written after a short declaration on the *same* line
//! (`type A = number; f()`) move right, which is rare enough to accept.

use super::declared::Declaration;

/// The name of the global that makes a type value from its JSON.
pub const TYPE_GLOBAL: &str = "__wippy_type";

/// `lua` with the declarations (sorted by `start`, byte offsets of `lua`) replaced.
pub(crate) fn splice(lua: &str, declarations: &[Declaration]) -> String {
    if declarations.is_empty() {
        return lua.to_string();
    }
    let mut out = String::with_capacity(lua.len() + declarations.len() * 64);
    let mut copied = 0;
    for d in declarations {
        if d.start < copied || d.end > lua.len() {
            continue;
        }
        out.push_str(&lua[copied..d.start]);
        let replacement = statement(d);
        let first_line_end = lua[d.start..d.end].find('\n').map_or(d.end, |i| d.start + i);
        let room = first_line_end - d.start;
        out.push_str(&replacement);
        // The erased statement is blanks and line breaks: keep what the replacement does not cover.
        copied = if replacement.len() >= room { first_line_end } else { d.start + replacement.len() };
    }
    out.push_str(&lua[copied..]);
    out
}

fn statement(d: &Declaration) -> String {
    let payload = serde_json::json!({ "name": d.name, "type": d.ty }).to_string();
    let mut level = String::new();
    while payload.contains(&format!("]{level}]")) {
        level.push('=');
    }
    format!("local {}={TYPE_GLOBAL}[{level}[{payload}]{level}];", d.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typed::types::Type;

    fn decl(lua: &str, name: &str) -> Declaration {
        let start = lua.find("    ").expect("blank span");
        let end = lua[start..].find('|').map_or(lua.len(), |i| start + i);
        Declaration { name: name.into(), params: vec![], exported: false, ty: Type::Number, start, end }
    }

    #[test]
    fn long_span_is_padded_short_span_grows_its_line() {
        let lua = format!("a{}|\nb", " ".repeat(80));
        let out = splice(&lua, &[decl(&lua, "N")]);
        assert!(out.starts_with("alocal N=__wippy_type[[{"), "{out}");
        assert_eq!(out.len(), lua.len());
        let short = "a    |\nb";
        let out = splice(short, &[decl(short, "N")]);
        assert!(out.ends_with("];|\nb"), "{out}");
    }
}
