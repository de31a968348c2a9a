//! The `Rule` trait every Lua lint implements, and what a rule is called by name and code.
//!
//! The walk (`walk.rs`) goes over a file once; at each block, expression and call it calls every
//! enabled rule's hook with the scope state of that point (`Cx`), and at the end `finish` with the
//! whole file's variables and globals. A rule keeps no state of its own, so one instance serves all
//! threads.

use full_moon::ast::{Block, Expression, FunctionCall};
use full_moon::tokenizer::TokenReference;

use super::scope::{Cx, Span};
use crate::diagnostic::{Diagnostic, Location, Severity};

/// A rule's identity: `name` is the file, the test folder and the doc heading; `code` is what
/// diagnostics carry and what `-- wippy: allow(...)` and the config accept (either works).
#[derive(Debug)]
pub struct RuleInfo {
    pub name: &'static str,
    pub code: &'static str,
    pub severity: Severity,
    /// Style and quality rules run only with `--rules` (or when enabled in `.wippy.yaml`);
    /// the others run always.
    pub style: bool,
    /// One line for `--help`-like listings and the docs.
    pub summary: &'static str,
}

/// Where a block sits, for rules that judge blocks (empty, unreachable).
pub(crate) struct BlockSite<'a> {
    pub kind: BlockKind,
    /// The token that opens the block (`then`, `do`, `else`, `repeat`, `)` of the parameters).
    pub opener: Option<&'a TokenReference>,
    /// The token that closes it (`end`, `else`, `elseif`, `until`).
    pub closer: Option<&'a TokenReference>,
    /// The keyword the statement starts with (`if`, `while`, ...), for locating a report.
    pub keyword: Option<&'a TokenReference>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Chunk,
    Function,
    Do,
    While,
    Repeat,
    NumericFor,
    GenericFor,
    Then,
    ElseIf,
    Else,
}

pub(crate) trait Rule: Sync {
    fn info(&self) -> &'static RuleInfo;

    /// Called for every block once its statements are walked (its own locals are still visible).
    fn block(&self, _block: &Block, _site: &BlockSite<'_>, _cx: &Cx<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Called for every expression, before its parts.
    fn expr(&self, _expr: &Expression, _cx: &Cx<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Called for every call, as an expression or a statement, before its arguments.
    fn call(&self, _call: &FunctionCall, _cx: &Cx<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Called once the whole file is walked.
    fn finish(&self, _cx: &Cx<'_>, _out: &mut Vec<Diagnostic>) {}
}

impl RuleInfo {
    /// A diagnostic of this rule at `span` of the file being walked.
    pub(crate) fn at(&'static self, cx: &Cx<'_>, span: Span, message: impl Into<String>) -> Diagnostic {
        let location = Location::new(cx.file.path, span.start.line, span.start.col);
        let mut d = Diagnostic::error(self.code, location, message).with_end(span.end.line, span.end.col);
        d.severity = self.severity;
        d
    }

    /// Whether `word` (as written in config or an allow comment) names this rule.
    pub fn is_named(&self, word: &str) -> bool {
        word.eq_ignore_ascii_case(self.code) || word == self.name
    }
}
