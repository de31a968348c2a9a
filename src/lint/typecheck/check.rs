//! The checker's walk: scopes of typed locals, the type of each expression, and the reports.
//!
//! A local's type is its annotation, else the type of its initial value (`local u = find(id)` is
//! `User?` when `find` says so), else `any`. Assignments are checked against annotations only.
//! Narrowing (`narrow`) shadows a local in a scope: inside a branch, or for the rest of a block
//! after an `if` whose body always leaves (`return`, `error(...)`, `break`, `goto`). After
//! `local v, err = f()` where `f` returns `(T?, error?)`, leaving when `err` is set also narrows `v`
//! to `T` (the `return nil, err` idiom).
//!
//! Generic functions are instantiated per call: a parameter typed by a name the file does not
//! declare (`function id<T>(x: T): T`) binds that name to the argument's type, and the result
//! types are read with the binding.

use std::path::Path;

use full_moon::ast::{
    Ast, BinOp, Block, Call, Expression, Field, FunctionArgs, FunctionBody, FunctionCall, Index, LastStmt, Parameter,
    Prefix, Stmt, Suffix, UnOp, Var,
};
use full_moon::node::Node;
use full_moon::tokenizer::{TokenReference, TokenType};
use rustc_hash::FxHashMap;

use super::narrow::{self, Refine};
use crate::diagnostic::{Diagnostic, Location};
use crate::lint::scope::{name_of, span_of_node, Span};
use crate::typed::declared::Declared;
use crate::typed::subtype::is_subtype;
use crate::typed::types::{union, FunctionType, Literal, Type};

#[derive(Clone, Debug)]
struct Local {
    /// The annotation, which assignments must respect.
    declared: Option<Type>,
    /// What the local holds here (narrowed).
    ty: Type,
    /// For an error local `err` of `local v, err = f()`: `v`, narrowed to non-nil when `err` is nil.
    companion: Option<String>,
}

