//! Answering the blocking calls a task hands to the step loop (`raw.rs`): each is completed at
//! once when it can be, or leaves a waiter (on a channel, a timer, a child's exit, terminal input)
//! that completes it later.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use mlua::{Lua, MultiValue, Value as LuaValue};

use super::api::channel::{apply_wakes, select_now, wait_select, LuaChannel, SendOutcome};
use super::api::errors::LuaError;
use super::api::process::{duration_arg, spawn, SpawnOptions, Spawner};
use super::code::clean_lua_error;
use super::convert::{from_value, to_values};
use super::process_state::{ProcState, TimerTarget};
use super::raw::*;
use super::sandbox::TaskFns;
use super::tasks::TaskId;
use crate::process::ExitResult;
use crate::runtime::TimerAction;

/// The answer to a blocking call: `Ok(Some(values))` now, `Ok(None)` when the task must wait,
/// `Err(message)` to raise in the caller.
pub(super) fn answer(
    lua: &Lua,
    st: &mut ProcState,
    fns: &TaskFns,
    stdin_started: &mut bool,
    id: TaskId,
    op: i64,
    mut args: VecDeque<LuaValue>,
) -> mlua::Result<Result<Option<MultiValue>, String>> {
    let mut arg = || args.pop_front().unwrap_or(LuaValue::Nil);
    let mut wakes = Vec::new();
    let result = match op {
        OP_RECV | OP_SEND => {
            let ch = arg();
            let LuaValue::UserData(ud) = &ch else {
                return Ok(Err(format!("expected a channel, got {}", ch.type_name())));
            };
            let Ok(chan) = ud.borrow::<LuaChannel>().map(|c| c.0.clone()) else {
                return Ok(Err("expected a channel".into()));
            };
            if op == OP_RECV {
                match chan.try_recv(&st.tasks, &mut wakes) {
                    Some((v, ok)) => Some(MultiValue::from_iter([v, LuaValue::Boolean(ok)])),
                    None => {
                        chan.wait_recv(st.tasks.block(id, None));
                        None
                    }
                }
            } else {
                match chan.try_send(arg(), &st.tasks, &mut wakes) {
                    SendOutcome::Sent => Some(MultiValue::from_iter([LuaValue::Boolean(true)])),
                    SendOutcome::Closed => return Ok(Err("send on closed channel".into())),
                    SendOutcome::Blocked(v) => {
                        chan.wait_send(st.tasks.block(id, None), v);
                        None
                    }
                }
            }
        }
        OP_SELECT => {
            let LuaValue::Table(cases) = arg() else {
                return Ok(Err("channel.select expects a table of cases".into()));
            };
            match select_now(lua, st, &cases) {
                Ok(Some(r)) => Some(MultiValue::from_iter([r])),
                Ok(None) => {
                    let w = st.tasks.block(id, None);
                    wait_select(&cases, &w)?;
                    None
                }
                Err(e) => return Ok(Err(clean_lua_error(&e))),
            }
        }
        OP_SLEEP => match duration_arg(&arg(), false) {
            Err(e) => return Ok(Err(format!("time.sleep: {}", clean_lua_error(&e)))),
            Ok(None) | Ok(Some(Duration::ZERO)) => Some(MultiValue::new()),
            Ok(Some(d)) => {
                let w = st.tasks.block(id, None);
                let timer = st.rt.timers.next_id();
                st.timers.insert(timer, TimerTarget::Wake(w));
                st.rt.timers.schedule(Instant::now() + d, &st.cell, TimerAction::Fire(timer));
                None
            }
        },
        OP_EXEC | OP_EXEC_WITH => {
            let mut opts = SpawnOptions::default();
            if op == OP_EXEC_WITH {
                let LuaValue::UserData(ud) = arg() else { return Ok(Err("expected a spawner".into())) };
                opts = ud.borrow::<Spawner>()?.0.clone();
            }
            opts.exec = true;
            opts.link = false;
            opts.monitor = false;
            let LuaValue::String(entry) = arg() else {
                return Ok(Err("process.exec: the first argument must be an entry ID".into()));
            };
            let host = match arg() {
                LuaValue::String(h) => Some(h.to_str()?.to_string()),
                _ => None,
            };
            let rest: Vec<LuaValue> = args.into_iter().collect();
            let values = match to_values(&rest) {
                Ok(v) => v,
                Err(e) => return Ok(Err(format!("process.exec: {e}"))),
            };
            match spawn(st, &entry.to_str()?, host.as_deref(), values, &opts) {
                Ok(child) => {
                    let w = st.tasks.block(id, None);
                    st.exit_waits.insert(child.pid, w);
                    None
                }
                Err(e) => Some(exec_result(lua, &Err(e))?),
            }
        }
        OP_INPUT => {
            st.input_waiter = Some(st.tasks.block(id, None));
            if !*stdin_started {
                *stdin_started = true;
                super::api::io::start_stdin_reader(st.cell.clone()).map_err(mlua::Error::external)?;
            }
            None
        }
        OP_SPAWN_TASK => {
            let LuaValue::Function(f) = arg() else {
                return Ok(Err("coroutine.spawn expects a function".into()));
            };
            let thread = lua.create_thread(fns.xpcall.clone())?;
            super::sandbox::mark_task(&thread);
            st.tasks.spawn(
                thread.clone(),
                MultiValue::from_iter([LuaValue::Function(f), LuaValue::Function(fns.handler.clone())]),
            );
            Some(MultiValue::from_iter([LuaValue::Thread(thread)]))
        }
        OP_FUNC_CALL => return super::api::funcs::answer_call(lua, st, id, args),
        other => return Err(mlua::Error::runtime(format!("unknown runtime command {other}"))),
    };
    apply_wakes(lua, &mut st.tasks, &mut wakes)?;
    Ok(Ok(result))
}

/// What `process.exec` returns: the child's value, or `nil, err`.
pub(crate) fn exec_result(lua: &Lua, result: &ExitResult) -> mlua::Result<MultiValue> {
    Ok(match result {
        Ok(v) => MultiValue::from_iter([from_value(lua, v)?]),
        Err(e) => MultiValue::from_iter([LuaValue::Nil, LuaValue::UserData(lua.create_userdata(LuaError(e.clone()))?)]),
    })
}
