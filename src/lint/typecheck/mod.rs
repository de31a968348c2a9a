//! Type checking in `wippy check` (codes `E0001`–`E0007`): the typed-Lua checker, run on every
//! file that has type syntax (annotations, casts or `type` declarations), whatever `--rules` says.
//! Type errors are errors, but a plain Lua file is never type-checked, and in a typed file untyped
//! code is `any`, which is never reported (gradual typing).
//!
//! The checker reads the erased AST (plain Lua, as the rules do) and the types the front end read
//! (`typed::declared::Declared`), matched by position: the annotation of a name starts after it.
//! The runtime's modules are typed by `stdlib/types/runtime.d.lua`, read once per run.
//!
//! | code | meaning |
//! | --- | --- |
//! | E0001 | a value of the wrong type is assigned to a typed local, field or declared variable |
//! | E0002 | an argument of the wrong type is passed to a typed function |
//! | E0003 | a typed function is called with too few or too many arguments |
//! | E0004 | a field of a value that may be nil is read (or such a value is called) |
//! | E0005 | a record type has no field of that name |
//! | E0006 | a value that is not a function is called |
//! | E0007 | a typed function returns a value of the wrong type |

mod check;
mod narrow;

use crate::diagnostic::Severity;
use crate::lint::rule::{Rule, RuleInfo};

use std::path::Path;
use std::sync::OnceLock;

use full_moon::ast::Ast;
use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::typed::declared::Declared;
use crate::typed::types::Type;

/// The checker as a rule, so that it is listed, and can be turned off like one
/// (`disable: [type_check]`). It has no hooks in the shared walk: `check` runs after it.
pub(crate) struct TypeCheck;

static INFO: RuleInfo = RuleInfo {
    name: "type_check",
    code: "E0001",
    severity: Severity::Error,
    style: false,
    summary: "typed Lua: wrong types in assignments, arguments, returns; nil field access; unknown fields",
};

impl Rule for TypeCheck {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }
}

/// The declaration file of the runtime's modules.
const RUNTIME_TYPES: &str = include_str!("../../../stdlib/types/runtime.d.lua");

/// Checks one typed file. `source` is the text the user wrote (positions of `declared` are
/// byte offsets of it, up to blanked multi-byte characters, see `check`).
pub(crate) fn check(ast: &Ast, declared: &Declared, source: &str, file: &Path) -> Vec<Diagnostic> {
    check::Checker::new(declared, source, file, modules()).run(ast)
}

/// The module types by module name: open records (a record `&` table, so that members the file
/// does not declare are `any` rather than unknown fields).
pub(crate) fn modules() -> &'static FxHashMap<String, Type> {
    static MODULES: OnceLock<FxHashMap<String, Type>> = OnceLock::new();
    MODULES.get_or_init(|| {
        let Ok(compiled) = crate::typed::compile(RUNTIME_TYPES, Path::new("stdlib/types/runtime.d.lua")) else {
            return FxHashMap::default();
        };
        compiled
            .types
            .declarations
            .into_iter()
            .filter(|d| d.name.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .map(|d| (d.name, Type::Intersection(vec![d.ty, Type::Table])))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_declarations_load() {
        let m = modules();
        for name in ["process", "channel", "errors", "time", "json"] {
            assert!(m.contains_key(name), "{name} missing");
        }
        let send = m["process"].field("send").expect("process.send");
        assert_eq!(send.ty.kind(), "function");
    }
}
