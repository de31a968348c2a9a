//! `LuaProcess`: a Lua entry run as a process. Each step absorbs the mailbox (messages into the
//! inbox or `listen` channels, exits and links into events, timers into sleepers and channels),
//! then resumes ready tasks until every task is blocked, the body ends, or the time slice is used.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mlua::thread::ThreadStatus;
use mlua::{Lua, MultiValue, Value as LuaValue};

use super::api::channel::{apply_wakes, SendOutcome};
use super::api::errors::error_from_lua;
use super::api::payload::{message_of, LuaPayload};
use super::api::process::{exit_event, CANCEL, EXIT, LINK_DOWN, OUTDATED};
use super::api::time::LuaTime;
use super::code::clean_lua_error;
use super::code::Code;
use super::convert::{from_value, from_values, to_value, to_values};
use super::pool::{self, Pooled};
use super::preempt::Limits;
use super::process_state::{with_state, ProcState, TimerTarget};
use super::sandbox::{self, Globals, TaskFns};
use super::tasks::TaskId;
use crate::process::{ExitResult, Message, Process, ProcessCell, Signal, Step};
use crate::registry::{Entry, EntryId, EntryKind, LuaKind};
use crate::runtime::{Host, Shared};
use crate::security::Security;
use crate::value::{ErrorValue, Value};

/// How long a process may run before it is requeued behind others.
pub const TIME_SLICE: Duration = Duration::from_millis(10);

struct Start {
    entry: Arc<Entry>,
    host: Arc<Host>,
    args: Vec<Value>,
    context: Value,
    security: Security,
}

struct Running {
    lua: Lua,
    /// The Lua heap limit in force, to name it when it is hit.
    memory_limit: Option<u64>,
    fns: TaskFns,
    globals: Globals,
    /// The code this state runs and its main chunk, kept for the state's next process until
    /// the first step ends (see `settle`).
    module: Option<(Arc<Code>, mlua::Function)>,
    /// Ran out of memory or past its hard limit: the state is closed, not recycled.
    tainted: bool,
    main: TaskId,
    stdin_started: bool,
    /// The host's time slice and hard limit.
    limits: Limits,
    /// Whether the collector is in generational mode yet (see `settle`).
    settled: bool,
}

pub struct LuaProcess {
    rt: Arc<Shared>,
    /// Boxed, like `upgrade`: a process keeps its `LuaProcess` all its life, these only briefly.
    start: Option<Box<Start>>,
    running: Option<Running>,
    signals: VecDeque<Signal>,
    /// A `process.upgrade` call, carried out by the step loop once the calling task has yielded.
    upgrade: Option<Box<UpgradeRequest>>,
}

struct UpgradeRequest {
    /// `None`: the entry the process runs now, as the registry has it now.
    entry: Option<String>,
    args: Vec<Value>,
}

/// What an upgrade keeps when it replaces the Lua state: everything that is not code. (Names,
/// links and monitors live in the process cell and are not touched at all.)
struct Carried {
    /// Messages in the inbox, not read yet.
    inbox: Vec<Item>,
    /// `listen` subscriptions (topic, Message objects?, what they hold): a subscription is the
    /// process's, like its names, and the new code's `process.listen` finds the same channel.
    listeners: Vec<(String, bool, Vec<Item>)>,
    /// Events not read yet.
    events: Vec<Value>,
    trap_links: bool,
    stdin_started: bool,
}

impl LuaProcess {
    pub fn new(rt: Arc<Shared>, entry: Arc<Entry>, host: Arc<Host>, args: Vec<Value>, context: Value) -> Self {
        let security = Security::default();
        let start = Start { entry, host, args, context, security };
        LuaProcess { rt, start: Some(Box::new(start)), running: None, signals: VecDeque::new(), upgrade: None }
    }

    /// Runs as this actor and scope (see `crate::security::Security::for_child`; the host's
    /// own security is added at init).
    pub fn with_security(mut self, security: Security) -> Self {
        if let Some(start) = &mut self.start {
            start.security = security;
        }
        self
    }

