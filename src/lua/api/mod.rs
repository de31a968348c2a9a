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
///
/// Made with raw calls in one protected call: a process makes several such tables in its first
/// step, and each mlua call on the way (two tables, a field, a metatable) is a protected call.
pub fn lazy_table(lua: &Lua, index: mlua::ffi::lua_CFunction) -> mlua::Result<Table> {
    use mlua::ffi;
    // SAFETY: pushes a table, its metatable and a C function (`exec_raw` leaves room for three)
    // and leaves the table.
    unsafe {
        lua.exec_raw::<Table>((), |state| {
            ffi::lua_createtable(state, 0, 0);
            ffi::lua_createtable(state, 0, 1);
            ffi::lua_pushcfunction(state, index);
            ffi::lua_setfield(state, -2, c"__index".as_ptr());
            ffi::lua_setmetatable(state, -2);
        })
    }
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
