//! From a raw entry to a typed `Entry`: the kind dispatch and the `Context` every kind's
//! converter works in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::registry::entry::{Entry, EntryId, EntryKind, LuaKind};

use super::fields::Fields;
use super::parse::RawEntry;
use super::report::{code, Report};
use super::resolve::{RefKind, Reference};
use super::yaml::{self, Pos};
use super::{host, lua, meta, policy, service};

/// Kinds that are accepted and kept as data only; their own validation belongs elsewhere.
const DATA_KINDS: &[&str] = &["registry.entry", "env.variable"];

/// Fields every entry may have, whatever its kind.
pub(crate) const COMMON_FIELDS: &[&str] = &["name", "kind", "meta"];

/// Lua source files by absolute path, each read once however many entries name it.
pub(crate) type SourceCache = HashMap<PathBuf, Result<Arc<str>, String>>;

/// What a converter needs besides the entry's fields.
pub(crate) struct Context<'a> {
    pub r: Report<'a>,
    pub id: &'a EntryId,
    pub refs: &'a mut Vec<Reference>,
    pub sources: &'a mut SourceCache,
}

impl Context<'_> {
    /// Records a reference written at `pos` and returns the ID it resolves to.
    pub(crate) fn reference(&mut self, kind: RefKind, field: String, written: &str, pos: Pos) -> EntryId {
        let target = EntryId::resolve(written, &self.id.namespace);
        self.refs.push(Reference {
            from: self.id.clone(),
            target: target.clone(),
            kind,
            field,
            location: self.r.location(pos),
        });
        target
    }

    /// The folder of the definition file, which `file://` sources are relative to.
    pub(crate) fn yaml_dir(&self) -> &Path {
        self.r.file().parent().unwrap_or(Path::new(""))
    }
}

/// Converts one entry. `None` means errors were reported; the load will fail.
pub(crate) fn convert(raw: &RawEntry, kind_name: &str, kind_pos: Pos, cx: &mut Context) -> Option<Entry> {
    let fields = Fields::new(&raw.pairs, raw.pos);
    let meta = meta::read(cx, &fields);
    let kind = match kind_name {
        "process.lua" => lua::convert(cx, &fields, LuaKind::Process, kind_name),
        "function.lua" => lua::convert(cx, &fields, LuaKind::Function, kind_name),
        "library.lua" => lua::convert(cx, &fields, LuaKind::Library, kind_name),
        "process.host" => host::process_host(cx, &fields),
        "terminal.host" => host::terminal_host(cx, &fields),
        "process.service" => service::convert(cx, &fields),
        "security.policy" => policy::convert(cx, &fields),
        _ if DATA_KINDS.contains(&kind_name) => Some(EntryKind::Data),
        _ => {
            cx.r.warning(
                code::UNSUPPORTED_KIND,
                kind_pos,
                format!("kind {kind_name} is not supported by this runtime; it is loaded as data"),
                "the entry can be read through the `registry` module, but nothing runs it; anything that uses it at run time gets an error naming the kind",
            );
            Some(EntryKind::Unsupported)
        }
    };
    Some(Entry {
        id: raw.id.clone(),
        kind_name: kind_name.to_string(),
        kind: kind?,
        meta,
        location: cx.r.location(raw.pos),
        data: yaml::map_value(&raw.pairs),
    })
}

/// `COMMON_FIELDS` followed by a kind's own fields, for `Fields::reject_unknown`.
pub(crate) fn with_common(own: &[&'static str]) -> Vec<&'static str> {
    COMMON_FIELDS.iter().chain(own).copied().collect()
}