    /// Init: a sandboxed state (recycled, or new), the entry's cached bytecode (loaded already
    /// when the recycled state ran the same code), the main task ready to run. After an
    /// upgrade, `carried` holds what the old state had that must not be lost.
    fn init(&mut self, cell: &Arc<ProcessCell>, start: Start, carried: Option<Carried>) -> Result<(), Arc<ErrorValue>> {
        let EntryKind::Lua(le) = &start.entry.kind else {
            return Err(internal(format!("{} is not a Lua entry", start.entry.id)));
        };
        let rt = &self.rt;
        let code =
            rt.lua.code.get(&le.source, &le.source_path, || super::display_path(&rt.registry(), &le.source_path))?;
        let display = code.display();
        let method = le.method.clone();
        let entry_id = start.entry.id.to_string();
        let memory_limit = le.memory_limit.or(start.host.memory_limit);
        let limits = Limits { slice: start.host.time_slice, hard: start.host.hard_limit };
        let mut security = start.security;
        security.apply_host(&start.host.security);
        let mut state = ProcState::new(self.rt.clone(), cell.clone(), start.host, start.entry.clone(), start.context);
        state.security = security;
        let (lua, fns, globals, loaded, recycled) = match pool::take() {
            Some(p) => {
                p.lua.set_app_data(state);
                let loaded = p.module.filter(|(c, _)| Arc::ptr_eq(c, &code)).map(|(_, chunk)| chunk);
                (p.lua, p.fns, p.globals, loaded, true)
            }
            None => {
                let (lua, fns, globals) = sandbox::new_state(state).map_err(|e| internal(clean_lua_error(&e)))?;
                (lua, fns, globals, None, false)
            }
        };
        if memory_limit.is_some() || recycled {
            // Counted from here: the sandbox itself is the runtime's, the rest is the process's.
            // (In a recycled state this includes the last process's garbage, at most
            // `pool::MAX_HEAP`.) Zero: no limit.
            let limit =
                memory_limit.map_or(0, |l| usize::try_from(l).unwrap_or(usize::MAX).saturating_add(lua.used_memory()));
            lua.set_memory_limit(limit).map_err(|e| internal(clean_lua_error(&e)))?;
        }
        // The module's top level runs here, outside any task: it defines the exports and cannot
        // block. Errors in it end the process like errors in the body.
        let mut chunk_kept = None;
        let body = (|| -> mlua::Result<Result<(mlua::Function, mlua::Thread), String>> {
            let chunk = match loaded {
                Some(chunk) => {
                    // A main chunk's one upvalue is its `_ENV`: the new `_G`.
                    // SAFETY: `chunk` is pushed by `exec_raw`, a Lua function with one upvalue.
                    unsafe {
                        lua.exec_raw::<()>(&chunk, |state| {
                            mlua::ffi::lua_rawgeti(state, mlua::ffi::LUA_REGISTRYINDEX, mlua::ffi::LUA_RIDX_GLOBALS);
                            mlua::ffi::lua_setupvalue(state, -2, 1);
                            mlua::ffi::lua_settop(state, 0);
                        })?;
                    }
                    chunk
                }
                None => code.load(&lua)?,
            };
            chunk_kept = Some(chunk.clone());
            let (module, thread) = top_level(&lua, chunk, limits)?;
            Ok(match (&method, module) {
                (None, LuaValue::Function(f)) => Ok((f, thread)),
                (None, other) => {
                    Err(format!("entry {entry_id}: its source must return a function (got {})", other.type_name()))
                }
                (Some(m), LuaValue::Table(t)) => match t.get::<LuaValue>(m.as_str())? {
                    LuaValue::Function(f) => Ok((f, thread)),
                    _ => Err(format!("entry {entry_id}: method '{m}' is not exported by {display}")),
                },
                (Some(_), other) => Err(format!(
                    "entry {entry_id}: {display} must return a table of functions (got {})",
                    other.type_name()
                )),
            })
        })()
        .map_err(|e| Arc::new(task_error_from_mlua(&e)))?
        .map_err(|msg| Arc::new(ErrorValue::new("INVALID", msg)))?;
        let (body, thread) = body;
        let main = (|| -> mlua::Result<TaskId> {
            thread.reset(fns.xpcall.clone())?;
            sandbox::mark_task(&thread);
            let mut args = vec![LuaValue::Function(body), LuaValue::Function(fns.handler.clone())];
            args.extend(from_values(&lua, &start.args)?);
            with_state(&lua, |_, st| Ok(st.tasks.spawn(thread, MultiValue::from_iter(args))))
        })()
        .map_err(|e| internal(clean_lua_error(&e)))?;
        *cell.code.lock() = Some(start.entry);
        let mut stdin_started = false;
        if let Some(c) = carried {
            stdin_started = c.stdin_started;
            restore(&lua, c).map_err(|e| internal(clean_lua_error(&e)))?;
        }
        let module = chunk_kept.map(|chunk| (code, chunk));
        self.running = Some(Running {
            lua,
            memory_limit,
            fns,
            globals,
            module,
            tainted: false,
            main,
            stdin_started,
            limits,
            // A recycled state collects generationally already.
            settled: recycled,
        });
        Ok(())
    }

