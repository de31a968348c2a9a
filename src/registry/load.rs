//! Loading a project, all-or-nothing:
//!
//! 1. read `wippy.lock` for the source directory (default `./src`);
//! 2. find every YAML file under it, in path order, and parse the definition files;
//! 3. drop duplicate IDs (R0005), keeping the first;
//! 4. convert each entry by kind, recording the references it makes;
//! 5. resolve references (R0006, R0009) and look for `requires` cycles (R0008);
//! 6. any error → every diagnostic, sorted; otherwise the entries and the warnings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::registry::entry::{Entry, EntryId};

use super::kinds::{self, Context, SourceCache};
use super::parse::{self, Parsed, RawEntry};
use super::report::{self, code, Report};
use super::resolve::{self, Catalog};
use super::{discover, lock};

pub(crate) struct Loaded {
    pub entries: Vec<Entry>,
    pub warnings: Vec<Diagnostic>,
    pub source_dirs: Vec<PathBuf>,
}

pub(crate) fn load(project_dir: &Path) -> Result<Loaded, Diagnostics> {
    let mut diags = Vec::new();
    if !project_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                code::FILE_MISSING,
                Location::file_start(project_dir),
                format!("project directory {} does not exist", project_dir.display()),
            )
            .with_help("run the command inside a project, or name its folder with `-C DIR`"),
        );
        return Err(Diagnostics(diags));
    }
    let lock = lock::read(project_dir, &mut diags);
    let source_dirs = vec![lock.src_dir.clone()];

    let mut catalog = Catalog::default();
    let mut raws = Vec::new();
    if lock.src_dir.is_dir() {
        for file in discover::yaml_files(&lock.src_dir, &mut diags) {
            match std::fs::read_to_string(&file) {
                Ok(text) => match parse::parse_file(&file, &text, &mut diags) {
                    Parsed::Definitions(defs) => raws.extend(defs.entries),
                    Parsed::Skipped => {}
                    Parsed::Broken { namespace } => catalog.mark_broken(namespace),
                },
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            code::FILE_MISSING,
                            Location::file_start(&file),
                            format!("cannot read {}: {e}", file.display()),
                        )
                        .with_help("check the file's permissions and that it is UTF-8 text"),
                    );
                    catalog.mark_broken(None);
                }
            }
        }
    } else {
        diags.push(missing_source_dir(&lock));
    }
    let raws = drop_duplicates(raws, &mut diags);
    tracing::debug!(entries = raws.len(), "registry definitions parsed");

    for raw in &raws {
        catalog.define(raw.id.clone(), raw.kind.as_ref().map(|(kind, _)| kind.clone()));
    }
    let mut refs = Vec::new();
    let mut sources = SourceCache::new();
    let mut entries = Vec::with_capacity(raws.len());
    for raw in &raws {
        // A kind-less entry was reported by the parser; there is no schema to check it against.
        let Some((kind_name, kind_pos)) = &raw.kind else {
            continue;
        };
        let mut r = Report::new(&raw.file, &mut diags);
        r.set_entry(Some(raw.id.to_string()));
        let mut cx = Context { r, id: &raw.id, refs: &mut refs, sources: &mut sources };
        entries.extend(kinds::convert(raw, kind_name, *kind_pos, &mut cx));
    }
    resolve::check_references(&refs, &catalog, &mut diags);
    let order: Vec<EntryId> = raws.iter().map(|raw| raw.id.clone()).collect();
    resolve::check_cycles(&refs, &order, &mut diags);

    report::sort(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diags));
    }
    Ok(Loaded { entries, warnings: diags, source_dirs })
}

/// Keeps the first entry of each ID and reports the others where they are written.
fn drop_duplicates(raws: Vec<RawEntry>, out: &mut Vec<Diagnostic>) -> Vec<RawEntry> {
    let mut first_seen: HashMap<EntryId, Location> = HashMap::new();
    let mut kept = Vec::with_capacity(raws.len());
    for raw in raws {
        let here = Location::new(&raw.file, raw.pos.line, raw.pos.column);
        if let Some(first) = first_seen.get(&raw.id) {
            out.push(
                Diagnostic::error(
                    code::DUPLICATE_ID,
                    here,
                    format!("entry `{}` is defined twice: here and at {first}", raw.id),
                )
                .with_help("entry IDs must be unique across the project: rename or remove one of the two")
                .with_entry(raw.id.to_string()),
            );
            continue;
        }
        first_seen.insert(raw.id.clone(), here);
        kept.push(raw);
    }
    kept
}

fn missing_source_dir(lock: &lock::Lock) -> Diagnostic {
    let message = format!("source directory {} does not exist", lock.src_dir.display());
    match &lock.src_origin {
        Some((lock_file, pos)) => Diagnostic::error(code::FILE_MISSING, Location::new(lock_file, pos.line, pos.column), message)
            .with_help("create the directory, or fix `directories.src` in wippy.lock"),
        None => Diagnostic::error(code::FILE_MISSING, Location::file_start(&lock.src_dir), message)
            .with_help("create the directory and put the definition files (`_index.yaml`) there, or set `directories.src` in wippy.lock"),
    }
}
