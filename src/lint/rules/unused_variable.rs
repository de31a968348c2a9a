//! `unused_variable` (W0001): a local variable, local function or loop variable that is never read.

use super::prelude::*;

pub(crate) struct UnusedVariable;

static INFO: RuleInfo = RuleInfo {
    name: "unused_variable",
    code: "W0001",
    severity: Severity::Warning,
    style: true,
    summary: "a local variable, local function or loop variable is never read",
};

impl Rule for UnusedVariable {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn finish(&self, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        for v in unread(cx, &[VarKind::Local, VarKind::LocalFunction, VarKind::LoopVariable]) {
            let (message, help) = match v.kind {
                VarKind::LocalFunction => {
                    (format!("local function `{}` is never used", v.name), "remove it if it is not needed")
                }
                VarKind::LoopVariable => (
                    format!("loop variable `{}` is never read", v.name),
                    "name it `_` if only the other loop variables are needed",
                ),
                _ => (
                    format!("variable `{}` is never read", v.name),
                    "remove it, or start its name with `_` if it must stay",
                ),
            };
            out.push(INFO.at(cx, v.at, message).with_help(help));
        }
    }
}

/// The variables of `kinds` that nothing reads, skipping `_`-names and names used in types.
pub(crate) fn unread<'c, 'a>(cx: &'c Cx<'a>, kinds: &'c [VarKind]) -> impl Iterator<Item = &'c Variable<'a>> + 'c {
    cx.vars.iter().filter(move |v| {
        v.reads == 0 && kinds.contains(&v.kind) && !v.name.starts_with('_') && !cx.types.referenced.contains(v.name)
    })
}
