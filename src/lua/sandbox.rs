//! A process's Lua state: only what lua-api.md lists is reachable ("sandbox by absence"), and
//! most of it is created on first use so an idle process stays small.
//!
//! `_G` starts empty; every global is put into it on first read, through `_G`'s `__index`: the
//! base library's functions (light C functions, read once per runtime; without `dofile`,
//! `loadfile`, and with our own `setmetatable`, `print`, `load`, `collectgarbage`), `string` (made callable for the `string(x)` cast, without
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

/// Marks `thread` as a task's coroutine: user code can then neither resume nor close it.
pub fn mark_task(thread: &mlua::Thread) {
    // SAFETY: a thread's pointer is its `lua_State`, alive as long as `thread`.
    unsafe { raw::mark_task(thread.to_pointer() as *mut mlua::ffi::lua_State) }
}

pub fn is_suspend(v: &LuaValue) -> bool {
    matches!(v, LuaValue::LightUserData(p) if p.0 == raw::suspend_ptr())
}

/// A light C function as a Lua value (allocates nothing).
pub fn c_function(lua: &Lua, f: mlua::ffi::lua_CFunction) -> mlua::Result<Function> {
    // SAFETY: every function passed here is one of `raw`'s, written for this calling convention.
    unsafe { lua.create_c_function(f) }
}

/// The base library's functions: light C functions (no upvalues), the same in every state, so
/// each process's `_G` gets them on first use at no cost but a table slot. `load` is here for the
/// restricted `load`; `dofile`, `loadfile`, `print` and `collectgarbage` are never handed out as
/// they are (see `lazy_global`).
struct BaseLibrary {
    functions: Vec<(String, mlua::ffi::lua_CFunction)>,
}

impl BaseLibrary {
    fn get(&self, name: &str) -> Option<mlua::ffi::lua_CFunction> {
        self.functions.iter().find(|(n, _)| n == name).map(|&(_, f)| f)
    }
}

static BASE_LIBRARY: std::sync::OnceLock<BaseLibrary> = std::sync::OnceLock::new();

/// Reads the base library once per runtime, out of a state of its own that opens it (process
/// states do not: see `new_state`).
fn base_library() -> mlua::Result<&'static BaseLibrary> {
    if let Some(lib) = BASE_LIBRARY.get() {
        return Ok(lib);
    }
    let lua = Lua::new_with(StdLib::NONE, LuaOptions::default())?;
    let base = lua.globals();
    let mut functions = Vec::new();
    for pair in base.pairs::<String, LuaValue>() {
        let (name, value) = pair?;
        if let LuaValue::Function(f) = value {
            // SAFETY: the function is pushed and inspected only; nothing is called.
            let light = unsafe {
                lua.exec_raw::<LuaValue>(&f, |state| {
                    let cf = mlua::ffi::lua_tocfunction(state, -1);
                    let upvalues = !mlua::ffi::lua_getupvalue(state, -1, 1).is_null();
                    mlua::ffi::lua_settop(state, 0);
                    match cf {
                        Some(cf) if !upvalues => mlua::ffi::lua_pushlightuserdata(state, cf as *mut _),
                        _ => mlua::ffi::lua_pushnil(state),
                    }
                })?
            };
            if let LuaValue::LightUserData(p) = light {
                // SAFETY: `p` came from `lua_tocfunction` just above.
                let cf: mlua::ffi::lua_CFunction = unsafe { std::mem::transmute(p.0) };
                functions.push((name, cf));
            }
        }
    }
    Ok(BASE_LIBRARY.get_or_init(|| BaseLibrary { functions }))
}

/// A function of Lua's base library (`tostring`, `pcall`, ...) as Lua has it, whatever the
/// process did to its globals.
pub fn base_function(lua: &Lua, name: &str) -> mlua::Result<Function> {
    match BASE_LIBRARY.get().and_then(|b| b.get(name)) {
        Some(f) => c_function(lua, f),
        None => Err(mlua::Error::runtime(format!("the base library has no {name}"))),
    }
}

/// `_G`'s metatable (lazy globals, protected: user code cannot reach it), which a recycled
/// state keeps (`pool.rs`).
pub struct Globals {
    lazy: Table,
}

/// A Lua state with no library at all, not even the base library (about 1.8 KB of names and
/// slots, and a third of the work of making a state): its `_G` is empty.
fn bare_state() -> mlua::Result<Lua> {
    Lua::new_with(StdLib::NONE, LuaOptions::default().base_library(false))
}

