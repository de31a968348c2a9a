//! `shadowing` (W0005): a local declared while another of the same name is visible, which it
//! hides for the rest of the scope.

use super::prelude::*;

pub(crate) struct Shadowing;

static INFO: RuleInfo = RuleInfo {
    name: "shadowing",
    code: "W0005",
    severity: Severity::Warning,
    style: true,
    summary: "a local hides another local or parameter of the same name",
};

impl Rule for Shadowing {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn finish(&self, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        for v in &cx.vars {
            let Some(hidden) = v.shadows.map(|id| &cx.vars[id]) else { continue };
            if v.name.starts_with('_') || v.kind == VarKind::ImplicitSelf || hidden.kind == VarKind::ImplicitSelf {
                continue;
            }
            let message =
                format!("`{}` shadows the {} declared on line {}", v.name, describe(hidden.kind), hidden.at.start.line);
            out.push(INFO.at(cx, v.at, message).with_help("rename one of them, or assign to the existing one"));
        }
    }
}

fn describe(kind: VarKind) -> &'static str {
    match kind {
        VarKind::Parameter => "parameter",
        VarKind::LocalFunction => "local function",
        VarKind::LoopVariable => "loop variable",
        _ => "local",
    }
}
