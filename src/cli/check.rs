//! `wippy check`: lints the project (registry and Lua entries) or plain Lua paths, prints the
//! diagnostics (human, JSON or GitHub annotations) and a summary, and sets the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Color, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{self, render, Progress, Settings};

/// Trees at least this large get a progress bar (on a terminal).
const PROGRESS_FROM: usize = 500;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories of Lua files to check as plain Lua, without the project's registry.
    pub paths: Vec<PathBuf>,
    /// Print JSON (same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Show diagnostics of this severity and worse.
    #[arg(long, value_enum, default_value_t = Level::Hint)]
    pub level: Level,
    /// Style rules: `--rules` for all, `--rules=shadowing,W0004` for some (names or codes).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "all", value_name = "RULES")]
    pub rules: Option<String>,
    /// List the rules and their codes, then exit.
    #[arg(long)]
    pub list_rules: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Hint,
}

impl Level {
    fn shows(self, s: Severity) -> bool {
        match self {
            Level::Error => s == Severity::Error,
            Level::Warning => s != Severity::Hint,
            Level::Hint => true,
        }
    }
}

pub fn run(project: &Path, config: &[PathBuf], color: Color, args: &CheckArgs) -> i32 {
    if args.list_rules {
        for r in lint::rules() {
            let when = if r.style { "with --rules" } else { "always" };
            println!("{}  {:<20} {:<8} {:<12} {}", r.code, r.name, r.severity.as_str(), when, r.summary);
        }
        return EXIT_OK;
    }
    let format = match (args.json, args.format) {
        (true, Some(f)) if f != Format::Json => {
            eprintln!("error: --json and --format {f:?} disagree");
            return EXIT_USAGE;
        }
        (true, _) => Format::Json,
        (false, f) => f.unwrap_or(Format::Human),
    };
    let settings = match Settings::load(config, &project.join(".wippy.yaml")) {
        Ok(s) => s.with_flag(args.rules.as_deref()),
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let stderr_tty = std::io::stderr().is_terminal();
    let bar = Bar::new(format == Format::Human && stderr_tty);
    let result = if args.paths.is_empty() {
        lint::check_project(project, &settings, &bar)
    } else {
        lint::check_paths(&args.paths, &settings, &bar)
    };
    bar.done();
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let shown: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| args.level.shows(d.severity)).collect();
    let colour = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    };
    let mut text = String::new();
    match format {
        Format::Human => {
            let mut sources = render::Sources::new(&report);
            for d in &shown {
                text.push_str(&render::human(d, &mut sources, colour));
                text.push('\n');
            }
            text.push_str(&render::summary(report.files, &shown));
            text.push('\n');
        }
        Format::Json => text = render::json(report.files, &shown),
        Format::Github => {
            for d in &shown {
                text.push_str(&render::github(d));
            }
            eprintln!("{}", render::summary(report.files, &shown));
        }
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    if report.errors() > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// An indicatif bar on stderr for large trees; nothing otherwise.
struct Bar {
    bar: OnceLock<ProgressBar>,
    enabled: bool,
}

impl Bar {
    fn new(enabled: bool) -> Bar {
        Bar { bar: OnceLock::new(), enabled }
    }

    fn done(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, files: usize) {
        if self.enabled && files >= PROGRESS_FROM {
            let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("checking {bar:40} {pos}/{len} files")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let _ = self.bar.set(bar);
        }
    }

    fn advance(&self) {
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        }
    }
}
