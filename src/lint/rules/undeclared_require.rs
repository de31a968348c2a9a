//! `undeclared_require` (R0202): `require("m")` in an entry's source where `m` is neither in the
//! entry's `modules:` nor an alias of its `imports:`; the runtime raises there. Only literal
//! names are checked. A file may serve several entries (`method: main`, `method: node`): a
//! `require` at the file's top level runs for each of them, so each must declare it; one inside a
//! function is reported only when no entry declares it (which function runs for which entry is
//! not followed).

use super::prelude::*;
use crate::lint::globals::{ALWAYS_REQUIRABLE, MODULES};
use crate::lint::walk::require_call;
use crate::registry::{Entry, EntryKind};

pub(crate) struct UndeclaredRequire;

static INFO: RuleInfo = RuleInfo {
    name: "undeclared_require",
    code: "R0202",
    severity: Severity::Error,
    style: false,
    summary: "require of a module the entry does not declare in `modules:` or `imports:`",
};

impl Rule for UndeclaredRequire {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn call(&self, call: &FunctionCall, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        let entries = cx.file.entries;
        if entries.is_empty() || !cx.is_global("require") {
            return;
        }
        let Some(module) = require_call(call) else { return };
        if ALWAYS_REQUIRABLE.contains(&module) {
            return;
        }
        let lacking: Vec<&Entry> = entries.iter().copied().filter(|e| !declares(e, module)).collect();
        if lacking.is_empty() || (cx.depth > 0 && lacking.len() < entries.len()) {
            return;
        }
        let Some(span) = span_of_node(call) else { return };
        let field = if MODULES.contains(&module) { "modules:" } else { "imports:" };
        for entry in lacking {
            let message = format!("module `{module}` is not declared by entry {}", entry.id);
            let help = if field == "modules:" {
                format!("add `{module}` to `modules:` of {} ({})", entry.id, entry.location)
            } else {
                format!(
                    "add `{module}: <namespace:entry>` to `imports:` of {} ({}), naming the library entry to load",
                    entry.id, entry.location
                )
            };
            out.push(INFO.at(cx, span, message).with_help(help).with_entry(entry.id.to_string()));
            if cx.depth > 0 {
                break;
            }
        }
    }
}

fn declares(entry: &Entry, module: &str) -> bool {
    let EntryKind::Lua(lua) = &entry.kind else { return true };
    lua.modules.iter().any(|m| m == module) || lua.imports.iter().any(|(alias, _)| alias == module)
}
