//! `wippy new`: creates a project from a template, printing each file it made and the next steps;
//! `wippy new --list` lists the templates.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::scaffold::{self, GitOutcome, NewProject, ScaffoldError};

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The project's name, which is also its directory (created in the current directory, or in
    /// the one given with -C).
    #[arg(required_unless_present = "list")]
    pub name: Option<String>,
    /// The template (`--list` shows them).
    #[arg(short, long, default_value = scaffold::DEFAULT_TEMPLATE)]
    pub template: String,
    /// Write into a non-empty directory: the template's files replace those of the same name,
    /// other files are kept.
    #[arg(long)]
    pub force: bool,
    /// Do not run `git init`.
    #[arg(long)]
    pub no_git: bool,
    /// List the templates, then exit.
    #[arg(long)]
    pub list: bool,
}

pub fn run(parent: Option<&Path>, args: &NewArgs) -> i32 {
    if args.list {
        for t in scaffold::TEMPLATES {
            let default = if t.name == scaffold::DEFAULT_TEMPLATE { " (default)" } else { "" };
            println!("{:<8} {}{default}", t.name, t.summary);
        }
        return EXIT_OK;
    }
    let Some(name) = args.name.as_deref() else {
        eprintln!("error: a project name is required: `wippy new NAME`");
        return EXIT_USAGE;
    };
    let req = NewProject {
        name,
        parent: parent.unwrap_or(Path::new("")),
        template: &args.template,
        force: args.force,
        git: !args.no_git,
    };
    let created = match scaffold::create(&req) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    // Paths as the user would type them: `NAME/...`, or under the -C directory when given.
    let shown: PathBuf = match parent {
        Some(p) => p.join(name),
        None => PathBuf::from(name),
    };
    for f in &created.files {
        println!("created {}", shown.join(f).display());
    }
    match &created.git {
        GitOutcome::Initialized => println!("initialized a git repository in {}", shown.display()),
        GitOutcome::InsideRepository => println!("{} is inside a git repository: no new repository", shown.display()),
        GitOutcome::Skipped => {}
        GitOutcome::GitMissing => println!("git is not installed: no repository initialized"),
        GitOutcome::Failed(why) => println!("git init failed ({why}): no repository initialized"),
    }
    println!();
    println!("next steps:");
    println!("  cd {}", shown.display());
    for step in created.template.next_steps {
        println!("  {step}");
    }
    EXIT_OK
}

fn fail(e: &ScaffoldError) -> i32 {
    eprintln!("error: {e}");
    if let Some(help) = e.help() {
        eprintln!("  help: {help}");
    }
    if e.is_usage() {
        EXIT_USAGE
    } else {
        EXIT_FAILED
    }
}
