//! `require`: built-in modules listed in the entry's `modules:`, and library entries listed in
//! its `imports:`. Nothing else is reachable. Results are cached per process.

use mlua::{Lua, Table, Value as LuaValue};

use crate::lua::process_state::with_state;
use crate::registry::EntryKind;

/// Modules always reachable by `require` (they are globals too).
const ALWAYS: &[&str] = &["errors", "channel", "payload"];

/// Built-in modules an entry may list in `modules:`.
pub const BUILTIN: &[&str] = &["time", "io", "bench", "services"];

const LOADED: &str = "wippy.loaded";

pub fn require(lua: &Lua, name: String) -> mlua::Result<LuaValue> {
    let loaded: Table = match lua.named_registry_value::<Option<Table>>(LOADED)? {
        Some(t) => t,
        None => {
            let t = lua.create_table()?;
            lua.set_named_registry_value(LOADED, t.clone())?;
            t
        }
    };
    let cached: LuaValue = loaded.raw_get(name.as_str())?;
    if !cached.is_nil() {
        return Ok(cached);
    }
    let mut module = resolve(lua, &name)?;
    if module.is_nil() {
        module = LuaValue::Boolean(true);
    }
    loaded.raw_set(name.as_str(), module.clone())?;
    Ok(module)
}

fn resolve(lua: &Lua, name: &str) -> mlua::Result<LuaValue> {
    if ALWAYS.contains(&name) {
        return lua.globals().get(name);
    }
    let (entry, terminal, rt) = with_state(lua, |_, st| Ok((st.entry.clone(), st.host.terminal, st.rt.clone())))?;
    let EntryKind::Lua(le) = &entry.kind else {
        return Err(mlua::Error::runtime("require outside a Lua entry"));
    };
    if let Some((_, target)) = le.imports.iter().find(|(alias, _)| alias == name) {
        let registry = rt.registry();
        let Some(lib) = registry.get(target) else {
            return Err(mlua::Error::runtime(format!("require('{name}'): import target {target} does not exist")));
        };
        let EntryKind::Lua(lib_lua) = &lib.kind else {
            return Err(mlua::Error::runtime(format!(
                "require('{name}'): {target} is a {} entry, not Lua code",
                lib.kind_name
            )));
        };
        let code = rt
            .lua
            .code
            .get(&lib_lua.source, &lib_lua.source_path, || crate::lua::display_path(&registry, &lib_lua.source_path))
            .map_err(|e| mlua::Error::runtime(e.message.clone()))?;
        let chunk = lua
            .load(&code.bytecode[..])
            .set_name(&code.chunk_name)
            .set_mode(mlua::chunk::ChunkMode::Binary)
            .into_function()?;
        // A library's top level runs to completion here; it cannot block.
        return chunk.call(());
    }
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
            other => {
                return Err(mlua::Error::runtime(format!(
                    "require('{other}'): module '{other}' is not provided by this runtime (built-in modules: {})",
                    BUILTIN.join(", ")
                )))
            }
        };
        return Ok(LuaValue::Table(module));
    }
    Err(mlua::Error::runtime(format!(
        "require('{name}'): module '{name}' is not declared by entry {}; add it to `modules:` (built-in modules) or `imports:` (library entries) in its definition",
        entry.id
    )))
}
