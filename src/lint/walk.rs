//! The one walk over a file's AST: scopes and name resolution, the compile-time errors Lua itself
//! raises when it loads a chunk, and the hooks through which every enabled rule sees the code.
//!
//! Names are resolved as Lua does: a `local` is visible after its statement (so `local x = x`
//! reads the outer `x`), a `local function` inside its own body, loop variables and parameters
//! in their body, `repeat ... until cond` sees the body's locals in `cond`. Each name is looked up
//! in a hash map from name to the stack of visible declarations, so the walk is linear in the
//! size of the file.
//!
//! Besides syntax, Lua's compiler rejects a chunk for `break` outside a loop, `goto` with no
//! visible label, `...` outside a vararg function and assignment to a `<const>`/`<close>` local.
//! The runtime would fail to load such a file, so they are `P0001` too.

use full_moon::ast::Ast;
use full_moon::ast::{
    Assignment, Block, Call, Expression, Field, FunctionArgs, FunctionBody, FunctionCall, Index, LastStmt,
    LocalAssignment, Parameter, Prefix, Stmt, Suffix, Var,
};
use full_moon::tokenizer::{Symbol, TokenReference, TokenType};
use rustc_hash::{FxHashMap, FxHashSet};

use super::parse::{TypeNames, SYNTAX_ERROR};
use super::rule::{BlockKind, BlockSite, Rule};
use super::scope::{name_of, span_of_node, Cx, FileUnit, GlobalUse, Span, VarId, VarKind, Variable};
use crate::diagnostic::{Diagnostic, Location};

struct FnFrame {
    vararg: bool,
    loops: u32,
    /// Index in `labels` of the function's first block: `goto` cannot leave a function.
    labels_base: usize,
}

struct Walker<'a, 'r> {
    cx: Cx<'a>,
    rules: &'r [&'r dyn Rule],
    out: Vec<Diagnostic>,
    fns: Vec<FnFrame>,
    labels: Vec<Vec<&'a str>>,
}

/// Walks `ast`, running `rules`; returns their diagnostics and the compile errors.
pub(crate) fn walk(ast: &Ast, types: &TypeNames, file: &FileUnit<'_>, rules: &[&dyn Rule]) -> Vec<Diagnostic> {
    let cx = Cx {
        file,
        ast,
        types,
        vars: Vec::new(),
        globals: Vec::new(),
        depth: 0,
        visible: FxHashMap::default(),
        scopes: Vec::new(),
        global_reads: FxHashSet::default(),
    };
    let mut w = Walker { cx, rules, out: Vec::new(), fns: Vec::new(), labels: Vec::new() };
    w.fns.push(FnFrame { vararg: true, loops: 0, labels_base: 0 });
    w.push_scope();
    let site = BlockSite { kind: BlockKind::Chunk, opener: None, closer: None, keyword: None };
    w.block(ast.nodes(), &site);
    w.pop_scope();
    for rule in w.rules {
        rule.finish(&w.cx, &mut w.out);
    }
    w.out
}

impl<'a, 'r> Walker<'a, 'r> {
    fn push_scope(&mut self) {
        self.cx.scopes.push(Vec::new());
    }

    fn pop_scope(&mut self) {
        if let Some(names) = self.cx.scopes.pop() {
            for name in names {
                if let Some(stack) = self.cx.visible.get_mut(name) {
                    stack.pop();
                }
            }
        }
    }

    fn declare(&mut self, token: &'a TokenReference, kind: VarKind) -> VarId {
        let name = name_of(token);
        let id = self.cx.vars.len();
        let shadows = self.cx.visible.get(name).and_then(|v| v.last().copied());
        self.cx.vars.push(Variable {
            name,
            kind,
            at: Span::of(token),
            reads: 0,
            module: None,
            shadows,
            constant: false,
        });
        self.cx.visible.entry(name).or_default().push(id);
        if let Some(scope) = self.cx.scopes.last_mut() {
            scope.push(name);
        }
        id
    }

    fn read(&mut self, token: &'a TokenReference) {
        let name = name_of(token);
        match self.cx.visible.get(name).and_then(|v| v.last().copied()) {
            Some(id) => self.cx.vars[id].reads += 1,
            None => {
                self.cx.global_reads.insert(token.token().start_position().bytes());
                self.cx.globals.push(GlobalUse { name, at: Span::of(token), write: false });
            }
        }
    }

