//! The `funcs` module: call a `function.lua` (or a `process.lua` with `meta.default_host`) as a
//! process of its own and wait for its result (`call`), or get a Future for it (`async`);
//! Executors (`funcs.new()`) carry context, actor, scope and a timeout.
//!
//! Security: a call is guarded by `funcs.call` (resource: the function's ID) instead of
//! `process.spawn`/`process.host` (the caller names a function, not a process or a host); the
//! callee runs as the caller's actor and scope, or the executor's (`with_actor`/`with_scope`,
//! themselves guarded by `process.security` as on spawners).
//!
//! A call is `process.exec`'s machinery: the callee is spawned with a private monitor and the
//! caller's task waits in `exit_waits`; a Future waits in `exit_futures` instead. A timeout is a
//! process timer (`TimerTarget::CallTimeout`) that settles the call with a TIMEOUT error and
//! terminates the callee; the callee's late exit then finds a settled Future in `exit_futures`
//! and is dropped (no EXIT event reaches the caller).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mlua::{AnyUserData, IntoLua, Lua, MultiValue, Table, UserData, UserDataMethods, Value as LuaValue};
use parking_lot::Mutex;

use super::channel::{apply_wakes, new_channel, Channel, LuaChannel, Wake};
use super::errors::{fail_with, LuaError};
use super::payload::LuaPayload;
use super::process::{duration_arg, merge, spawn, SpawnOptions};
use super::security::{guard, LuaActor, LuaScope};
use crate::lua::commands::exec_result;
use crate::lua::convert::{to_value, to_values};
use crate::lua::process_state::{with_state, ProcState, TimerTarget};
use crate::lua::tasks::{TaskId, Tasks};
use crate::process::{ExitResult, Pid, ProcessCell, Signal};
use crate::registry::{EntryId, EntryKind, LuaKind};
use crate::runtime::TimerAction;
use crate::value::{ErrorValue, Value};

/// What an Executor adds to a call.
#[derive(Clone, Default)]
pub struct CallOptions {
    /// Merged over the caller's own context.
    pub context: Option<Value>,
    /// What the callee runs as instead of the caller's actor and scope.
    pub actor: Option<Arc<crate::security::Actor>>,
    pub scope: Option<Arc<crate::security::Scope>>,
    pub timeout: Option<Duration>,
}

/// The immutable builder of `funcs.new()`.
#[derive(Clone, Default)]
pub struct Executor(pub CallOptions);

impl UserData for Executor {
    fn add_fields<F: mlua::UserDataFields<Self>>(f: &mut F) {
        f.add_meta_field_with("__index", executor_methods);
    }
}

type ExecRef = mlua::UserDataRef<Executor>;

fn executor_methods(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "with_context",
        lua.create_function(|_, (e, values): (ExecRef, Table)| {
            let extra = to_value(&LuaValue::Table(values)).map_err(|c| mlua::Error::runtime(c.0))?;
            let mut next = e.0.clone();
            next.context = Some(merge(next.context.take(), extra));
            Ok(Executor(next))
        })?,
    )?;
    // Calling as another actor or scope is itself guarded (`process.security`), as on spawners.
    t.raw_set(
        "with_actor",
        lua.create_function(|lua, (e, a): (ExecRef, mlua::UserDataRef<LuaActor>)| {
            with_state(lua, |lua, st| match guard(st, "process.security", &a.0.id) {
                Err(err) => fail_with(lua, &err),
                Ok(()) => Ok((
                    Executor(CallOptions { actor: Some(a.0.clone()), ..e.0.clone() }).into_lua(lua)?,
                    LuaValue::Nil,
                )),
            })
        })?,
    )?;
    t.raw_set(
        "with_scope",
        lua.create_function(|lua, (e, sc): (ExecRef, mlua::UserDataRef<LuaScope>)| {
            with_state(lua, |lua, st| match guard(st, "process.security", "scope") {
                Err(err) => fail_with(lua, &err),
                Ok(()) => Ok((
                    Executor(CallOptions { scope: Some(sc.0.clone()), ..e.0.clone() }).into_lua(lua)?,
                    LuaValue::Nil,
                )),
            })
        })?,
    )?;
    t.raw_set(
        "with_options",
        lua.create_function(|_, (e, opts): (ExecRef, Table)| {
            let mut next = e.0.clone();
            for pair in opts.pairs::<String, LuaValue>() {
                let (k, v) = pair?;
                match k.as_str() {
                    "timeout" => next.timeout = duration_arg(&v, true)?.filter(|d| !d.is_zero()),
                    other => {
                        return Err(mlua::Error::runtime(format!(
                            "executor:with_options: unknown option {other:?} (known: timeout)"
                        )))
                    }
                }
            }
            Ok(Executor(next))
        })?,
    )?;
    t.raw_set("call", crate::lua::sandbox::c_function(lua, crate::lua::raw::func_call)?)?;
    t.raw_set(
        "async",
        lua.create_function(|lua, (e, id, args): (ExecRef, String, MultiValue)| {
            let opts = e.0.clone();
            start_async(lua, &opts, &id, args)
        })?,
    )?;
    Ok(t)
}

