//! `undefined_global` (W0009): reading a global that neither the runtime (lua-api.md, or Lua 5.4
//! for plain files), nor this file (by assigning it), nor a `type` declaration, nor the project's
//! `check.globals` defines. At run time it is `nil`.

use rustc_hash::FxHashSet;

use super::prelude::*;
use crate::lint::globals::MODULES;
use crate::lint::suggest::closest;

pub(crate) struct UndefinedGlobal;

static INFO: RuleInfo = RuleInfo {
    name: "undefined_global",
    code: "W0009",
    severity: Severity::Warning,
    style: true,
    summary: "a global that nothing defines is read",
};

impl Rule for UndefinedGlobal {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn finish(&self, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        let assigned: FxHashSet<&str> = cx.globals.iter().filter(|g| g.write).map(|g| g.name).collect();
        for g in cx.globals.iter().filter(|g| !g.write) {
            if cx.file.known.contains(g.name) || assigned.contains(g.name) || cx.types.declared.contains(g.name) {
                continue;
            }
            let help = if MODULES.contains(&g.name) {
                format!(
                    "`{0}` is a module: `local {0} = require(\"{0}\")`, with `{0}` in the entry's `modules:`",
                    g.name
                )
            } else if let Some(near) = closest(g.name, cx.file.known.names()) {
                format!("did you mean `{near}`?")
            } else {
                "declare it as a local, or list it in `check.globals` of .wippy.yaml if the runtime provides it"
                    .to_string()
            };
            out.push(INFO.at(cx, g.at, format!("undefined global `{}`", g.name)).with_help(help));
        }
    }
}
