//! `global_assignment` (W0004): assigning to a name no `local` declares, which creates or changes
//! a global (`x = 1`, `function f() end`).

use super::prelude::*;

pub(crate) struct GlobalAssignment;

static INFO: RuleInfo = RuleInfo {
    name: "global_assignment",
    code: "W0004",
    severity: Severity::Warning,
    style: true,
    summary: "assignment to a global variable",
};

impl Rule for GlobalAssignment {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn finish(&self, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        for g in cx.globals.iter().filter(|g| g.write) {
            let help = format!(
                "declare it with `local {}` (or `local function`); if a global is meant, add `-- wippy: allow(W0004)`",
                g.name
            );
            out.push(INFO.at(cx, g.at, format!("assignment to global `{}`", g.name)).with_help(help));
        }
    }
}
