//! A process's Lua state: only what lua-api.md lists is reachable ("sandbox by absence"), and
//! most of it is created on first use so an idle process stays small.
//!
//! Eager: the base library (without `dofile`, `loadfile`, `print`, `load`, `collectgarbage`).
//! Lazy, through `_G`'s `__index`: `string` (made callable for the `string(x)` cast, without
//! `dump`), `coroutine` (with `resume`/`wrap` that let blocking calls work inside user coroutines,
//! and `spawn`), `table`, `math`, `utf8`, `os` (time/clock/date only), `load` (text only),
//! `collectgarbage` ("count" only), `require`, `print`, `process`, `channel`, `errors`,
//! `payload`, the casts `integer`, `number`, `boolean`, the type values `Number`, `String`,
//! `Integer`, `Boolean`, `typeof` and `__wippy_type` (what `type T = ...` compiles to,
//! `api/types.rs`). Until `string` is loaded, strings
//! have a stand-in metatable whose `__index` loads it, so `s:upper()` works first time.
//! Absent: `io` (a module on the terminal host), `debug`, `package`.
//!
//! Each library opened costs every process that touches it: `string` is 1.9 KB of Lua heap and
//! `coroutine` 0.6 KB (`spawn_idle` processes touch neither).
//!
//! Hardened against escapes (tests/fixtures/escape): `setmetatable` refuses `__gc` finalizers
//! (they would run where no watchdog can stop them), `_G`'s metatable is protected, and user code
//! cannot resume or close the runtime's own coroutines (`raw.rs`, step 4).

use mlua::{Function, Lua, LuaOptions, MultiValue, StdLib, Table, Value as LuaValue};

use super::api;
use super::process_state::ProcState;
use super::raw;

/// What the step loop needs to start tasks: every task runs `xpcall(body, handler, args...)`.
pub struct TaskFns {
    pub xpcall: Function,
    pub handler: Function,
}

pub fn raise_marker() -> LuaValue {
    LuaValue::LightUserData(mlua::LightUserData(raw::raise_ptr()))
}

const TASKS_KEY: &str = match raw::TASKS.to_str() {
    Ok(s) => s,
    Err(_) => panic!("TASKS is ASCII"),
};

/// Lists `thread` as a task's coroutine: user code can then neither resume nor close it.
pub fn mark_task(lua: &Lua, thread: &mlua::Thread) -> mlua::Result<()> {
    let tasks: Table = lua.named_registry_value(TASKS_KEY)?;
    tasks.raw_set(thread, true)
}

pub fn is_suspend(v: &LuaValue) -> bool {
    matches!(v, LuaValue::LightUserData(p) if p.0 == raw::suspend_ptr())
}

/// A light C function as a Lua value (allocates nothing).
pub fn c_function(lua: &Lua, f: mlua::ffi::lua_CFunction) -> mlua::Result<Function> {
    // SAFETY: every function passed here is one of `raw`'s, written for this calling convention.
    unsafe { lua.create_c_function(f) }
}

/// The base library's `load`, kept for the restricted `load` made on first use.
const BASE_LOAD: &str = "wippy.load";

pub fn new_state(state: ProcState) -> mlua::Result<(Lua, TaskFns)> {
    let lua = Lua::new_with(StdLib::NONE, LuaOptions::default())?;
    let g = lua.globals();
    // `print` is replaced lazily (see `lazy_global`): Lua's own writes through C stdio, whose
    // buffering would delay and reorder lines against the runtime's output. `load` and
    // `collectgarbage` are replaced by restricted versions, also made on first use.
    lua.set_named_registry_value(BASE_LOAD, g.raw_get::<Function>("load")?)?;
    for name in ["dofile", "loadfile", "print", "load", "collectgarbage"] {
        g.raw_set(name, LuaValue::Nil)?;
    }
    lua.set_app_data(state);

    g.raw_set("setmetatable", c_function(&lua, raw::set_metatable)?)?;
    let tasks = lua.create_table()?;
    let weak = lua.create_table_with_capacity(0, 1)?;
    weak.raw_set("__mode", "k")?;
    tasks.set_metatable(Some(weak))?;
    lua.set_named_registry_value(TASKS_KEY, tasks)?;

    let lazy = lua.create_table()?;
    lazy.raw_set("__index", lua.create_function(lazy_global)?)?;
    // `setmetatable(_G, ...)` would lose the lazy globals: refused, like any protected metatable.
    lazy.raw_set("__metatable", "the globals' metatable is protected")?;
    g.set_metatable(Some(lazy))?;
    let stand_in = lua.create_table_with_capacity(0, 1)?;
    stand_in.raw_set("__index", c_function(&lua, raw::string_index)?)?;
    lua.set_type_metatable::<mlua::LuaString>(Some(stand_in));

    let fns = TaskFns { xpcall: g.raw_get("xpcall")?, handler: c_function(&lua, raw::task_handler)? };
    Ok((lua, fns))
}