pub(crate) struct Checker<'a> {
    declared: &'a Declared,
    source: &'a [u8],
    file: &'a Path,
    modules: &'a FxHashMap<String, Type>,
    scopes: Vec<FxHashMap<String, Local>>,
    /// Typed functions stored in tables of the file (`function M.f(x: T)`), by dotted path.
    members: FxHashMap<String, Type>,
    /// Declared return types of the functions being walked, innermost last.
    returns: Vec<Option<Vec<Type>>>,
    out: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(
        declared: &'a Declared,
        source: &'a str,
        file: &'a Path,
        modules: &'a FxHashMap<String, Type>,
    ) -> Self {
        Checker {
            declared,
            source: source.as_bytes(),
            file,
            modules,
            scopes: vec![FxHashMap::default()],
            members: FxHashMap::default(),
            returns: vec![None],
            out: Vec::new(),
        }
    }

    pub(crate) fn run(mut self, ast: &Ast) -> Vec<Diagnostic> {
        self.block(ast.nodes());
        self.out
    }

    fn report(&mut self, code: &'static str, node: &impl Node, message: String) {
        let Some(span) = span_of_node(node) else { return };
        self.report_at(code, span, message);
    }

    fn report_at(&mut self, code: &'static str, span: Span, message: String) {
        let location = Location::new(self.file, span.start.line, span.start.col);
        let d = Diagnostic::error(code, location, message).with_end(span.end.line, span.end.col);
        self.out.push(d);
    }

    /// A type as messages show it: by its declared name when it is a declared type (or one made
    /// optional), written out otherwise.
    fn show(&self, ty: &Type) -> String {
        let named = |t: &Type| self.declared.declarations.iter().find(|d| d.params.is_empty() && d.ty == *t);
        if let Some(d) = named(ty) {
            return d.name.clone();
        }
        if let Type::Optional(inner) = ty {
            if let Some(d) = named(inner) {
                return format!("{}?", d.name);
            }
        }
        ty.to_string()
    }

    // ----- positions: where the front end's types are -----

    /// The first non-blank byte at or after `at` in the source.
    fn skip_blanks(&self, mut at: usize) -> usize {
        while at < self.source.len() && self.source[at].is_ascii_whitespace() {
            at += 1;
        }
        at
    }

    /// The annotation right after a token (a name, `...`, or the `)` of a parameter list).
    fn annotation_after(&self, token: &TokenReference) -> Option<&'a Vec<Type>> {
        let end = token.token().end_position().bytes();
        self.declared.annotations.get(&self.skip_blanks(end))
    }

    fn annotated(&self, token: &TokenReference) -> Option<Type> {
        self.annotation_after(token).and_then(|ts| ts.first().cloned())
    }

    fn end_of(node: &impl Node) -> Option<usize> {
        node.tokens().last().map(|t| t.token().end_position().bytes())
    }

    /// A cast or `!` written right after `node` changes its type.
    fn postfix(&self, node: &impl Node, ty: Type) -> Type {
        let Some(end) = Self::end_of(node) else { return ty };
        if self.declared.non_nil.contains(&end) {
            return self.postfix_cast(end + 1, ty.without_nil());
        }
        self.postfix_cast(end, ty)
    }

    fn postfix_cast(&self, end: usize, ty: Type) -> Type {
        match self.declared.casts.get(&self.skip_blanks(end)) {
            Some(cast) => cast.clone(),
            None => ty,
        }
    }

    // ----- scopes -----

    fn lookup(&self, name: &str) -> Option<&Local> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn define(&mut self, name: &str, local: Local) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_string(), local);
        }
    }

    fn refine(&mut self, refinements: &[(String, Refine)]) {
        for (name, refine) in refinements {
            let local = match self.lookup(name).cloned() {
                Some(local) => local,
                None => match self.path_type(name) {
                    Some(ty) => Local { declared: None, ty, companion: None },
                    None => continue,
                },
            };
            let ty = narrow::apply(&local.ty, refine);
            if matches!(refine, Refine::Falsy | Refine::Nil) {
                if let Some(companion) = &local.companion {
                    if let Some(c) = self.lookup(companion).cloned() {
                        let ty = c.ty.without_nil();
                        self.define(companion, Local { ty, ..c });
                    }
                }
            }
            self.define(name, Local { ty, ..local });
        }
    }

    /// The type of a dotted path `x.a.b` of a local, read without reports.
    fn path_type(&self, path: &str) -> Option<Type> {
        let mut parts = path.split('.');
        let mut ty = self.lookup(parts.next()?)?.ty.clone();
        for part in parts {
            let field = ty.without_nil().field(part).map(|f| (f.optional, f.ty.clone()))?;
            ty = if field.0 { Type::Optional(Box::new(field.1)) } else { field.1 };
        }
        Some(ty)
    }

    fn scoped(&mut self, refinements: &[(String, Refine)], f: impl FnOnce(&mut Self)) {
        self.scopes.push(FxHashMap::default());
        self.refine(refinements);
        f(self);
        self.scopes.pop();
    }

    // ----- statements -----

    fn block(&mut self, block: &Block) {
        for stmt in block.stmts() {
            self.stmt(stmt);
        }
        if let Some(LastStmt::Return(r)) = block.last_stmt() {
            let values: Vec<&Expression> = r.returns().iter().collect();
            let types: Vec<Type> = values.iter().map(|e| self.expr(e)).collect();
            if let Some(Some(expected)) = self.returns.last().cloned() {
                for ((e, got), want) in values.iter().zip(&types).zip(&expected) {
                    if !fits(got, want) {
                        self.report(
                            "E0007",
                            *e,
                            format!("returns {} where the function declares {}", self.show(got), self.show(want)),
                        );
                    }
                }
            }
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::LocalAssignment(la) => {
                let values: Vec<&Expression> = la.expressions().iter().collect();
                let types = self.expr_list(&values);
                let names: Vec<&TokenReference> = la.names().iter().collect();
                let mut bound = Vec::new();
                for (i, name) in names.iter().enumerate() {
                    let declared = self.annotated(name);
                    let value_ty = types.get(i).cloned().unwrap_or(Type::Any);
                    if let (Some(want), Some(e)) = (&declared, values.get(i)) {
                        self.check_value(e, &value_ty, want, "E0001");
                    }
                    let ty = declared.clone().unwrap_or_else(|| widen(value_ty));
                    bound.push((name_of(name).to_string(), Local { declared, ty, companion: None }));
                }
                // `local v, err = f()`: `err` set means `v` is the failure.
                if bound.len() == 2 && matches!(values.as_slice(), [Expression::FunctionCall(_)]) {
                    let is_error = matches!(bound[1].1.ty.without_nil(), Type::Error);
                    if is_error {
                        bound[1].1.companion = Some(bound[0].0.clone());
                    }
                }
                for (name, local) in bound {
                    self.define(&name, local);
                }
            }
            Stmt::Assignment(a) => {
                let values: Vec<&Expression> = a.expressions().iter().collect();
                let types = self.expr_list(&values);
                for (i, var) in a.variables().iter().enumerate() {
                    let got = types.get(i).cloned().unwrap_or(Type::Any);
                    self.assign(var, values.get(i).copied(), got);
                }
            }
            Stmt::FunctionCall(call) => {
                self.call(call);
            }
            Stmt::LocalFunction(f) => {
                let name = name_of(f.name()).to_string();
                let ty = self.signature(f.body());
                self.define(&name, Local { declared: None, ty, companion: None });
                self.function_body(f.body());
            }
            Stmt::FunctionDeclaration(f) => {
                let ty = self.signature(f.body());
                let names: Vec<&str> = f.name().names().iter().map(name_of).collect();
                if f.name().method_name().is_none() {
                    if let [single] = names.as_slice() {
                        if self.lookup(single).is_none() {
                            self.scopes[0].insert(single.to_string(), Local { declared: None, ty, companion: None });
                        }
                    } else {
                        self.members.insert(names.join("."), ty);
                    }
                }
                self.function_body(f.body());
            }
            Stmt::If(i) => self.if_stmt(i),
            Stmt::While(w) => {
                self.expr(w.condition());
                let refinements = narrow::refinements(w.condition(), true);
                self.scoped(&refinements, |c| c.block(w.block()));
            }
            Stmt::Repeat(r) => {
                self.scopes.push(FxHashMap::default());
                self.block(r.block());
                self.expr(r.until());
                self.scopes.pop();
            }
            Stmt::Do(d) => self.scoped(&[], |c| c.block(d.block())),
            Stmt::NumericFor(f) => {
                self.expr(f.start());
                self.expr(f.end());
                if let Some(step) = f.step() {
                    self.expr(step);
                }
                let var = name_of(f.index_variable()).to_string();
                self.scoped(&[], |c| {
                    c.define(&var, Local { declared: None, ty: Type::Number, companion: None });
                    c.block(f.block());
                });
            }
            Stmt::GenericFor(f) => {
                let mut element = Vec::new();
                for (k, e) in f.expressions().iter().enumerate() {
                    match iterated(e).filter(|_| k == 0) {
                        Some((pairs, over)) => {
                            let ty = self.expr(over);
                            element = match (pairs, strip(&ty)) {
                                (false, Type::Array(elem)) => vec![Type::Integer, (**elem).clone()],
                                (true, Type::Map(key, val)) => vec![(**key).clone(), (**val).clone()],
                                _ => vec![],
                            };
                        }
                        None => {
                            self.expr(e);
                        }
                    }
                }
                let names: Vec<(String, Type)> = f
                    .names()
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        let ty = self.annotated(n).unwrap_or_else(|| element.get(i).cloned().unwrap_or(Type::Any));
                        (name_of(n).to_string(), ty)
                    })
                    .collect();
                self.scoped(&[], |c| {
                    for (n, ty) in names {
                        c.define(&n, Local { declared: None, ty, companion: None });
                    }
                    c.block(f.block());
                });
            }
            _ => {}
        }
    }

    fn if_stmt(&mut self, i: &full_moon::ast::If) {
        self.expr(i.condition());
        // Every condition so far was false in the next branch.
        let mut falses = narrow::refinements(i.condition(), false);
        let then = narrow::refinements(i.condition(), true);
        self.scoped(&then, |c| c.block(i.block()));
        let mut all_leave = leaves(i.block());
        for branch in i.else_if().into_iter().flatten() {
            let before = falses.clone();
            self.scoped(&before, |c| {
                c.expr(branch.condition());
                let mut inside = narrow::refinements(branch.condition(), true);
                inside.splice(0..0, before.iter().cloned());
                c.scoped(&inside, |c| c.block(branch.block()));
            });
            all_leave &= leaves(branch.block());
            falses.extend(narrow::refinements(branch.condition(), false));
        }
        match i.else_block() {
            Some(block) => {
                self.scoped(&falses, |c| c.block(block));
            }
            None if all_leave => {
                // The rest of the block runs only when every condition was false.
                self.refine(&falses);
            }
            None => {}
        }
    }

    /// A function value's type from its annotations.
    fn signature(&self, body: &FunctionBody) -> Type {
        let mut params = Vec::new();
        let mut variadic = None;
        let mut typed = false;
        for p in body.parameters() {
            match p {
                Parameter::Name(n) => {
                    let t = self.annotated(n);
                    typed |= t.is_some();
                    params.push(t.unwrap_or(Type::Any));
                }
                Parameter::Ellipsis(e) => {
                    let t = self.annotated(e);
                    typed |= t.is_some();
                    variadic = Some(Box::new(t.unwrap_or(Type::Any)));
                }
                _ => {}
            }
        }
        let (_, close) = body.parameters_parentheses().tokens();
        let returns = self.annotation_after(close).cloned();
        typed |= returns.is_some();
        if !typed {
            return Type::Any;
        }
        Type::Function(FunctionType { params, variadic, returns: returns.unwrap_or_else(|| vec![Type::Any]) })
    }

    fn function_body(&mut self, body: &FunctionBody) {
        let (_, close) = body.parameters_parentheses().tokens();
        let returns = self.annotation_after(close).cloned();
        self.scopes.push(FxHashMap::default());
        for p in body.parameters() {
            if let Parameter::Name(n) = p {
                let declared = self.annotated(n);
                let ty = declared.clone().unwrap_or(Type::Any);
                self.define(name_of(n), Local { declared, ty, companion: None });
            }
        }
        self.returns.push(returns);
        self.block(body.block());
        self.returns.pop();
        self.scopes.pop();
    }

    fn assign(&mut self, var: &Var, value: Option<&Expression>, got: Type) {
        match var {
            Var::Name(n) => {
                let Some(local) = self.lookup(name_of(n)).cloned() else { return };
                if let Some(want) = &local.declared {
                    if let Some(e) = value {
                        self.check_value(e, &got, want, "E0001");
                    }
                    let ty = if fits(&got, want) && !got.is_any() { got } else { want.clone() };
                    self.define(name_of(n), Local { ty, ..local });
                } else {
                    self.define(name_of(n), Local { ty: Type::Any, ..local });
                }
            }
            Var::Expression(ve) => {
                // The target's own path is read (field existence, nil), then the last field's type.
                let mut ty = self.prefix(ve.prefix());
                let suffixes: Vec<&Suffix> = ve.suffixes().collect();
                for (k, s) in suffixes.iter().enumerate() {
                    let last = k + 1 == suffixes.len();
                    if last {
                        if let Suffix::Index(Index::Dot { name, .. }) = s {
                            if let Some(want) = self.field(&ty, name, true) {
                                if let Some(e) = value {
                                    self.check_value(e, &got, &want, "E0001");
                                }
                            }
                            return;
                        }
                        if let Suffix::Index(Index::Brackets { expression, .. }) = s {
                            self.expr(expression);
                        }
                        return;
                    }
                    ty = self.suffix(ty, s);
                }
            }
            _ => {}
        }
    }

    /// Reports `got` (the type of `e`) where `want` is expected, and unknown fields of a table
    /// constructor given for a record.
    fn check_value(&mut self, e: &Expression, got: &Type, want: &Type, code: &'static str) {
        if let (Expression::TableConstructor(t), Type::Record(fields)) = (e, strip(want)) {
            for field in t.fields() {
                if let Field::NameKey { key, .. } = field {
                    if !fields.iter().any(|f| f.name == name_of(key)) {
                        let message = format!("`{}` is not a field of {}", name_of(key), self.show(want));
                        self.report("E0005", key, message);
                    }
                }
            }
        }
        if !fits(got, want) {
            let message = match code {
                "E0002" => format!("argument of type {} where {} is expected", self.show(got), self.show(want)),
                _ => format!("{} is not assignable to {}", self.show(got), self.show(want)),
            };
            self.report(code, e, message);
        }
    }

    // ----- expressions -----

    /// Types of an expression list, the last one expanded when it is a call.
    fn expr_list(&mut self, values: &[&Expression]) -> Vec<Type> {
        let mut out = Vec::with_capacity(values.len());
        for (i, e) in values.iter().enumerate() {
            if i + 1 == values.len() {
                if let Expression::FunctionCall(call) = e {
                    let all = self.call(call);
                    out.extend(all);
                    continue;
                }
            }
            out.push(self.expr(e));
        }
        out
    }

    fn expr(&mut self, e: &Expression) -> Type {
        match e {
            Expression::Number(n) => {
                let text = n.token().to_string();
                let ty = match crate::typed::type_parse::number_value(&text) {
                    Some(v) => Type::Literal(Literal::number(v)),
                    None => Type::Number,
                };
                self.postfix(e, ty)
            }
            Expression::String(s) => {
                let ty = match s.token().token_type() {
                    TokenType::StringLiteral { literal, .. } => Type::Literal(Literal::String(literal.to_string())),
                    _ => Type::String,
                };
                self.postfix(e, ty)
            }
            Expression::Symbol(s) => {
                let ty = match s.token().to_string().as_str() {
                    "nil" => Type::Nil,
                    "true" => Type::Literal(Literal::Boolean(true)),
                    "false" => Type::Literal(Literal::Boolean(false)),
                    _ => Type::Any,
                };
                self.postfix(e, ty)
            }
            Expression::Parentheses { expression, .. } => {
                let inner = self.expr(expression);
                self.postfix(e, inner)
            }
            Expression::UnaryOperator { unop, expression } => {
                let inner = self.expr(expression);
                match unop {
                    UnOp::Not(_) => Type::Boolean,
                    UnOp::Hash(_) => Type::Integer,
                    UnOp::Minus(_) => match inner {
                        Type::Literal(Literal::Number(bits)) => Type::Literal(Literal::number(-f64::from_bits(bits))),
                        t if unknown(&t) => Type::Any,
                        t if is_subtype(&t, &Type::Integer) => Type::Integer,
                        _ => Type::Number,
                    },
                    _ => Type::Any,
                }
            }
            Expression::BinaryOperator { lhs, binop, rhs } => self.binary(lhs, binop, rhs),
            Expression::Function(f) => {
                let ty = self.signature(f.body());
                self.function_body(f.body());
                ty
            }
            Expression::FunctionCall(call) => {
                let first = self.call(call).into_iter().next().unwrap_or(Type::Nil);
                self.postfix(e, first)
            }
            Expression::TableConstructor(t) => {
                let mut record = Vec::new();
                let mut items = Vec::new();
                let mut keyed = false;
                for field in t.fields() {
                    match field {
                        Field::NameKey { key, value, .. } => {
                            let ty = widen(self.expr(value));
                            record.push(crate::typed::types::Field {
                                name: name_of(key).to_string(),
                                ty,
                                optional: false,
                                readonly: false,
                            });
                        }
                        Field::ExpressionKey { key, value, .. } => {
                            self.expr(key);
                            self.expr(value);
                            keyed = true;
                        }
                        Field::NoKey(value) => items.push(widen(self.expr(value))),
                        _ => keyed = true,
                    }
                }
                let ty = match (record.is_empty(), items.is_empty(), keyed) {
                    (false, true, false) => Type::Record(record),
                    (true, false, false) => Type::Array(Box::new(union(items))),
                    _ => Type::Any,
                };
                self.postfix(e, ty)
            }
            Expression::Var(var) => {
                let ty = match var {
                    Var::Name(n) => self.name(n),
                    Var::Expression(ve) => {
                        let mut ty = self.prefix(ve.prefix());
                        let mut path = match ve.prefix() {
                            Prefix::Name(n) => Some(name_of(n).to_string()),
                            _ => None,
                        };
                        for s in ve.suffixes() {
                            let member = match (&path, s) {
                                (Some(p), Suffix::Index(Index::Dot { name, .. })) => {
                                    let p = format!("{p}.{}", name_of(name));
                                    let found = self.members.get(&p).cloned();
                                    path = Some(p);
                                    found
                                }
                                _ => {
                                    path = None;
                                    None
                                }
                            };
                            ty = match member {
                                Some(m) if ty.is_any() => m,
                                _ => self.suffix(ty, s),
                            };
                            // A narrowed field path (`if spec.to then ... spec.to`).
                            if let Some(narrowed) = path.as_deref().and_then(|p| self.lookup(p)) {
                                ty = narrowed.ty.clone();
                            }
                        }
                        ty
                    }
                    _ => Type::Any,
                };
                self.postfix(e, ty)
            }
            _ => Type::Any,
        }
    }

    fn binary(&mut self, lhs: &Expression, binop: &BinOp, rhs: &Expression) -> Type {
        let left = self.expr(lhs);
        let right = match binop {
            // The right side runs only when the left is true (`and`) or false (`or`).
            BinOp::And(_) => {
                let r = narrow::refinements(lhs, true);
                let mut t = Type::Any;
                self.scoped(&r, |c| t = c.expr(rhs));
                t
            }
            BinOp::Or(_) => {
                let r = narrow::refinements(lhs, false);
                let mut t = Type::Any;
                self.scoped(&r, |c| t = c.expr(rhs));
                t
            }
            _ => self.expr(rhs),
        };
        match binop {
            BinOp::TwoDots(_) => Type::String,
            // Integers stay integers under these, as in Lua 5.4.
            BinOp::Plus(_) | BinOp::Minus(_) | BinOp::Star(_) | BinOp::Percent(_) | BinOp::DoubleSlash(_)
                if is_subtype(&left, &Type::Integer) && is_subtype(&right, &Type::Integer) =>
            {
                if unknown(&left) || unknown(&right) {
                    Type::Any
                } else {
                    Type::Integer
                }
            }
            BinOp::Plus(_)
            | BinOp::Minus(_)
            | BinOp::Star(_)
            | BinOp::Caret(_)
            | BinOp::Slash(_)
            | BinOp::Percent(_)
            | BinOp::DoubleSlash(_) => Type::Number,
            BinOp::TwoEqual(_)
            | BinOp::TildeEqual(_)
            | BinOp::LessThan(_)
            | BinOp::LessThanEqual(_)
            | BinOp::GreaterThan(_)
            | BinOp::GreaterThanEqual(_) => Type::Boolean,
            BinOp::Or(_) if !unknown(&left) && !unknown(&right) => union(vec![left.without_nil(), right]),
            BinOp::And(_) if !unknown(&left) && !unknown(&right) && !left.admits_nil() => right,
            _ => Type::Any,
        }
    }

    fn name(&self, n: &TokenReference) -> Type {
        let name = name_of(n);
        match self.lookup(name) {
            Some(local) => local.ty.clone(),
            None => self.modules.get(name).filter(|_| is_global_module(name)).cloned().unwrap_or(Type::Any),
        }
    }

    fn prefix(&mut self, p: &Prefix) -> Type {
        match p {
            Prefix::Name(n) => {
                let ty = self.name(n);
                self.postfix(n, ty)
            }
            Prefix::Expression(e) => self.expr(e),
            _ => Type::Any,
        }
    }

    /// One step of a chain: `.name`, `[k]`, `(args)`, `:m(args)`; the `!` or cast after it.
    fn suffix(&mut self, ty: Type, s: &Suffix) -> Type {
        let next = match s {
            Suffix::Index(Index::Dot { name, .. }) => self.field(&ty, name, false).unwrap_or(Type::Any),
            Suffix::Index(Index::Brackets { expression, .. }) => {
                self.expr(expression);
                if self.maybe_nil(&ty) {
                    self.report("E0004", s, format!("indexing a value that may be nil ({})", self.show(&ty)));
                }
                match strip(&ty.without_nil()) {
                    Type::Array(elem) => (**elem).clone(),
                    Type::Map(_, v) => (**v).clone(),
                    _ => Type::Any,
                }
            }
            Suffix::Call(Call::AnonymousCall(args)) => {
                self.call_with(&ty, args, s).into_iter().next().unwrap_or(Type::Nil)
            }
            Suffix::Call(Call::MethodCall(m)) => {
                let method = self.field(&ty, m.name(), true).unwrap_or(Type::Any);
                self.arg_types(m.args());
                match method {
                    Type::Function(f) => f.returns.first().cloned().unwrap_or(Type::Nil),
                    _ => Type::Any,
                }
            }
            _ => Type::Any,
        };
        self.postfix(s, next)
    }

    fn maybe_nil(&self, ty: &Type) -> bool {
        !unknown(ty) && ty.admits_nil()
    }

    /// The type of field `name` of a value of type `ty`, reporting a possibly-nil value and an
    /// unknown field of a record. `quiet_unknown`: a method call or assignment target.
    fn field(&mut self, ty: &Type, name: &TokenReference, method: bool) -> Option<Type> {
        let key = name_of(name);
        if self.maybe_nil(ty) {
            self.report("E0004", name, format!("`{key}` is read from a value that may be nil ({})", self.show(ty)));
        }
        let base = ty.without_nil();
        if unknown(&base) {
            return None;
        }
        match base.field(key) {
            Some(f) if f.optional => Some(Type::Optional(Box::new(f.ty.clone()))),
            Some(f) => Some(f.ty.clone()),
            None => {
                if let (Type::Record(_), false) = (strip(&base), method) {
                    self.report("E0005", name, format!("`{key}` is not a field of {}", self.show(&base)));
                }
                match strip(&base) {
                    Type::Map(_, v) => Some((**v).clone()),
                    _ => None,
                }
            }
        }
    }

    /// A call statement or expression: its result types.
    fn call(&mut self, call: &FunctionCall) -> Vec<Type> {
        let mut ty = self.prefix(call.prefix());
        let mut path = match call.prefix() {
            Prefix::Name(n) => Some(name_of(n).to_string()),
            _ => None,
        };
        // `require("time")` is the module's type.
        if path.as_deref() == Some("require") && self.lookup("require").is_none() {
            if let Some(module) = required_module(call) {
                if let Some(t) = self.modules.get(&module) {
                    return vec![t.clone()];
                }
            }
        }
        let suffixes: Vec<&Suffix> = call.suffixes().collect();
        let mut results = vec![Type::Any];
        for (k, s) in suffixes.iter().enumerate() {
            let last = k + 1 == suffixes.len();
            if let (Some(p), Suffix::Index(Index::Dot { name, .. })) = (&path, s) {
                let p = format!("{p}.{}", name_of(name));
                if let Some(m) = self.members.get(&p).cloned().filter(|_| ty.is_any()) {
                    ty = m;
                    path = Some(p);
                    continue;
                }
                path = Some(p);
            } else {
                path = None;
            }
            match s {
                Suffix::Call(Call::AnonymousCall(args)) if last => {
                    results = self.call_with(&ty, args, s);
                }
                Suffix::Call(Call::MethodCall(m)) if last => {
                    let method = self.field(&ty, m.name(), true).unwrap_or(Type::Any);
                    self.arg_types(m.args());
                    results = match method {
                        Type::Function(f) => f.returns.clone(),
                        _ => vec![Type::Any],
                    };
                }
                _ => ty = self.suffix(ty, s),
            }
        }
        results
    }

    /// The arguments' expressions and types; `open` when the last may expand to several values.
    fn arg_types<'e>(&mut self, args: &'e FunctionArgs) -> (Vec<Option<&'e Expression>>, Vec<Type>, bool) {
        match args {
            FunctionArgs::Parentheses { arguments, .. } => {
                let exprs: Vec<&Expression> = arguments.iter().collect();
                let open = exprs.last().is_some_and(|e| match e {
                    Expression::FunctionCall(_) => true,
                    Expression::Symbol(t) => t.token().to_string() == "...",
                    _ => false,
                });
                let types = exprs.iter().map(|e| self.expr(e)).collect();
                (exprs.into_iter().map(Some).collect(), types, open)
            }
            FunctionArgs::String(s) => {
                let ty = match s.token().token_type() {
                    TokenType::StringLiteral { literal, .. } => Type::Literal(Literal::String(literal.to_string())),
                    _ => Type::String,
                };
                (vec![None], vec![ty], false)
            }
            FunctionArgs::TableConstructor(_) => (vec![None], vec![Type::Any], false),
            _ => (vec![], vec![], true),
        }
    }

    /// Checks a call of a value of type `callee` with `args`; the result types.
    fn call_with(&mut self, callee: &Type, args: &FunctionArgs, at: &Suffix) -> Vec<Type> {
        let (exprs, types, open) = self.arg_types(args);
        if unknown(callee) {
            return vec![Type::Any];
        }
        if self.maybe_nil(callee) && !matches!(callee, Type::Nil) {
            self.report("E0004", at, format!("calling a value that may be nil ({})", self.show(callee)));
        }
        let f = match strip(&callee.without_nil()) {
            Type::Function(f) => f.clone(),
            Type::Intersection(parts) => match parts.iter().find_map(|p| match p {
                Type::Function(f) => Some(f.clone()),
                _ => None,
            }) {
                Some(f) => f,
                None => return vec![Type::Any],
            },
            t if not_callable(t) => {
                self.report(
                    "E0006",
                    at,
                    format!("calling a value of type {}, which is not a function", self.show(callee)),
                );
                return vec![Type::Any];
            }
            _ => return vec![Type::Any],
        };
        let required = f.params.iter().rposition(|p| !p.admits_nil()).map_or(0, |i| i + 1);
        let given = types.len();
        if (!open && given < required) || (f.variadic.is_none() && given > f.params.len()) {
            let takes = if required == f.params.len() {
                format!("{required}")
            } else {
                format!("{required} to {}", f.params.len())
            };
            let takes = if f.variadic.is_some() { format!("at least {required}") } else { takes };
            let s = if takes == "1" { "" } else { "s" };
            self.report("E0003", args, format!("the function takes {takes} argument{s}, {given} given"));
        }
        let mut bindings: Vec<(String, Type)> = Vec::new();
        for (i, got) in types.iter().enumerate() {
            let want = match f.params.get(i) {
                Some(p) => p,
                None => match &f.variadic {
                    Some(v) => &**v,
                    None => break,
                },
            };
            bind(want, got, &mut bindings);
            let want = &want.substitute(&bindings);
            if let Some(Some(e)) = exprs.get(i) {
                self.check_value(e, got, want, "E0002");
            } else if !fits(got, want) {
                let message = format!("argument of type {} where {} is expected", self.show(got), self.show(want));
                self.report("E0002", args, message);
            }
        }
        f.returns.iter().map(|r| r.substitute(&bindings)).collect()
    }
}