/// Spawns the callee of `id` with the caller's context merged with the executor's. Unknown ID:
/// NOT_FOUND; an entry that is not callable: INVALID.
fn start(
    st: &mut ProcState,
    id: &str,
    args: Vec<Value>,
    opts: &CallOptions,
) -> Result<Arc<ProcessCell>, Arc<ErrorValue>> {
    let eid = EntryId::resolve(id, &st.entry.id.namespace);
    let registry = st.rt.registry();
    let Some(target) = registry.get_shared(&eid) else {
        return Err(Arc::new(ErrorValue::new("NOT_FOUND", format!("function {eid} not found"))));
    };
    let callable = match &target.kind {
        EntryKind::Lua(l) => {
            l.lua_kind == LuaKind::Function || (l.lua_kind == LuaKind::Process && target.meta.default_host.is_some())
        }
        _ => false,
    };
    if !callable {
        return Err(Arc::new(ErrorValue::new(
            "INVALID",
            format!(
                "{eid} is a {} entry; funcs calls a function.lua, or a process.lua with meta.default_host",
                target.kind_name
            ),
        )));
    }
    let context = match &opts.context {
        Some(extra) => merge(Some(st.context.clone()), extra.clone()),
        None => st.context.clone(),
    };
    let spawn_opts = SpawnOptions {
        exec: true,
        call: true,
        context: Some(context),
        actor: opts.actor.clone(),
        scope: opts.scope.clone(),
        ..SpawnOptions::default()
    };
    spawn(st, &eid.to_string(), None, args, &spawn_opts)
}

/// Arms the timeout of a call to `child` (see the module note).
fn arm_timeout(st: &mut ProcState, child: &Arc<ProcessCell>, id: &str, timeout: Option<Duration>) {
    let Some(d) = timeout else { return };
    let timer = st.rt.timers.next_id();
    let message = format!("call to {id} timed out after {}", super::time::go_duration(d.as_nanos() as i64));
    st.timers.insert(timer, TimerTarget::CallTimeout(child.pid, message));
    st.rt.timers.schedule(Instant::now() + d, &st.cell, TimerAction::Fire(timer));
}

/// The blocking `funcs.call(id, ...)` / `executor:call(id, ...)` (command `OP_FUNC_CALL`).
pub(crate) fn answer_call(
    lua: &Lua,
    st: &mut ProcState,
    task: TaskId,
    mut args: VecDeque<LuaValue>,
) -> mlua::Result<Result<Option<MultiValue>, String>> {
    let mut first = args.pop_front().unwrap_or(LuaValue::Nil);
    let mut opts = CallOptions::default();
    if let LuaValue::UserData(ud) = &first {
        if let Ok(e) = ud.borrow::<Executor>() {
            opts = e.0.clone();
            drop(e);
            first = args.pop_front().unwrap_or(LuaValue::Nil);
        }
    }
    let LuaValue::String(id) = first else {
        return Ok(Err(format!("funcs.call: the first argument must be a function ID, got {}", first.type_name())));
    };
    let id = id.to_str()?.to_string();
    let values = match to_values(args.iter()) {
        Ok(v) => v,
        Err(e) => return Ok(Err(format!("funcs.call: {e}"))),
    };
    match start(st, &id, values, &opts) {
        Ok(child) => {
            let w = st.tasks.block(task, None);
            st.exit_waits.insert(child.pid, w);
            arm_timeout(st, &child, &id, opts.timeout);
            Ok(Ok(None))
        }
        Err(e) => Ok(Ok(Some(exec_result(lua, &Err(e))?))),
    }
}

/// A call's outcome as its Future sees it: settled once, by the callee's exit, a timeout or
/// `:cancel()`.
pub struct CallFuture {
    pid: Pid,
    chan: Arc<Channel>,
    result: Mutex<Option<ExitResult>>,
}

impl CallFuture {
    /// Records the outcome (unless already settled): a success puts one Payload into the
    /// response channel; either way the channel is then closed. Returns whether it settled now.
    pub fn settle(&self, lua: &Lua, tasks: &Tasks, result: ExitResult, wakes: &mut Vec<Wake>) -> mlua::Result<bool> {
        let mut slot = self.result.lock();
        if slot.is_some() {
            return Ok(false);
        }
        if let Ok(v) = &result {
            let payload = LuaValue::UserData(lua.create_userdata(LuaPayload(vec![v.clone()]))?);
            let _ = self.chan.try_send(payload, tasks, wakes);
        }
        *slot = Some(result);
        drop(slot);
        self.chan.close(wakes);
        Ok(true)
    }
}