    /// `process.upgrade`: the old state (with every task and its stack) is dropped and a new one
    /// runs the new body with the given arguments. What is not code survives (see `Carried`).
    /// Errors end the process: the caller's code is gone by then.
    fn do_upgrade(&mut self, cell: &Arc<ProcessCell>, req: UpgradeRequest) -> Result<(), Arc<ErrorValue>> {
        let old = self.running.take().expect("running");
        let (id, host, context, security, carried) = with_state(&old.lua, |lua, st| {
            let id = match &req.entry {
                None => st.entry.id.clone(),
                Some(name) => EntryId::resolve(name, &st.entry.id.namespace),
            };
            let inbox = st.inbox.take_buffered().iter().map(Item::take).collect::<mlua::Result<_>>()?;
            let mut listeners = Vec::new();
            for (topic, l) in st.listeners.drain() {
                let items = l.chan.take_buffered().iter().map(Item::take).collect::<mlua::Result<_>>()?;
                listeners.push((topic, l.message, items));
            }
            let mut events = Vec::new();
            for v in st.take_events() {
                events.push(to_value(&v).map_err(|e| mlua::Error::runtime(e.to_string()))?);
            }
            let _ = lua;
            Ok((
                id,
                st.host.clone(),
                st.context.clone(),
                st.security.clone(),
                Carried { inbox, listeners, events, trap_links: st.trap_links, stdin_started: old.stdin_started },
            ))
        })
        .map_err(lua_err)?;
        drop(old);
        let registry = self.rt.registry();
        let entry = registry
            .get_shared(&id)
            .ok_or_else(|| Arc::new(ErrorValue::new("NOT_FOUND", format!("process.upgrade: no entry {id}"))))?;
        match &entry.kind {
            EntryKind::Lua(l) if l.lua_kind != LuaKind::Library => {}
            _ => {
                return Err(Arc::new(ErrorValue::new(
                    "INVALID",
                    format!("process.upgrade: {id} is a {} entry, not a process.lua", entry.kind_name),
                )))
            }
        }
        self.init(cell, Start { entry, host, args: req.args, context, security }, Some(carried))
    }

