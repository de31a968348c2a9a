//! `wippy check`'s engine: which files to check, checking them in parallel, and the report.
//!
//! Two modes:
//! - **project** (`wippy check`, `-C DIR`): the registry loader (`Registry::load`) reports every
//!   YAML, schema and reference problem (R0001–R0102); then each Lua file that an entry uses is
//!   checked once, with the entries that use it (for `method` and `require`, R0201/R0202). If the
//!   registry has errors, the `.lua` files under the source directory are still checked as plain
//!   files, so one run shows every problem.
//! - **paths** (`wippy check PATH...`): every `.lua` file under the paths, with no registry and
//!   plain Lua 5.4's globals added to the runtime's, so any Lua tree can be checked.
//!
//! Per file: parse (`parse`), one walk that resolves names (`scope`) and runs every enabled rule
//! (`walk`, `rules/`), then inline allows (`suppress`). Files are spread over one thread per core,
//! largest first; nothing is shared between files but the read-only registry and settings.

mod config;
mod files;
mod globals;
mod parse;
pub mod render;
mod rule;
mod rules;
mod scope;
mod suggest;
mod suppress;
mod typecheck;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

pub use config::Settings;
pub use globals::Known;
pub use rule::RuleInfo;

use crate::diagnostic::{Diagnostic, Location};
use crate::registry::{Entry, EntryKind, Registry};

/// Why a check could not run at all (exit code 2), as opposed to problems found (diagnostics).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    #[error("{file}: {why}")]
    Config { file: PathBuf, why: String },
    #[error("unknown rule `{word}`; rules are: {known}")]
    UnknownRule { word: String, known: String },
}

/// Told about progress by the worker threads.
pub trait Progress: Sync {
    fn start(&self, _files: usize) {}
    fn advance(&self) {}
}

/// No progress display.
pub struct Quiet;
impl Progress for Quiet {}

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Lua files checked.
    pub files: usize,
    /// The text of every checked file with a diagnostic, by the path diagnostics show.
    pub sources: FxHashMap<PathBuf, Arc<str>>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Every rule: name, code, severity, whether it is a style rule.
pub fn rules() -> impl Iterator<Item = &'static RuleInfo> {
    rules::ALL.iter().map(|r| r.info())
}

/// Checks the project at `dir`.
pub fn check_project(dir: &Path, settings: &Settings, progress: &dyn Progress) -> Result<Report, LintError> {
    if !dir.is_dir() {
        return Err(LintError::Missing(dir.to_path_buf()));
    }
    let rules = settings.rules()?;
    let cwd = std::env::current_dir().unwrap_or_default();
    match Registry::load(dir) {
        Ok(registry) => {
            let known = Known::process(&settings.globals);
            let mut by_file: Vec<(PathBuf, Arc<str>, Vec<&Entry>)> = Vec::new();
            let mut index: FxHashMap<&Path, usize> = FxHashMap::default();
            for entry in registry.entries() {
                let EntryKind::Lua(lua) = &entry.kind else { continue };
                let i = *index.entry(lua.source_path.as_path()).or_insert_with(|| {
                    by_file.push((lua.source_path.clone(), Arc::clone(&lua.source), Vec::new()));
                    by_file.len() - 1
                });
                by_file[i].2.push(entry);
            }
            let units: Vec<Unit> = by_file
                .into_iter()
                .map(|(path, source, entries)| Unit {
                    shown: shown_path(&cwd, &path),
                    path,
                    source: Some(source),
                    entries,
                })
                .collect();
            let mut report = run(&units, &known, &rules, progress);
            report.diagnostics.extend(registry.warnings().iter().cloned());
            finish(&mut report, &cwd);
            Ok(report)
        }
        Err(problems) => {
            let known = Known::process(&settings.globals);
            let units: Vec<Unit> = files::lua_files(&[files::source_dir(dir)])
                .into_iter()
                .map(|path| Unit { shown: shown_path(&cwd, &path), path, source: None, entries: Vec::new() })
                .collect();
            let mut report = run(&units, &known, &rules, progress);
            report.diagnostics.extend(problems.0);
            finish(&mut report, &cwd);
            Ok(report)
        }
    }
}

/// Checks the `.lua` files under `paths` as plain Lua, without a registry.
pub fn check_paths(paths: &[PathBuf], settings: &Settings, progress: &dyn Progress) -> Result<Report, LintError> {
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        return Err(LintError::Missing(missing.clone()));
    }
    let rules = settings.rules()?;
    let known = Known::plain(&settings.globals);
    let cwd = std::env::current_dir().unwrap_or_default();
    let units: Vec<Unit> = files::lua_files(paths)
        .into_iter()
        .map(|path| Unit { shown: shown_path(&cwd, &path), path, source: None, entries: Vec::new() })
        .collect();
    let mut report = run(&units, &known, &rules, progress);
    finish(&mut report, &cwd);
    Ok(report)
}

