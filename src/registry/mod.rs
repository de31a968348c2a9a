//! The registry: a project's entries, loaded all-or-nothing from its YAML definition files.
//!
//! `load.rs` runs the pipeline; `lock`, `discover`, `yaml` and `parse` read files; `fields`,
//! `kinds` and one file per kind group (`lua`, `host`, `service`, `lifecycle`, `meta`) check and
//! type entries; `resolve` checks references between them; `report` holds the codes.

mod diff;
mod discover;
mod duration;
mod entry;
mod fields;
mod host;
mod kinds;
mod lifecycle;
mod load;
mod lock;
mod lua;
mod meta;
mod parse;
mod policy;
mod report;
mod resolve;
mod service;
#[cfg(test)]
mod tests;
mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Diagnostics};

pub use diff::{diff, RegistryDiff};
pub use duration::parse_go_duration;
pub use entry::*;

/// A loaded, checked project. Immutable; a reload builds a new one.
#[derive(Debug)]
pub struct Registry {
    project_dir: PathBuf,
    source_dirs: Vec<PathBuf>,
    /// In file path order, then order in the file. Behind `Arc` so a process can hold its
    /// entry without holding the registry (a reload replaces the registry, not the entry).
    entries: Vec<Arc<Entry>>,
    index: HashMap<EntryId, usize>,
    warnings: Vec<Diagnostic>,
}

impl Registry {
    /// Loads the project at `project_dir`: wippy.lock (optional), then every *.yaml/*.yml under
    /// the source directory, recursively. `Err` holds every error found (and the warnings),
    /// sorted by file, line and column; a registry with errors is never returned.
    pub fn load(project_dir: &Path) -> Result<Registry, Diagnostics> {
        let loaded = load::load(project_dir)?;
        let mut registry = Registry::from_entries(project_dir.to_path_buf(), loaded.entries);
        registry.source_dirs = loaded.source_dirs;
        registry.warnings = loaded.warnings;
        Ok(registry)
    }

    /// A registry made of given entries, unchecked (for tests elsewhere). The source directory
    /// is the default `project_dir/src`; with duplicate IDs, `get` finds the first.
    pub fn from_entries(project_dir: PathBuf, entries: Vec<Entry>) -> Registry {
        let mut index = HashMap::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            index.entry(entry.id.clone()).or_insert(i);
        }
        let source_dirs = vec![lock::join(&project_dir, "src")];
        let entries = entries.into_iter().map(Arc::new).collect();
        Registry { project_dir, source_dirs, entries, index, warnings: Vec::new() }
    }

    pub fn get(&self, id: &EntryId) -> Option<&Entry> {
        self.index.get(id).map(|&i| &*self.entries[i])
    }

    /// The entry as a shared handle that outlives this registry.
    pub fn get_shared(&self, id: &EntryId) -> Option<Arc<Entry>> {
        self.index.get(id).map(|&i| Arc::clone(&self.entries[i]))
    }

    /// Every entry: file path order, then order in the file.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().map(|e| &**e)
    }

    /// Warnings of the load (unsupported kinds, skipped files), sorted by location.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub fn project_dir(&self) -> &Path {
        &self.project_dir
    }

    pub fn source_dirs(&self) -> &[PathBuf] {
        &self.source_dirs
    }
}

/// Worker threads share the registry in an `Arc`.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Registry>()
};