pub fn new_state(state: ProcState) -> mlua::Result<(Lua, TaskFns, Globals)> {
    base_library()?;
    // `_G` starts empty and takes each function on first use.
    let lua = bare_state()?;
    // A new state's collector starts a cycle at its first allocation (its debt starts at zero)
    // and steps through setup and loading; one full collection of the near-empty heap (its
    // fixed names, mlua's metatables) sets the next at twice that size instead: 5% fewer
    // instructions per spawn (spawn_idle under callgrind), same memory.
    lua.gc_collect()?;
    lua.set_app_data(state);

    // SAFETY: runs on the main thread, which is alive as long as `lua`.
    unsafe { lua.exec_raw::<()>((), |state| raw::unmark_main_thread(state))? };

    // SAFETY: pushes a table and two fields' values (`exec_raw` leaves room for three) and
    // leaves the table.
    let lazy = unsafe {
        lua.exec_raw::<Table>((), |state| {
            use mlua::ffi;
            ffi::lua_createtable(state, 0, 2);
            ffi::lua_pushcfunction(state, light_fn!(lazy_global));
            ffi::lua_setfield(state, -2, c"__index".as_ptr());
            // `setmetatable(_G, ...)` would lose the lazy globals: refused, like any protected
            // metatable.
            ffi::lua_pushstring(state, c"the globals' metatable is protected".as_ptr());
            ffi::lua_setfield(state, -2, c"__metatable".as_ptr());
        })?
    };
    let globals = Globals { lazy };
    fresh_globals(&lua, &globals, lua.globals())?;

    let fns = TaskFns { xpcall: base_function(&lua, "xpcall")?, handler: c_function(&lua, raw::task_handler)? };
    Ok((lua, fns, globals))
}

/// Makes `g` the state's empty `_G`, and gives strings a new stand-in metatable (a new one:
/// `getmetatable("")` hands it to user code).
///
/// Raw calls in one protected call: this runs for every new and every recycled state.
fn fresh_globals(lua: &Lua, globals: &Globals, g: Table) -> mlua::Result<()> {
    // SAFETY: with `g` and the lazy metatable pushed as arguments, uses at most three more slots
    // (`exec_raw` checks for three) and leaves the stack as it found it.
    unsafe {
        lua.exec_raw::<()>((g, &globals.lazy), |state| {
            use mlua::ffi;
            ffi::lua_setmetatable(state, -2);
            ffi::lua_rawseti(state, ffi::LUA_REGISTRYINDEX, ffi::LUA_RIDX_GLOBALS);
            ffi::lua_pushstring(state, c"".as_ptr());
            ffi::lua_createtable(state, 0, 1);
            ffi::lua_pushcfunction(state, raw::string_index);
            ffi::lua_setfield(state, -2, c"__index".as_ptr());
            ffi::lua_setmetatable(state, -2);
            ffi::lua_pop(state, 1);
        })
    }
}

/// Empties the state of a process that ended, for the next one (`pool.rs`): what the process
/// could reach or change is dropped or replaced. Its `ProcState` goes (and with it every value
/// the runtime held for it), `_G` is a new empty table, strings get the stand-in metatable
/// back, and the registry loses every key the process's run added (loaded libraries, the
/// `require` cache, interned types, forwarded coroutines). mlua's own entries stay: integer
/// references and the keys a new state starts with. What is left is garbage, collected as
/// the next process allocates.
pub fn empty(lua: &Lua, globals: &Globals) -> mlua::Result<()> {
    drop(lua.remove_app_data::<ProcState>());
    fresh_globals(lua, globals, lua.create_table()?)?;
    let keep = first_registry_keys()?;
    // SAFETY: a traversal of the registry that only clears fields it visits, which `lua_next`
    // allows.
    unsafe {
        lua.exec_raw::<()>((), |state| {
            use mlua::ffi;
            ffi::lua_pushnil(state);
            while ffi::lua_next(state, ffi::LUA_REGISTRYINDEX) != 0 {
                ffi::lua_pop(state, 1);
                let drop_key = match ffi::lua_type(state, -1) {
                    ffi::LUA_TNUMBER => false,
                    ffi::LUA_TLIGHTUSERDATA => !keep.contains(&(ffi::lua_touserdata(state, -1) as usize)),
                    _ => true,
                };
                if drop_key {
                    ffi::lua_pushvalue(state, -1);
                    ffi::lua_pushnil(state);
                    ffi::lua_rawset(state, ffi::LUA_REGISTRYINDEX);
                }
            }
        })
    }
}

