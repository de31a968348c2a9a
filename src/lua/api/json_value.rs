//! Lua values to and from `serde_json::Value`: the data model shared by `json`, `yaml` and the
//! logger's fields.
//!
//! Tables: an empty table and a table whose keys are exactly `1..n` are arrays; any other table is
//! an object whose keys are its string keys and its number keys written as decimal text (a sparse
//! `{[1]=a, [3]=b}` is the object `{"1": a, "3": b}`). Object keys come out sorted, so the same
//! table always encodes to the same text. Floats with an integral value print as integers, as
//! Go's encoder does (`1.0` → `1`). NaN, infinities, functions, coroutines, channels, tables
//! that contain themselves and keys that are neither strings nor numbers are refused with the
//! path of the offending value (`value.handlers[2]: cannot encode a function`).

use mlua::{Lua, Value as LuaValue};
use serde_json::{Map, Number, Value as Json};

use super::errors::LuaError;

/// Nesting deeper than this is refused (it is either a cycle or a mistake).
const MAX_DEPTH: usize = 128;

/// Why a Lua value has no JSON form; the message names where inside the value the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError(pub String);

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The JSON form of a Lua value.
pub fn to_json(v: &LuaValue) -> Result<Json, EncodeError> {
    Encoder { seen: Vec::new(), lenient: false }.encode(v, &mut String::from("value"))
}

/// As [`to_json`], but values without a JSON form become their `tostring` text instead of an
/// error (for log fields, where a message must never be lost to a stray function).
pub fn to_json_lenient(v: &LuaValue) -> Json {
    Encoder { seen: Vec::new(), lenient: true }
        .encode(v, &mut String::from("value"))
        .unwrap_or_else(|e| Json::String(e.0))
}

/// `Some(n)` when the keys are exactly the integers `1..=n` (in any order), which makes the
/// table an array; the empty key set is the empty array.
pub fn sequence_len(keys: &[LuaValue]) -> Option<usize> {
    let n = keys.len();
    keys.iter().all(|k| matches!(k, LuaValue::Integer(i) if *i >= 1 && (*i as u64) <= n as u64)).then_some(n)
}

struct Encoder {
    seen: Vec<*const std::ffi::c_void>,
    lenient: bool,
}

impl Encoder {
    fn refuse(&self, v: &LuaValue, path: &str, why: String) -> Result<Json, EncodeError> {
        if self.lenient {
            return Ok(Json::String(v.to_string().unwrap_or_else(|_| v.type_name().to_string())));
        }
        Err(EncodeError(format!("{path}: {why}")))
    }

    fn encode(&mut self, v: &LuaValue, path: &mut String) -> Result<Json, EncodeError> {
        Ok(match v {
            LuaValue::Nil => Json::Null,
            LuaValue::Boolean(b) => Json::Bool(*b),
            LuaValue::Integer(i) => Json::Number((*i).into()),
            LuaValue::Number(f) => match number(*f) {
                Some(n) => Json::Number(n),
                None => return self.refuse(v, path, format!("cannot encode {f} (JSON has no NaN or infinity)")),
            },
            LuaValue::String(s) => Json::String(s.to_string_lossy()),
            LuaValue::Table(t) => {
                let ptr = t.to_pointer();
                if self.seen.contains(&ptr) {
                    return self.refuse(v, path, "cannot encode a table that contains itself".into());
                }
                if self.seen.len() >= MAX_DEPTH {
                    return self.refuse(v, path, format!("table nesting deeper than {MAX_DEPTH}"));
                }
                let pairs: Vec<(LuaValue, LuaValue)> = t
                    .pairs::<LuaValue, LuaValue>()
                    .collect::<mlua::Result<_>>()
                    .map_err(|e| EncodeError(e.to_string()))?;
                self.seen.push(ptr);
                let keys: Vec<LuaValue> = pairs.iter().map(|(k, _)| k.clone()).collect();
                let out = match sequence_len(&keys) {
                    Some(n) => self.array(pairs, n, path)?,
                    None => self.object(pairs, path)?,
                };
                self.seen.pop();
                out
            }
            LuaValue::UserData(ud) => match ud.borrow::<LuaError>() {
                Ok(e) => Json::String(e.0.message.clone()),
                Err(_) => return self.refuse(v, path, "cannot encode a userdata".into()),
            },
            LuaValue::LightUserData(p) if p.0.is_null() => Json::Null,
            other => return self.refuse(v, path, format!("cannot encode a {}", other.type_name())),
        })
    }

    fn array(&mut self, pairs: Vec<(LuaValue, LuaValue)>, n: usize, path: &mut String) -> Result<Json, EncodeError> {
        let mut items = vec![Json::Null; n];
        for (k, v) in pairs {
            let LuaValue::Integer(i) = k else { unreachable!("sequence_len checked the keys") };
            let mark = path.len();
            path.push_str(&format!("[{i}]"));
            items[i as usize - 1] = self.encode(&v, path)?;
            path.truncate(mark);
        }
        Ok(Json::Array(items))
    }

