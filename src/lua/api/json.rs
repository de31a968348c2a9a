//! The `json` module: `encode`, `decode` (see `json_value.rs` for how tables map to JSON) and
//! JSON-Schema validation, `validate(schema, v)` and `validate_string(schema, s)`.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use mlua::{Lua, Table, Value as LuaValue};
use parking_lot::Mutex;
use serde_json::Value as Json;

use super::errors::{fail, new_error};
use super::json_value::{from_json, to_json};

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "encode",
        lua.create_function(|lua, v: LuaValue| match to_json(&v) {
            Ok(j) => Ok((LuaValue::String(lua.create_string(j.to_string())?), LuaValue::Nil)),
            Err(e) => fail(lua, "INVALID", format!("json.encode: {e}")),
        })?,
    )?;
    t.raw_set(
        "decode",
        lua.create_function(|lua, s: mlua::LuaString| match serde_json::from_slice::<Json>(&s.as_bytes()) {
            Ok(j) => Ok((from_json(lua, &j)?, LuaValue::Nil)),
            Err(e) => fail(lua, "INVALID", format!("json.decode: {e}")),
        })?,
    )?;
    t.raw_set(
        "validate",
        lua.create_function(|lua, (schema, v): (LuaValue, LuaValue)| {
            let instance = match to_json(&v) {
                Ok(j) => j,
                Err(e) => return refused(lua, format!("json.validate: {e}")),
            };
            validate(lua, &schema, &instance)
        })?,
    )?;
    t.raw_set(
        "validate_string",
        lua.create_function(|lua, (schema, s): (LuaValue, mlua::LuaString)| {
            let instance = match serde_json::from_slice::<Json>(&s.as_bytes()) {
                Ok(j) => j,
                Err(e) => return refused(lua, format!("json.validate_string: the data is not JSON: {e}")),
            };
            validate(lua, &schema, &instance)
        })?,
    )?;
    Ok(t)
}

fn refused(lua: &Lua, message: String) -> mlua::Result<(bool, LuaValue)> {
    Ok((false, new_error(lua, "INVALID", message)?))
}

/// `true`, or `false, err` whose message lists every failing path (`/age: -1 is less than the
/// minimum of 0`). The schema is a table or JSON text.
fn validate(lua: &Lua, schema: &LuaValue, instance: &Json) -> mlua::Result<(bool, LuaValue)> {
    let schema = match schema {
        LuaValue::String(s) => match serde_json::from_slice::<Json>(&s.as_bytes()) {
            Ok(j) => j,
            Err(e) => return refused(lua, format!("json schema is not JSON: {e}")),
        },
        other => match to_json(other) {
            Ok(j) => j,
            Err(e) => return refused(lua, format!("json schema: {e}")),
        },
    };
    let validator = match compiled(&schema) {
        Ok(v) => v,
        Err(e) => return refused(lua, format!("invalid json schema: {e}")),
    };
    let failures: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| {
            let path = e.instance_path().to_string();
            format!("{}: {e}", if path.is_empty() { "/" } else { &path })
        })
        .collect();
    if failures.is_empty() {
        return Ok((true, LuaValue::Nil));
    }
    refused(lua, format!("validation failed: {}", failures.join("; ")))
}

/// Compiled schemas by their JSON text: programs validate every request against the same few
/// schemas, and compiling one costs far more than validating. Bounded: cleared when full.
static SCHEMAS: LazyLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> = LazyLock::new(Default::default);
const SCHEMA_CACHE_SIZE: usize = 64;

fn compiled(schema: &Json) -> Result<Arc<jsonschema::Validator>, String> {
    let key = schema.to_string();
    if let Some(v) = SCHEMAS.lock().get(&key) {
        return Ok(v.clone());
    }
    let v = Arc::new(jsonschema::validator_for(schema).map_err(|e| e.to_string())?);
    let mut cache = SCHEMAS.lock();
    if cache.len() >= SCHEMA_CACHE_SIZE {
        cache.clear();
    }
    cache.insert(key, v.clone());
    Ok(v)
}