    fn run(&mut self, cell: &Arc<ProcessCell>) -> Result<Step, Arc<ErrorValue>> {
        let deadline = Instant::now() + self.running.as_ref().map_or(TIME_SLICE, |r| r.limits.slice);
        loop {
            cell.drain_mailbox(&mut self.signals);
            while let Some(sig) = self.signals.pop_front() {
                if let Some(exit) = self.on_signal(sig).map_err(lua_err)? {
                    return Ok(Step::Exit(exit));
                }
            }
            let lua = &self.running.as_ref().expect("running").lua;
            let next = with_state(lua, |_, st| Ok(st.tasks.ready.pop_front())).map_err(lua_err)?;
            let Some((id, args)) = next else {
                if cell.mailbox_is_empty() {
                    return Ok(Step::Wait);
                }
                continue;
            };
            if let Some(exit) = self.resume(id, args)? {
                return Ok(Step::Exit(exit));
            }
            if let Some(req) = self.upgrade.take() {
                self.do_upgrade(cell, *req)?;
                continue;
            }
            if Instant::now() >= deadline {
                let lua = &self.running.as_ref().expect("running").lua;
                let more = with_state(lua, |_, st| Ok(!st.tasks.ready.is_empty())).map_err(lua_err)?;
                if more {
                    return Ok(Step::Yield);
                }
            }
        }
    }

    fn resume(&mut self, id: TaskId, args: MultiValue) -> Result<Option<ExitResult>, Arc<ErrorValue>> {
        let running = self.running.as_mut().expect("running");
        let lua = &running.lua;
        let thread = with_state(lua, |_, st| Ok(st.tasks.thread(id).cloned())).map_err(lua_err)?;
        let Some(thread) = thread else {
            return Ok(None);
        };
        let (result, doomed) = {
            let guard = super::preempt::running(&thread, running.limits);
            let result = thread.resume::<MultiValue>(args);
            (result, guard.doomed().then(|| guard.hard_limit_error()))
        };
        if let Some(msg) = doomed {
            // The hard limit is sticky (preempt.rs, step 5): whatever the task made of the error.
            running.tainted = true;
            return Ok(Some(Err(Arc::new(ErrorValue::new("INTERNAL", msg)))));
        }
        let finished = thread.status() != ThreadStatus::Resumable;
        let main = id == running.main;
        let vals = match result {
            Ok(v) => v,
            // Escaped the task's xpcall: out of memory, or an error inside the handler.
            Err(e) => {
                running.tainted = true;
                let err = ErrorValue::new("INTERNAL", clean_lua_error(&e));
                return Ok(Some(Err(Arc::new(name_memory_error(err, running.memory_limit)))));
            }
        };
        if !finished {
            if vals.front().is_some_and(sandbox::is_suspend) {
                self.command(id, vals)?;
            } else {
                // Preempted, or a bare coroutine.yield() at the top of a task: run it again later.
                with_state(lua, |_, st| {
                    st.tasks.ready.push_back((id, MultiValue::new()));
                    Ok(())
                })
                .map_err(lua_err)?;
            }
            return Ok(None);
        }
        with_state(lua, |_, st| {
            st.tasks.remove(id);
            Ok(())
        })
        .map_err(lua_err)?;
        let mut it = vals.into_iter();
        match it.next() {
            Some(LuaValue::Boolean(true)) => Ok(main.then(|| body_result(it.collect()))),
            // A failed task ends the process, whether it is the body or a coroutine.spawn child:
            // an error nobody handles is never dropped.
            _ => {
                let err = task_error(it.next().unwrap_or(LuaValue::Nil));
                Ok(Some(Err(Arc::new(name_memory_error(err, running.memory_limit)))))
            }
        }
    }

    /// A task yielded a command (`raw.rs`): answer it now, or register what it waits for.
    fn command(&mut self, id: TaskId, vals: MultiValue) -> Result<(), Arc<ErrorValue>> {
        let mut args: VecDeque<LuaValue> = vals.into_iter().skip(1).collect();
        let op = match args.pop_front() {
            Some(LuaValue::Integer(op)) => op,
            other => return Err(internal(format!("bad runtime command {other:?}"))),
        };
        if op == super::raw::OP_UPGRADE {
            return self.request_upgrade(id, args);
        }
        let running = self.running.as_mut().expect("running");
        let (lua, fns, stdin_started) = (&running.lua, &running.fns, &mut running.stdin_started);
        with_state(lua, |lua, st| {
            let answer = match super::commands::answer(lua, st, fns, stdin_started, id, op, args)? {
                Ok(Some(values)) => values,
                Ok(None) => return Ok(()),
                Err(msg) => {
                    MultiValue::from_iter([sandbox::raise_marker(), LuaValue::String(lua.create_string(&msg)?)])
                }
            };
            // Answered at once: the task continues before others, as the call never really blocked.
            st.tasks.ready.push_front((id, answer));
            Ok(())
        })
        .map_err(lua_err)
    }

