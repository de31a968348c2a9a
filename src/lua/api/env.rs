//! The `env` module: `env.get(name)` and `env.get_all()`.
//!
//! Lookup order for `get(name)`: an `env.variable` entry whose `variable` field (or entry ID) is
//! `name` names the OS variable to read and a `default`; its value is that OS variable when it is
//! set and `.wippy.yaml` allows the OS environment (`env.allow_os`, default true), else the
//! default. Without such an entry, the OS variable `name` itself, when allowed. Otherwise nil.

use mlua::{Lua, Table, Value as LuaValue};

use crate::lua::convert::from_value;
use crate::lua::process_state::with_state;
use crate::registry::{Entry, Registry};
use crate::value::Value;

/// An `env.variable` entry: the OS variable it reads and its default.
struct Declared<'a> {
    variable: String,
    default: Option<&'a Value>,
}

fn declared(e: &Entry) -> Option<Declared<'_>> {
    if e.kind_name != "env.variable" {
        return None;
    }
    let variable = match e.data.get("variable") {
        Some(v) => v.to_string(),
        None => e.id.name.clone(),
    };
    Some(Declared { variable, default: e.data.get("default").filter(|d| !d.is_nil()) })
}

fn os(name: &str, allow_os: bool) -> Option<Value> {
    if !allow_os || name.is_empty() || name.contains('=') || name.contains('\0') {
        return None;
    }
    std::env::var_os(name).map(|v| Value::str(&v.to_string_lossy()))
}

/// The value of `name`, by the lookup order in the module doc.
fn lookup(registry: &Registry, allow_os: bool, name: &str) -> Option<Value> {
    for e in registry.entries() {
        let Some(d) = declared(e) else { continue };
        if d.variable == name || e.id.to_string() == name {
            return os(&d.variable, allow_os).or_else(|| d.default.cloned());
        }
    }
    os(name, allow_os)
}

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "get",
        lua.create_function(|lua, name: String| {
            let (registry, allow_os) = with_state(lua, |_, st| Ok((st.rt.registry(), st.rt.config.env.allow_os)))?;
            match lookup(&registry, allow_os, &name) {
                Some(v) => from_value(lua, &v),
                None => Ok(LuaValue::Nil),
            }
        })?,
    )?;
    t.raw_set(
        "get_all",
        lua.create_function(|lua, ()| {
            let (registry, allow_os) = with_state(lua, |_, st| Ok((st.rt.registry(), st.rt.config.env.allow_os)))?;
            let out = lua.create_table()?;
            if allow_os {
                for (k, v) in std::env::vars_os() {
                    out.raw_set(k.to_string_lossy().as_ref(), v.to_string_lossy().as_ref())?;
                }
            }
            for e in registry.entries() {
                let Some(d) = declared(e) else { continue };
                if let Some(v) = os(&d.variable, allow_os).or_else(|| d.default.cloned()) {
                    out.raw_set(d.variable.as_str(), from_value(lua, &v)?)?;
                }
            }
            Ok(out)
        })?,
    )?;
    Ok(t)
}
