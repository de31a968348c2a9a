//! The JSON form of a payload (`payload:transcode`): a detached `Value` to JSON text and back,
//! through `serde_json`.
//!
//! Encoding: a table whose keys are exactly `1..n` is an array, any other table an object (an
//! empty table is `{}`); number keys become strings; an error object becomes its message; NaN
//! and infinities cannot be encoded. Decoding: `null` is nil, integers stay integers.

use std::sync::Arc;

use serde_json::{Map, Number, Value as Json};

use crate::value::{Table, Value};

pub fn encode(v: &Value) -> Result<String, String> {
    serde_json::to_string(&to_json(v)?).map_err(|e| e.to_string())
}

pub fn decode(text: &str) -> Result<Value, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok(from_json(&json))
}

fn to_json(v: &Value) -> Result<Json, String> {
    Ok(match v {
        Value::Nil => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number((*i).into()),
        Value::Float(f) => {
            Json::Number(Number::from_f64(*f).ok_or_else(|| format!("cannot encode the number {f} as JSON"))?)
        }
        Value::Str(s) => Json::String(String::from_utf8_lossy(s).into_owned()),
        Value::Error(e) => Json::String(e.message.clone()),
        Value::Table(t) if t.map.is_empty() && !t.array.is_empty() => {
            Json::Array(t.array.iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Value::Table(t) => {
            let mut obj = Map::new();
            for (i, item) in t.array.iter().enumerate() {
                obj.insert((i + 1).to_string(), to_json(item)?);
            }
            for (k, item) in &t.map {
                let key = match k {
                    Value::Str(s) => String::from_utf8_lossy(s).into_owned(),
                    Value::Int(_) | Value::Float(_) | Value::Bool(_) => k.to_string(),
                    other => return Err(format!("cannot encode a table key of this kind as JSON: {other}")),
                };
                obj.insert(key, to_json(item)?);
            }
            Json::Object(obj)
        }
    })
}

fn from_json(j: &Json) -> Value {
    match j {
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::str(s),
        Json::Array(items) => {
            Value::Table(Arc::new(Table { array: items.iter().map(from_json).collect(), map: vec![] }))
        }
        Json::Object(obj) => Value::Table(Arc::new(Table {
            array: vec![],
            map: obj.iter().map(|(k, v)| (Value::str(k), from_json(v))).collect(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_round_trip_through_json() {
        let v = Value::table(
            vec![],
            vec![
                (Value::str("name"), Value::str("ada")),
                (Value::str("tags"), Value::table(vec![Value::Int(1), Value::Float(2.5)], vec![])),
            ],
        );
        let text = encode(&v).unwrap();
        assert_eq!(text, r#"{"name":"ada","tags":[1,2.5]}"#);
        assert_eq!(decode(&text).unwrap(), v);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(decode("{").is_err());
        assert!(encode(&Value::Float(f64::NAN)).is_err());
    }
}