    /// `process.upgrade(entry_or_nil, ...)`: checks the arguments (a bad one raises in the caller,
    /// whose code still runs) and leaves the request for the step loop.
    fn request_upgrade(&mut self, id: TaskId, mut args: VecDeque<LuaValue>) -> Result<(), Arc<ErrorValue>> {
        let lua = &self.running.as_ref().expect("running").lua;
        let entry = match args.pop_front() {
            None | Some(LuaValue::Nil) => Ok(None),
            Some(LuaValue::String(s)) => Ok(Some(s.to_string_lossy())),
            Some(other) => Err(format!(
                "process.upgrade: the first argument must be an entry ID or nil, got {}",
                other.type_name()
            )),
        };
        let req = entry.and_then(|entry| {
            let rest: Vec<LuaValue> = args.into_iter().collect();
            to_values(&rest).map(|args| UpgradeRequest { entry, args }).map_err(|e| format!("process.upgrade: {e}"))
        });
        match req {
            Ok(req) => {
                self.upgrade = Some(Box::new(req));
                Ok(())
            }
            Err(msg) => with_state(lua, |lua, st| {
                let raise = [sandbox::raise_marker(), LuaValue::String(lua.create_string(&msg)?)];
                st.tasks.ready.push_front((id, MultiValue::from_iter(raise)));
                Ok(())
            })
            .map_err(lua_err),
        }
    }

