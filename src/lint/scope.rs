//! What the walk learns about a file and what rules read: spans, the variables declared, the
//! globals used, and the scope state (`Cx`) at the point a rule is called.

use std::path::Path;

use full_moon::ast::Ast;
use full_moon::tokenizer::{Position, TokenReference, TokenType};
use rustc_hash::{FxHashMap, FxHashSet};

use super::globals::Known;
use super::parse::TypeNames;
use crate::registry::Entry;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A range of the file; `end` is the column just after the last character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn of(token: &TokenReference) -> Span {
        let t = token.token();
        Span { start: pos(t.start_position()), end: pos(t.end_position()) }
    }

    pub fn to(self, other: Span) -> Span {
        Span { start: self.start, end: other.end }
    }
}

pub(crate) fn pos(p: Position) -> Pos {
    Pos { line: p.line() as u32, col: p.character().max(1) as u32 }
}

/// The span of any node, from its first token to its last (trivia excluded).
pub(crate) fn span_of_node(node: &impl full_moon::node::Node) -> Option<Span> {
    let (start, end) = node.range()?;
    Some(Span { start: pos(start), end: pos(end) })
}

/// The text of a name token (`""` for anything else).
pub(crate) fn name_of(token: &TokenReference) -> &str {
    match token.token().token_type() {
        TokenType::Identifier { identifier } => identifier.as_str(),
        _ => "",
    }
}

pub(crate) type VarId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VarKind {
    Local,
    LocalFunction,
    Parameter,
    /// The `self` of `function t:m()`, never written by the user.
    ImplicitSelf,
    LoopVariable,
    /// `local x = require("m")`.
    Import,
}

#[derive(Debug)]
pub(crate) struct Variable<'a> {
    pub name: &'a str,
    pub kind: VarKind,
    pub at: Span,
    pub reads: u32,
    /// The module of `local x = require("m")`.
    pub module: Option<&'a str>,
    /// The declaration this one hides, when a variable of the same name was visible.
    pub shadows: Option<VarId>,
    /// `<const>` or `<close>`: cannot be assigned.
    pub constant: bool,
}

/// A use of a name that no local declares.
#[derive(Debug)]
pub(crate) struct GlobalUse<'a> {
    pub name: &'a str,
    pub at: Span,
    pub write: bool,
}

/// What the walk knows about the file being checked.
pub(crate) struct FileUnit<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    /// The registry entries whose `source` is this file (none for plain Lua files).
    pub entries: &'a [&'a Entry],
    pub known: &'a Known,
}

/// The state rules see: the file, the variables declared so far, and those now visible.
pub(crate) struct Cx<'a> {
    pub file: &'a FileUnit<'a>,
    pub ast: &'a Ast,
    pub types: &'a TypeNames,
    pub vars: Vec<Variable<'a>>,
    pub globals: Vec<GlobalUse<'a>>,
    /// Function nesting: 0 in the main chunk.
    pub depth: u32,
    pub(super) visible: FxHashMap<&'a str, Vec<VarId>>,
    pub(super) scopes: Vec<Vec<&'a str>>,
    /// Byte offsets of the name tokens read as globals.
    pub(super) global_reads: FxHashSet<usize>,
}

impl<'a> Cx<'a> {
    /// Whether the name `token` (already walked) was read as a global where it stands.
    pub fn read_as_global(&self, token: &TokenReference) -> bool {
        self.global_reads.contains(&token.token().start_position().bytes())
    }

    /// The local a name refers to here, or `None` for a global.
    pub fn resolve(&self, name: &str) -> Option<&Variable<'a>> {
        self.visible.get(name).and_then(|v| v.last()).map(|&id| &self.vars[id])
    }

    /// Whether `name` here is the global (no local hides it).
    pub fn is_global(&self, name: &str) -> bool {
        self.resolve(name).is_none()
    }
}
