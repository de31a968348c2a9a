//! The primitive casts of typed Lua: `string(x)`, `number(x)`, `integer(x)`, `boolean(x)`.
//! `string` stays the string library; it is made callable.

use mlua::{Lua, Table, Value as LuaValue};

pub fn make_string_callable(lua: &Lua, string: &Table) -> mlua::Result<()> {
    let mt = lua.create_table()?;
    mt.raw_set(
        "__call",
        lua.create_function(|lua, (_, v): (LuaValue, LuaValue)| -> mlua::Result<LuaValue> {
            Ok(match v {
                LuaValue::String(s) => LuaValue::String(s),
                other => {
                    let tostring: mlua::Function = crate::lua::sandbox::base_function(lua, "tostring")?;
                    tostring.call(other)?
                }
            })
        })?,
    )?;
    string.set_metatable(Some(mt))
}

pub fn cast(lua: &Lua, name: &str) -> mlua::Result<LuaValue> {
    let t = lua.create_table()?;
    let mt = lua.create_table()?;
    let f = match name {
        "number" => lua.create_function(|lua, (_, v): (LuaValue, LuaValue)| match lua.coerce_number(v.clone())? {
            Some(n) => Ok(LuaValue::Number(n)),
            None => Err(mlua::Error::runtime(format!("number(): cannot convert {} to a number", describe(&v)))),
        })?,
        "integer" => lua.create_function(|lua, (_, v): (LuaValue, LuaValue)| {
            if let LuaValue::Integer(i) = v {
                return Ok(i);
            }
            match lua.coerce_number(v.clone())? {
                Some(n) if n.fract() == 0.0 && n >= i64::MIN as f64 && n <= i64::MAX as f64 => Ok(n as i64),
                _ => Err(mlua::Error::runtime(format!("integer(): {} is not an integral number", describe(&v)))),
            }
        })?,
        _ => lua.create_function(|_, (_, v): (LuaValue, LuaValue)| {
            Ok(match v {
                LuaValue::Boolean(b) => b,
                LuaValue::Nil => false,
                LuaValue::Integer(i) => i != 0,
                LuaValue::Number(n) => n != 0.0,
                LuaValue::String(s) => match s.to_str()?.as_ref() {
                    "true" | "1" => true,
                    "false" | "0" | "" => false,
                    other => {
                        return Err(mlua::Error::runtime(format!("boolean(): cannot convert \"{other}\" to a boolean")))
                    }
                },
                other => {
                    return Err(mlua::Error::runtime(format!(
                        "boolean(): cannot convert a {} to a boolean",
                        other.type_name()
                    )))
                }
            })
        })?,
    };
    mt.raw_set("__call", f)?;
    t.set_metatable(Some(mt))?;
    Ok(LuaValue::Table(t))
}

fn describe(v: &LuaValue) -> String {
    match v {
        LuaValue::String(s) => format!("\"{}\"", s.to_string_lossy()),
        LuaValue::Number(n) => n.to_string(),
        other => format!("a {}", other.type_name()),
    }
}
