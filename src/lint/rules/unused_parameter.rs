//! `unused_parameter` (W0002): a function parameter that the body never reads.

use super::prelude::*;
use super::unused_variable::unread;

pub(crate) struct UnusedParameter;

static INFO: RuleInfo = RuleInfo {
    name: "unused_parameter",
    code: "W0002",
    severity: Severity::Warning,
    style: true,
    summary: "a function parameter is never read",
};

impl Rule for UnusedParameter {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn finish(&self, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        for v in unread(cx, &[VarKind::Parameter]) {
            let help = format!("remove it, or rename it `_{}` if the position must stay", v.name);
            out.push(INFO.at(cx, v.at, format!("parameter `{}` is never read", v.name)).with_help(help));
        }
    }
}