    fn write(&mut self, token: &'a TokenReference) {
        let name = name_of(token);
        match self.cx.visible.get(name).and_then(|v| v.last().copied()) {
            Some(id) => {
                if self.cx.vars[id].constant {
                    self.compile_error(Span::of(token), format!("attempt to assign to const variable '{name}'"));
                }
            }
            None => self.cx.globals.push(GlobalUse { name, at: Span::of(token), write: true }),
        }
    }

    fn compile_error(&mut self, at: Span, message: String) {
        let location = Location::new(self.cx.file.path, at.start.line, at.start.col);
        self.out.push(Diagnostic::error(SYNTAX_ERROR, location, message).with_end(at.end.line, at.end.col));
    }

    /// Walks a block in the current scope (the caller opens one when Lua does).
    fn block(&mut self, block: &'a Block, site: &BlockSite<'_>) {
        let labels = block
            .stmts()
            .filter_map(|s| match s {
                Stmt::Label(l) => Some(name_of(l.name())),
                _ => None,
            })
            .collect();
        self.labels.push(labels);
        for stmt in block.stmts() {
            self.stmt(stmt);
        }
        match block.last_stmt() {
            Some(LastStmt::Return(r)) => {
                for e in r.returns().iter() {
                    self.expr(e);
                }
            }
            Some(LastStmt::Break(token)) if self.fns.last().is_some_and(|f| f.loops == 0) => {
                self.compile_error(Span::of(token), "break outside a loop".to_string());
            }
            _ => {}
        }
        self.labels.pop();
        for rule in self.rules {
            rule.block(block, site, &self.cx, &mut self.out);
        }
    }

    fn scoped_block(&mut self, block: &'a Block, site: BlockSite<'_>) {
        self.push_scope();
        self.block(block, &site);
        self.pop_scope();
    }

    fn loop_block(&mut self, block: &'a Block, site: BlockSite<'_>) {
        self.enter_loop(1);
        self.block(block, &site);
        self.enter_loop(-1);
    }

    fn enter_loop(&mut self, by: i32) {
        if let Some(f) = self.fns.last_mut() {
            f.loops = f.loops.saturating_add_signed(by);
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::LocalAssignment(la) => self.local_assignment(la),
            Stmt::Assignment(a) => self.assignment(a),
            Stmt::FunctionCall(call) => self.call(call),
            Stmt::LocalFunction(lf) => {
                self.declare(lf.name(), VarKind::LocalFunction);
                self.function_body(lf.body(), false);
            }
            Stmt::FunctionDeclaration(fd) => {
                let name = fd.name();
                let mut names = name.names().iter();
                if let Some(first) = names.next() {
                    if name.names().len() == 1 && name.method_name().is_none() {
                        self.write(first);
                    } else {
                        self.read(first);
                    }
                }
                self.function_body(fd.body(), name.method_name().is_some());
            }
            Stmt::Do(d) => {
                let site = BlockSite {
                    kind: BlockKind::Do,
                    opener: Some(d.do_token()),
                    closer: Some(d.end_token()),
                    keyword: Some(d.do_token()),
                };
                self.scoped_block(d.block(), site);
            }
            Stmt::While(w) => {
                self.expr(w.condition());
                let site = BlockSite {
                    kind: BlockKind::While,
                    opener: Some(w.do_token()),
                    closer: Some(w.end_token()),
                    keyword: Some(w.while_token()),
                };
                self.push_scope();
                self.loop_block(w.block(), site);
                self.pop_scope();
            }
            Stmt::Repeat(r) => {
                let site = BlockSite {
                    kind: BlockKind::Repeat,
                    opener: Some(r.repeat_token()),
                    closer: Some(r.until_token()),
                    keyword: Some(r.repeat_token()),
                };
                self.push_scope();
                self.loop_block(r.block(), site);
                self.expr(r.until());
                self.pop_scope();
            }
            Stmt::If(i) => {
                self.expr(i.condition());
                let first_closer = i
                    .else_if()
                    .and_then(|v| v.first())
                    .map(|e| e.else_if_token())
                    .or(i.else_token())
                    .unwrap_or(i.end_token());
                let site = BlockSite {
                    kind: BlockKind::Then,
                    opener: Some(i.then_token()),
                    closer: Some(first_closer),
                    keyword: Some(i.if_token()),
                };
                self.scoped_block(i.block(), site);
                let else_ifs = i.else_if().map(|v| v.as_slice()).unwrap_or(&[]);
                for (n, e) in else_ifs.iter().enumerate() {
                    self.expr(e.condition());
                    let closer =
                        else_ifs.get(n + 1).map(|e| e.else_if_token()).or(i.else_token()).unwrap_or(i.end_token());
                    let site = BlockSite {
                        kind: BlockKind::ElseIf,
                        opener: Some(e.then_token()),
                        closer: Some(closer),
                        keyword: Some(e.else_if_token()),
                    };
                    self.scoped_block(e.block(), site);
                }
                if let Some(b) = i.else_block() {
                    let site = BlockSite {
                        kind: BlockKind::Else,
                        opener: i.else_token(),
                        closer: Some(i.end_token()),
                        keyword: i.else_token(),
                    };
                    self.scoped_block(b, site);
                }
            }
            Stmt::NumericFor(f) => {
                self.expr(f.start());
                self.expr(f.end());
                if let Some(step) = f.step() {
                    self.expr(step);
                }
                self.push_scope();
                self.declare(f.index_variable(), VarKind::LoopVariable);
                let site = BlockSite {
                    kind: BlockKind::NumericFor,
                    opener: Some(f.do_token()),
                    closer: Some(f.end_token()),
                    keyword: Some(f.for_token()),
                };
                self.loop_block(f.block(), site);
                self.pop_scope();
            }
            Stmt::GenericFor(f) => {
                for e in f.expressions().iter() {
                    self.expr(e);
                }
                self.push_scope();
                for name in f.names().iter() {
                    self.declare(name, VarKind::LoopVariable);
                }
                let site = BlockSite {
                    kind: BlockKind::GenericFor,
                    opener: Some(f.do_token()),
                    closer: Some(f.end_token()),
                    keyword: Some(f.for_token()),
                };
                self.loop_block(f.block(), site);
                self.pop_scope();
            }
            Stmt::Goto(g) => {
                let label = name_of(g.label_name());
                let base = self.fns.last().map_or(0, |f| f.labels_base);
                if !self.labels[base..].iter().any(|block| block.contains(&label)) {
                    self.compile_error(Span::of(g.label_name()), format!("no visible label '{label}' for goto"));
                }
            }
            _ => {}
        }
    }

