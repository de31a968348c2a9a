//! `wrong_arity` (W0010): a known function of the runtime or of Lua's standard library called with
//! too few or too many arguments (`process.send(pid)`). A call is checked only when its root name
//! is the global (not a local of the same name) or a local holding `require("module")`; when the
//! last argument is a call or `...`, only "too many" can be known.

use full_moon::ast::{Call, FunctionArgs, Index, Prefix, Suffix};
use full_moon::tokenizer::{Symbol, TokenType};

use super::prelude::*;
use crate::lint::globals::arity;

pub(crate) struct WrongArity;

static INFO: RuleInfo = RuleInfo {
    name: "wrong_arity",
    code: "W0010",
    severity: Severity::Warning,
    style: true,
    summary: "a known runtime or standard-library function is called with a wrong number of arguments",
};

impl Rule for WrongArity {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn call(&self, call: &FunctionCall, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        let Prefix::Name(root) = call.prefix() else { return };
        let root_name = name_of(root);
        let root_path = match cx.resolve(root_name) {
            None => root_name,
            Some(v) if v.kind == VarKind::Import => match v.module {
                Some(m) => m,
                None => return,
            },
            Some(_) => return,
        };
        let mut path = root_path.to_string();
        let mut args = None;
        for suffix in call.suffixes() {
            match suffix {
                Suffix::Index(Index::Dot { name, .. }) => {
                    path.push('.');
                    path.push_str(name_of(name));
                }
                Suffix::Call(Call::AnonymousCall(a)) => {
                    args = Some(&**a);
                    break;
                }
                _ => return,
            }
        }
        let Some(args) = args else { return };
        let Some(expected) = arity(&path) else { return };
        let (given, open) = count(args);
        let too_few = !open && given < expected.min as usize;
        let too_many = expected.max.is_some_and(|max| given > max as usize);
        if !(too_few || too_many) {
            return;
        }
        let takes = match expected.max {
            Some(max) if max == expected.min => format!("{} argument{}", max, if max == 1 { "" } else { "s" }),
            Some(max) => format!("{} to {} arguments", expected.min, max),
            None => format!("at least {} argument{}", expected.min, if expected.min == 1 { "" } else { "s" }),
        };
        let given_text = if open { format!("{given} or more") } else { given.to_string() };
        let Some(span) = span_of_node(args) else { return };
        let message = format!("`{path}` takes {takes}, {given_text} given");
        out.push(INFO.at(cx, span, message).with_help("see lua-api.md for the function's arguments"));
    }
}

/// The number of arguments, and whether the last one may expand to more (a call or `...`).
fn count(args: &FunctionArgs) -> (usize, bool) {
    match args {
        FunctionArgs::Parentheses { arguments, .. } => {
            let n = arguments.len();
            let open = arguments.iter().last().is_some_and(|last| match last {
                Expression::FunctionCall(_) => true,
                Expression::Symbol(t) => {
                    matches!(t.token().token_type(), TokenType::Symbol { symbol: Symbol::Ellipsis })
                }
                _ => false,
            });
            (if open { n - 1 } else { n }, open)
        }
        _ => (1, false),
    }
}
