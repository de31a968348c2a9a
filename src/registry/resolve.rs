//! References between entries: that each one names an entry that exists (R0006) and is of the
//! right kind (R0009), and that `requires` has no cycle (R0008).
//!
//! Converters record every reference as they read fields; this pass runs once all files are
//! read, so a reference may point forward or into another file.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Location};
use crate::registry::entry::EntryId;

use super::report::{code, suggest};

/// What a field that holds a reference is for, which decides the kinds it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// `imports: {alias: ref}`: any Lua entry.
    Import,
    /// `process` of a `process.service`.
    ServiceProcess,
    /// `host` of a `process.service`.
    ServiceHost,
    /// `lifecycle.requires` / `depends_on`: any entry.
    Requires,
    /// `meta.default_host`: a host.
    DefaultHost,
    /// `lifecycle.security.policies`: a `security.policy`.
    Policy,
}

impl RefKind {
    /// The accepted kinds and how to say so; `None` accepts any kind.
    fn expects(self) -> Option<(&'static [&'static str], &'static str)> {
        match self {
            RefKind::Import => Some((
                &["library.lua", "function.lua", "process.lua"],
                "a Lua entry (library.lua, function.lua or process.lua)",
            )),
            RefKind::ServiceProcess => Some((&["process.lua"], "a process.lua entry")),
            RefKind::ServiceHost => Some((&["process.host"], "a process.host entry")),
            RefKind::DefaultHost => {
                Some((&["process.host", "terminal.host"], "a host (process.host or terminal.host)"))
            }
            RefKind::Policy => Some((&["security.policy"], "a security.policy entry")),
            RefKind::Requires => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub from: EntryId,
    pub target: EntryId,
    pub kind: RefKind,
    /// The field as the user sees it: `imports.util`, `lifecycle.requires`.
    pub field: String,
    /// Where the reference is written.
    pub location: Location,
}

/// Every entry ID defined in the project, with its kind when it has a readable one.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    kinds: HashMap<EntryId, Option<String>>,
    /// Namespaces of files that failed to parse: a reference into one of them may be valid.
    broken_namespaces: HashSet<String>,
    /// A file failed to parse before its namespace could be read: any reference may be valid.
    broken_unknown_namespace: bool,
}

impl Catalog {
    pub(crate) fn define(&mut self, id: EntryId, kind: Option<String>) {
        self.kinds.entry(id).or_insert(kind);
    }

    pub(crate) fn mark_broken(&mut self, namespace: Option<String>) {
        match namespace {
            Some(ns) => {
                self.broken_namespaces.insert(ns);
            }
            None => self.broken_unknown_namespace = true,
        }
    }

    fn may_be_hidden_by_broken_file(&self, id: &EntryId) -> bool {
        self.broken_unknown_namespace || self.broken_namespaces.contains(&id.namespace)
    }

    /// The defined ID the user most likely meant: the same name in another namespace, or a
    /// near-miss name in the same namespace.
    fn closest(&self, wanted: &EntryId) -> Option<EntryId> {
        let mut same_name: Vec<&EntryId> = self.kinds.keys().filter(|id| id.name == wanted.name).collect();
        same_name.sort();
        if let Some(id) = same_name.first() {
            return Some((*id).clone());
        }
        let mut in_namespace: Vec<&str> =
            self.kinds.keys().filter(|id| id.namespace == wanted.namespace).map(|id| id.name.as_str()).collect();
        in_namespace.sort();
        suggest(&wanted.name, in_namespace).map(|name| EntryId::new(wanted.namespace.clone(), name))
    }
}