    fn local_assignment(&mut self, la: &'a LocalAssignment) {
        let exprs: Vec<&'a Expression> = la.expressions().iter().collect();
        for e in &exprs {
            self.expr(e);
        }
        for (i, (name, attribute)) in la.names().iter().zip(la.attributes()).enumerate() {
            let module = exprs.get(i).and_then(|e| required_module(e));
            let kind = if module.is_some() { VarKind::Import } else { VarKind::Local };
            let id = self.declare(name, kind);
            let var = &mut self.cx.vars[id];
            var.module = module;
            var.constant = attribute.is_some();
        }
    }

    fn assignment(&mut self, a: &'a Assignment) {
        for e in a.expressions().iter() {
            self.expr(e);
        }
        for var in a.variables().iter() {
            match var {
                Var::Name(token) => self.write(token),
                Var::Expression(ve) => {
                    self.prefix(ve.prefix());
                    self.suffixes(ve.suffixes());
                }
                _ => {}
            }
        }
    }

    fn function_body(&mut self, body: &'a FunctionBody, method: bool) {
        let vararg = body.parameters().iter().any(|p| matches!(p, Parameter::Ellipsis(_)));
        self.fns.push(FnFrame { vararg, loops: 0, labels_base: self.labels.len() });
        self.cx.depth += 1;
        self.push_scope();
        if method {
            let id = self.cx.vars.len();
            let at = span_of_node(body.parameters_parentheses()).unwrap_or(Span::of(body.end_token()));
            self.cx.vars.push(Variable {
                name: "self",
                kind: VarKind::ImplicitSelf,
                at,
                reads: 0,
                module: None,
                shadows: None,
                constant: false,
            });
            self.cx.visible.entry("self").or_default().push(id);
            if let Some(scope) = self.cx.scopes.last_mut() {
                scope.push("self");
            }
        }
        for p in body.parameters().iter() {
            if let Parameter::Name(token) = p {
                self.declare(token, VarKind::Parameter);
            }
        }
        let site = BlockSite {
            kind: BlockKind::Function,
            opener: Some(body.parameters_parentheses().tokens().1),
            closer: Some(body.end_token()),
            keyword: None,
        };
        self.block(body.block(), &site);
        self.pop_scope();
        self.cx.depth -= 1;
        self.fns.pop();
    }

