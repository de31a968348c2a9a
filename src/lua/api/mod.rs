//! The Lua API of a process: one module per global or built-in module, each with a `register`.

pub mod base64;
pub mod casts;
pub mod channel;
pub mod ctx;
pub mod env;
pub mod errors;
pub mod events;
pub mod funcs;
pub mod hash;
pub mod io;
pub mod json;
pub mod json_value;
pub mod logger;
pub mod payload;
pub mod payload_json;
pub mod process;
pub mod registry;
pub mod require;
pub mod security;
pub mod services;
pub mod time;
pub mod time_layout;
pub mod time_value;
pub mod time_zone;
pub mod types;
pub mod uuid;
pub mod yaml;

use mlua::{Lua, Table, Value as LuaValue};

/// A module table whose members are made on first access and then kept: a process pays only for
/// the functions it uses. (`pairs` over such a table shows the members made so far.) `index`
/// calls `lazy_index`; the `lazy_table!` macro makes it.
pub fn lazy_table(lua: &Lua, index: mlua::Function) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let mt = lua.create_table_with_capacity(0, 1)?;
    mt.raw_set("__index", index)?;
    t.set_metatable(Some(mt))?;
    Ok(t)
}

/// A lazy table's `__index`: makes the member `key` and keeps it in `t`.
pub fn lazy_index(
    lua: &Lua,
    t: Table,
    key: LuaValue,
    make: fn(&Lua, &str) -> mlua::Result<LuaValue>,
) -> mlua::Result<LuaValue> {
    let LuaValue::String(k) = &key else {
        return Ok(LuaValue::Nil);
    };
    let v = make(lua, &k.to_str()?)?;
    if !v.is_nil() {
        t.raw_set(key, v.clone())?;
    }
    Ok(v)
}
