//! The `base64` module: `encode(s)` and `decode(s)` in the standard alphabet with padding.

use ::base64::engine::general_purpose::STANDARD;
use ::base64::Engine;
use mlua::{Lua, Table, Value as LuaValue};

use super::errors::fail;

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("encode", lua.create_function(|_, s: mlua::LuaString| Ok(STANDARD.encode(&*s.as_bytes())))?)?;
    t.raw_set(
        "decode",
        lua.create_function(|lua, s: mlua::LuaString| match STANDARD.decode(&*s.as_bytes()) {
            Ok(bytes) => Ok((LuaValue::String(lua.create_string(bytes)?), LuaValue::Nil)),
            Err(e) => fail(lua, "INVALID", format!("base64.decode: {e}")),
        })?,
    )?;
    Ok(t)
}