/// The registry's light-userdata keys of mlua's internal metatables and data, at static
/// addresses, the same in every state: those of a new state, plus the metatable of destructed
/// userdata, which mlua makes (and records the address of) when a userdata is first taken or
/// collected.
fn first_registry_keys() -> mlua::Result<&'static [usize]> {
    static KEYS: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();
    if let Some(keys) = KEYS.get() {
        return Ok(keys);
    }
    let fresh = bare_state()?;
    fresh.create_any_userdata(0u8)?.take::<u8>()?;
    // mlua makes the callbacks' metatables with the first Rust function: theirs are mlua's keys too.
    drop(fresh.create_function(|_, ()| Ok(()))?);
    let mut keys = Vec::new();
    // SAFETY: a read-only traversal of the registry.
    unsafe {
        fresh.exec_raw::<()>((), |state| {
            use mlua::ffi;
            ffi::lua_pushnil(state);
            while ffi::lua_next(state, ffi::LUA_REGISTRYINDEX) != 0 {
                ffi::lua_pop(state, 1);
                if ffi::lua_type(state, -1) == ffi::LUA_TLIGHTUSERDATA {
                    keys.push(ffi::lua_touserdata(state, -1) as usize);
                }
            }
        })?;
    }
    Ok(KEYS.get_or_init(|| keys))
}

fn lazy_global(lua: &Lua, (g, key): (Table, LuaValue)) -> mlua::Result<LuaValue> {
    let LuaValue::String(key) = key else { return Ok(LuaValue::Nil) };
    let key = key.to_str()?;
    let name: &str = &key;
    let value: LuaValue = match name {
        "setmetatable" => LuaValue::Function(c_function(lua, raw::set_metatable)?),
        "_G" => LuaValue::Table(g.clone()),
        "_VERSION" => LuaValue::String(lua.create_string("Lua 5.4")?),
        "dofile" | "loadfile" => return Ok(LuaValue::Nil),
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
            let lib = match name {
                "table" => StdLib::TABLE,
                "math" => StdLib::MATH,
                "utf8" => StdLib::UTF8,
                _ => StdLib::OS,
            };
            lua.load_std_libs(lib)?;
            let t: Table = g.raw_get(name)?;
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
        "integer" | "number" | "boolean" => api::casts::cast(lua, name)?,
        "Number" | "String" | "Integer" | "Boolean" => api::types::primitive(lua, name)?,
        "typeof" => LuaValue::Function(lua.create_function(api::types::type_of)?),
        crate::typed::TYPE_GLOBAL => LuaValue::Function(lua.create_function(api::types::from_declaration)?),
        // `new_state` read the base library before any Lua code could run.
        _ => match BASE_LIBRARY.get().and_then(|b| b.get(name)) {
            Some(f) => LuaValue::Function(c_function(lua, f)?),
            None => return Ok(LuaValue::Nil),
        },
    };
    g.raw_set(name, value.clone())?;
    Ok(value)
}

/// `load` of text only: binary chunks could forge bytecode and escape the sandbox.
fn restrict_load(lua: &Lua) -> mlua::Result<LuaValue> {
    let raw = base_function(lua, "load")?;
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

#[cfg(test)]
mod tests {
    /// mlua (patched) makes the metatable of destructed userdata on first use, not per state.
    #[test]
    fn a_taken_userdata_is_destructed_in_a_state_made_without_that_metatable() {
        let lua = super::bare_state().expect("state");
        let ud = lua.create_any_userdata(7u8).expect("userdata");
        assert_eq!(ud.take::<u8>().expect("take"), 7);
        let err = ud.borrow::<u8>().expect_err("a taken userdata cannot be borrowed");
        assert!(matches!(err, mlua::Error::UserDataDestructed), "{err:?}");
        let index = lua.load("return function(u) return u.x end").eval::<mlua::Function>().expect("chunk");
        let err = index.call::<mlua::Value>(ud).expect_err("indexing a taken userdata");
        assert!(err.to_string().contains("destructed"), "{err}");
    }
}
