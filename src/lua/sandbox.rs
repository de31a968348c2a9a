//! A process's Lua state: only what lua-api.md lists is reachable ("sandbox by absence"), and
//! most of it is created on first use so an idle process stays small.
//!
//! Eager: the base library (without `dofile`, `loadfile`, binary `load`, and with
//! `collectgarbage` limited to "count"), `string` (its metatable serves `s:upper()`), the
//! patched `coroutine`, `require`. Lazy, through `_G`'s `__index`: `table`, `math`, `utf8`, `os`
//! (time/clock/date only), `process`, `channel`, `errors`, `payload`, and the casts `integer`,
//! `number`, `boolean`. Absent: `io` (a module on the terminal host), `debug`, `package`.

use mlua::{Function, Lua, LuaOptions, MultiValue, StdLib, Table, Value as LuaValue};

use super::api;
use super::code::Code;
use super::process_state::ProcState;

/// The privileged functions a process keeps from its prelude.
pub struct Prelude {
    pub task: Function,
    pub boot: Function,
}

/// The marker a task yields with to hand a command to the scheduler. Its address is unique and
/// user code cannot make a light userdata, so it cannot be forged.
static SUSPEND_MARK: u8 = 0;

pub fn suspend_marker() -> LuaValue {
    LuaValue::LightUserData(mlua::LightUserData(&SUSPEND_MARK as *const u8 as *mut std::ffi::c_void))
}

pub fn is_suspend(v: &LuaValue) -> bool {
    matches!(v, LuaValue::LightUserData(p) if std::ptr::eq(p.0 as *const u8, &SUSPEND_MARK))
}

pub fn new_state(state: ProcState, prelude: &Code) -> mlua::Result<(Lua, Prelude)> {
    let lua = Lua::new_with(StdLib::STRING | StdLib::COROUTINE, LuaOptions::default())?;
    let g = lua.globals();
    for name in ["dofile", "loadfile"] {
        g.raw_set(name, LuaValue::Nil)?;
    }
    let string: Table = g.raw_get("string")?;
    string.raw_set("dump", LuaValue::Nil)?;
    restrict_load(&lua, &g)?;
    restrict_collectgarbage(&lua, &g)?;
    lua.set_app_data(state);

    let lazy = lua.create_table()?;
    lazy.raw_set("__index", lua.create_function(lazy_global)?)?;
    g.set_metatable(Some(lazy))?;

    let coroutine: Table = g.raw_get("coroutine")?;
    let raw_yield: Function = coroutine.raw_get("yield")?;
    let rt = api::process::privileged(&lua)?;
    let chunk = lua
        .load(&prelude.bytecode[..])
        .set_name(&prelude.chunk_name)
        .set_mode(mlua::chunk::ChunkMode::Binary)
        .into_function()?;
    let m: Table = chunk.call((suspend_marker(), raw_yield, rt))?;
    let wrap: Function = m.raw_get("wrap_coroutine")?;
    wrap.call::<()>(coroutine)?;
    g.raw_set("require", m.raw_get::<Function>("require")?)?;
    lua.set_named_registry_value("wippy.prelude", m.clone())?;

    api::casts::make_string_callable(&lua, &string)?;

    let prelude_fns = Prelude { task: m.raw_get("task")?, boot: m.raw_get("boot")? };
    Ok((lua, prelude_fns))
}

/// The prelude's table of Lua-side API functions.
pub fn prelude_table(lua: &Lua) -> mlua::Result<Table> {
    lua.named_registry_value("wippy.prelude")
}

fn lazy_global(lua: &Lua, (g, key): (Table, LuaValue)) -> mlua::Result<LuaValue> {
    let LuaValue::String(key) = key else {
        return Ok(LuaValue::Nil);
    };
    let name = key.to_str()?.to_string();
    let value: LuaValue = match name.as_str() {
        "table" | "math" | "utf8" | "os" => {
            let lib = match name.as_str() {
                "table" => StdLib::TABLE,
                "math" => StdLib::MATH,
                "utf8" => StdLib::UTF8,
                _ => StdLib::OS,
            };
            lua.load_std_libs(lib)?;
            let t: Table = g.raw_get(name.as_str())?;
            if name == "os" {
                let safe = lua.create_table()?;
                for f in ["time", "clock", "date", "difftime"] {
                    safe.raw_set(f, t.raw_get::<LuaValue>(f)?)?;
                }
                g.raw_set("os", safe.clone())?;
                return Ok(LuaValue::Table(safe));
            }
            return Ok(LuaValue::Table(t));
        }
        "process" => LuaValue::Table(api::process::register(lua)?),
        "channel" => LuaValue::Table(api::channel_global(lua)?),
        "errors" => LuaValue::Table(api::errors::register(lua)?),
        "payload" => LuaValue::Table(api::payload::register(lua)?),
        "integer" | "number" | "boolean" => api::casts::cast(lua, &name)?,
        _ => return Ok(LuaValue::Nil),
    };
    g.raw_set(name, value.clone())?;
    Ok(value)
}

/// `load` of text only: binary chunks could forge bytecode and escape the sandbox.
fn restrict_load(lua: &Lua, g: &Table) -> mlua::Result<()> {
    let raw: Function = g.raw_get("load")?;
    let f = lua.create_function(move |lua, args: MultiValue| {
        let mut args: Vec<LuaValue> = args.into_iter().collect();
        args.resize(args.len().max(2), LuaValue::Nil);
        let mode = LuaValue::String(lua.create_string("t")?);
        // An explicit nil `env` would give the chunk no globals: pass it only when given.
        if args.len() >= 3 {
            args[2] = mode;
        } else {
            args.push(mode);
        }
        raw.call::<MultiValue>(MultiValue::from_iter(args))
    })?;
    g.raw_set("load", f)
}

fn restrict_collectgarbage(lua: &Lua, g: &Table) -> mlua::Result<()> {
    let f = lua.create_function(|lua, opt: Option<String>| match opt.as_deref() {
        None | Some("count") => Ok(lua.used_memory() as f64 / 1024.0),
        Some(other) => Err(mlua::Error::runtime(format!(
            "collectgarbage(\"{other}\") is not available in a process; only \"count\" is"
        ))),
    })?;
    g.raw_set("collectgarbage", f)
}
