//! `unused_import` (W0003): `local x = require("m")` where `x` is never read.

use super::prelude::*;
use super::unused_variable::unread;

pub(crate) struct UnusedImport;

static INFO: RuleInfo = RuleInfo {
    name: "unused_import",
    code: "W0003",
    severity: Severity::Warning,
    style: true,
    summary: "a module is required into a local that is never read",
};

impl Rule for UnusedImport {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn finish(&self, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        for v in unread(cx, &[VarKind::Import]) {
            let module = v.module.unwrap_or(v.name);
            let message = format!("module `{module}` is required into `{}`, which is never read", v.name);
            out.push(INFO.at(cx, v.at, message).with_help("remove the `require`"));
        }
    }
}
