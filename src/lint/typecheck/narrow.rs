//! Flow-sensitive narrowing: what a condition tells about local names when it is true or false,
//! and how a refinement changes a type.
//!
//! Understood: `x`, `not x`, `x ~= nil`, `x == nil`, `nil ~= x`, `type(x) == "table"` (and `~=`,
//! any type name), `a and b` (true: both), `a or b` (false: both), parentheses. Only plain names
//! and field paths of names (`x.a.b`) are narrowed.

use full_moon::ast::{BinOp, Expression, FunctionArgs, Prefix, Suffix, UnOp, Var};
use full_moon::ast::{Call, FunctionCall};
use full_moon::tokenizer::TokenType;

use crate::lint::scope::name_of;
use crate::typed::types::{union, Type};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refine {
    /// Neither nil nor false.
    Truthy,
    /// nil or false.
    Falsy,
    NonNil,
    Nil,
    /// `type(x) == name`.
    Is(String),
    IsNot(String),
}

/// The refinements `cond` implies when it evaluates to `truth`.
pub(crate) fn refinements(cond: &Expression, truth: bool) -> Vec<(String, Refine)> {
    let mut out = Vec::new();
    collect(cond, truth, &mut out);
    out
}

fn collect(cond: &Expression, truth: bool, out: &mut Vec<(String, Refine)>) {
    match cond {
        Expression::Parentheses { expression, .. } => collect(expression, truth, out),
        Expression::Var(var) => {
            if let Some(path) = path_of(var) {
                out.push((path, if truth { Refine::Truthy } else { Refine::Falsy }));
            }
        }
        Expression::UnaryOperator { unop: UnOp::Not(_), expression } => collect(expression, !truth, out),
        Expression::BinaryOperator { lhs, binop, rhs } => match binop {
            BinOp::And(_) if truth => {
                collect(lhs, true, out);
                collect(rhs, true, out);
            }
            BinOp::Or(_) if !truth => {
                collect(lhs, false, out);
                collect(rhs, false, out);
            }
            BinOp::TildeEqual(_) | BinOp::TwoEqual(_) => {
                let equal = matches!(binop, BinOp::TwoEqual(_)) == truth;
                if let Some(name) = nil_comparison(lhs, rhs).or_else(|| nil_comparison(rhs, lhs)) {
                    out.push((name, if equal { Refine::Nil } else { Refine::NonNil }));
                } else if let Some((name, kind)) = type_test(lhs, rhs).or_else(|| type_test(rhs, lhs)) {
                    out.push((name, if equal { Refine::Is(kind) } else { Refine::IsNot(kind) }));
                }
            }
            _ => {}
        },
        _ => {}
    }
}

/// `x` compared with `nil`: the name.
fn nil_comparison(a: &Expression, b: &Expression) -> Option<String> {
    let Expression::Var(var) = a else { return None };
    let Expression::Symbol(s) = b else { return None };
    if s.token().to_string() != "nil" {
        return None;
    }
    path_of(var)
}

/// `x` or `x.a.b` (names and dots only) as a dotted path.
pub(crate) fn path_of(var: &Var) -> Option<String> {
    match var {
        Var::Name(n) => Some(name_of(n).to_string()),
        Var::Expression(ve) => {
            let Prefix::Name(root) = ve.prefix() else { return None };
            let mut path = name_of(root).to_string();
            for s in ve.suffixes() {
                let Suffix::Index(full_moon::ast::Index::Dot { name, .. }) = s else { return None };
                path.push('.');
                path.push_str(name_of(name));
            }
            Some(path)
        }
        _ => None,
    }
}

/// `type(x)` compared with a string literal: the name and the type name.
fn type_test(a: &Expression, b: &Expression) -> Option<(String, String)> {
    let Expression::FunctionCall(call) = a else { return None };
    let arg = type_call_argument(call)?;
    let Expression::String(s) = b else { return None };
    let TokenType::StringLiteral { literal, .. } = s.token().token_type() else { return None };
    Some((arg, literal.to_string()))
}

fn type_call_argument(call: &FunctionCall) -> Option<String> {
    let Prefix::Name(f) = call.prefix() else { return None };
    if name_of(f) != "type" {
        return None;
    }
    let mut suffixes = call.suffixes();
    let Some(Suffix::Call(Call::AnonymousCall(args))) = suffixes.next() else { return None };
    if suffixes.next().is_some() {
        return None;
    }
    let FunctionArgs::Parentheses { arguments, .. } = &**args else { return None };
    match arguments.iter().next() {
        Some(Expression::Var(Var::Name(n))) if arguments.len() == 1 => Some(name_of(n).to_string()),
        _ => None,
    }
}

/// `ty` once `refine` is known to hold.
pub(crate) fn apply(ty: &Type, refine: &Refine) -> Type {
    match refine {
        Refine::Truthy | Refine::NonNil => ty.without_nil(),
        Refine::Falsy | Refine::Nil if ty.is_any() => ty.clone(),
        Refine::Falsy => Type::Optional(Box::new(Type::Literal(crate::typed::types::Literal::Boolean(false)))),
        Refine::Nil => Type::Nil,
        Refine::Is(kind) => filter(ty, |v| lua_type(v).is_none_or(|k| k == kind)),
        Refine::IsNot(kind) => filter(ty, |v| lua_type(v) != Some(kind.as_str())),
    }
}

fn filter(ty: &Type, keep: impl Fn(&Type) -> bool) -> Type {
    if ty.is_any() {
        return ty.clone();
    }
    let variants: Vec<Type> = match ty {
        Type::Union(vs) => vs.clone(),
        Type::Optional(inner) => vec![(**inner).clone(), Type::Nil],
        t => vec![t.clone()],
    };
    union(variants.into_iter().filter(|v| keep(v)).collect())
}

/// What Lua's `type()` returns for values of `ty`, when that is one name.
fn lua_type(ty: &Type) -> Option<&'static str> {
    Some(match ty {
        Type::Nil => "nil",
        Type::Boolean => "boolean",
        Type::Number | Type::Integer => "number",
        Type::String => "string",
        Type::Table | Type::Array(_) | Type::Map(..) | Type::Record(_) => "table",
        Type::AnyFunction | Type::Function(_) => "function",
        Type::Literal(crate::typed::types::Literal::String(_)) => "string",
        Type::Literal(crate::typed::types::Literal::Number(_)) => "number",
        Type::Literal(crate::typed::types::Literal::Boolean(_)) => "boolean",
        Type::Validated(inner, _) => return lua_type(inner),
        _ => return None,
    })
}