/// Checks one plain Lua text as if it were the file `path` (snapshot tests, editors).
pub fn check_source(path: &Path, source: &str, settings: &Settings) -> Result<Vec<Diagnostic>, LintError> {
    let rules = settings.rules()?;
    let known = Known::plain(&settings.globals);
    let unit = scope::FileUnit { path, source, entries: &[], known: &known };
    let mut diagnostics = check_text(&unit, &rules);
    diagnostics.sort_by(order);
    Ok(diagnostics)
}

/// One file to check.
struct Unit<'r> {
    path: PathBuf,
    /// The path diagnostics show (relative to the working directory when inside it).
    shown: PathBuf,
    /// Already read (registry sources), or read by the worker.
    source: Option<Arc<str>>,
    entries: Vec<&'r Entry>,
}

fn run(units: &[Unit<'_>], known: &Known, rules: &[&'static dyn Rule], progress: &dyn Progress) -> Report {
    progress.start(units.len());
    // Largest first, so that a big file does not start last and leave the other threads idle.
    let mut order: Vec<(u64, usize)> = units.iter().enumerate().map(|(i, u)| (u.size(), i)).collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(units.len()));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(units.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(_, i)) = order.get(n) else { break };
                    let unit = &units[i];
                    mine.push(check_unit(unit, known, rules));
                    progress.advance();
                }
                results.lock().unwrap_or_else(|p| p.into_inner()).extend(mine);
            });
        }
    });
    let mut report = Report { files: units.len(), ..Report::default() };
    for (shown, source, diagnostics) in results.into_inner().unwrap_or_else(|p| p.into_inner()) {
        if !diagnostics.is_empty() {
            if let Some(source) = source {
                report.sources.insert(shown, source);
            }
            report.diagnostics.extend(diagnostics);
        }
    }
    report
}

impl Unit<'_> {
    fn size(&self) -> u64 {
        match &self.source {
            Some(s) => s.len() as u64,
            None => std::fs::metadata(&self.path).map_or(0, |m| m.len()),
        }
    }
}

fn check_unit(
    unit: &Unit<'_>,
    known: &Known,
    rules: &[&'static dyn Rule],
) -> (PathBuf, Option<Arc<str>>, Vec<Diagnostic>) {
    let source = match &unit.source {
        Some(s) => Arc::clone(s),
        None => match std::fs::read(&unit.path).map(String::from_utf8) {
            Ok(Ok(text)) => Arc::from(text),
            Ok(Err(_)) => return (unit.shown.clone(), None, vec![unreadable(&unit.shown, "is not valid UTF-8")]),
            Err(e) => return (unit.shown.clone(), None, vec![unreadable(&unit.shown, &e.to_string())]),
        },
    };
    let file = scope::FileUnit { path: &unit.shown, source: &source, entries: &unit.entries, known };
    let diagnostics = check_text(&file, rules);
    (unit.shown.clone(), Some(source), diagnostics)
}

fn check_text(file: &scope::FileUnit<'_>, rules: &[&'static dyn Rule]) -> Vec<Diagnostic> {
    let source = file.source;
    let mut diagnostics = match parse::parse(source, file.path) {
        Ok(parsed) => {
            let mut found = walk::walk(&parsed.ast, &parsed.types, file, rules);
            let types_on = rules.iter().any(|r| r.info().name == "type_check");
            if let (Some(declared), true) = (&parsed.declared, types_on) {
                found.extend(typecheck::check(&parsed.ast, declared, source, file.path));
            }
            found
        }
        Err(errors) => errors,
    };
    suppress::apply(source, &mut diagnostics);
    diagnostics
}

fn unreadable(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error("R0007", Location::file_start(path), format!("cannot read {}: {why}", path.display()))
}

fn finish(report: &mut Report, cwd: &Path) {
    for d in &mut report.diagnostics {
        d.location.file = shown_path(cwd, &d.location.file);
    }
    report.diagnostics.sort_by(order);
    report.diagnostics.dedup();
}

fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (&a.location, a.code, &a.message).cmp(&(&b.location, b.code, &b.message))
}

/// `path` relative to `cwd` when it is inside it.
fn shown_path(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.components().filter(|c| *c != std::path::Component::CurDir).collect()
    }
}

use rule::Rule;
