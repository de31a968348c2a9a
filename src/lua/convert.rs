//! Copying values out of one Lua state (into `Value`) and into another (from `Value`).
//! This is the only way data crosses between processes.

use std::sync::Arc;

use mlua::{Lua, Value as LuaValue};

use super::api::errors::LuaError;
use super::api::payload::LuaPayload;
use crate::value::{ErrorValue, Table, Value};

/// Nesting deeper than this is refused (it is either a cycle or a mistake).
const MAX_DEPTH: usize = 128;

/// Why a value cannot be copied; the message names where inside the value the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyError(pub String);

impl std::fmt::Display for CopyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Detaches a Lua value. Functions, coroutines, channels and other userdata cannot cross and
/// are reported with their path (`value.handlers[2]: cannot send a function`).
pub fn to_value(v: &LuaValue) -> Result<Value, CopyError> {
    detach(v, &mut Vec::new()).map_err(|f| f.at("value"))
}

pub fn to_values<'a>(vs: impl IntoIterator<Item = &'a LuaValue>) -> Result<Vec<Value>, CopyError> {
    vs.into_iter()
        .enumerate()
        .map(|(i, v)| detach(v, &mut Vec::new()).map_err(|f| f.at(&format!("argument #{}", i + 1))))
        .collect()
}

/// Why `detach` failed: `what`, at the path made of `within` (innermost first). The path is
/// built while the error unwinds, so a value that does cross costs no path work (every send
/// detaches its payload).
struct Failure {
    within: Vec<String>,
    what: String,
}

impl Failure {
    fn new(what: impl Into<String>) -> Failure {
        Failure { within: Vec::new(), what: what.into() }
    }

    fn within(mut self, segment: String) -> Failure {
        self.within.push(segment);
        self
    }

    /// The error, its path starting at `root` (`value`, `argument #2`).
    fn at(self, root: &str) -> CopyError {
        let mut path = root.to_string();
        for segment in self.within.iter().rev() {
            path.push_str(segment);
        }
        CopyError(format!("{path}: {}", self.what))
    }
}

fn detach(v: &LuaValue, seen: &mut Vec<*const std::ffi::c_void>) -> Result<Value, Failure> {
    Ok(match v {
        LuaValue::Nil => Value::Nil,
        LuaValue::Boolean(b) => Value::Bool(*b),
        LuaValue::Integer(i) => Value::Int(*i),
        LuaValue::Number(n) => Value::Float(*n),
        LuaValue::String(s) => Value::Str(Arc::from(&*s.as_bytes())),
        LuaValue::Table(t) => {
            if let Some(sent) = super::api::payload::sent_as(t) {
                return sent.map_err(|e| Failure::new(e.0));
            }
            let ptr = t.to_pointer();
            if seen.contains(&ptr) {
                return Err(Failure::new("cannot send a table that contains itself"));
            }
            if seen.len() >= MAX_DEPTH {
                return Err(Failure::new(format!("table nesting deeper than {MAX_DEPTH}")));
            }
            seen.push(ptr);
            let len = t.raw_len();
            let mut array = Vec::with_capacity(len);
            for i in 1..=len {
                let item: LuaValue = t.raw_get(i).map_err(|e| Failure::new(e.to_string()))?;
                array.push(detach(&item, seen).map_err(|f| f.within(format!("[{i}]")))?);
            }
            let mut map = Vec::new();
            for pair in t.pairs::<LuaValue, LuaValue>() {
                let (k, val) = pair.map_err(|e| Failure::new(e.to_string()))?;
                if let LuaValue::Integer(i) = k {
                    if i >= 1 && (i as usize) <= len {
                        continue;
                    }
                }
                let segment = || match &k {
                    LuaValue::String(s) => format!(".{}", s.to_string_lossy()),
                    other => format!("[{}]", other.type_name()),
                };
                let key = detach(&k, seen).map_err(|f| f.within(segment()))?;
                let value = detach(&val, seen).map_err(|f| f.within(segment()))?;
                map.push((key, value));
            }
            seen.pop();
            Value::Table(Arc::new(Table { array, map }))
        }
        LuaValue::UserData(ud) => {
            if let Ok(e) = ud.borrow::<LuaError>() {
                Value::Error(e.0.clone())
            } else if let Ok(p) = ud.borrow::<LuaPayload>() {
                p.first()
            } else if let Ok(p) = ud.borrow::<super::api::payload::JsonPayload>() {
                Value::str(&p.0)
            } else {
                return Err(Failure::new(format!("cannot send a {} to another process", describe_userdata(ud))));
            }
        }
        LuaValue::Function(_) => return Err(Failure::new("cannot send a function to another process")),
        LuaValue::Thread(_) => return Err(Failure::new("cannot send a coroutine to another process")),
        LuaValue::LightUserData(_) => return Err(Failure::new("cannot send a light userdata")),
        LuaValue::Error(e) => Value::Error(Arc::new(ErrorValue::new("UNKNOWN", e.to_string()))),
        other => return Err(Failure::new(format!("cannot send a {}", other.type_name()))),
    })
}

fn describe_userdata(ud: &mlua::AnyUserData) -> &'static str {
    if ud.is::<super::api::channel::LuaChannel>() {
        "channel (channels belong to the process that made them)"
    } else if ud.is::<super::api::time::LuaTime>() {
        "Time value (send t:unix_nano() or t:format(...) instead)"
    } else if ud.is::<super::api::time::LuaDuration>() {
        "Duration value (send d:nanoseconds() instead)"
    } else {
        "userdata"
    }
}

/// Whether `v` holds no error object: such a value is built by raw C API calls in one protected
/// call (`raw::push_plain`) instead of one mlua call per table field.
pub fn is_plain(v: &Value) -> bool {
    match v {
        Value::Error(_) => false,
        Value::Table(t) => t.array.iter().all(is_plain) && t.map.iter().all(|(k, v)| is_plain(k) && is_plain(v)),
        _ => true,
    }
}

/// Builds the Lua form of a detached value in `lua`.
pub fn from_value(lua: &Lua, v: &Value) -> mlua::Result<LuaValue> {
    if let Value::Table(_) = v {
        if is_plain(v) {
            // SAFETY: one protected call that pushes only the table.
            return unsafe { lua.exec_raw((), |state| super::raw::push_plain(state, v)) };
        }
    }
    Ok(match v {
        Value::Nil => LuaValue::Nil,
        Value::Bool(b) => LuaValue::Boolean(*b),
        Value::Int(i) => LuaValue::Integer(*i),
        Value::Float(f) => LuaValue::Number(*f),
        Value::Str(s) => LuaValue::String(lua.create_string(&**s)?),
        Value::Table(t) => {
            let table = lua.create_table_with_capacity(t.array.len(), t.map.len())?;
            for (i, item) in t.array.iter().enumerate() {
                table.raw_set(i + 1, from_value(lua, item)?)?;
            }
            for (k, item) in &t.map {
                table.raw_set(from_value(lua, k)?, from_value(lua, item)?)?;
            }
            LuaValue::Table(table)
        }
        Value::Error(e) => LuaValue::UserData(lua.create_userdata(LuaError(e.clone()))?),
    })
}

pub fn from_values(lua: &Lua, vs: &[Value]) -> mlua::Result<mlua::MultiValue> {
    vs.iter().map(|v| from_value(lua, v)).collect()
}