    fn object(&mut self, pairs: Vec<(LuaValue, LuaValue)>, path: &mut String) -> Result<Json, EncodeError> {
        let mut map = Map::new();
        for (k, v) in pairs {
            let key = match &k {
                LuaValue::String(s) => s.to_string_lossy(),
                LuaValue::Integer(i) => i.to_string(),
                LuaValue::Number(f) => f.to_string(),
                other => {
                    let why = format!("a {} key cannot be a JSON object key", other.type_name());
                    if self.lenient {
                        continue;
                    }
                    return Err(EncodeError(format!("{path}: {why}")));
                }
            };
            let mark = path.len();
            match &k {
                LuaValue::String(_) => path.push_str(&format!(".{key}")),
                _ => path.push_str(&format!("[{key}]")),
            }
            let item = self.encode(&v, path)?;
            path.truncate(mark);
            map.insert(key, item);
        }
        Ok(Json::Object(map))
    }
}

/// A float as a JSON number: integral values within ±2^53 as integers; `None` for NaN and ±inf.
fn number(f: f64) -> Option<Number> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if f.fract() == 0.0 && f.abs() <= EXACT {
        return Some(Number::from(f as i64));
    }
    Number::from_f64(f)
}

/// The Lua form of a JSON value: `null` is nil (a null inside an array leaves a hole), integers
/// that fit are integers, other numbers floats.
pub fn from_json(lua: &Lua, v: &Json) -> mlua::Result<LuaValue> {
    Ok(match v {
        Json::Null => LuaValue::Nil,
        Json::Bool(b) => LuaValue::Boolean(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => LuaValue::Integer(i),
            None => LuaValue::Number(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => LuaValue::String(lua.create_string(s)?),
        Json::Array(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                t.raw_set(i + 1, from_json(lua, item)?)?;
            }
            LuaValue::Table(t)
        }
        Json::Object(map) => {
            let t = lua.create_table_with_capacity(0, map.len())?;
            for (k, item) in map {
                t.raw_set(k.as_str(), from_json(lua, item)?)?;
            }
            LuaValue::Table(t)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(lua: &Lua, src: &str) -> LuaValue {
        lua.load(src).eval().unwrap()
    }

    fn encode(src: &str) -> Result<String, EncodeError> {
        let lua = Lua::new();
        to_json(&eval(&lua, src)).map(|j| j.to_string())
    }

    #[test]
    fn keys_one_to_n_in_any_order_are_a_sequence() {
        let keys = [LuaValue::Integer(2), LuaValue::Integer(1), LuaValue::Integer(3)];
        assert_eq!(sequence_len(&keys), Some(3));
        assert_eq!(sequence_len(&[]), Some(0));
    }

    #[test]
    fn gaps_zero_and_other_keys_are_not_a_sequence() {
        assert_eq!(sequence_len(&[LuaValue::Integer(1), LuaValue::Integer(3)]), None);
        assert_eq!(sequence_len(&[LuaValue::Integer(0)]), None);
        assert_eq!(sequence_len(&[LuaValue::Integer(1), LuaValue::Boolean(true)]), None);
    }

    #[test]
    fn arrays_and_objects_are_told_apart() {
        assert_eq!(encode("return {}").unwrap(), "[]");
        assert_eq!(encode("return {1, 'a', true}").unwrap(), r#"[1,"a",true]"#);
        assert_eq!(encode("return {[2] = 'b', [1] = 'a'}").unwrap(), r#"["a","b"]"#);
        assert_eq!(encode("return {[1] = 'a', [3] = 'c'}").unwrap(), r#"{"1":"a","3":"c"}"#);
        assert_eq!(encode("return {1, 2, x = 3}").unwrap(), r#"{"1":1,"2":2,"x":3}"#);
        assert_eq!(encode("return {b = 1, a = {c = {}}}").unwrap(), r#"{"a":{"c":[]},"b":1}"#);
    }

    #[test]
    fn numbers_follow_go() {
        assert_eq!(encode("return {1.0, 2.5, -0.0, 2^60}").unwrap(), "[1,2.5,0,1.152921504606847e+18]");
        assert!(encode("return 0/0").unwrap_err().0.contains("NaN"));
        assert!(encode("return {x = {1/0}}").unwrap_err().0.starts_with("value.x[1]: "));
    }

    #[test]
    fn unencodable_values_name_their_path() {
        assert_eq!(encode("return {f = {print}}").unwrap_err().0, "value.f[1]: cannot encode a function");
        assert!(encode("local t = {}; t.self = t; return t").unwrap_err().0.contains("contains itself"));
        assert!(encode("return {[true] = 1}").unwrap_err().0.contains("boolean key"));
        let lua = Lua::new();
        assert_eq!(to_json_lenient(&eval(&lua, "return {n = 1, f = print}"))["n"], Json::from(1));
    }

    #[test]
    fn decode_round_trips() {
        let lua = Lua::new();
        let json: Json = serde_json::from_str(r#"{"a":[1,2.5,"x",null,true],"b":{}}"#).unwrap();
        let v = from_json(&lua, &json).unwrap();
        lua.globals().set("v", v).unwrap();
        let ok: bool = lua
            .load("return math.type(v.a[1]) == 'integer' and v.a[2] == 2.5 and v.a[4] == nil and v.a[5] == true")
            .eval()
            .unwrap();
        assert!(ok);
    }
}
