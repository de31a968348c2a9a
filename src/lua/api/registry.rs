//! The `registry` module: read-only access to the loaded entries. `registry.get(id)` → entry
//! table or `nil, err` (NOT_FOUND); `registry.find(filters)` → list of entry tables matching every
//! filter. Each call reads the registry in force at that moment (a reload may swap it).
//!
//! An entry table has `id`, `name`, `namespace`, `kind`, `meta` (a table, empty when the entry has
//! none) and `data` (the kind's own fields); the kind's fields are also copied to the top level
//! (`entry.port` as well as `entry.data.port`) unless they collide with those six names.
//!
//! Filters: `kind`, `namespace`, `name`, `id`, `["meta.KEY"]` (a meta field) and any other key (a
//! top-level field of the entry); each must equal the given value.
//!
//! Security (lua-api.md names no action for the registry; docs/semantics.md records this choice):
//! `registry.get` is guarded by `registry.get` on the entry's ID; `registry.find` by
//! `registry.find` on the `namespace` filter (`*` without one), and it lists only the entries the
//! process may `registry.get`, so a search cannot reveal what a read would refuse.

use mlua::{Lua, Table, Value as LuaValue};

use super::errors::fail;
use super::security::guard;
use crate::lua::convert::{from_value, to_value};
use crate::lua::process_state::with_state;
use crate::registry::{Entry, EntryId};
use crate::value::Value;

const RESERVED: &[&str] = &["id", "name", "namespace", "kind", "meta", "data"];

fn entry_table(lua: &Lua, e: &Entry) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let fields = lua.create_table()?;
    if let Value::Table(d) = &e.data {
        for (k, v) in &d.map {
            if matches!(k.as_str(), Some("name" | "kind" | "meta")) {
                continue;
            }
            let (k, v) = (from_value(lua, k)?, from_value(lua, v)?);
            if !matches!(&k, LuaValue::String(s) if RESERVED.iter().any(|r| s.as_bytes() == r.as_bytes())) {
                t.raw_set(k.clone(), v.clone())?;
            }
            fields.raw_set(k, v)?;
        }
    }
    t.raw_set("id", e.id.to_string())?;
    t.raw_set("name", e.id.name.as_str())?;
    t.raw_set("namespace", e.id.namespace.as_str())?;
    t.raw_set("kind", e.kind_name.as_str())?;
    let meta = match e.data.get("meta") {
        Some(m @ Value::Table(_)) => from_value(lua, m)?,
        _ => LuaValue::Table(lua.create_table()?),
    };
    t.raw_set("meta", meta)?;
    t.raw_set("data", fields)?;
    Ok(t)
}

/// Whether `e` passes the filter `key = want`.
fn matches(e: &Entry, key: &str, want: &Value) -> bool {
    let text = |s: &str| want.as_str() == Some(s);
    match key {
        "kind" => text(&e.kind_name),
        "namespace" => text(&e.id.namespace),
        "name" => text(&e.id.name),
        "id" => text(&e.id.to_string()),
        _ => {
            let found = match key.strip_prefix("meta.") {
                Some(m) => e.data.get("meta").and_then(|meta| meta.get(m)),
                None => e.data.get(key),
            };
            found.is_some_and(|v| same(v, want))
        }
    }
}

/// Equality as Lua sees it for scalars (`1 == 1.0`); tables compare by content.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => *i as f64 == *f,
        _ => a == b,
    }
}

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "get",
        lua.create_function(|lua, id: String| {
            let (registry, ns) = with_state(lua, |_, st| Ok((st.rt.registry(), st.entry.id.namespace.clone())))?;
            let full = EntryId::resolve(&id, &ns);
            if let Err(e) = with_state(lua, |_, st| Ok(guard(st, "registry.get", &full.to_string())))? {
                return super::errors::fail_with(lua, &e);
            }
            match registry.get(&full) {
                Some(e) => Ok((LuaValue::Table(entry_table(lua, e)?), LuaValue::Nil)),
                None => fail(lua, "NOT_FOUND", format!("registry.get: no entry {full}")),
            }
        })?,
    )?;
    t.raw_set(
        "find",
        lua.create_function(|lua, filters: Option<Table>| {
            let mut wanted: Vec<(String, Value)> = Vec::new();
            if let Some(f) = filters {
                for pair in f.pairs::<String, LuaValue>() {
                    let (k, v) = pair?;
                    let v =
                        to_value(&v).map_err(|e| mlua::Error::runtime(format!("registry.find: filter {k}: {e}")))?;
                    wanted.push((k, v));
                }
            }
            let namespace = wanted.iter().find(|(k, _)| k == "namespace").and_then(|(_, v)| v.as_str());
            let scope = namespace.unwrap_or("*").to_string();
            let registry = with_state(lua, |_, st| Ok(st.rt.registry()))?;
            let matching: Vec<&Entry> =
                registry.entries().filter(|e| wanted.iter().all(|(k, v)| matches(e, k, v))).collect();
            let visible = with_state(lua, |_, st| {
                Ok(guard(st, "registry.find", &scope).map(|()| {
                    matching
                        .iter()
                        .filter(|e| guard(st, "registry.get", &e.id.to_string()).is_ok())
                        .copied()
                        .collect::<Vec<&Entry>>()
                }))
            })?;
            let visible = match visible {
                Ok(v) => v,
                Err(e) => return super::errors::fail_with(lua, &e),
            };
            let out = lua.create_table()?;
            for e in visible {
                out.push(entry_table(lua, e)?)?;
            }
            Ok((LuaValue::Table(out), LuaValue::Nil))
        })?,
    )?;
    Ok(t)
}
