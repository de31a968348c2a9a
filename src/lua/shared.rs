//! Shared modules: each compiled source's functions and strings made once, in a loader state,
//! and run by every process state through closures of its own.
//!
//! This is the Rust side of the `lshare.c` patch to Lua (see `vendor/lua-src/PATCHES.md`):
//! a new process's state finds the metamethod names, reserved words and its module's strings
//! in the shared string table instead of interning its own, and gets its module's main
//! function without undumping anything. A state made before a module was shared cannot use it
//! (it may hold its own copy of one of the strings); [`SharedProto::push`] says so and the
//! caller undumps the bytecode as before.

use std::ffi::{c_int, c_uint, c_void, CStr, CString};

use mlua::ffi::{self, lua_State};
use mlua::{Function, Lua};
use parking_lot::Mutex;

unsafe extern "C-unwind" {
    fn lua_share(loader: *mut lua_State, generation: *mut c_uint) -> *const c_void;
    fn lua_pushshared(state: *mut lua_State, proto: *const c_void, generation: c_uint) -> c_int;
}

/// A module's main function prototype, shared by all states, and the generation a state must
/// have to run it.
#[derive(Debug)]
pub struct SharedProto {
    proto: *const c_void,
    generation: c_uint,
}

// SAFETY: a shared prototype is immutable and lives as long as the process (lshare.c).
unsafe impl Send for SharedProto {}
unsafe impl Sync for SharedProto {}

/// The state shared objects are made in. Its collector never runs on its own, it is used by
/// one thread at a time, and it is never closed: shared objects are allocated by it.
struct Loader(*mut lua_State);

// SAFETY: only used under `LOADER`'s lock.
unsafe impl Send for Loader {}

static LOADER: Mutex<Option<Loader>> = Mutex::new(None);

/// Strings the runtime itself puts in most process states (mlua's metatable keys, message and
/// event fields, the message methods), shared with the loader's first share so that no state
/// interns its own copy: each one is an allocation and 40-odd bytes per process otherwise.
/// (Names Lua code uses are constants of its module, shared with it.) Found by listing the
/// strings a spawn_idle process still owned at its end.
const RUNTIME_NAMES: &[&str] = &[
    "",
    "__metatable",
    "__name",
    "__tostring",
    "__type",
    "__pairs",
    "LuaChannel",
    "the globals' metatable is protected",
    "message",
    "topic",
    "payload",
    "data",
    "data_all",
    "transcode",
    "from",
    "error",
    "kind",
    "id",
    "pid",
    "value",
    "ok",
    "result",
    "reason",
    "channel",
    "default",
];

/// Shares the main function of `bytecode` (compiled by `code::compile_plain`). `None` if the
/// bytecode does not load, which the caller reports when it undumps it itself.
pub fn share(bytecode: &[u8], chunk_name: &str) -> Option<SharedProto> {
    let name = CString::new(chunk_name).ok()?;
    let mut loader = LOADER.lock();
    let state = match &*loader {
        Some(l) => l.0,
        None => {
            // SAFETY: a new state, with its collector stopped for good (see `Loader`).
            let state = unsafe { ffi::luaL_newstate() };
            if state.is_null() {
                return None;
            }
            unsafe { ffi::lua_gc(state, ffi::LUA_GCSTOP) };
            // A table constructor of string literals (the names are ASCII, so Rust's quoting is
            // Lua's); if it failed to load, states would only intern their own copies.
            let names: Vec<String> = RUNTIME_NAMES.iter().map(|n| format!("{n:?}")).collect();
            let names = format!("return {{{}}}", names.join(", "));
            // SAFETY: the lock is held and the state was just made.
            unsafe { load_and_share(state, names.as_bytes(), c"=names", c"t") };
            loader.insert(Loader(state)).0
        }
    };
    // SAFETY: the loader state is only touched under the lock.
    unsafe { load_and_share(state, bytecode, &name, c"b") }
}

