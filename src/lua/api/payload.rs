//! Message and Payload objects: what `process.inbox()` delivers, and the `payload` global.
//! A payload keeps the detached values; Lua values are built only when the body asks (`:data()`).
//! `:transcode("json")` turns a payload into one holding the JSON text, `:transcode("lua")` back.

use mlua::{Lua, MetaMethod, UserData, UserDataMethods, Value as LuaValue};

use super::errors::fail;
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
/// first and `:data_all()` all of them. A payload made by `:transcode("json")` holds one string,
/// the JSON text, and remembers that it is JSON (so it can be transcoded back).
#[derive(Clone)]
pub struct LuaPayload(pub Vec<Value>);

/// A payload in JSON form: its data is the JSON text.
#[derive(Clone)]
pub struct JsonPayload(pub String);

impl LuaPayload {
    pub fn first(&self) -> Value {
        self.0.first().cloned().unwrap_or(Value::Nil)
    }
}

impl UserData for LuaPayload {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("data", |lua, p, ()| from_value(lua, &p.first()));
        m.add_method("data_all", |lua, p, ()| from_values(lua, &p.0));
        m.add_method("format", |_, _, ()| Ok("lua"));
        m.add_method("transcode", |lua, p, fmt: String| match fmt.as_str() {
            "lua" => Ok((LuaValue::UserData(lua.create_userdata(p.clone())?), LuaValue::Nil)),
            "json" => match super::payload_json::encode(&p.first()) {
                Ok(text) => Ok((LuaValue::UserData(lua.create_userdata(JsonPayload(text))?), LuaValue::Nil)),
                Err(e) => fail(lua, "INVALID", format!("payload:transcode(\"json\"): {e}")),
            },
            other => unknown_format(lua, other),
        });
        m.add_meta_method(MetaMethod::ToString, |_, p, ()| Ok(format!("payload({})", p.first())));
    }
}

impl UserData for JsonPayload {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("data", |_, p, ()| Ok(p.0.clone()));
        m.add_method("data_all", |_, p, ()| Ok(p.0.clone()));
        m.add_method("format", |_, _, ()| Ok("json"));
        m.add_method("transcode", |lua, p, fmt: String| match fmt.as_str() {
            "json" => Ok((LuaValue::UserData(lua.create_userdata(p.clone())?), LuaValue::Nil)),
            "lua" => match super::payload_json::decode(&p.0) {
                Ok(v) => Ok((LuaValue::UserData(lua.create_userdata(LuaPayload(vec![v]))?), LuaValue::Nil)),
                Err(e) => fail(lua, "INVALID", format!("payload:transcode(\"lua\"): {e}")),
            },
            other => unknown_format(lua, other),
        });
        m.add_meta_method(MetaMethod::ToString, |_, p, ()| Ok(format!("payload(json {})", p.0)));
    }
}

fn unknown_format(lua: &Lua, fmt: &str) -> mlua::Result<(LuaValue, LuaValue)> {
    fail(lua, "INVALID", format!("payload:transcode: unknown format {fmt:?} (known: \"lua\", \"json\")"))
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
