//! The `errors` global: structured error objects with a kind, and the helpers every API uses to
//! return `nil, err`.

use std::sync::Arc;

use mlua::{Lua, MetaMethod, UserData, UserDataMethods, Value as LuaValue};

use crate::lua::convert::{from_value, to_value};
use crate::value::ErrorValue;

pub const KINDS: &[&str] = &[
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "INVALID",
    "PERMISSION_DENIED",
    "UNAVAILABLE",
    "INTERNAL",
    "CANCELED",
    "CONFLICT",
    "TIMEOUT",
    "RATE_LIMITED",
    "UNKNOWN",
];

/// An error object as Lua sees it. Immutable; `errors.wrap` makes a new one.
#[derive(Clone)]
pub struct LuaError(pub Arc<ErrorValue>);

impl UserData for LuaError {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("kind", |_, e, ()| Ok(e.0.kind.clone()));
        m.add_method("message", |_, e, ()| Ok(e.0.message.clone()));
        m.add_method("retryable", |_, e, ()| Ok(e.0.retryable));
        m.add_method("details", |lua, e, ()| match &e.0.details {
            Some(d) => from_value(lua, d),
            None => Ok(LuaValue::Nil),
        });
        m.add_method("stack", |_, e, ()| Ok(e.0.stack.clone()));
        m.add_meta_method(MetaMethod::ToString, |_, e, ()| Ok(e.0.message.clone()));
        m.add_meta_method(MetaMethod::Eq, |_, a, b: mlua::AnyUserData| {
            Ok(b.borrow::<LuaError>().map(|b| Arc::ptr_eq(&a.0, &b.0) || *a.0 == *b.0).unwrap_or(false))
        });
        m.add_meta_method(MetaMethod::Concat, |_, e, other: LuaValue| {
            Ok(format!("{}{}", e.0.message, other.to_string().unwrap_or_default()))
        });
    }
}

/// `nil, err` as returned by every fallible API.
pub fn fail(lua: &Lua, kind: &str, message: impl Into<String>) -> mlua::Result<(LuaValue, LuaValue)> {
    Ok((LuaValue::Nil, new_error(lua, kind, message)?))
}

pub fn fail_with(lua: &Lua, err: &Arc<ErrorValue>) -> mlua::Result<(LuaValue, LuaValue)> {
    Ok((LuaValue::Nil, LuaValue::UserData(lua.create_userdata(LuaError(err.clone()))?)))
}

pub fn new_error(lua: &Lua, kind: &str, message: impl Into<String>) -> mlua::Result<LuaValue> {
    Ok(LuaValue::UserData(lua.create_userdata(LuaError(Arc::new(ErrorValue::new(kind, message))))?))
}

/// Any Lua value used as an error (a string, an error object, a table) as an `ErrorValue`.
pub fn error_from_lua(v: &LuaValue) -> ErrorValue {
    match v {
        LuaValue::UserData(ud) => {
            if let Ok(e) = ud.borrow::<LuaError>() {
                return (*e.0).clone();
            }
            ErrorValue::new("UNKNOWN", v.to_string().unwrap_or_else(|_| "userdata".into()))
        }
        LuaValue::String(s) => ErrorValue::new("", s.to_string_lossy()),
        // An error raised by a Rust callback: keep its message, not mlua's decorations.
        LuaValue::Error(e) => ErrorValue::new("", crate::lua::code::clean_lua_error(e)),
        LuaValue::Nil => ErrorValue::new("", "nil"),
        // Never `tostring` here: a `__tostring` metamethod is user code, and this may run outside
        // any task (after a body ended), where nothing could stop it looping.
        LuaValue::Table(t) => {
            let mut e = ErrorValue::new("", format!("table: {:p}", t.to_pointer()));
            if let Ok(d) = to_value(v) {
                if let Some(m) = d.get("message").and_then(|m| m.as_str()) {
                    e.message = m.to_string();
                }
                e.details = Some(d);
            }
            e
        }
        other => ErrorValue::new("", other.to_string().unwrap_or_else(|_| other.type_name().into())),
    }
}

