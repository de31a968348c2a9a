//! Fixture projects written to temporary directories and loaded through `Registry::load`: one
//! valid project with every supported kind, and one failing project per diagnostic code.

mod diff;
mod errors;
mod valid;

use std::path::Path;

/// Writes `files` (path relative to `root`, contents) into `root`, creating folders.
fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}
