//! `LuaProcess`: a Lua entry run as a process. Each step absorbs the mailbox (messages into the
//! inbox or `listen` channels, exits and links into events, timers into sleepers and channels),
//! then resumes ready tasks until every task is blocked, the body ends, or the time slice is used.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mlua::thread::ThreadStatus;
use mlua::{Lua, MultiValue, Value as LuaValue};

use super::api::channel::{apply_wakes, wait_select, LuaChannel, SendOutcome};
use super::api::errors::{error_from_lua, LuaError};
use super::api::payload::{LuaMessage, LuaPayload};
use super::api::process::{exit_event, CANCEL, EXIT, LINK_DOWN};
use super::api::time::LuaTime;
use super::code::clean_lua_error;
use super::convert::{from_value, from_values, to_value};
use super::process_state::{with_state, ProcState, TimerTarget};
use super::sandbox;
use super::tasks::TaskId;
use crate::process::{ExitResult, Pid, Process, ProcessCell, Signal, Step};
use crate::registry::{Entry, EntryKind};
use crate::runtime::{Host, Shared, TimerAction};
use crate::value::{ErrorValue, Value};

/// How long a process may run before it is requeued behind others.
pub const TIME_SLICE: Duration = Duration::from_millis(10);

const OP_RECV: i64 = 1;
const OP_SEND: i64 = 2;
const OP_SELECT: i64 = 3;
const OP_SLEEP: i64 = 4;
const OP_WAIT_EXIT: i64 = 5;
const OP_INPUT: i64 = 6;

struct Start {
    entry: Arc<Entry>,
    host: Arc<Host>,
    args: Vec<Value>,
    context: Value,
}

struct Running {
    lua: Lua,
    main: TaskId,
    stdin_started: bool,
}

pub struct LuaProcess {
    rt: Arc<Shared>,
    start: Option<Start>,
    running: Option<Running>,
    signals: VecDeque<Signal>,
}

impl LuaProcess {
    pub fn new(rt: Arc<Shared>, entry: Arc<Entry>, host: Arc<Host>, args: Vec<Value>, context: Value) -> Self {
        LuaProcess { rt, start: Some(Start { entry, host, args, context }), running: None, signals: VecDeque::new() }
    }

    /// Init: a fresh sandboxed state, the entry's cached bytecode, the main task ready to run.
    fn init(&mut self, cell: &Arc<ProcessCell>, start: Start) -> Result<(), Arc<ErrorValue>> {
        let EntryKind::Lua(le) = &start.entry.kind else {
            return Err(internal(format!("{} is not a Lua entry", start.entry.id)));
        };
        let registry = self.rt.registry();
        let display = super::display_path(&registry, &le.source_path);
        let code = self.rt.lua.code.get(&le.source, &le.source_path, &display)?;
        let prelude = self.rt.lua.prelude()?;
        let method = le.method.clone();
        let entry_id = start.entry.id.to_string();
        let state = ProcState::new(self.rt.clone(), cell.clone(), start.host, start.entry.clone(), start.context);
        let (lua, fns) = sandbox::new_state(state, &prelude).map_err(|e| internal(clean_lua_error(&e)))?;
        let setup = || -> mlua::Result<TaskId> {
            let chunk = lua
                .load(&code.bytecode[..])
                .set_name(&code.chunk_name)
                .set_mode(mlua::chunk::ChunkMode::Binary)
                .into_function()?;
            let thread = lua.create_thread(fns.task.clone())?;
            let mut args: Vec<LuaValue> = vec![
                LuaValue::Function(fns.boot.clone()),
                LuaValue::Function(chunk),
                method.map(|m| lua.create_string(&m).map(LuaValue::String)).transpose()?.unwrap_or(LuaValue::Nil),
                LuaValue::String(lua.create_string(&entry_id)?),
            ];
            args.extend(from_values(&lua, &start.args)?);
            with_state(&lua, |_, st| Ok(st.tasks.spawn(thread, MultiValue::from_iter(args))))
        };
        let main = setup().map_err(|e| internal(clean_lua_error(&e)))?;
        self.running = Some(Running { lua, main, stdin_started: false });
        Ok(())
    }

