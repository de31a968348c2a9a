//! Finding the files to check: `.lua` files under directories (hidden directories, `target/` and
//! `node_modules/` skipped), and a project's source directory when its registry cannot be loaded.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Every `.lua` file under `paths` (a file named directly is taken whatever its extension),
/// sorted, without duplicates.
pub(crate) fn lua_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out);
        } else if path.exists() {
            out.push(path.clone());
        }
    }
    out.sort();
    out.dedup();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if kind.is_dir() {
            if !(name.starts_with('.') || name == "target" || name == "node_modules") {
                walk(&path, out);
            }
        } else if name.ends_with(".lua") && (kind.is_file() || path.is_file()) {
            out.push(path);
        }
    }
}

#[derive(Deserialize, Default)]
struct Lock {
    #[serde(default)]
    directories: Option<Directories>,
}

#[derive(Deserialize, Default)]
struct Directories {
    #[serde(default)]
    src: Option<String>,
}

/// The project's source directory: `directories.src` of `wippy.lock`, else `./src`.
pub(crate) fn source_dir(project: &Path) -> PathBuf {
    let src = std::fs::read_to_string(project.join("wippy.lock"))
        .ok()
        .and_then(|text| serde_saphyr::from_str::<Lock>(&text).ok())
        .and_then(|lock| lock.directories?.src)
        .unwrap_or_else(|| "src".to_string());
    project.join(src)
}
