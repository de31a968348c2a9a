//! `wippy.lock`: where a project's definitions live (`directories: {src, modules}`).
//!
//! Only `directories` is understood; the other keys Wippy writes there (`modules:`,
//! `replacements:`, `options:`) are accepted and ignored so one lock file serves both runtimes.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;

use super::fields::{wrong_type, Fields};
use super::report::{code, Report};
use super::yaml::{self, NodeKind, Pos};

pub(crate) const LOCK_FILE: &str = "wippy.lock";
const DEFAULT_SRC: &str = "./src";
const DEFAULT_MODULES: &str = ".wippy";

/// The directories of a project, absolute or relative to the current directory as the project
/// directory was given.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lock {
    pub src_dir: PathBuf,
    pub modules_dir: PathBuf,
    /// Where `src` was written, to point at when the directory does not exist.
    pub src_origin: Option<(PathBuf, Pos)>,
}

/// Reads `project_dir/wippy.lock` when it exists; problems are reported and the defaults used.
pub(crate) fn read(project_dir: &Path, out: &mut Vec<Diagnostic>) -> Lock {
    let mut lock = Lock {
        src_dir: join(project_dir, DEFAULT_SRC),
        modules_dir: join(project_dir, DEFAULT_MODULES),
        src_origin: None,
    };
    let path = join(project_dir, LOCK_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return lock,
        Err(e) => {
            let mut r = Report::new(&path, out);
            r.error(
                code::FILE_MISSING,
                Pos::START,
                format!("cannot read {LOCK_FILE}: {e}"),
                "check the file's permissions, or delete it to load from ./src",
            );
            return lock;
        }
    };
    let mut r = Report::new(&path, out);
    let doc = match yaml::parse(&text) {
        Ok(doc) => doc,
        Err(e) => {
            r.error(code::YAML_SYNTAX, e.pos, e.message, format!("fix the YAML syntax of {LOCK_FILE}"));
            return lock;
        }
    };
    let pairs = match &doc.kind {
        NodeKind::Map(pairs) => pairs,
        NodeKind::Null => return lock,
        _ => {
            wrong_type(&mut r, LOCK_FILE, &doc, "a map", "write `directories: {src: ./src, modules: .wippy}`");
            return lock;
        }
    };
    let Some(dirs) = Fields::new(pairs, doc.pos).map(&mut r, "directories") else {
        return lock;
    };
    if let Some((src, pos)) = dirs.string(&mut r, "src") {
        lock.src_dir = join(project_dir, src);
        lock.src_origin = Some((path.clone(), pos));
    }
    if let Some((modules, _)) = dirs.string(&mut r, "modules") {
        lock.modules_dir = join(project_dir, modules);
    }
    lock
}

/// `base/rel` without `.` components, so `./src` does not show up as `proj/./src/app.yaml` in
/// every message. `..` is kept: resolving it lexically would be wrong across symlinks.
pub(crate) fn join(base: &Path, rel: &str) -> PathBuf {
    base.join(rel).components().filter(|c| *c != Component::CurDir).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock_in(text: Option<&str>) -> (tempfile::TempDir, Lock, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = text {
            std::fs::write(dir.path().join(LOCK_FILE), text).unwrap();
        }
        let mut out = Vec::new();
        let lock = read(dir.path(), &mut out);
        let diags = out.iter().map(|d| d.to_string().replace(&dir.path().display().to_string(), "P")).collect();
        (dir, lock, diags)
    }

    #[test]
    fn no_lock_file_means_src() {
        let (dir, lock, diags) = lock_in(None);
        assert_eq!(lock.src_dir, dir.path().join("src"));
        assert_eq!(lock.modules_dir, dir.path().join(".wippy"));
        assert!(diags.is_empty());
    }

    #[test]
    fn directories_are_read_and_other_keys_ignored() {
        let text = "directories:\n  modules: vendor\n  src: ./app/defs\nmodules:\n  - name: wippy/http\nreplacements: {}\noptions: {x: 1}\n";
        let (dir, lock, diags) = lock_in(Some(text));
        assert_eq!(lock.src_dir, dir.path().join("app/defs"));
        assert_eq!(lock.modules_dir, dir.path().join("vendor"));
        assert_eq!(lock.src_origin.unwrap().1, Pos { line: 3, column: 8 });
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn missing_keys_take_defaults() {
        let (dir, lock, _) = lock_in(Some("directories:\n  modules: .mods\n"));
        assert_eq!(lock.src_dir, dir.path().join("src"));
        assert_eq!(lock.modules_dir, dir.path().join(".mods"));
        let (dir, lock, _) = lock_in(Some(""));
        assert_eq!(lock.src_dir, dir.path().join("src"));
    }

    #[test]
    fn malformed_lock_files_are_reported() {
        let (_, _, diags) = lock_in(Some("directories:\n  src: [a\n"));
        assert_eq!(diags.len(), 1);
        assert!(diags[0].starts_with("P/wippy.lock:"), "{}", diags[0]);
        assert!(diags[0].contains("error[R0001]"), "{}", diags[0]);

        let (_, _, diags) = lock_in(Some("directories:\n  src: 3\n"));
        assert!(
            diags[0].starts_with(
                "P/wippy.lock:2:8: error[R0003]: `directories.src` must be a string, found an integer (3)"
            ),
            "{}",
            diags[0]
        );
    }
}