/// Loads `chunk` in the loader state (`mode` "b" or "t") and shares its main function.
///
/// # Safety
/// `state` is the loader state and `LOADER`'s lock is held.
unsafe fn load_and_share(state: *mut lua_State, chunk: &[u8], name: &CStr, mode: &CStr) -> Option<SharedProto> {
    // SAFETY: `luaL_loadbufferx` is a protected call, and `lua_share` neither allocates nor
    // raises errors.
    unsafe {
        let status = ffi::luaL_loadbufferx(state, chunk.as_ptr().cast(), chunk.len(), name.as_ptr(), mode.as_ptr());
        let shared = (status == ffi::LUA_OK).then(|| {
            let mut generation = 0;
            let proto = lua_share(state, &mut generation);
            SharedProto { proto, generation }
        });
        ffi::lua_settop(state, 0);
        // What loading left behind (the closure, its upvalue, an error message) is the loader's
        // garbage; the shared objects are in none of its lists any more.
        ffi::lua_gc(state, ffi::LUA_GCCOLLECT);
        shared
    }
}

impl SharedProto {
    /// A new closure of the shared function in `lua`, its `_ENV` the globals, as `load` would
    /// make it; `None` if `lua` was made before the function was shared.
    pub fn push(&self, lua: &Lua) -> mlua::Result<Option<Function>> {
        let (proto, generation) = (self.proto, self.generation);
        // SAFETY: `exec_raw` runs the closure protected, with room for one value on the stack.
        unsafe {
            lua.exec_raw::<Option<Function>>((), |state| {
                if lua_pushshared(state, proto, generation) == 0 {
                    ffi::lua_pushnil(state);
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lua::code::compile_plain;
    use mlua::{LuaOptions, StdLib};

    fn state() -> Lua {
        Lua::new_with(StdLib::ALL_SAFE, LuaOptions::default()).unwrap()
    }

    fn shared(source: &str) -> SharedProto {
        let code = compile_plain(source, "shared_test").unwrap();
        share(&code.bytecode, &code.chunk_name).unwrap()
    }

    /// Strings built at run time are the shared constants: a table keyed by a constant finds
    /// the same key built by concatenation, and metamethods named by constants work.
    #[test]
    fn a_shared_function_sees_its_constants_as_the_state_own_strings() {
        let module = shared(
            r#"
            local t = setmetatable({ shared_key_1 = 1 }, { __index = function(_, k) return "missing " .. k end })
            return function(a, b) return t[a .. b], t.nothing, ("shared_key_1"):upper() end
            "#,
        );
        for _ in 0..3 {
            let lua = state();
            let main = module.push(&lua).unwrap().expect("a new state runs shared functions");
            let f: Function = main.call(()).unwrap();
            let (hit, miss, up): (i64, String, String) = f.call(("shared_", "key_1")).unwrap();
            assert_eq!((hit, miss.as_str(), up.as_str()), (1, "missing nothing", "SHARED_KEY_1"));
        }
    }

    /// A state made before the function was shared may hold its own copy of a constant, so it
    /// is refused; it undumps the bytecode instead.
    #[test]
    fn a_state_older_than_the_shared_function_is_refused() {
        let old = state();
        old.globals().set("older_state_key", "own copy").unwrap();
        let module = shared("return older_state_key");
        assert!(module.push(&old).unwrap().is_none());
        assert!(module.push(&state()).unwrap().is_some());
    }

    /// Collections in both modes, in many states on several threads at once, while other
    /// modules are being shared: no collector touches a shared object, so the functions keep
    /// working and the states close cleanly.
    #[test]
    fn collections_in_many_states_leave_shared_functions_intact() {
        let module = std::sync::Arc::new(shared(
            r#"
            local names = {}
            for i = 1, 50 do names[i] = "gc_name_" .. i end
            return function(rounds)
              local sum = 0
              for r = 1, rounds do
                local t = {}
                for i, n in ipairs(names) do t[n] = i; t[n .. r] = { r } end
                collectgarbage(r % 2 == 0 and "generational" or "incremental")
                collectgarbage()
                sum = sum + t.gc_name_50
              end
              return sum
            end
            "#,
        ));
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let module = module.clone();
                std::thread::spawn(move || {
                    for round in 0..20 {
                        let lua = state();
                        let main = module.push(&lua).unwrap().unwrap();
                        let f: Function = main.call(()).unwrap();
                        assert_eq!(f.call::<i64>(10).unwrap(), 500);
                        if round % 5 == 0 {
                            shared(&format!("return 'other module {i} {round}'"));
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}