/// Where an error object is made: the caller's stack (`source:line: in function 'name'` lines,
/// which `errors.call_stack` reads back).
fn traceback(lua: &Lua) -> mlua::Result<String> {
    Ok(lua.traceback(None, 1)?.to_string_lossy())
}

fn kind_of(v: &LuaValue) -> Option<String> {
    match v {
        LuaValue::UserData(ud) => ud.borrow::<LuaError>().ok().map(|e| e.0.kind.clone()),
        _ => None,
    }
}

pub fn register(lua: &Lua) -> mlua::Result<mlua::Table> {
    let t = lua.create_table()?;
    for k in KINDS {
        t.set(*k, *k)?;
    }
    t.set(
        "new",
        lua.create_function(|lua, spec: LuaValue| {
            let mut e = match &spec {
                LuaValue::Table(tb) => {
                    let mut e = ErrorValue::new(
                        &tb.get::<Option<String>>("kind")?.unwrap_or_default(),
                        tb.get::<Option<String>>("message")?.unwrap_or_default(),
                    );
                    e.retryable = tb.get("retryable")?;
                    let details: LuaValue = tb.get("details")?;
                    if !details.is_nil() {
                        e.details = Some(to_value(&details).map_err(|c| mlua::Error::runtime(c.0))?);
                    }
                    e
                }
                LuaValue::String(s) => ErrorValue::new("", s.to_string_lossy()),
                LuaValue::UserData(ud) if ud.is::<LuaError>() => (*ud.borrow::<LuaError>()?.0).clone(),
                other => ErrorValue::new("", other.to_string()?),
            };
            if e.stack.is_none() {
                e.stack = Some(traceback(lua)?);
            }
            lua.create_userdata(LuaError(Arc::new(e)))
        })?,
    )?;
    t.set(
        "wrap",
        lua.create_function(|lua, (err, context): (LuaValue, Option<String>)| {
            if err.is_nil() {
                return Ok(LuaValue::Nil);
            }
            let mut e = error_from_lua(&err);
            if let Some(c) = context {
                e.message = format!("{c}: {}", e.message);
            }
            if e.stack.is_none() {
                e.stack = Some(traceback(lua)?);
            }
            Ok(LuaValue::UserData(lua.create_userdata(LuaError(Arc::new(e)))?))
        })?,
    )?;
    t.set(
        "is",
        lua.create_function(|_, (err, target): (LuaValue, LuaValue)| {
            let Some(kind) = kind_of(&err) else { return Ok(false) };
            Ok(match &target {
                LuaValue::String(k) => *k.as_bytes() == *kind.as_bytes(),
                // An error object as the target: same kind (as Go's `errors.Is` on kinds).
                LuaValue::UserData(_) => kind_of(&target).is_some_and(|k| k == kind),
                _ => false,
            })
        })?,
    )?;
    t.set(
        "call_stack",
        lua.create_function(|lua, err: LuaValue| {
            let e = error_from_lua(&err);
            let out = lua.create_table()?;
            let frames = lua.create_table()?;
            if let Some(stack) = &e.stack {
                for line in stack.lines().map(str::trim).filter(|l| l.contains(':')) {
                    // "src/app.lua:12: in function 'name'"
                    let mut parts = line.splitn(3, ':');
                    let (Some(source), Some(lno)) = (parts.next(), parts.next()) else {
                        continue;
                    };
                    let Ok(lno) = lno.trim().parse::<i64>() else {
                        continue;
                    };
                    let frame = lua.create_table()?;
                    frame.set("source", source)?;
                    frame.set("line", lno)?;
                    let rest = parts.next().unwrap_or("");
                    let name = rest.split('\'').nth(1).unwrap_or("?");
                    frame.set("name", name)?;
                    frames.push(frame)?;
                }
            }
            out.set("thread", "main")?;
            out.set("frames", frames)?;
            Ok(out)
        })?,
    )?;
    Ok(t)
}
