//! `Value`: a Lua value detached from any Lua state. Everything that crosses between processes
//! (spawn arguments, messages, results, context) and data from the registry travels in this form,
//! so no Lua value is ever shared between two states.

use std::fmt;
use std::sync::Arc;

/// An owned, immutable, state-independent Lua value.
///
/// Strings and tables sit behind `Arc` so that fanning one value out to many receivers (a topic
/// broadcast, service `input` on every restart) copies pointers, not bytes; the receiver still
/// builds its own Lua objects from it, so nothing is shared at the Lua level.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Lua strings are byte strings; most are UTF-8 but nothing requires it.
    Str(Arc<[u8]>),
    Table(Arc<Table>),
    Error(Arc<ErrorValue>),
}

/// A detached Lua table: the array part `1..=n` and the other keys in insertion order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub array: Vec<Value>,
    pub map: Vec<(Value, Value)>,
}

/// An error object of the `errors` module, detached from any state.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorValue {
    pub message: String,
    /// One of the kinds in lua-api.md (`NOT_FOUND`, `INVALID`, ...), or empty when unset.
    pub kind: String,
    pub retryable: Option<bool>,
    pub details: Option<Value>,
    /// Lua stack trace at the point the error was raised, when known.
    pub stack: Option<String>,
}

impl ErrorValue {
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        ErrorValue { message: message.into(), kind: kind.to_string(), retryable: None, details: None, stack: None }
    }
}

impl fmt::Display for ErrorValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s.as_bytes()))
    }

    pub fn table(array: Vec<Value>, map: Vec<(Value, Value)>) -> Value {
        Value::Table(Arc::new(Table { array, map }))
    }

    pub fn error(kind: &str, message: impl Into<String>) -> Value {
        Value::Error(Arc::new(ErrorValue::new(kind, message)))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => std::str::from_utf8(s).ok(),
            _ => None,
        }
    }

    /// Looks up a string key in a table value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Table(t) => t.map.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// A human rendering, used in logs and test output (`{1, 2, name = "x"}`).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => f.write_str("nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => f.write_str(&String::from_utf8_lossy(s)),
            Value::Error(e) => write!(f, "{e}"),
            Value::Table(t) => {
                f.write_str("{")?;
                let mut first = true;
                for v in &t.array {
                    if !first {
                        f.write_str(", ")?;
                    }
                    first = false;
                    write!(f, "{v}")?;
                }
                for (k, v) in &t.map {
                    if !first {
                        f.write_str(", ")?;
                    }
                    first = false;
                    match k {
                        Value::Str(_) => write!(f, "{k} = {v}")?,
                        _ => write!(f, "[{k}] = {v}")?,
                    }
                }
                f.write_str("}")
            }
        }
    }
}
