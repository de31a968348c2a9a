//! The one walk over the parsed AST: the spans of type syntax to erase, and the Luau-only
//! constructs that full_moon accepts (its Luau mode is on for the type syntax) but Lua 5.4 cannot
//! run.

use full_moon::ast::luau::{
    ConstAssignment, ConstFunction, ExportedTypeFunction, GenericDeclaration, GenericParameterInfo, IfConditionBinding,
    IfExpression, InterpolatedString, TypeAssertion, TypeFunction, TypeInstantiation, TypeSpecifier,
};
use full_moon::ast::{Ast, Block, CompoundAssignment, LastStmt, Stmt};
use full_moon::node::Node;
use full_moon::tokenizer::{Position, Token, TokenType};
use full_moon::visitors::Visitor;

use super::erase::TypeSpan;

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub spans: Vec<TypeSpan>,
    pub luau_only: Vec<LuauOnly>,
    /// Byte offsets of the `;` that end `return` statements.
    pub return_semicolons: Vec<usize>,
    /// `type`/`export type` statements (without their `;`), as byte ranges of the parsed text.
    pub declarations: Vec<(usize, usize)>,
    /// Where each annotation `: T` starts and ends (locals, parameters, `...`, returns).
    pub annotations: Vec<(usize, usize)>,
    /// Where each cast `:: T` starts and ends.
    pub casts: Vec<(usize, usize)>,
    /// Generic functions: the byte range of the function (from its `<`) and its parameters' names.
    pub generic_functions: Vec<(usize, usize, Vec<String>)>,
}

/// A construct that parses in Luau mode but is not Lua 5.4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LuauOnly {
    pub at: Position,
    pub message: String,
    pub help: &'static str,
}

pub(crate) fn walk(ast: &Ast) -> Found {
    let mut found = Found::default();
    found.visit_ast(ast);
    found
}

impl Found {
    fn span(&mut self, node: &impl Node, can_end_statement: bool) {
        if let Some((start, end)) = extent(node) {
            self.spans.push(TypeSpan { start: start.bytes(), end: end.bytes(), can_end_statement });
        }
    }

    fn reject(&mut self, node: &impl Node, message: impl Into<String>, help: &'static str) {
        if let Some((at, _)) = extent(node) {
            self.luau_only.push(LuauOnly { at, message: message.into(), help });
        }
    }
}

/// Where a node's first token starts and its last token ends, trivia excluded.
///
/// `Node::range` is not used: derived nodes take their end from the last *declared* field, so a
/// node declared as `{ arrows, generics }` (`<T>`) ends before its closing `>`. The tokens are
/// walked from the back because `Tokens::next` shifts a vector on every call.
fn extent(node: &impl Node) -> Option<(Position, Position)> {
    node.tokens().rev().fold(None, |acc, reference| {
        let token = reference.token();
        let (start, end) = (token.start_position(), token.end_position());
        Some(match acc {
            None => (start, end),
            Some((s, e)) => (s.min(start), e.max(end)),
        })
    })
}

impl Visitor for Found {
    /// `: T` after locals, parameters, `...`, `for` variables and function parameter lists.
    fn visit_type_specifier(&mut self, node: &TypeSpecifier) {
        self.span(node, false);
        if let Some((start, end)) = extent(node) {
            self.annotations.push((start.bytes(), end.bytes()));
        }
    }

    /// `:: T` of a cast.
    fn visit_type_assertion(&mut self, node: &TypeAssertion) {
        self.span(node, true);
        if let Some((start, end)) = extent(node) {
            self.casts.push((start.bytes(), end.bytes()));
        }
    }

