//! Watching a project for edits: notify with the full debouncer (~100 ms), which folds an
//! editor's atomic save (write to a temporary file, rename over the original) into one change of
//! the original path. Only files the registry is made of count: `.yaml`/`.yml`, `.lua`,
//! `wippy.lock`, `.wippy.yaml`; `.wippy/`, `target/`, `.git/` and hidden files are ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossbeam_channel::{unbounded, Receiver};
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

/// How long the debouncer waits for a burst of events to end.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// One debounced batch of edits.
#[derive(Debug)]
pub struct Change {
    /// The edited files, relative to the project when inside it.
    pub paths: Vec<PathBuf>,
    /// When the first of the batch's file events happened.
    pub first_event: Instant,
}

/// A running watch; dropping it stops watching.
pub struct Watch {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    pub changes: Receiver<Change>,
}

impl Watch {
    pub fn start(project: &Path) -> notify::Result<Watch> {
        let root = project.canonicalize().unwrap_or_else(|_| project.to_path_buf());
        let (tx, rx) = unbounded();
        let base = root.clone();
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let mut paths = BTreeSet::new();
            let mut first = None::<Instant>;
            for ev in events {
                if matches!(ev.event.kind, notify::EventKind::Access(_)) {
                    continue;
                }
                for p in &ev.event.paths {
                    if relevant(&base, p) {
                        paths.insert(p.strip_prefix(&base).map(Path::to_path_buf).unwrap_or_else(|_| p.clone()));
                        first = Some(first.map_or(ev.time, |f| f.min(ev.time)));
                    }
                }
            }
            if let Some(first_event) = first {
                let _ = tx.send(Change { paths: paths.into_iter().collect(), first_event });
            }
        })?;
        debouncer.watch(&root, RecursiveMode::Recursive)?;
        Ok(Watch { _debouncer: debouncer, changes: rx })
    }
}

/// Whether an edit of `path` can change the project.
pub fn relevant(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut components = rel.components().peekable();
    while let Some(c) = components.next() {
        let name = c.as_os_str().to_string_lossy();
        let last = components.peek().is_none();
        if !last && (name == "target" || name.starts_with('.')) {
            return false;
        }
        if last {
            if name == ".wippy.yaml" || name == "wippy.lock" {
                return true;
            }
            if name.starts_with('.') || name.ends_with('~') {
                return false;
            }
            return [".lua", ".yaml", ".yml"].iter().any(|ext| name.ends_with(ext));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::relevant;
    use std::path::Path;

    #[test]
    fn only_project_files_outside_ignored_folders_are_relevant() {
        let root = Path::new("/p");
        for yes in ["/p/src/a.lua", "/p/src/_index.yaml", "/p/wippy.lock", "/p/.wippy.yaml", "/p/src/x/y.yml"] {
            assert!(relevant(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/p/target/debug/a.lua",
            "/p/.git/index",
            "/p/.wippy/cache.yaml",
            "/p/src/.a.lua.swp",
            "/p/src/a.lua~",
            "/p/README.md",
            "/p/src/4913",
        ] {
            assert!(!relevant(root, Path::new(no)), "{no}");
        }
    }
}
