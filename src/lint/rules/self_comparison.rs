//! `self_comparison` (W0007): both sides of a comparison are the same expression (`a.id == a.id`,
//! `n < n`), which is always true or always false. `x ~= x` and `x == x` on a plain name are
//! left alone: they are the idiomatic NaN test.

use full_moon::ast::BinOp;
use full_moon::node::Node;
use full_moon::tokenizer::{Symbol, TokenType};

use super::prelude::*;

pub(crate) struct SelfComparison;

static INFO: RuleInfo = RuleInfo {
    name: "self_comparison",
    code: "W0007",
    severity: Severity::Warning,
    style: true,
    summary: "a value is compared with itself",
};

impl Rule for SelfComparison {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn expr(&self, expr: &Expression, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        let Expression::BinaryOperator { lhs, binop, rhs } = expr else { return };
        let equality = match binop {
            BinOp::TwoEqual(_) | BinOp::TildeEqual(_) => true,
            BinOp::LessThan(_) | BinOp::LessThanEqual(_) | BinOp::GreaterThan(_) | BinOp::GreaterThanEqual(_) => false,
            _ => return,
        };
        if equality && matches!(&**lhs, Expression::Var(Var::Name(_))) {
            return;
        }
        let (mut left, mut right) = (lhs.tokens(), rhs.tokens());
        loop {
            match (left.next(), right.next()) {
                (None, None) => break,
                (Some(a), Some(b)) if a.token_type() == b.token_type() => {
                    // A call can return something new each time.
                    if matches!(a.token_type(), TokenType::Symbol { symbol: Symbol::LeftParen }) {
                        return;
                    }
                }
                _ => return,
            }
        }
        let Some(span) = span_of_node(expr) else { return };
        let outcome = match binop {
            BinOp::TwoEqual(_) | BinOp::LessThanEqual(_) | BinOp::GreaterThanEqual(_) => "always true",
            _ => "always false",
        };
        let message = format!("`{}` is compared with itself, which is {outcome}", lhs.to_string().trim());
        out.push(INFO.at(cx, span, message).with_help("compare with the value that was meant"));
    }
}
