//! What a reload changes: the entries added, removed and changed between two registries, and the
//! Lua entries whose code is now different, directly or through what they import.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Entry, EntryId, EntryKind, Registry};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct RegistryDiff {
    pub added: Vec<EntryId>,
    pub removed: Vec<EntryId>,
    /// In both, with a different definition (any field) or, for Lua entries, different source.
    pub changed: Vec<EntryId>,
    /// Lua entries of the new registry whose code is not what it was: the entry itself changed,
    /// or a library it imports (transitively). The value lists the changed entries responsible.
    pub code_changed: BTreeMap<EntryId, Vec<EntryId>>,
}

impl RegistryDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

pub fn diff(old: &Registry, new: &Registry) -> RegistryDiff {
    let mut d = RegistryDiff::default();
    for e in new.entries() {
        match old.get(&e.id) {
            None => d.added.push(e.id.clone()),
            Some(o) if differs(o, e) => d.changed.push(e.id.clone()),
            Some(_) => {}
        }
    }
    d.removed = old.entries().filter(|e| new.get(&e.id).is_none()).map(|e| e.id.clone()).collect();
    let changed: BTreeSet<&EntryId> = d.changed.iter().chain(&d.added).collect();
    let mut memo: HashMap<EntryId, BTreeSet<EntryId>> = HashMap::new();
    for e in new.entries() {
        if matches!(e.kind, EntryKind::Lua(_)) && !d.added.contains(&e.id) {
            let sources = code_sources(new, &e.id, &changed, &mut memo, &mut Vec::new());
            if !sources.is_empty() {
                d.code_changed.insert(e.id.clone(), sources.into_iter().collect());
            }
        }
    }
    d
}

fn differs(old: &Entry, new: &Entry) -> bool {
    if old.data != new.data || old.kind_name != new.kind_name {
        return true;
    }
    match (&old.kind, &new.kind) {
        (EntryKind::Lua(a), EntryKind::Lua(b)) => a.source != b.source,
        _ => false,
    }
}

/// The changed entries among `id` and everything it imports.
fn code_sources(
    registry: &Registry,
    id: &EntryId,
    changed: &BTreeSet<&EntryId>,
    memo: &mut HashMap<EntryId, BTreeSet<EntryId>>,
    visiting: &mut Vec<EntryId>,
) -> BTreeSet<EntryId> {
    if let Some(s) = memo.get(id) {
        return s.clone();
    }
    if visiting.contains(id) {
        return BTreeSet::new();
    }
    visiting.push(id.clone());
    let mut out = BTreeSet::new();
    if changed.contains(id) {
        out.insert(id.clone());
    }
    if let Some(Entry { kind: EntryKind::Lua(l), .. }) = registry.get(id) {
        for (_, target) in &l.imports {
            out.extend(code_sources(registry, target, changed, memo, visiting));
        }
    }
    visiting.pop();
    memo.insert(id.clone(), out.clone());
    out
}