    /// `type X = ...` and `export type X = ...` go whole, with their `;`: a `;` left alone at the
    /// start of a block is valid Lua 5.4 but only noise (and full_moon rejects it).
    fn visit_block(&mut self, block: &Block) {
        if let Some((LastStmt::Return(_), Some(semicolon))) = block.last_stmt_with_semicolon() {
            self.return_semicolons.push(semicolon.token().start_position().bytes());
        }
        // Whether the last statement that stays has no `;`, so that it may be an expression that
        // a following `(` would call once the declaration in between is blanked.
        let mut open_statement_before = false;
        for (stmt, semicolon) in block.stmts_with_semicolon() {
            let declaration = match stmt {
                Stmt::TypeDeclaration(_) | Stmt::ExportedTypeDeclaration(_) => extent(stmt),
                _ => {
                    open_statement_before = semicolon.is_none();
                    continue;
                }
            };
            let end_with_semicolon = semicolon.as_ref().and_then(extent).map(|(_, end)| end);
            if let Some((start, end)) = declaration {
                self.declarations.push((start.bytes(), end.bytes()));
                let end = end_with_semicolon.unwrap_or(end);
                self.spans.push(TypeSpan {
                    start: start.bytes(),
                    end: end.bytes(),
                    can_end_statement: open_statement_before,
                });
            }
        }
    }

    fn visit_function_body(&mut self, body: &full_moon::ast::FunctionBody) {
        let Some(generics) = body.generics() else { return };
        let Some((start, end)) = extent(body) else { return };
        let names = generics
            .generics()
            .iter()
            .map(|g| match g.parameter() {
                GenericParameterInfo::Name(n) => n.token().to_string(),
                GenericParameterInfo::Variadic { name, .. } => name.token().to_string(),
                _ => String::new(),
            })
            .collect();
        self.generic_functions.push((start.bytes(), end.bytes(), names));
    }

    /// `<T, U>` of functions (and of types, where the declaration's span covers it already).
    fn visit_generic_declaration(&mut self, node: &GenericDeclaration) {
        self.span(node, false);
    }

    /// Explicit instantiation `f<<T>>(x)`.
    fn visit_type_instantiation(&mut self, node: &TypeInstantiation) {
        self.span(node, false);
    }

    fn visit_compound_assignment(&mut self, node: &CompoundAssignment) {
        let op = node.compound_operator().token().token().to_string();
        self.reject(
            node.compound_operator(),
            format!("compound assignment `{op}` is not Lua 5.4"),
            "write the assignment in full, e.g. `n = n + 1`",
        );
    }

    fn visit_if_expression(&mut self, node: &IfExpression) {
        self.reject(
            node,
            "`if` expressions are not Lua 5.4",
            "use an `if` statement, or `cond and a or b` when `a` is never false or nil",
        );
    }

    fn visit_interpolated_string(&mut self, node: &InterpolatedString) {
        self.reject(
            node,
            "backtick strings are not Lua 5.4",
            "use `string.format(\"%s\", x)` or join the parts with `..`",
        );
    }

    fn visit_last_stmt(&mut self, node: &LastStmt) {
        if let LastStmt::Continue(token) = node {
            self.reject(
                token,
                "`continue` is not Lua 5.4",
                "jump to a label at the end of the loop body: `goto continue` ... `::continue::`",
            );
        }
    }

    fn visit_const_assignment(&mut self, node: &ConstAssignment) {
        self.reject(node, "`const` declarations are not Lua 5.4", "write `local name <const> = value`");
    }

    fn visit_const_function(&mut self, node: &ConstFunction) {
        self.reject(node, "`const function` is not Lua 5.4", "write `local function name() ... end`");
    }

    fn visit_type_function(&mut self, node: &TypeFunction) {
        self.reject(node, "type functions are not supported", "declare the type with `type Name = ...`");
    }

    fn visit_exported_type_function(&mut self, node: &ExportedTypeFunction) {
        self.reject(node, "type functions are not supported", "declare the type with `export type Name = ...`");
    }

    fn visit_if_condition_binding(&mut self, node: &IfConditionBinding) {
        self.reject(node, "`if local` bindings are not Lua 5.4", "declare the local before the `if`");
    }

    /// Luau also lexes `1_000` and `0b101`.
    fn visit_number(&mut self, token: &Token) {
        if let TokenType::Number { text } = token.token_type() {
            let binary = text.starts_with("0b") || text.starts_with("0B");
            if binary || text.contains('_') {
                self.luau_only.push(LuauOnly {
                    at: token.start_position(),
                    message: format!("number `{text}` is not Lua 5.4"),
                    help: "write the digits without `_`; for bit patterns use hexadecimal `0x`",
                });
            }
        }
    }
}
