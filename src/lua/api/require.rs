//! `require`: built-in modules listed in the requiring entry's `modules:`, and library entries
//! listed in its `imports:`. Nothing else is reachable. Results are cached per process.

use std::sync::Arc;

use mlua::{Lua, Table, Value as LuaValue};

use crate::lua::process_state::with_state;
use crate::registry::{Entry, EntryId, EntryKind};

/// Modules always reachable by `require` (they are globals too).
const ALWAYS: &[&str] = &["errors", "channel", "payload"];

/// Built-in modules an entry may list in `modules:`.
pub const BUILTIN: &[&str] = &[
    "time", "io", "bench", "services", "funcs", "ctx", "json", "yaml", "base64", "hash", "uuid", "env", "registry",
    "logger", "events", "security",
];

const LOADED: &str = "wippy.loaded";

/// The global `require`: resolves against the process's own entry.
pub fn require(lua: &Lua, name: String) -> mlua::Result<LuaValue> {
    let entry = with_state(lua, |_, st| Ok(st.entry.clone()))?;
    require_in(lua, &entry, &name)
}

/// `require(name)` as written in the source of `entry`: a library resolves its own `modules:`
/// and `imports:`, not those of whoever imported it. Modules are cached per process, built-ins by
/// name and libraries by entry ID, so two importers of one library share one copy.
fn require_in(lua: &Lua, entry: &Arc<Entry>, name: &str) -> mlua::Result<LuaValue> {
    let loaded: Table = match lua.named_registry_value::<Option<Table>>(LOADED)? {
        Some(t) => t,
        None => {
            let t = lua.create_table()?;
            lua.set_named_registry_value(LOADED, t.clone())?;
            t
        }
    };
    let EntryKind::Lua(le) = &entry.kind else {
        return Err(mlua::Error::runtime("require outside a Lua entry"));
    };
    let import = le.imports.iter().find(|(alias, _)| alias == name).map(|(_, target)| target.clone());
    // Permission first: the cache is per process, and another entry may have loaded the module.
    if import.is_none() && !ALWAYS.contains(&name) && !le.modules.iter().any(|m| m == name) {
        return Err(undeclared(entry, name));
    }
    let key = match &import {
        Some(target) => format!("entry:{target}"),
        None => format!("module:{name}"),
    };
    let cached: LuaValue = loaded.raw_get(key.as_str())?;
    if !cached.is_nil() {
        return Ok(cached);
    }
    let mut module = match import {
        Some(target) => load_library(lua, name, &target)?,
        None => builtin(lua, entry, le, name)?,
    };
    if module.is_nil() {
        module = LuaValue::Boolean(true);
    }
    loaded.raw_set(key.as_str(), module.clone())?;
    Ok(module)
}

/// Runs a library entry's chunk with a `require` of its own (its `_ENV` reads and writes the
/// process's globals otherwise). Its top level runs to completion here; it cannot block.
fn load_library(lua: &Lua, alias: &str, target: &EntryId) -> mlua::Result<LuaValue> {
    let rt = with_state(lua, |_, st| Ok(st.rt.clone()))?;
    let registry = rt.registry();
    let Some(lib) = registry.get_shared(target) else {
        return Err(mlua::Error::runtime(format!("require('{alias}'): import target {target} does not exist")));
    };
    let EntryKind::Lua(lib_lua) = &lib.kind else {
        return Err(mlua::Error::runtime(format!(
            "require('{alias}'): {target} is a {} entry, not Lua code",
            lib.kind_name
        )));
    };
    let code = rt
        .lua
        .code
        .get(&lib_lua.source, &lib_lua.source_path, || crate::lua::display_path(&registry, &lib_lua.source_path))
        .map_err(|e| mlua::Error::runtime(e.message.clone()))?;
    let chunk = code.load(lua)?;
    let globals = lua.globals();
    let env = lua.create_table_with_capacity(0, 1)?;
    let lib_entry = lib.clone();
    env.raw_set("require", lua.create_function(move |lua, name: String| require_in(lua, &lib_entry, &name))?)?;
    let mt = lua.create_table_with_capacity(0, 2)?;
    mt.raw_set("__index", globals.clone())?;
    mt.raw_set("__newindex", globals)?;
    env.set_metatable(Some(mt))?;
    chunk.set_environment(env)?;
    chunk.call(())
}

fn builtin(lua: &Lua, entry: &Entry, le: &crate::registry::LuaEntry, name: &str) -> mlua::Result<LuaValue> {
    if ALWAYS.contains(&name) {
        return lua.globals().get(name);
    }
    let terminal = with_state(lua, |_, st| Ok(st.host.terminal))?;
    if le.modules.iter().any(|m| m == name) {
        let module = match name {
            "time" => super::time::register(lua)?,
            "io" if terminal => super::io::register(lua)?,
            "io" => {
                return Err(mlua::Error::runtime(
                    "require('io'): io is only available to the command running on a terminal host",
                ))
            }
            "bench" => super::io::bench(lua)?,
            "services" => super::services::register(lua)?,
            "json" => super::json::register(lua)?,
            "yaml" => super::yaml::register(lua)?,
            "base64" => super::base64::register(lua)?,
            "hash" => super::hash::register(lua)?,
            "uuid" => super::uuid::register(lua)?,
            "env" => super::env::register(lua)?,
            "registry" => super::registry::register(lua)?,
            "events" => super::events::register(lua)?,
            "logger" => return Ok(LuaValue::UserData(super::logger::register(lua)?)),
            "funcs" => super::funcs::register(lua)?,
            "ctx" => super::ctx::register(lua)?,
            "security" => super::security::register(lua)?,
            other => {
                return Err(mlua::Error::runtime(format!(
                    "require('{other}'): module '{other}' is not provided by this runtime (built-in modules: {})",
                    BUILTIN.join(", ")
                )))
            }
        };
        return Ok(LuaValue::Table(module));
    }
    Err(undeclared(entry, name))
}

fn undeclared(entry: &Entry, name: &str) -> mlua::Error {
    mlua::Error::runtime(format!(
        "require('{name}'): module '{name}' is not declared by entry {}; add it to `modules:` (built-in modules) or `imports:` (library entries) in its definition",
        entry.id
    ))
}
