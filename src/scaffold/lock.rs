//! `wippy init`: writes `wippy.lock` for an existing source tree, in the form Wippy writes it
//! (`directories: {modules, src}`), the same file every template ships.

use std::path::{Component, Path, PathBuf};

use super::ScaffoldError;

pub const LOCK_FILE: &str = "wippy.lock";
pub const DEFAULT_SRC: &str = "./src";
pub const DEFAULT_MODULES: &str = ".wippy";

/// The text of a lock file pointing at `src` and `modules` (relative to the project).
pub fn lock_text(src: &str, modules: &str) -> String {
    format!("directories:\n  modules: {}\n  src: {}\n", yaml_scalar(modules), yaml_scalar(src))
}

/// A path as a YAML scalar: plain when it is only path characters, else double-quoted (a JSON
/// string is a valid YAML double-quoted scalar).
fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '_' | '-'))
        && !s.starts_with('-');
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// Writes `project/wippy.lock`; refuses to replace an existing one, and a source directory that
/// does not exist.
pub fn write_lock(project: &Path, src: &str, modules: &str) -> Result<PathBuf, ScaffoldError> {
    let path = project.join(LOCK_FILE);
    if path.exists() {
        return Err(ScaffoldError::LockExists { path });
    }
    let src_dir: PathBuf = project.join(src).components().filter(|c| *c != Component::CurDir).collect();
    if !src_dir.is_dir() {
        return Err(ScaffoldError::SrcMissing { path: src_dir });
    }
    std::fs::write(&path, lock_text(src, modules))
        .map_err(|source| ScaffoldError::Io { path: path.clone(), source })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_ships_the_lock_init_writes() {
        for t in super::super::templates::TEMPLATES {
            let lock = t.files.iter().find(|f| f.path == LOCK_FILE).expect("a wippy.lock");
            assert_eq!(lock.text, lock_text(DEFAULT_SRC, DEFAULT_MODULES), "template {}", t.name);
        }
    }

    #[test]
    fn odd_paths_are_quoted() {
        assert_eq!(lock_text("my src", ".wippy"), "directories:\n  modules: .wippy\n  src: \"my src\"\n");
    }

    #[test]
    fn an_existing_lock_is_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("src")).unwrap();
        std::fs::write(tmp.path().join(LOCK_FILE), "mine").unwrap();
        assert!(matches!(write_lock(tmp.path(), DEFAULT_SRC, DEFAULT_MODULES), Err(ScaffoldError::LockExists { .. })));
        assert_eq!(std::fs::read_to_string(tmp.path().join(LOCK_FILE)).unwrap(), "mine");
    }

    #[test]
    fn a_missing_source_directory_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(matches!(write_lock(tmp.path(), "lua", DEFAULT_MODULES), Err(ScaffoldError::SrcMissing { .. })));
        assert!(!tmp.path().join(LOCK_FILE).exists());
    }
}
