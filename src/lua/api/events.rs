//! The `events` module: `events.send(system, kind, path, data)` publishes on the runtime's bus
//! (`runtime/events.rs`); `events.subscribe(system, kind?)` returns a Subscription whose
//! `:channel()` receives `{system, kind, path, data}` tables and whose `:close()` ends it.
//!
//! A subscription is a `process.listen`-style listener on its reserved `@events:<id>` topic, so
//! events reach the channel through the same mailbox routing as messages.

use mlua::{AnyUserData, Lua, Table, UserData, UserDataMethods, Value as LuaValue};

use super::channel::{apply_wakes, new_channel, LuaChannel, UNBOUNDED};
use crate::lua::convert::to_value;
use crate::lua::process_state::{with_state, Listener};
use crate::runtime::events::SubscriptionId;

pub struct Subscription {
    id: SubscriptionId,
    chan: AnyUserData,
}

impl UserData for Subscription {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("channel", |_, s, ()| Ok(s.chan.clone()));
        m.add_method("close", |lua, s, ()| {
            let chan = s.chan.borrow::<LuaChannel>()?.0.clone();
            with_state(lua, |lua, st| {
                st.rt.events.unsubscribe(&s.id);
                st.listeners.remove(&*s.id.topic);
                let mut wakes = Vec::new();
                chan.close(&mut wakes);
                apply_wakes(lua, &mut st.tasks, &mut wakes)
            })
        });
    }
}

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "send",
        lua.create_function(|lua, (system, kind, path, data): (String, String, Option<String>, LuaValue)| {
            let data = to_value(&data).map_err(|e| mlua::Error::runtime(format!("events.send: {e}")))?;
            with_state(lua, |_, st| {
                st.rt.events.send(&system, &kind, path.as_deref().unwrap_or(""), data);
                Ok(true)
            })
        })?,
    )?;
    t.raw_set(
        "subscribe",
        lua.create_function(|lua, (system, kind): (String, Option<String>)| {
            let kind = kind.unwrap_or_else(|| "*".to_string());
            with_state(lua, |lua, st| {
                let ud = new_channel(lua, UNBOUNDED)?;
                let chan = ud.borrow::<LuaChannel>()?.0.clone();
                let sub = st.rt.events.subscribe(&st.cell, &system, &kind);
                st.listeners.insert(sub.topic.to_string(), Listener { chan, ud: ud.clone(), message: false });
                Ok(Subscription { id: sub, chan: ud })
            })
        })?,
    )?;
    Ok(t)
}
