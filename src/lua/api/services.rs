//! The `services` module: the status of `process.service` entries, as the supervisor sees them.
//! `services.status(id)` → `{id, state, restarts, last_error, pid}` or `nil, err` (NOT_FOUND);
//! `services.list()` → those tables for every service the runtime has started.

use mlua::{Lua, Table, Value as LuaValue};

use super::errors::{fail, LuaError};
use crate::lua::process_state::with_state;
use crate::registry::EntryId;
use crate::supervisor::ServiceStatus;

fn status_table(lua: &Lua, id: &str, s: &ServiceStatus) -> mlua::Result<Table> {
    let t = lua.create_table_with_capacity(0, 5)?;
    t.raw_set("id", id)?;
    t.raw_set("state", s.state.as_str())?;
    t.raw_set("restarts", s.restarts)?;
    if let Some(e) = &s.last_error {
        t.raw_set("last_error", LuaError(e.clone()))?;
    }
    if let Some(pid) = &s.pid {
        t.raw_set("pid", &**pid)?;
    }
    Ok(t)
}

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "status",
        lua.create_function(|lua, id: String| {
            with_state(lua, |lua, st| {
                let full = EntryId::resolve(&id, &st.entry.id.namespace).to_string();
                match st.rt.services.get(&full) {
                    Some(s) => Ok((LuaValue::Table(status_table(lua, &full, &s)?), LuaValue::Nil)),
                    None => fail(lua, "NOT_FOUND", format!("no service {full} has been started")),
                }
            })
        })?,
    )?;
    t.raw_set(
        "list",
        lua.create_function(|lua, ()| {
            with_state(lua, |lua, st| {
                let out = lua.create_table()?;
                for (id, s) in st.rt.services.all() {
                    out.push(status_table(lua, &id, &s)?)?;
                }
                Ok(out)
            })
        })?,
    )?;
    Ok(t)
}
