//! Creating projects: `wippy new` (a template rendered into a new directory, atomically, then
//! `git init`) and `wippy init` (a `wippy.lock` for an existing tree). The CLI prints; this module
//! returns what it did or a typed error with a hint.

mod git;
mod lock;
mod name;
mod templates;
mod write;

use std::path::{Path, PathBuf};

pub use git::GitOutcome;
pub use lock::{lock_text, write_lock, DEFAULT_MODULES, DEFAULT_SRC, LOCK_FILE};
pub use name::{suggest, validate, InvalidName};
pub use templates::{find, names, RenderError, Template, DEFAULT_TEMPLATE, TEMPLATES};

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error(transparent)]
    InvalidName(#[from] InvalidName),
    #[error("unknown template '{name}'")]
    UnknownTemplate { name: String },
    #[error("{} is not empty", path.display())]
    NotEmpty { path: PathBuf },
    #[error("{} exists and is not a directory", path.display())]
    NotADirectory { path: PathBuf },
    #[error("the directory {} does not exist", path.display())]
    ParentMissing { path: PathBuf },
    #[error("{} already exists", path.display())]
    LockExists { path: PathBuf },
    #[error("the source directory {} does not exist", path.display())]
    SrcMissing { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Render(#[from] RenderError),
}

impl ScaffoldError {
    /// What the user can do about it.
    pub fn help(&self) -> Option<String> {
        match self {
            ScaffoldError::InvalidName(e) => Some(format!(
                "a name starts with a lowercase letter and has only lowercase letters, digits, '_' and '-'; try `wippy new {}`",
                e.suggestion
            )),
            ScaffoldError::UnknownTemplate { .. } => {
                Some(format!("the templates are: {} (`wippy new --list` describes them)", names().join(", ")))
            }
            ScaffoldError::NotEmpty { .. } => Some(
                "pick another name, or pass --force to write the template's files into it (other files are kept)".into(),
            ),
            ScaffoldError::NotADirectory { .. } => Some("pick another name".into()),
            ScaffoldError::ParentMissing { .. } => Some("create it first, or give an existing directory to -C".into()),
            ScaffoldError::LockExists { .. } => Some("this project is initialized already; edit the file to change it".into()),
            ScaffoldError::SrcMissing { .. } => {
                Some("create it and put the definition files (`_index.yaml`) there, or name another with --src-dir".into())
            }
            ScaffoldError::Io { .. } | ScaffoldError::Render(_) => None,
        }
    }

    /// Errors of the user's input (exit 2) against failures while doing the job (exit 1).
    pub fn is_usage(&self) -> bool {
        !matches!(self, ScaffoldError::Io { .. } | ScaffoldError::Render(_))
    }
}

/// What `wippy new` is asked to do.
#[derive(Debug, Clone)]
pub struct NewProject<'a> {
    pub name: &'a str,
    /// The directory the project's directory is created in.
    pub parent: &'a Path,
    pub template: &'a str,
    pub force: bool,
    pub git: bool,
}

/// A project that was created.
#[derive(Debug)]
pub struct Created {
    pub dir: PathBuf,
    pub template: &'static Template,
    /// Relative to `dir`, in the template's order.
    pub files: Vec<PathBuf>,
    pub git: GitOutcome,
}

/// Validates the request, renders the template, writes it in place at once, then `git init`.
pub fn create(req: &NewProject) -> Result<Created, ScaffoldError> {
    validate(req.name)?;
    let template =
        find(req.template).ok_or_else(|| ScaffoldError::UnknownTemplate { name: req.template.to_string() })?;
    let files = templates::render(template, req.name)?;
    let dir = req.parent.join(req.name);
    write::write_project(&dir, &files, req.force)?;
    let git = if req.git { git::init(&dir) } else { GitOutcome::Skipped };
    Ok(Created { dir, template, files: files.into_iter().map(|(p, _)| p).collect(), git })
}
