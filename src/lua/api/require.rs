//! `require`: built-in modules listed in the entry's `modules:`, and library entries listed in
//! its `imports:`. Nothing else is reachable.

use mlua::{Function, Lua, Value as LuaValue};

use crate::lua::process_state::with_state;
use crate::registry::EntryKind;

/// Modules always reachable by `require` (they are globals too).
const ALWAYS: &[&str] = &["errors", "channel", "payload"];

/// Built-in modules an entry may list in `modules:`.
pub const BUILTIN: &[&str] = &["time", "io", "bench"];

/// Returns `(chunk, nil)` for an import (the prelude runs the chunk) or `(nil, module)`.
pub fn resolve(lua: &Lua, name: String) -> mlua::Result<(Option<Function>, LuaValue)> {
    if ALWAYS.contains(&name.as_str()) {
        return Ok((None, lua.globals().get(name.as_str())?));
    }
    let (entry, terminal, rt) = with_state(lua, |_, st| Ok((st.entry.clone(), st.host.terminal, st.rt.clone())))?;
    let EntryKind::Lua(le) = &entry.kind else {
        return Err(mlua::Error::runtime("require outside a Lua entry"));
    };
    if let Some((_, target)) = le.imports.iter().find(|(alias, _)| *alias == name) {
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
        let display = crate::lua::display_path(&registry, &lib_lua.source_path);
        let code = rt
            .lua
            .code
            .get(&lib_lua.source, &lib_lua.source_path, &display)
            .map_err(|e| mlua::Error::runtime(e.message.clone()))?;
        let chunk = lua
            .load(&code.bytecode[..])
            .set_name(&code.chunk_name)
            .set_mode(mlua::chunk::ChunkMode::Binary)
            .into_function()?;
        return Ok((Some(chunk), LuaValue::Nil));
    }
    if le.modules.iter().any(|m| *m == name) {
        let module = match name.as_str() {
            "time" => super::time::register(lua)?,
            "io" if terminal => super::io::register(lua)?,
            "io" => {
                return Err(mlua::Error::runtime(
                    "require('io'): io is only available to the command running on a terminal host",
                ))
            }
            "bench" => super::io::bench(lua)?,
            other => {
                return Err(mlua::Error::runtime(format!(
                    "require('{other}'): module '{other}' is not provided by this runtime (built-in modules: {})",
                    BUILTIN.join(", ")
                )))
            }
        };
        return Ok((None, LuaValue::Table(module)));
    }
    Err(mlua::Error::runtime(format!(
        "require('{name}'): module '{name}' is not declared by entry {}; add it to `modules:` (built-in modules) or `imports:` (library entries) in its definition",
        entry.id
    )))
}
