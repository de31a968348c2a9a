//! Finding the YAML files under a source directory, in a stable order.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};

use super::report::code;

/// Every `*.yaml`/`*.yml` file under `dir`, recursively, sorted by path (component-wise, so a
/// folder's files come right after the folder's name sorts).
///
/// Hidden entries (`.git`, `.wippy`, `.wippy.yaml`) and `target/` are skipped: they hold
/// tooling state or build output, never definitions. Symlinked directories are not followed,
/// which rules out cycles; symlinked files are read.
pub(crate) fn yaml_files(dir: &Path, out: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    walk(dir, &mut files, out);
    files.sort();
    files
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, out: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push(unreadable(dir, &e));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.push(unreadable(dir, &e));
                continue;
            }
        };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if name != "target" {
                walk(&path, files, out);
            }
        } else if is_yaml(&name) && (file_type.is_file() || path.is_file()) {
            files.push(path);
        }
    }
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

fn unreadable(dir: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        code::FILE_MISSING,
        Location::file_start(dir),
        format!("cannot read directory {}: {e}", dir.display()),
    )
    .with_help("check the directory's permissions")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_yaml_recursively_in_path_order_skipping_hidden_and_target() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "b.yaml",
            "a.yml",
            "a/z.yaml",
            "a/b/c.yaml",
            "a-b.yaml",
            "notes.txt",
            "x.yaml.bak",
            ".hidden.yaml",
            ".git/config.yaml",
            "target/debug/out.yaml",
            "sub/target.yaml",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let mut out = Vec::new();
        let found: Vec<String> = yaml_files(root, &mut out)
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(found, ["a/b/c.yaml", "a/z.yaml", "a-b.yaml", "a.yml", "b.yaml", "sub/target.yaml"]);
        assert!(out.is_empty());
    }

    #[test]
    fn a_missing_directory_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        assert!(yaml_files(&dir.path().join("nope"), &mut out).is_empty());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, "R0007");
    }
}