    /// Absorbs one mailbox signal. Returns the exit when the signal ends the process.
    fn on_signal(&mut self, sig: Signal) -> mlua::Result<Option<ExitResult>> {
        let lua = &self.running.as_ref().expect("running").lua;
        with_state(lua, |lua, st| {
            let mut wakes = Vec::new();
            match sig {
                Signal::Message(msg) => {
                    let routed = match st.listeners.get(&*msg.topic) {
                        Some(l) if l.message => {
                            let chan = l.chan.clone();
                            Some((chan, st.message(lua, &msg)?))
                        }
                        Some(l) => Some((l.chan.clone(), from_value(lua, msg.payload.first().unwrap_or(&Value::Nil))?)),
                        // A runtime delivery whose listener is gone (a closed event subscription).
                        None if msg.topic.starts_with('@') => None,
                        None => Some((st.inbox.clone(), st.message(lua, &msg)?)),
                    };
                    if let Some((chan, value)) = routed {
                        push_unbounded(&chan, value, st, &mut wakes);
                    }
                }
                Signal::Exit { from, from_name, result } => match st.exit_waits.remove(&from) {
                    Some(w) => {
                        let args = super::commands::exec_result(lua, &result)?;
                        st.tasks.complete(&w, args);
                    }
                    None => {
                        if !super::api::funcs::future_exited(lua, st, from, &result, &mut wakes)? {
                            let ev = exit_event(lua, EXIT, &from_name, &result)?;
                            push_unbounded(&st.events(), LuaValue::Table(ev), st, &mut wakes);
                        }
                    }
                },
                Signal::LinkDown { from, from_name, error } => {
                    if !st.trap_links {
                        let mut e = ErrorValue::new(
                            &error.kind,
                            format!("linked process {from_name} failed: {}", error.message),
                        );
                        e.details = Some(Value::str(&from.to_string()));
                        return Ok(Some(Err(Arc::new(e))));
                    }
                    let ev = exit_event(lua, LINK_DOWN, &from_name, &Err(error))?;
                    push_unbounded(&st.events(), LuaValue::Table(ev), st, &mut wakes);
                }
                Signal::Cancel { reason, deadline } => {
                    let ev = lua.create_table()?;
                    ev.raw_set("kind", CANCEL)?;
                    ev.raw_set("reason", reason)?;
                    if let Some(d) = deadline {
                        ev.raw_set("deadline", d.as_millis() as i64)?;
                    }
                    push_unbounded(&st.events(), LuaValue::Table(ev), st, &mut wakes);
                }
                Signal::Kill { reason } => {
                    return Ok(Some(Err(Arc::new(ErrorValue::new("CANCELED", reason)))));
                }
                Signal::Timer(id) => match st.timers.remove(&id) {
                    Some(TimerTarget::Wake(w)) => {
                        st.tasks.complete(&w, MultiValue::new());
                    }
                    Some(TimerTarget::Channel(chan)) => {
                        let now = LuaValue::UserData(lua.create_userdata(LuaTime::now())?);
                        let _ = chan.try_send(now, &st.tasks, &mut wakes);
                    }
                    Some(TimerTarget::Ticker(chan, period)) => {
                        let now = LuaValue::UserData(lua.create_userdata(LuaTime::now())?);
                        let _ = chan.try_send(now, &st.tasks, &mut wakes);
                        let next = std::time::Instant::now() + period;
                        st.rt.timers.schedule(next, &st.cell, crate::runtime::TimerAction::Fire(id));
                        st.timers.insert(id, TimerTarget::Ticker(chan, period));
                    }
                    Some(TimerTarget::CallTimeout(pid, message)) => {
                        super::api::funcs::timed_out(lua, st, pid, message, &mut wakes)?;
                    }
                    None => {}
                },
                Signal::Outdated { sources } => {
                    let pending = st.pending_outdated.clone().filter(|t| st.events_hold(&LuaValue::Table(t.clone())));
                    let (ev, fresh) = match pending {
                        Some(ev) => (ev, false),
                        None => {
                            let ev = lua.create_table()?;
                            ev.raw_set("kind", OUTDATED)?;
                            ev.raw_set("sources", lua.create_table()?)?;
                            (ev, true)
                        }
                    };
                    let list: mlua::Table = ev.raw_get("sources")?;
                    for id in sources {
                        let id = id.to_string();
                        if !list.sequence_values::<String>().any(|s| s.is_ok_and(|s| s == id)) {
                            list.raw_push(id)?;
                        }
                    }
                    if fresh {
                        push_unbounded(&st.events(), LuaValue::Table(ev.clone()), st, &mut wakes);
                        st.pending_outdated = Some(ev);
                    }
                }
                Signal::Input(line) => {
                    if let Some(w) = st.input_waiter.take() {
                        let v = match line {
                            Some(l) => LuaValue::String(lua.create_string(&l)?),
                            None => LuaValue::Nil,
                        };
                        st.tasks.complete(&w, MultiValue::from_iter([v]));
                    }
                }
            }
            apply_wakes(lua, &mut st.tasks, &mut wakes)?;
            Ok(None)
        })
    }
}

/// A value waiting in a channel, taken out of one Lua state to be put into another.
enum Item {
    Message(Message),
    Value(Value),
}

impl Item {
    fn take(v: &LuaValue) -> mlua::Result<Item> {
        if let LuaValue::Table(t) = v {
            if let Some(m) = message_of(t) {
                return Ok(Item::Message(m));
            }
        }
        to_value(v).map(Item::Value).map_err(|e| mlua::Error::runtime(e.to_string()))
    }

    fn put(self, lua: &Lua, st: &mut ProcState) -> mlua::Result<LuaValue> {
        match self {
            Item::Message(m) => st.message(lua, &m),
            Item::Value(v) => from_value(lua, &v),
        }
    }
}

