//! The Lua API of a process: one module per global or built-in module, each with a `register`.

pub mod casts;
pub mod channel;
pub mod errors;
pub mod io;
pub mod payload;
pub mod process;
pub mod require;
pub mod time;

use mlua::{Function, Lua, Table, Value as LuaValue};

/// Looks up a Lua-side method (written in the prelude because it blocks) of a Rust object.
pub fn lua_method(lua: &Lua, kind: &str, key: &LuaValue) -> mlua::Result<LuaValue> {
    let prelude = crate::lua::sandbox::prelude_table(lua)?;
    let methods: Table = prelude.raw_get("methods")?;
    let of_kind: Table = methods.raw_get(kind)?;
    of_kind.raw_get(key.clone())
}

/// The `channel` global: `new` from Rust, `select` from the prelude (it blocks).
pub fn channel_global(lua: &Lua) -> mlua::Result<Table> {
    let t = channel::register(lua)?;
    let prelude = crate::lua::sandbox::prelude_table(lua)?;
    t.raw_set("select", prelude.raw_get::<Function>("select")?)?;
    t.raw_set("select_now", LuaValue::Nil)?;
    Ok(t)
}
