//! Every Lua rule, one per file; `ALL` is the list the walk runs.

mod empty_block;
mod global_assignment;
mod method_not_exported;
mod self_comparison;
mod shadowing;
mod undeclared_require;
mod undefined_global;
mod unreachable_code;
mod unused_import;
mod unused_parameter;
mod unused_variable;
mod wrong_arity;

use super::rule::Rule;

/// What every rule file needs.
mod prelude {
    pub(crate) use full_moon::ast::{Block, Expression, FunctionCall, Var};

    pub(crate) use crate::diagnostic::{Diagnostic, Severity};
    pub(crate) use crate::lint::rule::{BlockKind, BlockSite, Rule, RuleInfo};
    pub(crate) use crate::lint::scope::{name_of, span_of_node, Cx, Span, VarKind, Variable};
}

/// All rules, in code order.
pub(crate) static ALL: &[&dyn Rule] = &[
    &unused_variable::UnusedVariable,
    &unused_parameter::UnusedParameter,
    &unused_import::UnusedImport,
    &global_assignment::GlobalAssignment,
    &shadowing::Shadowing,
    &empty_block::EmptyBlock,
    &self_comparison::SelfComparison,
    &unreachable_code::UnreachableCode,
    &undefined_global::UndefinedGlobal,
    &wrong_arity::WrongArity,
    &method_not_exported::MethodNotExported,
    &undeclared_require::UndeclaredRequire,
    &crate::lint::typecheck::TypeCheck,
];