/// Runs a module's top level as a coroutine under the preemption watchdog, so a loop there cannot
/// hold the worker: it is resumed after each time slice until it ends, and ended with an error
/// once it has run longer than the hard limit. It cannot block (there is no task to suspend).
/// Returns the module's value and the finished coroutine, which the main task reuses (one thread
/// fewer to make per spawn).
fn top_level(lua: &Lua, chunk: mlua::Function, limits: Limits) -> mlua::Result<(LuaValue, mlua::Thread)> {
    let thread = lua.create_thread(chunk)?;
    let started = Instant::now();
    loop {
        let vals = {
            let guard = super::preempt::running(&thread, limits);
            let vals = thread.resume::<MultiValue>(());
            if guard.doomed() {
                return Err(mlua::Error::runtime(guard.hard_limit_error()));
            }
            vals?
        };
        if thread.status() != ThreadStatus::Resumable {
            return Ok((vals.into_iter().next().unwrap_or(LuaValue::Nil), thread));
        }
        if vals.front().is_some_and(sandbox::is_suspend) {
            return Err(mlua::Error::runtime(
                "a blocking call (receive, sleep, send on a channel, exec, ...) at a module's top level is not allowed: there is no task to suspend; call it from the body",
            ));
        }
        if started.elapsed() >= limits.hard {
            return Err(mlua::Error::runtime(format!(
                "the module's top level ran for more than {:?} (the hard limit) without returning; it was ended",
                limits.hard
            )));
        }
    }
}

/// Puts what an upgrade carried into the new state: inbox, subscriptions, events.
fn restore(lua: &Lua, c: Carried) -> mlua::Result<()> {
    with_state(lua, |lua, st| {
        st.trap_links = c.trap_links;
        let mut wakes = Vec::new();
        for item in c.inbox {
            let v = item.put(lua, st)?;
            push_unbounded(&st.inbox.clone(), v, st, &mut wakes);
        }
        for (topic, message, items) in c.listeners {
            let ud = super::api::channel::new_channel(lua, super::api::channel::UNBOUNDED)?;
            let chan = ud.borrow::<super::api::channel::LuaChannel>()?.0.clone();
            for item in items {
                let v = item.put(lua, st)?;
                push_unbounded(&chan, v, st, &mut wakes);
            }
            st.listeners.insert(topic, super::process_state::Listener { chan, ud, message });
        }
        for e in c.events {
            let v = from_value(lua, &e)?;
            push_unbounded(&st.events(), v, st, &mut wakes);
        }
        Ok(())
    })
}

fn push_unbounded(
    chan: &Arc<super::api::channel::Channel>,
    v: LuaValue,
    st: &ProcState,
    wakes: &mut Vec<super::api::channel::Wake>,
) {
    match chan.try_send(v, &st.tasks, wakes) {
        SendOutcome::Sent => {}
        // A closed listen channel (after unlisten) drops late messages for its topic.
        SendOutcome::Closed | SendOutcome::Blocked(_) => {}
    }
}

/// A body's return values as an exit: `nil, err` / `false, err` is abnormal, anything else normal
/// with the first value.
fn body_result(vals: Vec<LuaValue>) -> ExitResult {
    let first = vals.first().cloned().unwrap_or(LuaValue::Nil);
    let second = vals.get(1).cloned().unwrap_or(LuaValue::Nil);
    if matches!(first, LuaValue::Nil | LuaValue::Boolean(false)) && !second.is_nil() {
        return Err(Arc::new(error_from_lua(&second)));
    }
    match &first {
        LuaValue::UserData(ud) if ud.is::<LuaPayload>() => {
            Ok(ud.borrow::<LuaPayload>().map(|p| p.first()).unwrap_or(Value::Nil))
        }
        _ => to_value(&first).map_err(|e| {
            Arc::new(ErrorValue::new("INVALID", format!("the body's result cannot leave the process: {e}")))
        }),
    }
}