    fn expr(&mut self, e: &'a Expression) {
        for rule in self.rules {
            rule.expr(e, &self.cx, &mut self.out);
        }
        match e {
            Expression::BinaryOperator { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            Expression::Parentheses { expression, .. } | Expression::UnaryOperator { expression, .. } => {
                self.expr(expression)
            }
            Expression::Function(f) => self.function_body(f.body(), false),
            Expression::FunctionCall(call) => self.call(call),
            Expression::TableConstructor(t) => {
                for field in t.fields().iter() {
                    match field {
                        Field::ExpressionKey { key, value, .. } => {
                            self.expr(key);
                            self.expr(value);
                        }
                        Field::NameKey { value, .. } => self.expr(value),
                        Field::NoKey(value) => self.expr(value),
                        _ => {}
                    }
                }
            }
            Expression::Symbol(token) => {
                let ellipsis = matches!(token.token().token_type(), TokenType::Symbol { symbol: Symbol::Ellipsis });
                if ellipsis && self.fns.last().is_some_and(|f| !f.vararg) {
                    self.compile_error(Span::of(token), "cannot use '...' outside a vararg function".to_string());
                }
            }
            Expression::Var(var) => match var {
                Var::Name(token) => self.read(token),
                Var::Expression(ve) => {
                    self.prefix(ve.prefix());
                    self.suffixes(ve.suffixes());
                }
                _ => {}
            },
            Expression::TypeAssertion { expression, .. } => self.expr(expression),
            _ => {}
        }
    }

    fn call(&mut self, call: &'a FunctionCall) {
        for rule in self.rules {
            rule.call(call, &self.cx, &mut self.out);
        }
        self.prefix(call.prefix());
        self.suffixes(call.suffixes());
    }

    fn prefix(&mut self, prefix: &'a Prefix) {
        match prefix {
            Prefix::Name(token) => self.read(token),
            Prefix::Expression(e) => self.expr(e),
            _ => {}
        }
    }

    fn suffixes(&mut self, suffixes: impl Iterator<Item = &'a Suffix>) {
        for suffix in suffixes {
            match suffix {
                Suffix::Index(Index::Brackets { expression, .. }) => self.expr(expression),
                Suffix::Call(Call::AnonymousCall(args)) => self.args(args),
                Suffix::Call(Call::MethodCall(m)) => self.args(m.args()),
                _ => {}
            }
        }
    }

    fn args(&mut self, args: &'a FunctionArgs) {
        match args {
            FunctionArgs::Parentheses { arguments, .. } => {
                for a in arguments.iter() {
                    self.expr(a);
                }
            }
            FunctionArgs::TableConstructor(t) => {
                for field in t.fields().iter() {
                    match field {
                        Field::ExpressionKey { key, value, .. } => {
                            self.expr(key);
                            self.expr(value);
                        }
                        Field::NameKey { value, .. } => self.expr(value),
                        Field::NoKey(value) => self.expr(value),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// `m` for `require("m")` / `require "m"` (the callee is not resolved here: a local named
/// `require` is rare enough, and this only decides the kind of a variable).
pub(crate) fn required_module(e: &Expression) -> Option<&str> {
    let Expression::FunctionCall(call) = e else { return None };
    require_call(call)
}

/// The module name of a `require("m")` call with one literal string argument.
pub(crate) fn require_call(call: &FunctionCall) -> Option<&str> {
    let Prefix::Name(name) = call.prefix() else { return None };
    if name_of(name) != "require" {
        return None;
    }
    let mut suffixes = call.suffixes();
    let (Some(Suffix::Call(Call::AnonymousCall(args))), None) = (suffixes.next(), suffixes.next()) else {
        return None;
    };
    let token = match &**args {
        FunctionArgs::String(s) => s,
        FunctionArgs::Parentheses { arguments, .. } if arguments.len() == 1 => match arguments.iter().next() {
            Some(Expression::String(s)) => s,
            _ => return None,
        },
        _ => return None,
    };
    string_value(token)
}

/// The contents of a string literal token (without escapes processed; module names have none).
pub(crate) fn string_value(token: &TokenReference) -> Option<&str> {
    match token.token().token_type() {
        TokenType::StringLiteral { literal, .. } => Some(literal.as_str()),
        _ => None,
    }
}
