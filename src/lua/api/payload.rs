//! Message and Payload objects: what `process.inbox()` delivers, and the `payload` global.
//!
//! A delivered message is one table: topic, from and n at 1..3, then the payload's n values,
//! already copied into this state by one protected C call (`raw::push_message`). It is its own
//! payload: `msg:payload()` returns it, so `msg:payload():data()` reads a slot. The methods are
//! light C functions in a per-process metatable protected by `__metatable`. A message thus
//! costs one table: no userdata, no finalizer, no Rust call to read it (with a Message and a
//! Payload userdata per message, the pingpong bench spent a third of its instructions there).
//! Payloads made in the process (`payload.new`, `funcs` results) are `LuaPayload` userdata,
//! which keep the detached values and build Lua values when the body asks (`:data()`).
//! `:transcode("json")` turns a payload into one holding the JSON text, `:transcode("lua")` back.

use mlua::{Lua, MetaMethod, Table, UserData, UserDataMethods, Value as LuaValue};

use super::errors::fail;
use crate::lua::convert::{from_value, from_values, is_plain, to_value, to_values, CopyError};
use crate::lua::raw;
use crate::lua::sandbox::c_function;
use crate::process::Message;
use crate::value::Value;

/// Registers the message metatable (`raw::MESSAGE_MT`): made once per process, when its first
/// message arrives. Every method is a light C function except `transcode`; `__metatable` keeps
/// user code away from the metatable.
fn register_message_metatable(lua: &Lua) -> mlua::Result<()> {
    let methods = lua.create_table_with_capacity(0, 7)?;
    methods.raw_set("topic", c_function(lua, raw::message_topic)?)?;
    methods.raw_set("from", c_function(lua, raw::message_from)?)?;
    methods.raw_set("payload", c_function(lua, raw::message_payload)?)?;
    methods.raw_set("data", c_function(lua, raw::payload_data)?)?;
    methods.raw_set("data_all", c_function(lua, raw::payload_data_all)?)?;
    methods.raw_set("format", c_function(lua, raw::payload_format)?)?;
    methods.raw_set(
        "transcode",
        lua.create_function(|lua, (m, fmt): (Table, String)| {
            LuaPayload(payload_values(&m).map_err(|e| mlua::Error::runtime(e.0))?).transcode(lua, &fmt)
        })?,
    )?;
    let mt = lua.create_table_with_capacity(0, 3)?;
    mt.raw_set("__index", methods)?;
    mt.raw_set("__tostring", c_function(lua, raw::message_tostring)?)?;
    mt.raw_set("__metatable", "message")?;
    mt.raw_set(mark(), true)?;
    // SAFETY: stores the table argument in the registry under a key no Lua code can make.
    unsafe {
        lua.exec_raw::<()>(mt, |state| {
            mlua::ffi::lua_rawsetp(state, mlua::ffi::LUA_REGISTRYINDEX, &raw::MESSAGE_MT as *const u8 as *const _)
        })
    }
}

/// The Lua form of a delivered message (see the module note). `registered` is the process's
/// record of whether the metatable exists yet.
pub fn message(lua: &Lua, registered: &mut bool, msg: &Message) -> mlua::Result<LuaValue> {
    if !*registered {
        register_message_metatable(lua)?;
        *registered = true;
    }
    let from = msg.from.as_ref().map(|(_, name)| &**name);
    if msg.payload.iter().all(is_plain) {
        // SAFETY: one protected call that pushes only the message table.
        return unsafe { lua.exec_raw((), |state| raw::push_message(state, &msg.topic, from, &msg.payload)) };
    }
    // An error object in the payload needs mlua's userdata: the message is made without its
    // values, which are then put into their slots.
    let values = msg.payload.iter().map(|v| from_value(lua, v)).collect::<mlua::Result<Vec<_>>>()?;
    // SAFETY: `push_message` leaves one table.
    let t: Table = unsafe { lua.exec_raw((), |state| raw::push_message(state, &msg.topic, from, &[]))? };
    t.raw_set(3, values.len())?;
    for (i, v) in values.into_iter().enumerate() {
        t.raw_set(4 + i, v)?;
    }
    Ok(LuaValue::Table(t))
}

/// The key that marks the message metatable: a light userdata, which Lua code cannot make.
fn mark() -> LuaValue {
    LuaValue::LightUserData(mlua::LightUserData(&raw::MESSAGE_MT as *const u8 as *mut std::ffi::c_void))
}

/// Whether `t` is a delivered message.
fn is_message(t: &Table) -> bool {
    t.metatable().is_some_and(|mt| mt.raw_get::<bool>(mark()).unwrap_or(false))
}

/// A delivered message taken back out of the state (an upgrade carries the inbox over).
pub fn message_of(t: &Table) -> Option<Message> {
    if !is_message(t) {
        return None;
    }
    let topic: String = t.raw_get(1).ok()?;
    let from =
        t.raw_get::<Option<String>>(2).ok()?.and_then(|name| Some((crate::process::Pid::parse(&name)?, name.into())));
    let payload = payload_values(t).ok()?;
    Some(Message { from, topic: topic.into(), payload })
}

/// What sending a delivered message means: its payload's first value, as for `LuaPayload`
/// (`msg:payload()` is the message itself). `None` for any other table.
pub fn sent_as(t: &Table) -> Option<Result<Value, CopyError>> {
    if !is_message(t) {
        return None;
    }
    Some(payload_values(t).map(|v| v.into_iter().next().unwrap_or(Value::Nil)))
}

/// The payload values of a message table, detached.
fn payload_values(t: &Table) -> Result<Vec<Value>, CopyError> {
    let n: usize = t.raw_get::<Option<usize>>(3).ok().flatten().unwrap_or(0);
    let vals: Vec<LuaValue> = (0..n).map(|i| t.raw_get(4 + i).unwrap_or(LuaValue::Nil)).collect();
    to_values(vals.iter())
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

    fn transcode(self, lua: &Lua, fmt: &str) -> mlua::Result<(LuaValue, LuaValue)> {
        match fmt {
            "lua" => Ok((LuaValue::UserData(lua.create_userdata(self)?), LuaValue::Nil)),
            "json" => match super::payload_json::encode(&self.first()) {
                Ok(text) => Ok((LuaValue::UserData(lua.create_userdata(JsonPayload(text))?), LuaValue::Nil)),
                Err(e) => fail(lua, "INVALID", format!("payload:transcode(\"json\"): {e}")),
            },
            other => unknown_format(lua, other),
        }
    }
}

impl UserData for LuaPayload {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("data", |lua, p, ()| from_value(lua, &p.first()));
        m.add_method("data_all", |lua, p, ()| from_values(lua, &p.0));
        m.add_method("format", |_, _, ()| Ok("lua"));
        m.add_method("transcode", |lua, p, fmt: String| p.clone().transcode(lua, &fmt));
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
