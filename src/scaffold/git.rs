//! `git init` for a new project, unless it already sits inside a git work tree. Git is optional:
//! when it is not installed the project is still created.

use std::path::Path;
use std::process::{Command, Stdio};

/// What happened about git for a new project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitOutcome {
    /// `git init` made a repository in the project directory.
    Initialized,
    /// The project is inside an existing work tree: no nested repository.
    InsideRepository,
    /// `--no-git`.
    Skipped,
    /// No `git` program on the PATH.
    GitMissing,
    /// git ran and failed; its message.
    Failed(String),
}

/// Runs `git init` in `dir` unless `dir` is already inside a work tree.
pub fn init(dir: &Path) -> GitOutcome {
    let inside = Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match inside {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return GitOutcome::GitMissing,
        Err(e) => return GitOutcome::Failed(e.to_string()),
        Ok(out) if out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "true" => {
            return GitOutcome::InsideRepository
        }
        Ok(_) => {}
    }
    match Command::new("git").args(["init", "--quiet"]).current_dir(dir).stdin(Stdio::null()).output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => GitOutcome::GitMissing,
        Err(e) => GitOutcome::Failed(e.to_string()),
        Ok(out) if out.status.success() => GitOutcome::Initialized,
        Ok(out) => GitOutcome::Failed(String::from_utf8_lossy(&out.stderr).trim().to_string()),
    }
}