/// Binds the generic names in `want` (unresolved names without a `.`) to the parts of `got` they
/// stand for; the first binding of a name wins.
fn bind(want: &Type, got: &Type, bindings: &mut Vec<(String, Type)>) {
    match (want, strip(got)) {
        (Type::Opaque(name) | Type::Param(name), _)
            if !name.contains('.') && !unknown(got) && !bindings.iter().any(|(n, _)| n == name) =>
        {
            bindings.push((name.clone(), widen(got.clone())));
        }
        (Type::Optional(w), g) => bind(w, &g.without_nil(), bindings),
        (Type::Array(w), Type::Array(g)) => bind(w, g, bindings),
        (Type::Map(wk, wv), Type::Map(gk, gv)) => {
            bind(wk, gk, bindings);
            bind(wv, gv, bindings);
        }
        (Type::Record(wf), Type::Record(gf)) => {
            for f in wf {
                if let Some(g) = gf.iter().find(|g| g.name == f.name) {
                    bind(&f.ty, &g.ty, bindings);
                }
            }
        }
        _ => {}
    }
}

/// Whether a value of type `got` may go where `want` is expected. Literals widen.
fn fits(got: &Type, want: &Type) -> bool {
    unknown(got) || unknown(want) || is_subtype(got, want)
}