/// The Lua face of a CallFuture.
pub struct LuaFuture {
    call: Arc<CallFuture>,
    chan: AnyUserData,
}

impl UserData for LuaFuture {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("response", |_, f, ()| Ok(f.chan.clone()));
        m.add_method("channel", |_, f, ()| Ok(f.chan.clone()));
        m.add_method("is_complete", |_, f, ()| Ok(f.call.result.lock().is_some()));
        m.add_method("result", |lua, f, ()| {
            Ok(match &*f.call.result.lock() {
                Some(Ok(v)) => (LuaValue::UserData(lua.create_userdata(LuaPayload(vec![v.clone()]))?), LuaValue::Nil),
                Some(Err(e)) => (LuaValue::Nil, LuaValue::UserData(lua.create_userdata(LuaError(e.clone()))?)),
                None => (LuaValue::Nil, LuaValue::Nil),
            })
        });
        m.add_method("error", |lua, f, ()| {
            Ok(match &*f.call.result.lock() {
                Some(Err(e)) => LuaValue::UserData(lua.create_userdata(LuaError(e.clone()))?),
                _ => LuaValue::Nil,
            })
        });
        m.add_method("cancel", |lua, f, ()| {
            let err = Arc::new(ErrorValue::new("CANCELED", "call canceled"));
            with_state(lua, |lua, st| {
                let mut wakes = Vec::new();
                let settled = f.call.settle(lua, &st.tasks, Err(err), &mut wakes)?;
                apply_wakes(lua, &mut st.tasks, &mut wakes)?;
                if settled {
                    terminate(st, f.call.pid, "terminated: call canceled");
                }
                Ok(settled)
            })
        });
    }
}

fn terminate(st: &ProcState, pid: Pid, reason: &str) {
    if let Some(cell) = st.rt.table.get(pid) {
        cell.deliver(Signal::Kill { reason: reason.into() });
    }
}

/// `funcs.async(id, ...)` / `executor:async(id, ...)`: spawns now; the Future settles later.
fn start_async(lua: &Lua, opts: &CallOptions, id: &str, args: MultiValue) -> mlua::Result<(LuaValue, LuaValue)> {
    let args: Vec<LuaValue> = args.into_iter().collect();
    let values = to_values(&args).map_err(|e| mlua::Error::runtime(format!("funcs.async: {e}")))?;
    let chan_ud = new_channel(lua, 1)?;
    let chan = chan_ud.borrow::<LuaChannel>()?.0.clone();
    with_state(lua, |lua, st| match start(st, id, values, opts) {
        Ok(child) => {
            let call = Arc::new(CallFuture { pid: child.pid, chan, result: Mutex::new(None) });
            st.exit_futures.insert(child.pid, call.clone());
            arm_timeout(st, &child, id, opts.timeout);
            Ok((LuaValue::UserData(lua.create_userdata(LuaFuture { call, chan: chan_ud })?), LuaValue::Nil))
        }
        Err(e) => super::errors::fail_with(lua, &e),
    })
}

/// A call's timeout fired: settle the waiting task or Future with TIMEOUT and terminate the
/// callee. Nothing happens if the call already ended.
pub(crate) fn timed_out(
    lua: &Lua,
    st: &mut ProcState,
    pid: Pid,
    message: String,
    wakes: &mut Vec<Wake>,
) -> mlua::Result<()> {
    let err = Arc::new(ErrorValue::new("TIMEOUT", message));
    let mut settled = false;
    if let Some(w) = st.exit_waits.remove(&pid) {
        settled |= st.tasks.complete(&w, exec_result(lua, &Err(err.clone()))?);
        // A settled future in its place absorbs the callee's exit when it comes.
        let absorb = CallFuture { pid, chan: Channel::new(0), result: Mutex::new(Some(Err(err.clone()))) };
        st.exit_futures.insert(pid, Arc::new(absorb));
    }
    if let Some(call) = st.exit_futures.get(&pid).cloned() {
        settled |= call.settle(lua, &st.tasks, Err(err), wakes)?;
    }
    if settled {
        terminate(st, pid, "terminated: call timed out");
    }
    Ok(())
}

/// The callee of a Future ended.
pub(crate) fn future_exited(
    lua: &Lua,
    st: &mut ProcState,
    pid: Pid,
    result: &ExitResult,
    wakes: &mut Vec<Wake>,
) -> mlua::Result<bool> {
    match st.exit_futures.remove(&pid) {
        Some(call) => {
            call.settle(lua, &st.tasks, result.clone(), wakes)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("call", crate::lua::sandbox::c_function(lua, crate::lua::raw::func_call)?)?;
    t.raw_set(
        "async",
        lua.create_function(|lua, (id, args): (String, MultiValue)| {
            start_async(lua, &CallOptions::default(), &id, args)
        })?,
    )?;
    t.raw_set("new", lua.create_function(|_, ()| Ok(Executor::default()))?)?;
    Ok(t)
}
