//! The `uuid` module: `v4()` (random), `v7()` (time-ordered) and `validate(s)`.

use mlua::{Lua, Table, Value as LuaValue};

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("v4", lua.create_function(|_, ()| Ok(::uuid::Uuid::new_v4().to_string()))?)?;
    t.raw_set("v7", lua.create_function(|_, ()| Ok(::uuid::Uuid::now_v7().to_string()))?)?;
    t.raw_set(
        "validate",
        lua.create_function(|_, s: LuaValue| {
            Ok(match &s {
                LuaValue::String(s) => s.to_str().is_ok_and(|s| ::uuid::Uuid::try_parse(&s).is_ok()),
                _ => false,
            })
        })?,
    )?;
    Ok(t)
}