/// `any`, or a union or intersection with `any` in it: nothing is known.
fn unknown(ty: &Type) -> bool {
    match ty {
        Type::Union(vs) => vs.iter().any(unknown),
        Type::Optional(inner) => unknown(inner),
        t => t.is_any(),
    }
}

fn strip(ty: &Type) -> &Type {
    match ty {
        Type::Validated(inner, _) => strip(inner),
        t => t,
    }
}

/// A literal's base type, for what a local or a table field holds.
fn widen(ty: Type) -> Type {
    match ty {
        Type::Literal(Literal::String(_)) => Type::String,
        Type::Literal(Literal::Number(bits)) if f64::from_bits(bits).fract() == 0.0 => Type::Integer,
        Type::Literal(Literal::Number(_)) => Type::Number,
        Type::Literal(Literal::Boolean(_)) => Type::Boolean,
        t => t,
    }
}

fn not_callable(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Number | Type::Integer | Type::String | Type::Boolean | Type::Literal(_) | Type::Array(_) | Type::Nil
    )
}

/// Globals that are modules without `require`.
fn is_global_module(name: &str) -> bool {
    matches!(name, "process" | "channel" | "errors" | "payload")
}

fn required_module(call: &FunctionCall) -> Option<String> {
    let Some(Suffix::Call(Call::AnonymousCall(args))) = call.suffixes().next() else { return None };
    let literal = match &**args {
        FunctionArgs::String(s) => s,
        FunctionArgs::Parentheses { arguments, .. } => match arguments.iter().next() {
            Some(Expression::String(s)) => s,
            _ => return None,
        },
        _ => return None,
    };
    match literal.token().token_type() {
        TokenType::StringLiteral { literal, .. } => Some(literal.to_string()),
        _ => None,
    }
}