/// Reports references to undefined entries and to entries of the wrong kind.
pub(crate) fn check_references(refs: &[Reference], catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for reference in refs {
        let target = &reference.target;
        match catalog.kinds.get(target) {
            None if catalog.may_be_hidden_by_broken_file(target) => {}
            None => {
                let help = match catalog.closest(target) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!(
                        "define an entry `{}` in namespace `{}`, or fix the reference (a bare name is looked up in the referring file's namespace; elsewhere write `namespace:name`)",
                        target.name, target.namespace
                    ),
                };
                out.push(
                    Diagnostic::error(
                        code::UNRESOLVED,
                        reference.location.clone(),
                        format!("`{}` refers to `{target}`, which is not defined", reference.field),
                    )
                    .with_help(help)
                    .with_entry(reference.from.to_string()),
                );
            }
            // A kind-less entry was already reported; its kind cannot be judged.
            Some(None) => {}
            Some(Some(kind)) => {
                let Some((accepted, wanted)) = reference.kind.expects() else {
                    continue;
                };
                if accepted.contains(&kind.as_str()) {
                    continue;
                }
                out.push(
                    Diagnostic::error(
                        code::WRONG_KIND,
                        reference.location.clone(),
                        format!("`{}` must name {wanted}, but `{target}` is a {kind}", reference.field),
                    )
                    .with_help(format!("point `{}` at {wanted}", reference.field))
                    .with_entry(reference.from.to_string()),
                );
            }
        }
    }
}

/// Reports each cycle in the `requires` graph once, at the reference that closes it, walking
/// entries in `order` so the report is deterministic.
pub(crate) fn check_cycles<'a>(refs: &'a [Reference], order: &'a [EntryId], out: &mut Vec<Diagnostic>) {
    let mut edges: HashMap<&EntryId, Vec<&Reference>> = HashMap::new();
    for reference in refs.iter().filter(|r| r.kind == RefKind::Requires) {
        edges.entry(&reference.from).or_default().push(reference);
    }

    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        OnPath,
        Done,
    }
    let mut marks: HashMap<&EntryId, Mark> = HashMap::new();
    for start in order {
        if marks.contains_key(start) {
            continue;
        }
        // Depth-first, with an explicit stack of (entry, index of its next edge) so a long
        // dependency chain cannot overflow the thread's stack.
        let mut path: Vec<(&EntryId, usize)> = vec![(start, 0)];
        marks.insert(start, Mark::OnPath);
        while let Some(&(node, next)) = path.last() {
            let Some(edge) = edges.get(node).and_then(|e| e.get(next)).copied() else {
                marks.insert(node, Mark::Done);
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            match marks.get(&edge.target) {
                None => {
                    marks.insert(&edge.target, Mark::OnPath);
                    path.push((&edge.target, 0));
                }
                Some(Mark::OnPath) => out.push(cycle_diagnostic(&path, edge)),
                Some(Mark::Done) => {}
            }
        }
    }
}

