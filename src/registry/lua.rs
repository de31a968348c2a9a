//! The Lua code kinds (`process.lua`, `function.lua`, `library.lua`): their source file, body
//! `method`, built-in `modules` and `imports`.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::registry::entry::{EntryId, EntryKind, LuaEntry, LuaKind};

use super::fields::{wrong_type, Fields};
use super::kinds::{with_common, Context};
use super::report::code;
use super::resolve::RefKind;
use super::yaml::Pos;

const CODE_FIELDS: &[&str] = &["source", "method", "modules", "imports", "memory_limit"];
const LIBRARY_FIELDS: &[&str] = &["source", "modules", "imports"];
const FILE_SCHEME: &str = "file://";

pub(crate) fn convert(cx: &mut Context, f: &Fields, lua_kind: LuaKind, kind_name: &str) -> Option<EntryKind> {
    let owner = format!("a {kind_name} entry");
    let own = if lua_kind == LuaKind::Library { LIBRARY_FIELDS } else { CODE_FIELDS };
    f.reject_unknown(&mut cx.r, &with_common(own), &owner);

    let source_help = "add `source: file://<file>.lua`, a path relative to this YAML file's folder";
    let source =
        f.required_string(&mut cx.r, "source", &owner, source_help).and_then(|(s, pos)| read_source(cx, s, pos));
    // `Err` when a required `method` is missing (already reported); checked only at the end so
    // the fields after it are still read and their problems reported too.
    let method = match lua_kind {
        LuaKind::Library => Ok(None),
        LuaKind::Process | LuaKind::Function => {
            let help = "add `method: <function>`, naming the function the source file returns in its table (e.g. `method: main` for `return { main = main }`)";
            f.required_string(&mut cx.r, "method", &owner, help).map(|(m, _)| Some(m.to_string())).ok_or(())
        }
    };
    let modules = f.string_list(&mut cx.r, "modules").unwrap_or_default();
    let imports = read_imports(cx, f);
    let memory_limit = if lua_kind == LuaKind::Library { None } else { f.bytes(&mut cx.r, "memory_limit") };

    let (source_path, source) = source?;
    Some(EntryKind::Lua(LuaEntry {
        lua_kind,
        source_path,
        source,
        method: method.ok()?,
        modules: modules.into_iter().map(|(m, _)| m.to_string()).collect(),
        imports,
        memory_limit,
    }))
}

fn read_imports(cx: &mut Context, f: &Fields) -> Vec<(String, EntryId)> {
    let Some(imports) = f.map(&mut cx.r, "imports") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (alias, node) in imports.pairs() {
        let field = imports.path(&alias.name);
        match node.as_str() {
            Some(target) if !target.is_empty() => {
                let id = cx.reference(RefKind::Import, field, target, node.pos);
                out.push((alias.name.clone(), id));
            }
            _ => {
                let help = format!(
                    "write `{}: namespace:entry`, the Lua entry `require(\"{}\")` returns",
                    alias.name, alias.name
                );
                wrong_type(&mut cx.r, &field, node, "an entry reference", help);
            }
        }
    }
    out
}

/// Reads `file://path` relative to the YAML file's folder (through the cache).
fn read_source(cx: &mut Context, written: &str, pos: Pos) -> Option<(PathBuf, Arc<str>)> {
    let Some(relative) = written.strip_prefix(FILE_SCHEME).filter(|r| !r.is_empty()) else {
        let help = format!(
            "write the source as a file URL relative to this YAML file's folder, e.g. `source: file://{}`",
            suggested_file(written)
        );
        cx.r.error(code::WRONG_TYPE, pos, format!("`source` must be a file:// URL, found {written:?}"), help);
        return None;
    };
    let path = absolute(&cx.yaml_dir().join(relative));
    let loaded = cx.sources.entry(path.clone()).or_insert_with(|| load(&path)).clone();
    match loaded {
        Ok(text) => Some((path, text)),
        Err(why) => {
            let help = format!(
                "create the file, or fix the path: it is relative to the folder of this YAML file ({})",
                cx.yaml_dir().display()
            );
            cx.r.error(code::FILE_MISSING, pos, format!("source file {written} {why}"), help);
            None
        }
    }
}

fn load(path: &Path) -> Result<Arc<str>, String> {
    match std::fs::read(path) {
        Ok(bytes) => {
            String::from_utf8(bytes).map(Arc::from).map_err(|_| format!("({}) is not valid UTF-8", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("not found ({} does not exist)", path.display()))
        }
        Err(_) if path.is_dir() => Err(format!("is a directory ({})", path.display())),
        Err(e) => Err(format!("cannot be read ({}): {e}", path.display())),
    }
}

/// An absolute path without `.` components; `..` is kept (resolving it lexically would be
/// wrong across symlinks).
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    path.components().filter(|c| *c != Component::CurDir).collect()
}

/// `main.lua` for a `source: main.lua` written without the scheme.
fn suggested_file(written: &str) -> &str {
    if written.ends_with(".lua") && !written.contains("://") {
        written
    } else {
        "main.lua"
    }
}
