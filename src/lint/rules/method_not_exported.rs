//! `method_not_exported` (R0201): an entry's `method` names a function its source does not
//! return. The exports are read from the chunk's final `return`: a table constructor
//! (`return { main = main }`), or a local table (`local M = {}` ... `function M.main() end` ...
//! `return M`) with the fields the file assigns to it. Whatever cannot be read for sure (a
//! computed key, the table passed to a function such as `setmetatable`, a returned call) makes
//! the file's exports unknown, and nothing is reported. A local table may also get fields inside
//! function bodies, which are not followed: a method whose name appears anywhere in the file's
//! text is then not reported either.
//!
//! The diagnostic points at the `method:` value in the definition file; the loader keeps only the
//! entry's start, so the value is found again in the YAML text from there.

use full_moon::ast::{Expression, Field, FunctionArgs, LastStmt, Prefix, Stmt, Suffix, Var};
use rustc_hash::FxHashSet;

use super::prelude::*;
use crate::diagnostic::Location;
use crate::lint::suggest::closest;
use crate::lint::walk::string_value;
use crate::registry::{Entry, EntryKind};

pub(crate) struct MethodNotExported;

static INFO: RuleInfo = RuleInfo {
    name: "method_not_exported",
    code: "R0201",
    severity: Severity::Error,
    style: false,
    summary: "an entry's `method` is not a field of the table its source returns",
};

enum Exports {
    /// A returned table constructor: exactly these.
    Names(FxHashSet<String>),
    /// A returned local table: these, plus perhaps fields set where the file is not followed
    /// (inside function bodies), so a method named anywhere in the text is not reported.
    Table(FxHashSet<String>),
    Nothing,
    Unknown,
}

