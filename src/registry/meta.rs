//! `meta`: free-form, except for the keys the runtime gives a meaning to (`type`, `suite`,
//! `order`, `command`, `default_host`, ...), whose types are checked.

use crate::registry::entry::{Command, Meta};

use super::fields::Fields;
use super::kinds::Context;
use super::resolve::RefKind;

/// Reads the entry's `meta`; the whole map also stays in `Entry::data`.
pub(crate) fn read(cx: &mut Context, entry: &Fields) -> Meta {
    let mut meta = Meta::default();
    let Some(m) = entry.map(&mut cx.r, "meta") else {
        return meta;
    };
    let text = |cx: &mut Context, name: &str| m.string(&mut cx.r, name).map(|(s, _)| s.to_string());
    meta.comment = text(cx, "comment");
    meta.title = text(cx, "title");
    meta.type_ = text(cx, "type");
    meta.suite = text(cx, "suite");
    meta.order = m.int(&mut cx.r, "order");
    meta.command = m.map(&mut cx.r, "command").and_then(|c| {
        let help = "add `name: <command>`; it is what `wippy run <command>` looks for";
        let name = c.required_string(&mut cx.r, "name", "`meta.command`", help);
        let short = c.string(&mut cx.r, "short").map(|(s, _)| s.to_string());
        let use_case = c.string(&mut cx.r, "use_case").map(|(s, _)| s.to_string());
        Some(Command { name: name?.0.to_string(), short, use_case })
    });
    if let Some((host, pos)) = m.string(&mut cx.r, "default_host") {
        meta.default_host = Some(cx.reference(RefKind::DefaultHost, m.path("default_host"), host, pos));
    }
    meta
}