fn cycle_diagnostic(path: &[(&EntryId, usize)], closing: &Reference) -> Diagnostic {
    let first = path.iter().position(|(id, _)| **id == closing.target).unwrap_or(0);
    let mut names: Vec<String> = path[first..].iter().map(|(id, _)| id.to_string()).collect();
    names.push(closing.target.to_string());
    Diagnostic::error(
        code::REQUIRES_CYCLE,
        closing.location.clone(),
        format!("`requires` cycle: {}", names.join(" -> ")),
    )
    .with_help("entries in a cycle can never start, since each waits for the next; remove one of these `requires`")
    .with_entry(closing.from.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> EntryId {
        EntryId::parse(s).unwrap()
    }

    fn requires(from: &str, to: &str, line: u32) -> Reference {
        Reference {
            from: id(from),
            target: id(to),
            kind: RefKind::Requires,
            field: "lifecycle.requires".into(),
            location: Location::new("f.yaml", line, 1),
        }
    }

    fn cycles(refs: &[Reference], order: &[&str]) -> Vec<String> {
        let order: Vec<EntryId> = order.iter().map(|s| id(s)).collect();
        let mut out = Vec::new();
        check_cycles(refs, &order, &mut out);
        out.iter().map(|d| format!("{}:{}", d.location.line, d.message)).collect()
    }

    #[test]
    fn finds_a_two_entry_cycle_at_the_closing_reference() {
        let refs = [requires("a:x", "a:y", 1), requires("a:y", "a:x", 2)];
        assert_eq!(cycles(&refs, &["a:x", "a:y"]), ["2:`requires` cycle: a:x -> a:y -> a:x"]);
        // Walking from the other end names the cycle from there.
        assert_eq!(cycles(&refs, &["a:y", "a:x"]), ["1:`requires` cycle: a:y -> a:x -> a:y"]);
    }

    #[test]
    fn finds_self_requires_and_long_cycles_but_not_diamonds() {
        assert_eq!(cycles(&[requires("a:x", "a:x", 3)], &["a:x"]), ["3:`requires` cycle: a:x -> a:x"]);

        let chain = [
            requires("a:a", "a:b", 1),
            requires("a:b", "a:c", 2),
            requires("a:c", "a:d", 3),
            requires("a:d", "a:b", 4),
        ];
        assert_eq!(cycles(&chain, &["a:a", "a:b", "a:c", "a:d"]), ["4:`requires` cycle: a:b -> a:c -> a:d -> a:b"]);

        let diamond = [
            requires("a:a", "a:b", 1),
            requires("a:a", "a:c", 2),
            requires("a:b", "a:d", 3),
            requires("a:c", "a:d", 4),
        ];
        assert!(cycles(&diamond, &["a:a", "a:b", "a:c", "a:d"]).is_empty());
    }

    #[test]
    fn two_separate_cycles_are_both_reported() {
        let refs = [
            requires("a:a", "a:b", 1),
            requires("a:b", "a:a", 2),
            requires("a:c", "a:d", 3),
            requires("a:d", "a:c", 4),
        ];
        assert_eq!(cycles(&refs, &["a:a", "a:b", "a:c", "a:d"]).len(), 2);
    }

    #[test]
    fn a_very_long_chain_does_not_overflow_the_stack() {
        let refs: Vec<Reference> =
            (0..100_000).map(|i| requires(&format!("a:n{i}"), &format!("a:n{}", i + 1), 1)).collect();
        assert!(cycles(&refs, &["a:n0"]).is_empty());
    }

    fn reference(kind: RefKind, target: &str) -> Reference {
        Reference {
            from: id("app:me"),
            target: id(target),
            kind,
            field: "process".into(),
            location: Location::new("f.yaml", 7, 14),
        }
    }

    fn checked(catalog: &Catalog, refs: &[Reference]) -> Vec<String> {
        let mut out = Vec::new();
        check_references(refs, catalog, &mut out);
        out.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn unresolved_references_suggest_a_close_id() {
        let mut catalog = Catalog::default();
        catalog.define(id("app.lib:worker"), Some("process.lua".into()));
        catalog.define(id("app:main"), Some("process.lua".into()));
        let out = checked(
            &catalog,
            &[
                reference(RefKind::ServiceProcess, "app:worker"),
                reference(RefKind::ServiceProcess, "app:mian"),
                reference(RefKind::ServiceProcess, "app:zzz"),
            ],
        );
        assert_eq!(out[0], "f.yaml:7:14: error[R0006]: `process` refers to `app:worker`, which is not defined (entry app:me)\n  help: did you mean `app.lib:worker`?");
        assert!(out[1].ends_with("help: did you mean `app:main`?"), "{}", out[1]);
        assert!(out[2].contains("help: define an entry `zzz` in namespace `app`"), "{}", out[2]);
    }

    #[test]
    fn wrong_kinds_are_reported_and_kindless_targets_are_not() {
        let mut catalog = Catalog::default();
        catalog.define(id("app:f"), Some("function.lua".into()));
        catalog.define(id("app:h"), Some("terminal.host".into()));
        catalog.define(id("app:k"), None);
        let out = checked(
            &catalog,
            &[
                reference(RefKind::ServiceProcess, "app:f"),
                reference(RefKind::ServiceHost, "app:h"),
                reference(RefKind::DefaultHost, "app:h"),
                reference(RefKind::Import, "app:f"),
                reference(RefKind::Requires, "app:f"),
                reference(RefKind::ServiceProcess, "app:k"),
            ],
        );
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0], "f.yaml:7:14: error[R0009]: `process` must name a process.lua entry, but `app:f` is a function.lua (entry app:me)\n  help: point `process` at a process.lua entry");
        assert!(out[1].contains("must name a process.host entry, but `app:h` is a terminal.host"), "{}", out[1]);
    }

    #[test]
    fn references_into_broken_files_are_not_reported() {
        let mut catalog = Catalog::default();
        catalog.mark_broken(Some("app.db".into()));
        assert!(checked(&catalog, &[reference(RefKind::Requires, "app.db:pool")]).is_empty());
        assert_eq!(checked(&catalog, &[reference(RefKind::Requires, "app:pool")]).len(), 1);
        catalog.mark_broken(None);
        assert!(checked(&catalog, &[reference(RefKind::Requires, "app:pool")]).is_empty());
    }
}