fn lazy_global(lua: &Lua, (g, key): (Table, LuaValue)) -> mlua::Result<LuaValue> {
    let LuaValue::String(key) = key else { return Ok(LuaValue::Nil) };
    let name = key.to_str()?.to_string();
    let value: LuaValue = match name.as_str() {
        "string" => {
            lua.load_std_libs(StdLib::STRING)?;
            let string: Table = g.raw_get("string")?;
            string.raw_set("dump", LuaValue::Nil)?;
            // find/match/gmatch/gsub under the hard limit (Lua's own run in C, unbounded).
            super::pattern::install(lua, &string)?;
            api::casts::make_string_callable(lua, &string)?;
            LuaValue::Table(string)
        }
        "coroutine" => {
            lua.load_std_libs(StdLib::COROUTINE)?;
            let coroutine: Table = g.raw_get("coroutine")?;
            coroutine.raw_set("resume", c_function(lua, raw::co_resume)?)?;
            coroutine.raw_set("wrap", c_function(lua, raw::co_wrap)?)?;
            coroutine.raw_set("spawn", c_function(lua, raw::spawn_task)?)?;
            coroutine.raw_set("close", c_function(lua, raw::co_close)?)?;
            LuaValue::Table(coroutine)
        }
        "load" => restrict_load(lua)?,
        "collectgarbage" => restrict_collectgarbage(lua)?,
        "require" => LuaValue::Function(lua.create_function(api::require::require)?),
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
        "print" => LuaValue::Function(lua.create_function(api::io::print)?),
        "process" => LuaValue::Table(api::process::register(lua)?),
        "channel" => LuaValue::Table(api::channel::register(lua)?),
        "errors" => LuaValue::Table(api::errors::register(lua)?),
        "payload" => LuaValue::Table(api::payload::register(lua)?),
        "integer" | "number" | "boolean" => api::casts::cast(lua, &name)?,
        "Number" | "String" | "Integer" | "Boolean" => api::types::primitive(lua, &name)?,
        "typeof" => LuaValue::Function(lua.create_function(api::types::type_of)?),
        crate::typed::TYPE_GLOBAL => LuaValue::Function(lua.create_function(api::types::from_declaration)?),
        _ => return Ok(LuaValue::Nil),
    };
    g.raw_set(name, value.clone())?;
    Ok(value)
}

/// `load` of text only: binary chunks could forge bytecode and escape the sandbox.
fn restrict_load(lua: &Lua) -> mlua::Result<LuaValue> {
    // The base library's `load`, before `new_state` removed it from `_G`.
    let raw: Function = lua.named_registry_value(BASE_LOAD)?;
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
    Ok(LuaValue::Function(f))
}

fn restrict_collectgarbage(lua: &Lua) -> mlua::Result<LuaValue> {
    let f = lua.create_function(|lua, opt: Option<String>| match opt.as_deref() {
        None | Some("count") => Ok(lua.used_memory() as f64 / 1024.0),
        Some(other) => Err(mlua::Error::runtime(format!(
            "collectgarbage(\"{other}\") is not available in a process; only \"count\" is"
        ))),
    })?;
    Ok(LuaValue::Function(f))
}
