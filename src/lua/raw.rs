//! Raw Lua C functions: the blocking calls of the process API, the task error handler, and
//! `coroutine.resume`/`wrap`. They are light C functions (no upvalues), which cost a Lua state
//! nothing until called, so no process pays memory for API it does not use.
//!
//! # Blocking protocol
//! 1. A blocking call (`ch:receive()`, `time.sleep(d)`, ...) yields `SUSPEND, op, args...` to the
//!    step loop (`process.rs`), which does the work in Rust: it completes at once when it can,
//!    otherwise it registers a waiter and the task sleeps until the waiter fires.
//! 2. The step loop resumes the task with the call's results; `k_results` returns them. If the
//!    first resume value is the `RAISE` marker, `k_results` raises the second as a Lua error at the
//!    caller's position instead (send on a closed channel, a bad argument).
//! 3. `coroutine.resume`/`wrap` run user coroutines; a SUSPEND yield from inside one is passed up
//!    to the task (so blocking works inside generators) and the answer passed back down. So is a
//!    preemption of the user coroutine (preempt.rs, step 6): it is passed up as a PREEMPT
//!    marker, which the step loop treats as any preemption (requeue, resume with nothing).
//! 4. User code may not resume or close a task's own coroutine (the body, a `coroutine.spawn`
//!    task: marked in its thread's extra space) nor a coroutine whose command is being
//!    forwarded (anchored in the registry): only the runtime's answer may continue them.
//!
//! # Safety
//! Each function here only calls the Lua C API on the state it was called with. Lua errors and
//! yields leave these functions by `longjmp`, so none of them holds a Rust value with a
//! destructor across a Lua API call that can raise or yield.

use std::ffi::{c_int, c_void};

use mlua::ffi::{self, lua_KContext, lua_State};

use crate::value::Value;

pub const OP_RECV: i64 = 1;
pub const OP_SEND: i64 = 2;
pub const OP_SELECT: i64 = 3;
pub const OP_SLEEP: i64 = 4;
pub const OP_EXEC: i64 = 5;
pub const OP_INPUT: i64 = 6;
pub const OP_SPAWN_TASK: i64 = 7;
pub const OP_EXEC_WITH: i64 = 8;
pub const OP_UPGRADE: i64 = 20;
pub const OP_FUNC_CALL: i64 = 9;

static SUSPEND_MARK: u8 = 0;
static RAISE_MARK: u8 = 0;
static PREEMPT_MARK: u8 = 0;

/// What a task yields when a user coroutine inside it was preempted (step 3).
fn preempt_ptr() -> *mut c_void {
    &PREEMPT_MARK as *const u8 as *mut c_void
}

/// The marker a task yields with to hand a command to the scheduler. User code cannot make a
/// light userdata, so the marker cannot be forged.
pub fn suspend_ptr() -> *mut c_void {
    &SUSPEND_MARK as *const u8 as *mut c_void
}

/// The marker the scheduler resumes a task with to make its blocking call raise.
pub fn raise_ptr() -> *mut c_void {
    &RAISE_MARK as *const u8 as *mut c_void
}

/// Yields `SUSPEND, op, <all arguments>` and continues in `k_results`.
unsafe fn yield_op(state: *mut lua_State, op: i64) -> c_int {
    // SAFETY: `state` is the running coroutine (we are its C function); see the module note.
    unsafe {
        let n = ffi::lua_gettop(state);
        ffi::luaL_checkstack(state, 2, std::ptr::null());
        ffi::lua_pushlightuserdata(state, suspend_ptr());
        ffi::lua_pushinteger(state, op);
        ffi::lua_rotate(state, 1, 2);
        ffi::lua_yieldk(state, n + 2, 0, Some(k_results))
    }
}

/// Step 2: the stack holds exactly the values the task was resumed with.
unsafe extern "C-unwind" fn k_results(state: *mut lua_State, _status: c_int, _ctx: lua_KContext) -> c_int {
    // SAFETY: called by Lua on the resumed coroutine; see the module note.
    unsafe {
        let n = ffi::lua_gettop(state);
        if n >= 2 && ffi::lua_touserdata(state, 1) == raise_ptr() {
            ffi::lua_pushvalue(state, 2);
            if ffi::lua_type(state, -1) == ffi::LUA_TSTRING {
                ffi::luaL_where(state, 1);
                ffi::lua_insert(state, -2);
                ffi::lua_concat(state, 2);
            }
            ffi::lua_error(state);
        }
        n
    }
}

