//! `ProcState`: everything a process's Lua API callbacks need, stored in its Lua state's app data.

use std::sync::Arc;

use mlua::{AnyUserData, Lua};

use super::api::channel::{Channel, UNBOUNDED};
use super::tasks::{Tasks, Waiter};
use crate::process::{Pid, ProcessCell};
use crate::registry::Entry;
use crate::runtime::{Host, Shared};
use crate::value::Value;

/// What a timer ID stands for in this process.
pub enum TimerTarget {
    /// A task sleeping (`time.sleep`).
    Wake(Waiter),
    /// A `time.after`/`time.timer` channel to put the fire time into.
    Channel(Arc<Channel>),
    /// A `time.ticker` channel: the fire time goes in (dropped if the last tick is unread, as in
    /// Go) and the ticker is set again `period` later under the same ID.
    Ticker(Arc<Channel>, std::time::Duration),
    /// The timeout of a `funcs` call to this callee, with the error message to settle it with.
    CallTimeout(Pid, String),
}

pub struct Listener {
    pub chan: Arc<Channel>,
    pub ud: AnyUserData,
    /// Deliver Message objects instead of payload data.
    pub message: bool,
}

pub struct ProcState {
    pub rt: Arc<Shared>,
    pub cell: Arc<ProcessCell>,
    pub host: Arc<Host>,
    pub entry: Arc<Entry>,
    pub tasks: Tasks,
    pub inbox: Arc<Channel>,
    pub inbox_ud: Option<AnyUserData>,
    /// The `process.events()` channel, made when the first event arrives or is asked for.
    events: Option<Arc<Channel>>,
    pub events_ud: Option<AnyUserData>,
    pub listeners: rustc_hash::FxHashMap<String, Listener>,
    pub timers: rustc_hash::FxHashMap<u64, TimerTarget>,
    /// `process.exec` children being waited for: pid → the waiting task. Registered in the same
    /// step as the spawn, before the mailbox is read again, so the child's exit cannot be missed.
    pub exit_waits: rustc_hash::FxHashMap<Pid, Waiter>,
    /// `funcs.async` callees being waited for: pid → the Future they settle.
    pub exit_futures: rustc_hash::FxHashMap<Pid, Arc<super::api::funcs::CallFuture>>,
    pub trap_links: bool,
    /// The OUTDATED event delivered and not read yet: later changes are added to its `sources`.
    pub pending_outdated: Option<mlua::Table>,
    /// The context this process was spawned with (`ctx` module, inherited by children).
    pub context: Value,
    /// A task waiting for a line of terminal input.
    pub input_waiter: Option<Waiter>,
    /// Whether the message metatable is registered (on the first message).
    pub message_mt: bool,
    /// The actor and scope this process runs as (inherited by its children).
    pub security: crate::security::Security,
}

impl ProcState {
    pub fn new(rt: Arc<Shared>, cell: Arc<ProcessCell>, host: Arc<Host>, entry: Arc<Entry>, context: Value) -> Self {
        ProcState {
            rt,
            cell,
            host,
            entry,
            tasks: Tasks::default(),
            inbox: Channel::new(UNBOUNDED),
            inbox_ud: None,
            events: None,
            events_ud: None,
            listeners: Default::default(),
            timers: Default::default(),
            exit_waits: Default::default(),
            exit_futures: Default::default(),
            trap_links: false,
            pending_outdated: None,
            context,
            input_waiter: None,
            message_mt: false,
            security: Default::default(),
        }
    }
}

impl ProcState {
    /// A delivered message's Lua form (see `api/payload.rs`).
    pub fn message(&mut self, lua: &Lua, msg: &crate::process::Message) -> mlua::Result<mlua::Value> {
        super::api::payload::message(lua, &mut self.message_mt, msg)
    }

    /// The `process.events()` channel (made on first use: most processes never get an event).
    pub fn events(&mut self) -> Arc<Channel> {
        self.events.get_or_insert_with(|| Channel::new(UNBOUNDED)).clone()
    }

    /// Whether `v` is buffered in the events channel, unread.
    pub fn events_hold(&self, v: &mlua::Value) -> bool {
        self.events.as_ref().is_some_and(|c| c.holds(v))
    }

    /// Takes the unread events out (an upgrade carries them to the new state).
    pub fn take_events(&mut self) -> Vec<mlua::Value> {
        self.events.as_ref().map(|c| c.take_buffered()).unwrap_or_default()
    }
}

/// Runs `f` with this process's state. A callback that finds the state already borrowed (a
/// finalizer running in the middle of another API call) gets a Lua error, never a panic.
pub fn with_state<R>(lua: &Lua, f: impl FnOnce(&Lua, &mut ProcState) -> mlua::Result<R>) -> mlua::Result<R> {
    let mut st = match lua.try_app_data_mut::<ProcState>() {
        Ok(Some(st)) => st,
        Ok(None) => return Err(mlua::Error::runtime("this function is only available inside a process")),
        Err(_) => return Err(mlua::Error::runtime("process API called from a finalizer (__gc) is not allowed")),
    };
    f(lua, &mut st)
}
