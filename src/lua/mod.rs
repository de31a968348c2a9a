//! Lua: the only part of the runtime that touches mlua. Compiling and caching code, building
//! sandboxed states, copying values between them, and running entries as processes.

/// A Rust function as a Lua function that costs nothing to make: a light C function that runs
/// the closure as mlua runs its callbacks (`Lua::call_light`, a patch of ours). One made by
/// `Lua::create_function` is a closure, a userdata and a box, made again in every state. The
/// closure cannot capture anything (it becomes the body of a `fn`).
macro_rules! light {
    ($lua:expr, $f:expr $(,)?) => {
        $crate::lua::sandbox::c_function($lua, light_fn!($f))
    };
}

/// The `lua_CFunction` of `light!`, for code that pushes it itself.
macro_rules! light_fn {
    ($f:expr $(,)?) => {{
        unsafe extern "C-unwind" fn call(state: *mut mlua::ffi::lua_State) -> std::os::raw::c_int {
            // SAFETY: Lua calls it, from code mlua runs.
            unsafe { mlua::Lua::call_light(state, $f) }
        }
        call as mlua::ffi::lua_CFunction
    }};
}

/// `api::lazy_table` with `make` behind a light `__index`.
macro_rules! lazy_table {
    ($lua:expr, $make:path) => {
        $crate::lua::api::lazy_table(
            $lua,
            light_fn!(|lua, (t, key): (mlua::Table, mlua::Value)| $crate::lua::api::lazy_index(lua, t, key, $make)),
        )
    };
}

pub mod api;
pub mod code;
mod commands;
pub mod convert;
mod pattern;
pub mod pool;
pub mod preempt;
mod process;
pub mod process_state;
mod raw;
pub mod sandbox;
pub mod shared;
pub mod tasks;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;

pub use preempt::HARD_LIMIT;
pub use process::{LuaProcess, TIME_SLICE};

use crate::registry::Registry;
use crate::value::ErrorValue;

/// Pushes onto a queue that is usually empty or holds one item (a process's tasks and ready
/// queue, a channel's waiters): the first push reserves one slot instead of Rust's usual four,
/// which an idle process would otherwise keep for nothing (spawn_idle bench).
pub(crate) fn push_lean<T>(q: &mut VecDeque<T>, v: T) {
    if q.capacity() == 0 {
        q.reserve_exact(1);
    }
    q.push_back(v);
}

/// Lua-related state shared by every process of a runtime.
#[derive(Default)]
pub struct LuaShared {
    pub code: code::CodeCache,
}

/// A source path as shown in errors: relative to the project when inside it.
pub fn display_path(registry: &Registry, path: &Path) -> String {
    let project = std::path::absolute(registry.project_dir()).unwrap_or_else(|_| registry.project_dir().to_path_buf());
    path.strip_prefix(&project).unwrap_or(path).display().to_string()
}

/// Starts a Lua entry (`process.lua` or `function.lua`) as a process from outside any process
/// (services, `wippy run`, `wippy test`).
pub fn spawn_entry(
    rt: &crate::runtime::Runtime,
    id: &crate::registry::EntryId,
    host: &Arc<crate::runtime::Host>,
    args: Vec<crate::value::Value>,
    ties: crate::runtime::SpawnTies,
) -> Result<Arc<crate::process::ProcessCell>, Arc<ErrorValue>> {
    spawn_entry_as(rt, id, host, args, ties, crate::security::Security::default())
}

/// [`spawn_entry`] running as a given actor and scope (a service's `lifecycle.security`).
pub fn spawn_entry_as(
    rt: &crate::runtime::Runtime,
    id: &crate::registry::EntryId,
    host: &Arc<crate::runtime::Host>,
    args: Vec<crate::value::Value>,
    ties: crate::runtime::SpawnTies,
    security: crate::security::Security,
) -> Result<Arc<crate::process::ProcessCell>, Arc<ErrorValue>> {
    let registry = rt.registry();
    let entry =
        registry.get_shared(id).ok_or_else(|| Arc::new(ErrorValue::new("NOT_FOUND", format!("no entry {id}"))))?;
    match &entry.kind {
        crate::registry::EntryKind::Lua(l) if l.lua_kind != crate::registry::LuaKind::Library => {}
        _ => {
            return Err(Arc::new(ErrorValue::new(
                "INVALID",
                format!("{id} is a {} entry; only process.lua and function.lua entries can run", entry.kind_name),
            )))
        }
    }
    let body = Box::new(
        LuaProcess::new(rt.shared().clone(), entry, host.clone(), args, crate::value::Value::Nil)
            .with_security(security),
    );
    rt.shared().spawn(host, body, ties)
}
