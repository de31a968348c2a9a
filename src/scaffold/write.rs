//! Writing a new project all at once: every file goes into a staging directory beside the target,
//! which is then renamed into place, so a failure never leaves half a project.
//!
//! 1. Refuse a target that is a file, or a non-empty directory unless `force`.
//! 2. Write every file under `PARENT/.wippy-new-NAME-PID-NANOS/` (same file system as the target,
//!    so the rename below is atomic).
//! 3. A missing or empty target: rename the staging directory to the target. A non-empty target
//!    (with `force`): rename each staged file over its place in the target, keeping other files.
//! 4. The staging directory is removed on every path, success or failure.

use std::path::{Path, PathBuf};

use super::ScaffoldError;

/// What is at the target path before writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Missing,
    Empty,
    NonEmpty,
}

fn inspect(target: &Path) -> Result<Target, ScaffoldError> {
    match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target::Missing),
        Err(source) => Err(ScaffoldError::Io { path: target.to_path_buf(), source }),
        Ok(meta) if !meta.is_dir() => Err(ScaffoldError::NotADirectory { path: target.to_path_buf() }),
        Ok(_) => {
            let mut entries =
                std::fs::read_dir(target).map_err(|source| ScaffoldError::Io { path: target.to_path_buf(), source })?;
            Ok(if entries.next().is_some() { Target::NonEmpty } else { Target::Empty })
        }
    }
}

/// Removes the staging directory when dropped, whatever happened.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        if self.0.exists() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io { path: path.to_path_buf(), source }
}

/// Writes `files` (relative paths) as the directory `target`, following the steps above.
pub(super) fn write_project(target: &Path, files: &[(PathBuf, String)], force: bool) -> Result<(), ScaffoldError> {
    let state = inspect(target)?;
    if state == Target::NonEmpty && !force {
        return Err(ScaffoldError::NotEmpty { path: target.to_path_buf() });
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(ScaffoldError::ParentMissing { path: parent });
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let staging = Staging(parent.join(format!(".wippy-new-{name}-{}-{nanos}", std::process::id())));
    std::fs::create_dir(&staging.0).map_err(io_err(&staging.0))?;
    for (rel, text) in files {
        let path = staging.0.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        std::fs::write(&path, text).map_err(io_err(&path))?;
    }
    match state {
        Target::Missing => std::fs::rename(&staging.0, target).map_err(io_err(target)),
        Target::Empty => {
            std::fs::remove_dir(target).map_err(io_err(target))?;
            std::fs::rename(&staging.0, target).map_err(io_err(target))
        }
        Target::NonEmpty => {
            for (rel, _) in files {
                let to = target.join(rel);
                if let Some(dir) = to.parent() {
                    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
                }
                std::fs::rename(staging.0.join(rel), &to).map_err(io_err(&to))?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(PathBuf, String)> {
        vec![(PathBuf::from("a.txt"), "a".into()), (PathBuf::from("src/b.lua"), "b".into())]
    }

    fn leftovers(parent: &Path) -> Vec<String> {
        std::fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".wippy-new-"))
            .collect()
    }

    #[test]
    fn a_new_directory_gets_every_file_and_no_staging_is_left() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("proj");
        write_project(&target, &files(), false).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("src/b.lua")).unwrap(), "b");
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn an_empty_directory_is_filled() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("proj");
        std::fs::create_dir(&target).unwrap();
        write_project(&target, &files(), false).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("a.txt")).unwrap(), "a");
    }

    #[test]
    fn a_non_empty_directory_is_refused_untouched_without_force() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("proj");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("a.txt"), "mine").unwrap();
        assert!(matches!(write_project(&target, &files(), false), Err(ScaffoldError::NotEmpty { .. })));
        assert_eq!(std::fs::read_to_string(target.join("a.txt")).unwrap(), "mine");
        assert!(!target.join("src").exists());
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn force_overwrites_the_template_files_and_keeps_the_others() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("proj");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("a.txt"), "mine").unwrap();
        std::fs::write(target.join("notes.txt"), "keep").unwrap();
        write_project(&target, &files(), true).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("a.txt")).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(target.join("notes.txt")).unwrap(), "keep");
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("proj");
        // A file and a directory at the same path cannot both be written.
        let bad = vec![(PathBuf::from("x"), "file".into()), (PathBuf::from("x/y"), "under a file".into())];
        assert!(matches!(write_project(&target, &bad, false), Err(ScaffoldError::Io { .. })));
        assert!(!target.exists());
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn a_file_at_the_target_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("proj");
        std::fs::write(&target, "").unwrap();
        assert!(matches!(write_project(&target, &files(), true), Err(ScaffoldError::NotADirectory { .. })));
    }
}
