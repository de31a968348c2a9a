//! The `ctx` module: read the context this process was started with (`process.with_context`
//! spawns, `funcs` executors' `with_context`, inherited from the caller).

use mlua::{Lua, Table, Value as LuaValue};

use super::errors::fail;
use crate::lua::convert::from_value;
use crate::lua::process_state::with_state;
use crate::value::Value;

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "get",
        lua.create_function(|lua, key: String| {
            let found = with_state(lua, |_, st| Ok(st.context.get(&key).cloned()))?;
            match found {
                Some(v) if !v.is_nil() => Ok((from_value(lua, &v)?, LuaValue::Nil)),
                _ => fail(lua, "NOT_FOUND", format!("context value {key:?} not found")),
            }
        })?,
    )?;
    t.raw_set(
        "all",
        lua.create_function(|lua, ()| {
            let context = with_state(lua, |_, st| Ok(st.context.clone()))?;
            match context {
                Value::Table(_) => from_value(lua, &context),
                _ => Ok(LuaValue::Table(lua.create_table()?)),
            }
        })?,
    )?;
    Ok(t)
}