macro_rules! blocking {
    ($(#[$doc:meta])* $name:ident, $op:expr) => {
        $(#[$doc])*
        pub unsafe extern "C-unwind" fn $name(state: *mut lua_State) -> c_int {
            // SAFETY: called by Lua as a C function; see the module note.
            unsafe { yield_op(state, $op) }
        }
    };
}

blocking!(/// `ch:receive()` → `value, true` or `nil, false` once closed and drained.
    receive, OP_RECV);
blocking!(/// `ch:send(v)` → `true`; raises on a closed channel.
    send, OP_SEND);
blocking!(/// `channel.select{cases..., default=?}`.
    select, OP_SELECT);
blocking!(/// `time.sleep(d)`.
    sleep, OP_SLEEP);
blocking!(/// `process.exec(entry, host, ...)` → the child's result or `nil, err`.
    exec, OP_EXEC);
blocking!(/// `spawner:exec(entry, host, ...)`.
    exec_with, OP_EXEC_WITH);
blocking!(/// `io.readline()` → a line, or `nil` at end of input.
    readline, OP_INPUT);
blocking!(/// `coroutine.spawn(fn)` → the new task's coroutine.
    spawn_task, OP_SPAWN_TASK);
blocking!(/// `process.upgrade(entry_or_nil, ...)`: does not return when the upgrade is done.
    upgrade, OP_UPGRADE);

/// `__index` of the strings' stand-in metatable (see `sandbox.rs`): reading the global `string`
/// loads the library, which installs the real metatable; the key is then looked up in it.
pub unsafe extern "C-unwind" fn string_index(state: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a metamethod with (string, key); see the module note.
    unsafe {
        ffi::lua_getglobal(state, c"string".as_ptr());
        if ffi::lua_type(state, -1) != ffi::LUA_TTABLE {
            return 0;
        }
        ffi::lua_pushvalue(state, 2);
        ffi::lua_gettable(state, -2);
        1
    }
}
blocking!(/// `funcs.call(id, ...)` / `executor:call(id, ...)` → the callee's result or `nil, err`.
    func_call, OP_FUNC_CALL);

/// The message handler of every task's `xpcall`: `{error, traceback, text}`. `text` is the
/// error's `__tostring` when it has one, run here, inside the task and under the preemption
/// watchdog: the step loop never runs user metamethods itself (one that loops would hold the
/// worker with nothing to stop it).
pub unsafe extern "C-unwind" fn task_handler(state: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a message handler with the error object at index 1.
    unsafe {
        ffi::luaL_checkstack(state, 3, std::ptr::null());
        ffi::lua_createtable(state, 3, 0);
        ffi::lua_pushvalue(state, 1);
        ffi::lua_rawseti(state, -2, 1);
        ffi::luaL_traceback(state, state, std::ptr::null(), 1);
        ffi::lua_rawseti(state, -2, 2);
        if ffi::luaL_getmetafield(state, 1, c"__tostring".as_ptr()) != ffi::LUA_TNIL {
            ffi::lua_pop(state, 1);
            ffi::luaL_tolstring(state, 1, std::ptr::null_mut());
            ffi::lua_rawseti(state, -2, 3);
        }
        1
    }
}

/// `setmetatable(t, mt)` as Lua's, except that a metatable with `__gc` is refused: a finalizer
/// runs whenever the collector decides (inside the runtime's own calls, or when the process's
/// state is closed), where a loop in it could not be preempted.
pub unsafe extern "C-unwind" fn set_metatable(state: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a C function; the checks follow lbaselib.c's luaB_setmetatable.
    unsafe {
        let t = ffi::lua_type(state, 2);
        ffi::luaL_checktype(state, 1, ffi::LUA_TTABLE);
        if t != ffi::LUA_TNIL && t != ffi::LUA_TTABLE {
            return ffi::luaL_argerror(state, 2, c"nil or table expected".as_ptr());
        }
        if t == ffi::LUA_TTABLE {
            ffi::luaL_checkstack(state, 1, std::ptr::null());
            ffi::lua_pushstring(state, c"__gc".as_ptr());
            let gc = ffi::lua_rawget(state, 2);
            ffi::lua_pop(state, 1);
            if gc != ffi::LUA_TNIL {
                return ffi::luaL_error(
                    state,
                    c"setmetatable: __gc metamethods (finalizers) are not available in a process".as_ptr(),
                );
            }
        }
        if ffi::luaL_getmetafield(state, 1, c"__metatable".as_ptr()) != ffi::LUA_TNIL {
            return ffi::luaL_error(state, c"cannot change a protected metatable".as_ptr());
        }
        ffi::lua_settop(state, 2);
        ffi::lua_setmetatable(state, 1);
        1
    }
}

/// `resume_forwarding` modes. mlua empties a coroutine's C frame when it yields (it keeps only
/// the yielded values), so the continuation cannot find the resumed coroutine on the stack: in
/// WRAP mode it is the closure's upvalue; in RESUME mode the context carries its pointer, and the
/// coroutine is anchored in the registry (keyed by that pointer) while the forward is pending so
/// the collector cannot free it.
const WRAP: lua_KContext = 0;

/// What a task's coroutine holds in its `lua_State` extra space (step 4). Every other thread
/// holds 0: Lua copies the main thread's extra space into each new thread, and `new_state`
/// clears the main thread's (Lua leaves it uninitialised). A mark costs no memory, where a
/// table of tasks cost every process about 200 bytes.
const TASK_MARK: usize = 0x7461_736b;

/// Clears the extra space of the main thread of `state`'s Lua state.
///
/// # Safety
/// `state` is a live Lua state.
pub unsafe fn unmark_main_thread(state: *mut lua_State) {
    // SAFETY: the main thread is alive while `state` is; its extra space is pointer-sized.
    unsafe {
        ffi::lua_rawgeti(state, ffi::LUA_REGISTRYINDEX, ffi::LUA_RIDX_MAINTHREAD);
        let main = ffi::lua_tothread(state, -1);
        ffi::lua_pop(state, 1);
        (ffi::lua_getextraspace(main) as *mut usize).write(0);
    }
}

/// Marks `co` as a task's coroutine.
///
/// # Safety
/// `co` is a live thread.
pub unsafe fn mark_task(co: *mut lua_State) {
    // SAFETY: every thread has a pointer-sized extra space.
    unsafe { (ffi::lua_getextraspace(co) as *mut usize).write(TASK_MARK) }
}

/// Whether the thread at `index` of `state` is a task's coroutine (step 4).
unsafe fn is_task(state: *mut lua_State, index: c_int) -> bool {
    // SAFETY: `index` holds a thread (checked by the callers); its extra space is pointer-sized.
    unsafe { (ffi::lua_getextraspace(ffi::lua_tothread(state, index)) as *const usize).read() == TASK_MARK }
}

/// Whether `co` is suspended in a runtime command that is being forwarded (step 4).
unsafe fn is_forwarding(state: *mut lua_State, co: *mut lua_State) -> bool {
    // SAFETY: a raw registry read keyed by a pointer.
    unsafe {
        ffi::luaL_checkstack(state, 1, std::ptr::null());
        let found = ffi::lua_rawgetp(state, ffi::LUA_REGISTRYINDEX, co as *const c_void) != ffi::LUA_TNIL;
        ffi::lua_pop(state, 1);
        found
    }
}

/// `coroutine.resume(co, ...)`, passing runtime commands from inside `co` up to the task.
pub unsafe extern "C-unwind" fn co_resume(state: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a C function; see the module note.
    unsafe {
        ffi::luaL_checktype(state, 1, ffi::LUA_TTHREAD);
        let co = ffi::lua_tothread(state, 1);
        if is_task(state, 1) {
            return ffi::luaL_error(
                state,
                c"coroutine.resume: cannot resume a process task (the body or a coroutine.spawn task); only the runtime resumes tasks".as_ptr(),
            );
        }
        if is_forwarding(state, co) {
            return ffi::luaL_error(
                state,
                c"coroutine.resume: this coroutine is waiting for a blocking call; only the runtime's answer can resume it".as_ptr(),
            );
        }
        let nargs = ffi::lua_gettop(state) - 1;
        resume_forwarding(state, co, nargs, co as lua_KContext)
    }
}

/// `coroutine.wrap(f)`: a function that resumes a new coroutine running `f`.
pub unsafe extern "C-unwind" fn co_wrap(state: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a C function; see the module note.
    unsafe {
        ffi::luaL_checktype(state, 1, ffi::LUA_TFUNCTION);
        let co = ffi::lua_newthread(state);
        ffi::lua_pushvalue(state, 1);
        ffi::lua_xmove(state, co, 1);
        ffi::lua_pushcclosure(state, wrap_call, 1);
        1
    }
}

unsafe extern "C-unwind" fn wrap_call(state: *mut lua_State) -> c_int {
    // SAFETY: a closure made by `co_wrap`, whose upvalue 1 is its coroutine.
    unsafe {
        let co = ffi::lua_tothread(state, ffi::lua_upvalueindex(1));
        if is_forwarding(state, co) {
            return ffi::luaL_error(
                state,
                c"cannot resume a coroutine that is waiting for a blocking call; only the runtime's answer can resume it".as_ptr(),
            );
        }
        let nargs = ffi::lua_gettop(state);
        resume_forwarding(state, co, nargs, WRAP)
    }
}

/// `coroutine.close(co)`, refusing tasks and coroutines waiting for a blocking call (step 4);
/// otherwise as Lua's own.
pub unsafe extern "C-unwind" fn co_close(state: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a C function; `co` is kept alive by argument 1.
    unsafe {
        ffi::luaL_checktype(state, 1, ffi::LUA_TTHREAD);
        let co = ffi::lua_tothread(state, 1);
        if is_task(state, 1) || is_forwarding(state, co) {
            return ffi::luaL_error(
                state,
                c"coroutine.close: cannot close a process task or a coroutine waiting for a blocking call".as_ptr(),
            );
        }
        let closable = match ffi::lua_status(co) {
            _ if co == state => false,
            ffi::LUA_YIELD => true,
            ffi::LUA_OK => {
                let mut ar: ffi::lua_Debug = std::mem::zeroed();
                ffi::lua_getstack(co, 0, &mut ar) == 0
            }
            _ => true,
        };
        if !closable {
            return ffi::luaL_error(state, c"cannot close a running or normal coroutine".as_ptr());
        }
        if ffi::lua_closethread(co, state) == ffi::LUA_OK {
            ffi::lua_pushboolean(state, 1);
            1
        } else {
            ffi::luaL_checkstack(state, 2, std::ptr::null());
            ffi::lua_pushboolean(state, 0);
            ffi::lua_xmove(co, state, 1);
            2
        }
    }
}

/// Resumes `co` with the top `nargs` values of `state`. In RESUME mode (`mode` is `co`'s pointer)
/// returns `true, ...` or `false, err` like `coroutine.resume`; in WRAP mode returns the values
/// or raises the error.
unsafe fn resume_forwarding(state: *mut lua_State, co: *mut lua_State, nargs: c_int, mode: lua_KContext) -> c_int {
    // SAFETY: `co` is a live coroutine kept alive by the caller's stack (argument 1), the upvalue,
    // or the registry anchor set below while a forward is pending.
    unsafe {
        let resume_mode = mode != WRAP;
        if ffi::lua_checkstack(co, nargs) == 0 {
            return ffi::luaL_error(state, c"too many arguments to resume".as_ptr());
        }
        ffi::lua_xmove(state, co, nargs);
        let mut nres: c_int = 0;
        // The preemption watchdog follows the running coroutine (preempt.rs, step 6).
        let prev = crate::lua::preempt::enter(co);
        let status = ffi::lua_resume(co, state, nargs, &mut nres);
        crate::lua::preempt::leave(prev);
        if status == ffi::LUA_YIELD && crate::lua::preempt::take_co_preempted() {
            // Preempted by the hook, which yields nothing: pass the preemption up (step 3).
            ffi::luaL_checkstack(state, 1, std::ptr::null());
            ffi::lua_pushlightuserdata(state, preempt_ptr());
            anchor(state, co, mode, true);
            return ffi::lua_yieldk(state, 1, mode, Some(k_forward));
        }
        if status == ffi::LUA_OK || status == ffi::LUA_YIELD {
            let forward = status == ffi::LUA_YIELD
                && nres >= 1
                && matches!(ffi::lua_touserdata(co, -nres), p if p == suspend_ptr() || p == preempt_ptr());
            if forward {
                // Step 3: a runtime command (or a preemption) from inside: yield it from this
                // coroutine in turn.
                if ffi::lua_checkstack(state, nres) == 0 {
                    return ffi::luaL_error(state, c"too many results to resume".as_ptr());
                }
                ffi::lua_xmove(co, state, nres);
                // In WRAP mode too: the anchor also marks `co` as forwarding (step 4).
                anchor(state, co, mode, true);
                return ffi::lua_yieldk(state, nres, mode, Some(k_forward));
            }
            if ffi::lua_checkstack(state, nres + 1) == 0 {
                ffi::lua_settop(co, -nres - 1);
                return ffi::luaL_error(state, c"too many results to resume".as_ptr());
            }
            if resume_mode {
                ffi::lua_pushboolean(state, 1);
            }
            ffi::lua_xmove(co, state, nres);
            // Setting a registry key to nil allocates nothing, so `co` is not collected before
            // this returns; afterwards nothing here touches it.
            anchor(state, co, mode, false);
            if resume_mode {
                return nres + 1;
            }
            return nres;
        }
        ffi::lua_xmove(co, state, 1);
        anchor(state, co, mode, false);
        if resume_mode {
            ffi::lua_pushboolean(state, 0);
            ffi::lua_insert(state, -2);
            return 2;
        }
        if ffi::lua_type(state, -1) == ffi::LUA_TSTRING {
            ffi::luaL_where(state, 1);
            ffi::lua_insert(state, -2);
            ffi::lua_concat(state, 2);
        }
        ffi::lua_error(state);
    }
}

/// The task answered a command forwarded from an inner coroutine: pass the answer down. The
/// stack holds exactly the answer (see `WRAP`).
unsafe extern "C-unwind" fn k_forward(state: *mut lua_State, _status: c_int, mode: lua_KContext) -> c_int {
    // SAFETY: in RESUME mode `mode` is the pointer of a coroutine anchored in the registry by
    // `resume_forwarding`; in WRAP mode we run as `wrap_call` with the coroutine as upvalue 1.
    unsafe {
        let nargs = ffi::lua_gettop(state);
        if mode != WRAP {
            // Still anchored: `resume_forwarding` releases the anchor once it has the final results.
            resume_forwarding(state, mode as *mut lua_State, nargs, mode)
        } else {
            let co = ffi::lua_tothread(state, ffi::lua_upvalueindex(1));
            resume_forwarding(state, co, nargs, WRAP)
        }
    }
}

/// Keeps `co` reachable from the registry (keyed by its address) while `on`. The thread value
/// is taken from `state`'s side, never pushed on `co`: a coroutine the hook yielded has no free
/// stack slot in its frame. It is argument 1 of `coroutine.resume` (RESUME mode: the first
/// forward; later ones find it anchored already) or the `wrap` closure's upvalue 1.
unsafe fn anchor(state: *mut lua_State, co: *mut lua_State, mode: lua_KContext, on: bool) {
    // SAFETY: `co` is alive (see callers); the registry is always a valid table.
    unsafe {
        ffi::luaL_checkstack(state, 1, std::ptr::null());
        if on {
            if is_forwarding(state, co) {
                return;
            }
            if mode == WRAP {
                ffi::lua_pushvalue(state, ffi::lua_upvalueindex(1));
            } else {
                ffi::lua_pushvalue(state, 1);
            }
            if ffi::lua_tothread(state, -1) != co {
                // Not where it should be: take it from `co` itself, making room there first.
                ffi::lua_pop(state, 1);
                if ffi::lua_checkstack(co, 1) == 0 {
                    ffi::luaL_error(state, c"coroutine stack overflow".as_ptr());
                }
                ffi::lua_pushthread(co);
                ffi::lua_xmove(co, state, 1);
            }
        } else {
            ffi::lua_pushnil(state);
        }
        ffi::lua_rawsetp(state, ffi::LUA_REGISTRYINDEX, co as *const c_void);
    }
}

/// A message delivered to a process is one table with a protected metatable (`api/payload.rs`):
/// topic, from, n at 1..3 and the payload's n values from 4. The message is its own payload
/// (`msg:payload()` returns it), so `msg:payload():data()` touches one table and no Rust.
pub static MESSAGE_MT: u8 = 0;

pub unsafe extern "C-unwind" fn message_topic(state: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a method; `slot` checks the receiver's type first.
    unsafe { slot(state, 1) }
}

pub unsafe extern "C-unwind" fn message_from(state: *mut lua_State) -> c_int {
    // SAFETY: as `message_topic`.
    unsafe { slot(state, 2) }
}

pub unsafe extern "C-unwind" fn message_payload(state: *mut lua_State) -> c_int {
    // SAFETY: as `message_topic`.
    unsafe {
        ffi::luaL_checktype(state, 1, ffi::LUA_TTABLE);
        ffi::lua_settop(state, 1);
        1
    }
}

pub unsafe extern "C-unwind" fn payload_data(state: *mut lua_State) -> c_int {
    // SAFETY: as `message_topic`.
    unsafe { slot(state, 4) }
}

pub unsafe extern "C-unwind" fn payload_data_all(state: *mut lua_State) -> c_int {
    // SAFETY: as `message_topic`; the stack is grown before the values are pushed.
    unsafe {
        ffi::luaL_checktype(state, 1, ffi::LUA_TTABLE);
        ffi::lua_rawgeti(state, 1, 3);
        let n = ffi::lua_tointegerx(state, -1, std::ptr::null_mut()).clamp(0, 1 << 16) as c_int;
        ffi::lua_pop(state, 1);
        ffi::luaL_checkstack(state, n, std::ptr::null());
        for i in 0..n {
            ffi::lua_rawgeti(state, 1, (4 + i) as ffi::lua_Integer);
        }
        n
    }
}

pub unsafe extern "C-unwind" fn payload_format(state: *mut lua_State) -> c_int {
    // SAFETY: pushes one string.
    unsafe {
        ffi::lua_pushstring(state, c"lua".as_ptr());
        1
    }
}

/// `tostring(message)`: `message(topic)`.
pub unsafe extern "C-unwind" fn message_tostring(state: *mut lua_State) -> c_int {
    // SAFETY: as `message_topic`; `luaL_tolstring` converts whatever the slot holds.
    unsafe {
        ffi::luaL_checktype(state, 1, ffi::LUA_TTABLE);
        ffi::lua_rawgeti(state, 1, 1);
        let topic = ffi::luaL_tolstring(state, -1, std::ptr::null_mut());
        ffi::lua_pushfstring(state, c"message(%s)".as_ptr(), topic);
        1
    }
}

/// Pushes slot `i` of the table method receiver.
unsafe fn slot(state: *mut lua_State, i: ffi::lua_Integer) -> c_int {
    // SAFETY: `luaL_checktype` raises (a longjmp, with nothing to drop) unless 1 is a table.
    unsafe {
        ffi::luaL_checktype(state, 1, ffi::LUA_TTABLE);
        ffi::lua_rawgeti(state, 1, i);
        1
    }
}

/// Pushes the message `topic`/`from` carrying `payload` (every value `crate::lua::convert::
/// is_plain`), with the metatable registered under `MESSAGE_MT`.
///
/// # Safety
/// Runs inside a protected call (`Lua::exec_raw`): allocation errors raise to it, and nothing
/// here has a destructor.
pub unsafe fn push_message(state: *mut lua_State, topic: &str, from: Option<&str>, payload: &[Value]) {
    unsafe {
        ffi::luaL_checkstack(state, 4, std::ptr::null());
        ffi::lua_createtable(state, (3 + payload.len()) as c_int, 0);
        ffi::lua_pushlstring(state, topic.as_ptr() as *const _, topic.len());
        ffi::lua_rawseti(state, -2, 1);
        if let Some(from) = from {
            ffi::lua_pushlstring(state, from.as_ptr() as *const _, from.len());
            ffi::lua_rawseti(state, -2, 2);
        }
        ffi::lua_pushinteger(state, payload.len() as ffi::lua_Integer);
        ffi::lua_rawseti(state, -2, 3);
        for (i, v) in payload.iter().enumerate() {
            push_plain(state, v);
            ffi::lua_rawseti(state, -2, (4 + i) as ffi::lua_Integer);
        }
        ffi::lua_rawgetp(state, ffi::LUA_REGISTRYINDEX, &MESSAGE_MT as *const u8 as *const c_void);
        ffi::lua_setmetatable(state, -2);
    }
}

/// Pushes a detached value that holds no error object (see `convert::is_plain`).
///
/// # Safety
/// As `push_message`.
pub unsafe fn push_plain(state: *mut lua_State, v: &Value) {
    unsafe {
        ffi::luaL_checkstack(state, 3, std::ptr::null());
        match v {
            Value::Nil | Value::Error(_) => ffi::lua_pushnil(state),
            Value::Bool(b) => ffi::lua_pushboolean(state, *b as c_int),
            Value::Int(i) => ffi::lua_pushinteger(state, *i),
            Value::Float(f) => ffi::lua_pushnumber(state, *f),
            Value::Str(s) => {
                ffi::lua_pushlstring(state, s.as_ptr() as *const _, s.len());
            }
            Value::Table(t) => {
                ffi::lua_createtable(state, t.array.len() as c_int, t.map.len() as c_int);
                for (i, item) in t.array.iter().enumerate() {
                    push_plain(state, item);
                    ffi::lua_rawseti(state, -2, (i + 1) as ffi::lua_Integer);
                }
                for (k, item) in &t.map {
                    push_plain(state, k);
                    push_plain(state, item);
                    ffi::lua_rawset(state, -3);
                }
            }
        }
    }
}
