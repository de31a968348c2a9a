//! The `yaml` module: `encode(v)` and `decode(s)`, through the same data model as `json`
//! (tables become sequences or mappings by the rules in `json_value.rs`).

use mlua::{Lua, Table, Value as LuaValue};
use serde_json::Value as Json;

use super::errors::fail;
use super::json_value::{from_json, to_json};

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "encode",
        lua.create_function(|lua, v: LuaValue| {
            let j = match to_json(&v) {
                Ok(j) => j,
                Err(e) => return fail(lua, "INVALID", format!("yaml.encode: {e}")),
            };
            match serde_saphyr::to_string(&j) {
                Ok(s) => Ok((LuaValue::String(lua.create_string(s)?), LuaValue::Nil)),
                Err(e) => fail(lua, "INVALID", format!("yaml.encode: {e}")),
            }
        })?,
    )?;
    t.raw_set(
        "decode",
        lua.create_function(|lua, s: mlua::LuaString| {
            let text = s.to_str().map(|s| s.to_string()).unwrap_or_else(|_| s.to_string_lossy());
            // YAML 1.2 booleans only: `y`, `yes` and `on` stay strings, as in the registry loader.
            let options = serde_saphyr::options! { strict_booleans: true };
            match serde_saphyr::from_str_with_options::<Json>(&text, options) {
                Ok(j) => Ok((from_json(lua, &j)?, LuaValue::Nil)),
                Err(e) => fail(lua, "INVALID", format!("yaml.decode: {e}")),
            }
        })?,
    )?;
    Ok(t)
}
