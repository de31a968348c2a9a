//! The `logger` module: `require("logger")` is the root logger. `logger:info/warn/error/debug(msg,
//! fields?)` log through `tracing` (target `lua`) with the process's `pid` and `entry`;
//! `logger:named(name)` returns a logger whose name nests under this one's (`app` → `app.db`);
//! `logger:with(fields)` returns a logger that adds `fields` to every line. Loggers are immutable.
//!
//! With `logger.encoding: json` the fields are handed to the JSON formatter as one JSON object
//! (`fields`), which it spreads into the line; on the console they follow the message as `k=v`.

use std::collections::BTreeMap;
use std::sync::Arc;

use mlua::{Lua, Table, UserData, UserDataMethods, Value as LuaValue};
use serde_json::Value as Json;

use super::json_value::to_json_lenient;
use crate::lua::process_state::with_state;
use crate::runtime::config::LogEncoding;

type Fields = BTreeMap<String, Json>;

#[derive(Clone, Default)]
pub struct Logger {
    name: Option<Arc<str>>,
    fields: Arc<Fields>,
}

#[derive(Clone, Copy)]
enum Level {
    Debug,
    Info,
    Warn,
    Error,
}

fn add_fields(into: &mut Fields, t: &Table) -> mlua::Result<()> {
    for pair in t.pairs::<LuaValue, LuaValue>() {
        let (k, v) = pair?;
        let key = match &k {
            LuaValue::String(s) => s.to_string_lossy(),
            other => other.to_string()?,
        };
        into.insert(key, to_json_lenient(&v));
    }
    Ok(())
}

/// `k=v` pairs for the console: strings bare when they are one plain word, JSON otherwise.
fn console_fields(fields: &Fields) -> String {
    let mut out = String::new();
    for (k, v) in fields {
        let plain = matches!(v, Json::String(s) if !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '"' || c == '='));
        match v {
            Json::String(s) if plain => out.push_str(&format!(" {k}={s}")),
            other => out.push_str(&format!(" {k}={other}")),
        }
    }
    out
}

macro_rules! log_at {
    ($level:expr, $($rest:tt)*) => {
        match $level {
            Level::Debug => tracing::debug!(target: "lua", $($rest)*),
            Level::Info => tracing::info!(target: "lua", $($rest)*),
            Level::Warn => tracing::warn!(target: "lua", $($rest)*),
            Level::Error => tracing::error!(target: "lua", $($rest)*),
        }
    };
}

impl Logger {
    fn log(&self, lua: &Lua, level: Level, msg: LuaValue, extra: Option<Table>) -> mlua::Result<()> {
        let msg = match &msg {
            LuaValue::String(s) => s.to_string_lossy(),
            other => other.to_string()?,
        };
        let mut fields = (*self.fields).clone();
        if let Some(t) = &extra {
            add_fields(&mut fields, t)?;
        }
        let (pid, entry, encoding) =
            with_state(lua, |_, st| Ok((st.cell.name.clone(), st.entry.id.to_string(), st.rt.config.logger.encoding)))?;
        let name = self.name.as_deref().unwrap_or("");
        match encoding {
            LogEncoding::Json => {
                let fields = Json::Object(fields.into_iter().collect());
                log_at!(level, pid = %pid, entry = %entry, logger = name, fields = %fields, "{msg}");
            }
            LogEncoding::Console => {
                let prefix = if name.is_empty() { String::new() } else { format!("{name}: ") };
                let rest = console_fields(&fields);
                log_at!(level, pid = %pid, entry = %entry, "{prefix}{msg}{rest}");
            }
        }
        Ok(())
    }
}

impl UserData for Logger {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        for (method, level) in
            [("debug", Level::Debug), ("info", Level::Info), ("warn", Level::Warn), ("error", Level::Error)]
        {
            m.add_method(method, move |lua, l, (msg, fields): (LuaValue, Option<Table>)| {
                l.log(lua, level, msg, fields)
            });
        }
        m.add_method("named", |_, l, name: String| {
            let name = match &l.name {
                Some(parent) if !parent.is_empty() => format!("{parent}.{name}"),
                _ => name,
            };
            Ok(Logger { name: Some(Arc::from(name)), fields: l.fields.clone() })
        });
        m.add_method("with", |_, l, fields: Table| {
            let mut all = (*l.fields).clone();
            add_fields(&mut all, &fields)?;
            Ok(Logger { name: l.name.clone(), fields: Arc::new(all) })
        });
    }
}

/// The root logger: no name, no fields.
pub fn register(lua: &Lua) -> mlua::Result<mlua::AnyUserData> {
    lua.create_userdata(Logger::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_fields_quote_only_what_needs_it() {
        let mut f = Fields::new();
        f.insert("user".into(), Json::from("ann"));
        f.insert("note".into(), Json::from("two words"));
        f.insert("n".into(), Json::from(3));
        assert_eq!(console_fields(&f), r#" n=3 note="two words" user=ann"#);
    }
}