/// The `{error, traceback}` pair made by the prelude's handler, as an error value.
fn task_error(v: LuaValue) -> ErrorValue {
    let LuaValue::Table(t) = &v else {
        return error_from_lua(&v);
    };
    let err: LuaValue = t.raw_get(1).unwrap_or(LuaValue::Nil);
    let mut e = error_from_lua(&err);
    // The error's own `__tostring`, run by the task's handler (raw.rs, `task_handler`).
    if let Ok(Some(text)) = t.raw_get::<Option<String>>(3) {
        if matches!(err, LuaValue::Table(_)) && e.details.as_ref().and_then(|d| d.get("message")).is_none() {
            e.message = text;
        }
    }
    if let Ok(Some(tb)) = t.raw_get::<Option<String>>(2) {
        if e.stack.is_none() {
            e.stack = Some(tb);
        }
    }
    if e.kind.is_empty() {
        e.kind = "INTERNAL".into();
    }
    e
}

/// An error raised while loading a module, as an error value with Lua's message and traceback.
fn task_error_from_mlua(e: &mlua::Error) -> ErrorValue {
    if let mlua::Error::CallbackError { traceback, cause } = e {
        let mut err = task_error_from_mlua(cause);
        if err.stack.is_none() {
            err.stack = Some(traceback.clone());
        }
        return err;
    }
    let text = clean_lua_error(e);
    let (message, stack) = match text.split_once("\nstack traceback:") {
        Some((m, s)) => (m.to_string(), Some(format!("stack traceback:{s}"))),
        None => (text, None),
    };
    let mut err = ErrorValue::new("INTERNAL", message);
    err.stack = stack;
    err
}

/// Lua reports a failed allocation as "not enough memory"; with a limit set, say which limit.
fn name_memory_error(mut err: ErrorValue, limit: Option<u64>) -> ErrorValue {
    if let Some(limit) = limit {
        if err.message.contains("not enough memory") {
            err.message = format!("process exceeded its memory limit of {limit} bytes (not enough memory)");
            err.kind = "INTERNAL".into();
        }
    }
    err
}

fn internal(msg: impl Into<String>) -> Arc<ErrorValue> {
    Arc::new(ErrorValue::new("INTERNAL", msg))
}

fn lua_err(e: mlua::Error) -> Arc<ErrorValue> {
    internal(clean_lua_error(&e))
}

impl LuaProcess {
    /// After the first step that leaves the process alive, the collector enters generational
    /// mode, which suits process heaps (most objects die young: messages, temporaries).
    /// Entering it runs one full collection, which drops the garbage of loading the module and
    /// of the first step: about 3 KB per idle process (spawn_idle bench). A process that ends
    /// in its first step (a skynet leaf) never pays for a collection.
    ///
    /// It also lets go of the module's main chunk: holding it would keep every function of the
    /// module alive for the life of the process (3 KB per spawn_idle process). A process that
    /// ends in its first step (a skynet leaf, a crashing service) leaves its state with the
    /// module loaded.
    fn settle(&mut self, step: &Step) {
        if let (Some(r), Step::Wait | Step::Yield) = (&mut self.running, step) {
            r.module = None;
            if !r.settled {
                r.lua.gc_set_mode(mlua::state::GcMode::Generational(Default::default()));
                r.settled = true;
            }
        }
    }
}

impl Process for LuaProcess {
    fn step(&mut self, cell: &Arc<ProcessCell>) -> Step {
        if let Some(start) = self.start.take() {
            if let Err(e) = self.init(cell, *start, None) {
                return Step::Exit(Err(e));
            }
        }
        let step = match self.run(cell) {
            Ok(step) => {
                self.settle(&step);
                step
            }
            Err(e) => {
                if let Some(r) = &mut self.running {
                    r.tainted = true;
                }
                Step::Exit(Err(e))
            }
        };
        if matches!(step, Step::Exit(_)) {
            if let Some(r) = self.running.take().filter(|r| !r.tainted) {
                pool::give(Pooled { lua: r.lua, fns: r.fns, globals: r.globals, module: r.module });
            }
        }
        step
    }
}
