//! Message and Payload objects: what `process.inbox()` delivers, and the `payload` global.
//! A payload keeps the detached values; Lua values are built only when the body asks (`:data()`).

use mlua::{Lua, MetaMethod, UserData, UserDataMethods, Value as LuaValue};

use crate::lua::convert::{from_value, from_values, to_value};
use crate::process::Message;
use crate::value::Value;

pub struct LuaMessage(pub Message);

impl UserData for LuaMessage {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("topic", |_, msg, ()| Ok(msg.0.topic.to_string()));
        m.add_method("from", |_, msg, ()| Ok(msg.0.from.as_ref().map(|(_, name)| name.to_string())));
        m.add_method("payload", |_, msg, ()| Ok(LuaPayload(msg.0.payload.clone())));
        m.add_meta_method(MetaMethod::ToString, |_, msg, ()| Ok(format!("message({})", msg.0.topic)));
    }
}

/// One or more detached values. Sending several values makes a payload whose `:data()` is the
/// first and `:data_all()` all of them.
#[derive(Clone)]
pub struct LuaPayload(pub Vec<Value>);

impl LuaPayload {
    pub fn first(&self) -> Value {
        self.0.first().cloned().unwrap_or(Value::Nil)
    }
}

impl UserData for LuaPayload {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("data", |lua, p, ()| from_value(lua, &p.first()));
        m.add_method("data_all", |lua, p, ()| from_values(lua, &p.0));
        m.add_meta_method(MetaMethod::ToString, |_, p, ()| Ok(format!("payload({})", p.first())));
    }
}

pub fn register(lua: &Lua) -> mlua::Result<mlua::Table> {
    let t = lua.create_table()?;
    t.set(
        "new",
        lua.create_function(|_, v: LuaValue| {
            Ok(LuaPayload(vec![to_value(&v).map_err(|e| mlua::Error::runtime(e.0))?]))
        })?,
    )?;
    Ok(t)
}
