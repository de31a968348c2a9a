//! `empty_block` (W0006): an `if`/`elseif`/`else` branch, `do ... end` or numeric `for` body with
//! nothing in it. A comment inside counts as content (it says why the block is empty), and
//! `while`/`repeat` loops are left alone: their condition can be the work (`while poll() do end`)
//! or a deliberate spin.

use full_moon::tokenizer::TokenType;

use super::prelude::*;

pub(crate) struct EmptyBlock;

static INFO: RuleInfo = RuleInfo {
    name: "empty_block",
    code: "W0006",
    severity: Severity::Warning,
    style: true,
    summary: "an if branch, do block or for body is empty",
};

impl Rule for EmptyBlock {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn block(&self, block: &Block, site: &BlockSite<'_>, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        let what = match site.kind {
            BlockKind::Then => "`if` branch",
            BlockKind::ElseIf => "`elseif` branch",
            BlockKind::Else => "`else` branch",
            BlockKind::Do => "`do` block",
            BlockKind::NumericFor => "`for` loop body",
            _ => return,
        };
        if block.stmts().next().is_some() || block.last_stmt().is_some() {
            return;
        }
        let (Some(keyword), Some(opener), Some(closer)) = (site.keyword, site.opener, site.closer) else { return };
        let commented = opener.trailing_trivia().chain(closer.leading_trivia()).any(|t| {
            matches!(t.token_type(), TokenType::SingleLineComment { .. } | TokenType::MultiLineComment { .. })
        });
        if commented {
            return;
        }
        let span = Span::of(keyword).to(Span::of(opener));
        let help = match site.kind {
            BlockKind::Then | BlockKind::ElseIf => {
                "remove the branch or invert the condition; if it is empty on purpose, say why in a comment inside"
            }
            _ => "remove it; if it is empty on purpose, say why in a comment inside",
        };
        out.push(INFO.at(cx, span, format!("empty {what}")).with_help(help));
    }
}
