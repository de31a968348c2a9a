//! `unreachable_code` (W0008): statements after something that never falls through: `return`,
//! `break`, `goto`, a call of the global `error`, or a `do` block / `if`-with-`else` all of whose
//! branches end that way. A label after such a statement is reachable (by `goto`), and so is what
//! follows it.

use full_moon::ast::{Call, LastStmt, Prefix, Stmt, Suffix};

use super::prelude::*;

pub(crate) struct UnreachableCode;

static INFO: RuleInfo = RuleInfo {
    name: "unreachable_code",
    code: "W0008",
    severity: Severity::Warning,
    style: true,
    summary: "code after return, break, goto or error() never runs",
};

impl Rule for UnreachableCode {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn block(&self, block: &Block, _site: &BlockSite<'_>, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        let stmts: Vec<&Stmt> = block.stmts().collect();
        let Some(end) = stmts.iter().position(|s| ends(s, cx)) else { return };
        let first = match stmts.get(end + 1) {
            Some(Stmt::Label(_)) => return,
            Some(s) => span_of_node(*s),
            None => block.last_stmt().and_then(span_of_node),
        };
        let Some(span) = first else { return };
        let after = span_of_node(stmts[end]).map_or(0, |s| s.start.line);
        let message = "unreachable code: the statement before it never falls through".to_string();
        let help = format!("remove it, or the statement on line {after} that ends the block early");
        out.push(INFO.at(cx, span, message).with_help(help));
    }
}

/// Whether control never goes past `stmt`.
fn ends(stmt: &Stmt, cx: &Cx<'_>) -> bool {
    match stmt {
        Stmt::Goto(_) => true,
        Stmt::Do(d) => block_ends(d.block(), cx),
        Stmt::If(i) => {
            i.else_block().is_some_and(|b| block_ends(b, cx))
                && block_ends(i.block(), cx)
                && i.else_if().is_none_or(|v| v.iter().all(|e| block_ends(e.block(), cx)))
        }
        Stmt::FunctionCall(call) => {
            let Prefix::Name(name) = call.prefix() else { return false };
            let mut suffixes = call.suffixes();
            name_of(name) == "error"
                && cx.read_as_global(name)
                && matches!((suffixes.next(), suffixes.next()), (Some(Suffix::Call(Call::AnonymousCall(_))), None))
        }
        _ => false,
    }
}

/// Whether control never reaches the end of `block`: it returns or breaks, or a statement that
/// never falls through is not followed by a label.
fn block_ends(block: &Block, cx: &Cx<'_>) -> bool {
    if matches!(block.last_stmt(), Some(LastStmt::Return(_)) | Some(LastStmt::Break(_))) {
        return true;
    }
    let mut ended = false;
    for s in block.stmts() {
        if matches!(s, Stmt::Label(_)) {
            ended = false;
        } else if !ended && ends(s, cx) {
            ended = true;
        }
    }
    ended
}