impl Rule for MethodNotExported {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn finish(&self, cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
        let methods: Vec<(&Entry, &str)> = cx
            .file
            .entries
            .iter()
            .filter_map(|e| match &e.kind {
                EntryKind::Lua(lua) => lua.method.as_deref().map(|m| (*e, m)),
                _ => None,
            })
            .collect();
        if methods.is_empty() {
            return;
        }
        let exports = exports(cx.ast);
        for (entry, method) in methods {
            let source = cx.file.path.display();
            let (message, help) = match &exports {
                Exports::Unknown => continue,
                Exports::Names(names) | Exports::Table(names) if names.contains(method) => continue,
                Exports::Table(_) if mentions(cx.file.source, method) => continue,
                Exports::Names(names) | Exports::Table(names) => {
                    let mut sorted: Vec<&str> = names.iter().map(String::as_str).collect();
                    sorted.sort_unstable();
                    let message = format!("`method: {method}` is not exported by {source}");
                    let help = match closest(method, sorted.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`? The module returns: {}", sorted.join(", ")),
                        None if sorted.is_empty() => {
                            "the module returns an empty table; add the function to it".to_string()
                        }
                        None => format!("the module returns: {}; add `{method} = {method}` to it", sorted.join(", ")),
                    };
                    (message, help)
                }
                Exports::Nothing => (
                    format!("`method: {method}` cannot be found: {source} returns no table"),
                    format!("end the file with `return {{ {method} = {method} }}`"),
                ),
            };
            let location = method_location(entry);
            let mut d =
                Diagnostic::error(INFO.code, location.0, message).with_help(help).with_entry(entry.id.to_string());
            if let Some((line, col)) = location.1 {
                d = d.with_end(line, col);
            }
            out.push(d);
        }
    }
}

fn exports(ast: &full_moon::ast::Ast) -> Exports {
    let block = ast.nodes();
    let Some(LastStmt::Return(ret)) = block.last_stmt() else {
        // A `return` inside a top-level `do`/`if` block is not followed.
        let nested = block.stmts().any(|s| matches!(s, Stmt::Do(_) | Stmt::If(_)));
        return if nested { Exports::Unknown } else { Exports::Nothing };
    };
    let mut returned = ret.returns().iter();
    let (Some(value), None) = (returned.next(), returned.next()) else { return Exports::Unknown };
    match value {
        Expression::TableConstructor(t) => table_fields(t).map_or(Exports::Unknown, Exports::Names),
        Expression::Var(Var::Name(name)) => local_table(block, name_of(name)).map_or(Exports::Unknown, Exports::Table),
        Expression::Number(_) | Expression::String(_) | Expression::Symbol(_) => Exports::Nothing,
        _ => Exports::Unknown,
    }
}

/// Whether `name` occurs in `source` as a whole word.
fn mentions(source: &str, name: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    source.match_indices(name).any(|(at, _)| {
        let before = source[..at].chars().next_back();
        let after = source[at + name.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

fn table_fields(t: &full_moon::ast::TableConstructor) -> Option<FxHashSet<String>> {
    let mut names = FxHashSet::default();
    for field in t.fields().iter() {
        match field {
            Field::NameKey { key, .. } => {
                names.insert(name_of(key).to_string());
            }
            Field::ExpressionKey { key, .. } => match &**key {
                Expression::String(s) => {
                    names.insert(string_value(s)?.to_string());
                }
                Expression::Number(_) => {}
                _ => return None,
            },
            _ => {}
        }
    }
    Some(names)
}

/// The fields of the top-level `local NAME = {...}` and every `NAME.f = ...` / `function NAME.f`
/// / `function NAME:f` in the file; `None` when the table is built in a way not followed.
fn local_table(block: &full_moon::ast::Block, name: &str) -> Option<FxHashSet<String>> {
    let mut names = None;
    for stmt in block.stmts() {
        if let Stmt::LocalAssignment(la) = stmt {
            let position = la.names().iter().position(|n| name_of(n) == name);
            if let Some(i) = position {
                names = match la.expressions().iter().nth(i) {
                    Some(Expression::TableConstructor(t)) => Some(table_fields(t)?),
                    _ => None,
                };
            }
        }
    }
    let mut names = names?;
    collect_assigned(block, name, &mut names)?;
    Some(names)
}

/// Adds the fields assigned to `table` anywhere in `block`; `None` when the table escapes into a
/// call or gets a computed key.
fn collect_assigned(block: &full_moon::ast::Block, table: &str, names: &mut FxHashSet<String>) -> Option<()> {
    for stmt in block.stmts() {
        match stmt {
            Stmt::Assignment(a) => {
                for var in a.variables().iter() {
                    if let Var::Expression(ve) = var {
                        let Prefix::Name(root) = ve.prefix() else { continue };
                        if name_of(root) != table {
                            continue;
                        }
                        let mut suffixes = ve.suffixes();
                        match (suffixes.next(), suffixes.next()) {
                            (Some(Suffix::Index(full_moon::ast::Index::Dot { name, .. })), None) => {
                                names.insert(name_of(name).to_string());
                            }
                            (Some(Suffix::Index(full_moon::ast::Index::Brackets { expression, .. })), None) => {
                                let Expression::String(s) = &**expression else { return None };
                                names.insert(string_value(s)?.to_string());
                            }
                            _ => {}
                        }
                    }
                }
                for e in a.expressions().iter() {
                    escapes(e, table)?;
                }
            }
            Stmt::FunctionDeclaration(fd) => {
                let mut parts = fd.name().names().iter();
                if let (Some(root), Some(field), None) = (parts.next(), parts.next(), parts.next()) {
                    if name_of(root) == table && fd.name().method_name().is_none() {
                        names.insert(name_of(field).to_string());
                    }
                } else if fd.name().names().len() == 1 && name_of(fd.name().names().iter().next()?) == table {
                    if let Some(method) = fd.name().method_name() {
                        names.insert(name_of(method).to_string());
                    }
                }
            }
            Stmt::FunctionCall(call) => escapes_call(call, table)?,
            Stmt::LocalAssignment(la) => {
                for e in la.expressions().iter() {
                    escapes(e, table)?;
                }
            }
            Stmt::Do(d) => collect_assigned(d.block(), table, names)?,
            Stmt::If(i) => {
                collect_assigned(i.block(), table, names)?;
                for e in i.else_if().into_iter().flatten() {
                    collect_assigned(e.block(), table, names)?;
                }
                if let Some(b) = i.else_block() {
                    collect_assigned(b, table, names)?;
                }
            }
            Stmt::NumericFor(f) => collect_assigned(f.block(), table, names)?,
            Stmt::GenericFor(f) => collect_assigned(f.block(), table, names)?,
            Stmt::While(w) => collect_assigned(w.block(), table, names)?,
            Stmt::Repeat(r) => collect_assigned(r.block(), table, names)?,
            _ => {}
        }
    }
    Some(())
}

/// `None` when `e` is a call that takes `table` as an argument.
fn escapes(e: &Expression, table: &str) -> Option<()> {
    match e {
        Expression::FunctionCall(call) => escapes_call(call, table),
        _ => Some(()),
    }
}

fn escapes_call(call: &FunctionCall, table: &str) -> Option<()> {
    for suffix in call.suffixes() {
        let args = match suffix {
            Suffix::Call(full_moon::ast::Call::AnonymousCall(a)) => &**a,
            Suffix::Call(full_moon::ast::Call::MethodCall(m)) => m.args(),
            _ => continue,
        };
        if let FunctionArgs::Parentheses { arguments, .. } = args {
            for a in arguments.iter() {
                if matches!(a, Expression::Var(Var::Name(n)) if name_of(n) == table) {
                    return None;
                }
            }
        }
    }
    Some(())
}

/// Where `method:`'s value is in the entry's definition file: the first `method:` key at the
/// entry map's column after its start (block style), or on its first line (flow style).
fn method_location(entry: &Entry) -> (Location, Option<(u32, u32)>) {
    let fallback = (entry.location.clone(), None);
    let Ok(text) = std::fs::read_to_string(&entry.location.file) else { return fallback };
    let (first, col) = (entry.location.line as usize, entry.location.column as usize);
    for (n, line) in text.lines().enumerate().skip(first.saturating_sub(1)) {
        let line_no = n + 1;
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        if line_no > first && !body.is_empty() && !body.starts_with('#') && indent + 1 < col {
            break;
        }
        let search_from = if line_no == first {
            line.char_indices().nth(col.saturating_sub(1)).map_or(0, |(i, _)| i)
        } else {
            indent
        };
        let Some(rest) = line.get(search_from..) else { continue };
        let found = if line_no == first { rest.find("method:") } else { rest.starts_with("method:").then_some(0) };
        if let Some(at) = found {
            let after = &rest[at + "method:".len()..];
            let value = after.trim_start();
            let value_len = value.find([',', '}', '#']).unwrap_or(value.len());
            let value = value[..value_len].trim_end();
            let start_byte = search_from + at + "method:".len() + (after.len() - after.trim_start().len());
            let start_col = line[..start_byte].chars().count() as u32 + 1;
            let end_col = start_col + value.chars().count() as u32;
            let location = Location::new(entry.location.file.clone(), line_no as u32, start_col);
            return (location, Some((line_no as u32, end_col)));
        }
    }
    fallback
}