/// `ipairs(x)` (false) or `pairs(x)` (true), and `x`.
fn iterated(e: &Expression) -> Option<(bool, &Expression)> {
    let Expression::FunctionCall(call) = e else { return None };
    let Prefix::Name(f) = call.prefix() else { return None };
    let pairs = match name_of(f) {
        "ipairs" => false,
        "pairs" => true,
        _ => return None,
    };
    let mut suffixes = call.suffixes();
    let Some(Suffix::Call(Call::AnonymousCall(args))) = suffixes.next() else { return None };
    if suffixes.next().is_some() {
        return None;
    }
    let FunctionArgs::Parentheses { arguments, .. } = &**args else { return None };
    match arguments.iter().next() {
        Some(x) if arguments.len() == 1 => Some((pairs, x)),
        _ => None,
    }
}

/// Whether a block always leaves: its last statement returns, breaks, or calls `error`.
fn leaves(block: &Block) -> bool {
    if let Some(last) = block.last_stmt() {
        return matches!(last, LastStmt::Return(_) | LastStmt::Break(_));
    }
    match block.stmts().last() {
        Some(Stmt::FunctionCall(call)) => {
            matches!(call.prefix(), Prefix::Name(n) if name_of(n) == "error") && call.suffixes().count() == 1
        }
        Some(Stmt::Goto(_)) => true,
        _ => false,
    }
}
