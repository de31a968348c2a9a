//! Terminal I/O (`io`, only on a terminal host) and the bench-only `bench` module.

use std::io::{BufRead, Write};

use mlua::{Lua, MultiValue, Table, Value as LuaValue};

use crate::process::Signal;

/// Command-line arguments given to `wippy run NAME ARGS...`, set once by the CLI.
pub static ARGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

fn render(lua: &Lua, args: MultiValue) -> mlua::Result<String> {
    let tostring: mlua::Function = crate::lua::sandbox::base_function(lua, "tostring")?;
    let mut parts = Vec::with_capacity(args.len());
    for a in args {
        parts.push(match a {
            LuaValue::String(s) => s.to_string_lossy(),
            other => tostring.call::<String>(other)?,
        });
    }
    Ok(parts.join("\t"))
}

/// The global `print`: one line per call, written and flushed at once.
pub fn print(lua: &Lua, args: MultiValue) -> mlua::Result<()> {
    let line = render(lua, args)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "write",
        lua.create_function(|lua, args: MultiValue| {
            let mut out = std::io::stdout().lock();
            for a in args {
                match a {
                    LuaValue::String(s) => out.write_all(&s.as_bytes())?,
                    other => out.write_all(render(lua, MultiValue::from_iter([other]))?.as_bytes())?,
                }
            }
            out.flush()?;
            Ok(true)
        })?,
    )?;
    t.raw_set(
        "print",
        lua.create_function(|lua, args: MultiValue| {
            let line = render(lua, args)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{line}")?;
            out.flush()?;
            Ok(true)
        })?,
    )?;
    t.raw_set(
        "eprint",
        lua.create_function(|lua, args: MultiValue| {
            eprintln!("{}", render(lua, args)?);
            Ok(true)
        })?,
    )?;
    t.raw_set("args", lua.create_function(|_, ()| Ok(ARGS.get().cloned().unwrap_or_default()))?)?;
    t.raw_set("readline", crate::lua::sandbox::c_function(lua, crate::lua::raw::readline)?)?;
    Ok(t)
}

/// Reading blocks, so it happens on a thread of its own that hands each line to the process
/// as a signal; the process's `io.readline` task waits for it like for any other event.
pub fn start_stdin_reader(cell: std::sync::Arc<crate::process::ProcessCell>) -> std::io::Result<()> {
    std::thread::Builder::new().name("wippy-stdin".into()).spawn(move || {
        let stdin = std::io::stdin();
        let mut lines = stdin.lock();
        loop {
            let mut line = String::new();
            let got = match lines.read_line(&mut line) {
                Ok(0) | Err(_) => None,
                Ok(_) => Some(line.trim_end_matches(['\n', '\r']).to_string()),
            };
            let eof = got.is_none();
            if !cell.deliver(Signal::Input(got)) || eof {
                return;
            }
        }
    })?;
    Ok(())
}

/// Bench-only helpers: the process RSS, read by the runtime from /proc/self/status.
pub fn bench(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("rss", lua.create_function(|_, ()| Ok(rss_bytes()))?)?;
    Ok(t)
}

pub fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