    fn run(&mut self, cell: &Arc<ProcessCell>) -> Result<Step, Arc<ErrorValue>> {
        let deadline = Instant::now() + TIME_SLICE;
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
            if let Some(exit) = self.resume(cell, id, args)? {
                return Ok(Step::Exit(exit));
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

    fn resume(
        &mut self,
        cell: &Arc<ProcessCell>,
        id: TaskId,
        args: MultiValue,
    ) -> Result<Option<ExitResult>, Arc<ErrorValue>> {
        let running = self.running.as_mut().expect("running");
        let lua = &running.lua;
        let thread = with_state(lua, |_, st| {
            st.tasks.current = Some(id);
            Ok(st.tasks.thread(id).cloned())
        })
        .map_err(lua_err)?;
        let Some(thread) = thread else {
            return Ok(None);
        };
        let result = {
            let _running = super::preempt::running(&thread);
            thread.resume::<MultiValue>(args)
        };
        let finished = thread.status() != ThreadStatus::Resumable;
        let main = id == running.main;
        let vals = match result {
            Ok(v) => v,
            // Escaped the task's xpcall: out of memory, or an error inside the handler.
            Err(e) => return Ok(Some(Err(Arc::new(ErrorValue::new("INTERNAL", clean_lua_error(&e)))))),
        };
        if !finished {
            if vals.front().is_some_and(sandbox::is_suspend) {
                self.command(cell, id, vals)?;
            } else {
                // Preempted, or a bare coroutine.yield() at the top of a task: run it again later.
                with_state(lua, |_, st| Ok(st.tasks.ready.push_back((id, MultiValue::new())))).map_err(lua_err)?;
            }
            return Ok(None);
        }
        with_state(lua, |_, st| Ok(st.tasks.remove(id))).map_err(lua_err)?;
        let mut it = vals.into_iter();
        match it.next() {
            Some(LuaValue::Boolean(true)) => Ok(main.then(|| body_result(it.collect()))),
            // A failed task ends the process, whether it is the body or a coroutine.spawn child:
            // an error nobody handles is never dropped.
            _ => Ok(Some(Err(Arc::new(task_error(it.next().unwrap_or(LuaValue::Nil)))))),
        }
    }

    /// A task yielded a command: register what it waits for.
    fn command(&mut self, cell: &Arc<ProcessCell>, id: TaskId, vals: MultiValue) -> Result<(), Arc<ErrorValue>> {
        let running = self.running.as_mut().expect("running");
        let start_stdin = &mut running.stdin_started;
        let mut it = vals.into_iter().skip(1);
        let op = match it.next() {
            Some(LuaValue::Integer(op)) => op,
            other => return Err(internal(format!("bad runtime command {other:?}"))),
        };
        let arg = it.next().unwrap_or(LuaValue::Nil);
        let lua = &running.lua;
        with_state(lua, |_, st| {
            match op {
                OP_RECV | OP_SEND => {
                    let LuaValue::UserData(ud) = &arg else {
                        return Err(mlua::Error::runtime("channel expected"));
                    };
                    let chan = ud.borrow::<LuaChannel>()?.0.clone();
                    let w = st.tasks.block(id, None);
                    if op == OP_RECV {
                        chan.wait_recv(w);
                    } else {
                        chan.wait_send(w, it.next().unwrap_or(LuaValue::Nil));
                    }
                }
                OP_SELECT => {
                    let LuaValue::Table(cases) = &arg else {
                        return Err(mlua::Error::runtime("cases expected"));
                    };
                    let w = st.tasks.block(id, None);
                    wait_select(cases, &w)?;
                }
                OP_SLEEP => {
                    let ns = match arg {
                        LuaValue::Integer(n) => n.max(0) as u64,
                        _ => 0,
                    };
                    if ns == 0 {
                        st.tasks.ready.push_back((id, MultiValue::new()));
                    } else {
                        let w = st.tasks.block(id, None);
                        let timer = st.rt.timers.next_id();
                        st.timers.insert(timer, TimerTarget::Wake(w));
                        st.rt.timers.schedule(
                            Instant::now() + Duration::from_nanos(ns),
                            cell,
                            TimerAction::Fire(timer),
                        );
                    }
                }
                OP_WAIT_EXIT => {
                    let pid = match &arg {
                        LuaValue::String(s) => Pid::parse(&s.to_str()?),
                        _ => None,
                    }
                    .ok_or_else(|| mlua::Error::runtime("pid expected"))?;
                    let w = st.tasks.block(id, None);
                    match st.early_exits.remove(&pid) {
                        Some(result) => {
                            st.exit_waits.remove(&pid);
                            let args = exec_result(lua, &result)?;
                            st.tasks.complete(&w, args);
                        }
                        None => {
                            st.exit_waits.insert(pid, Some(w));
                        }
                    }
                }
                OP_INPUT => {
                    st.input_waiter = Some(st.tasks.block(id, None));
                    if !*start_stdin {
                        *start_stdin = true;
                        super::api::io::start_stdin_reader(st.cell.clone()).map_err(mlua::Error::external)?;
                    }
                }
                other => return Err(mlua::Error::runtime(format!("unknown runtime command {other}"))),
            }
            Ok(())
        })
        .map_err(lua_err)
    }

    /// Absorbs one mailbox signal. Returns the exit when the signal ends the process.
    fn on_signal(&mut self, sig: Signal) -> mlua::Result<Option<ExitResult>> {
        let lua = &self.running.as_ref().expect("running").lua;
        with_state(lua, |lua, st| {
            let mut wakes = Vec::new();
            match sig {
                Signal::Message(msg) => {
                    let (chan, value) = match st.listeners.get(&*msg.topic) {
                        Some(l) if l.message => {
                            (l.chan.clone(), LuaValue::UserData(lua.create_userdata(LuaMessage(msg))?))
                        }
                        Some(l) => (l.chan.clone(), from_value(lua, msg.payload.first().unwrap_or(&Value::Nil))?),
                        None => (st.inbox.clone(), LuaValue::UserData(lua.create_userdata(LuaMessage(msg))?)),
                    };
                    push_unbounded(&chan, value, st, &mut wakes);
                }
                Signal::Exit { from, from_name, result } => match st.exit_waits.get_mut(&from) {
                    Some(Some(_)) => {
                        let w = st.exit_waits.remove(&from).flatten().expect("waiter");
                        let args = exec_result(lua, &result)?;
                        st.tasks.complete(&w, args);
                    }
                    Some(None) => {
                        st.early_exits.insert(from, result);
                    }
                    None => {
                        let ev = exit_event(lua, EXIT, &from_name, &result)?;
                        push_unbounded(&st.events.clone(), LuaValue::Table(ev), st, &mut wakes);
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
                    push_unbounded(&st.events.clone(), LuaValue::Table(ev), st, &mut wakes);
                }
                Signal::Cancel { reason, deadline } => {
                    let ev = lua.create_table()?;
                    ev.raw_set("kind", CANCEL)?;
                    ev.raw_set("reason", reason)?;
                    if let Some(d) = deadline {
                        ev.raw_set("deadline", d.as_millis() as i64)?;
                    }
                    push_unbounded(&st.events.clone(), LuaValue::Table(ev), st, &mut wakes);
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
                    None => {}
                },
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

/// What `process.exec` returns: the child's value, or `nil, err`.
fn exec_result(lua: &Lua, result: &ExitResult) -> mlua::Result<MultiValue> {
    Ok(match result {
        Ok(v) => MultiValue::from_iter([from_value(lua, v)?]),
        Err(e) => MultiValue::from_iter([LuaValue::Nil, LuaValue::UserData(lua.create_userdata(LuaError(e.clone()))?)]),
    })
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

fn internal(msg: impl Into<String>) -> Arc<ErrorValue> {
    Arc::new(ErrorValue::new("INTERNAL", msg))
}

fn lua_err(e: mlua::Error) -> Arc<ErrorValue> {
    internal(clean_lua_error(&e))
}

impl Process for LuaProcess {
    fn step(&mut self, cell: &Arc<ProcessCell>) -> Step {
        if let Some(start) = self.start.take() {
            if let Err(e) = self.init(cell, start) {
                return Step::Exit(Err(e));
            }
        }
        match self.run(cell) {
            Ok(step) => step,
            Err(e) => Step::Exit(Err(e)),
        }
    }
}
