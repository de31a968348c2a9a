//! The `channel` global: process-local Go-style channels (unbuffered rendezvous or buffered),
//! `select` over them, and the operations the process scheduler uses to feed them.
//!
//! Channels are process-local: they live in one Lua state and cannot be sent to another process
//! (the copy refuses them with a clear error at the sender). Operations that cannot complete at
//! once make the calling task block (see `raw.rs`); wake-ups found while the channel is
//! locked are applied after the lock is released, so no Lua code runs under it.

use std::collections::VecDeque;
use std::sync::Arc;

use mlua::{AnyUserData, Lua, MultiValue, UserData, Value as LuaValue};
use parking_lot::Mutex;

use crate::lua::process_state::{with_state, ProcState};
use crate::lua::raw;
use crate::lua::sandbox::c_function;
use crate::lua::tasks::{Tasks, Waiter};

pub const UNBOUNDED: usize = usize::MAX;

#[derive(Default)]
struct Inner {
    cap: usize,
    buf: VecDeque<LuaValue>,
    closed: bool,
    recvq: VecDeque<Waiter>,
    sendq: VecDeque<(Waiter, LuaValue)>,
}

pub struct Channel {
    inner: Mutex<Inner>,
}

/// A wake-up decided under the channel lock, applied after.
pub enum Wake {
    Received(Waiter, LuaValue, bool),
    Sent(Waiter),
    SendClosed(Waiter),
}

pub enum SendOutcome {
    Sent,
    Blocked(LuaValue),
    Closed,
}

impl Channel {
    pub fn new(cap: usize) -> Arc<Channel> {
        Arc::new(Channel { inner: Mutex::new(Inner { cap, ..Inner::default() }) })
    }

    pub fn len(&self) -> usize {
        self.inner.lock().buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `v` (compared by identity) is still buffered, unread.
    pub fn holds(&self, v: &LuaValue) -> bool {
        let p = v.to_pointer();
        self.inner.lock().buf.iter().any(|b| b.to_pointer() == p)
    }

    /// Takes every buffered value out, oldest first (an upgrade moves them to the new state).
    pub fn take_buffered(&self) -> Vec<LuaValue> {
        self.inner.lock().buf.drain(..).collect()
    }

    pub fn try_recv(&self, tasks: &Tasks, wakes: &mut Vec<Wake>) -> Option<(LuaValue, bool)> {
        let mut ch = self.inner.lock();
        if let Some(v) = ch.buf.pop_front() {
            // A slot opened: move one blocked sender's value in.
            while let Some((w, sv)) = ch.sendq.pop_front() {
                if tasks.is_waiting(&w) {
                    ch.buf.push_back(sv);
                    wakes.push(Wake::Sent(w));
                    break;
                }
            }
            return Some((v, true));
        }
        while let Some((w, sv)) = ch.sendq.pop_front() {
            if tasks.is_waiting(&w) {
                wakes.push(Wake::Sent(w));
                return Some((sv, true));
            }
        }
        ch.closed.then_some((LuaValue::Nil, false))
    }

    pub fn try_send(&self, v: LuaValue, tasks: &Tasks, wakes: &mut Vec<Wake>) -> SendOutcome {
        let mut ch = self.inner.lock();
        if ch.closed {
            return SendOutcome::Closed;
        }
        while let Some(w) = ch.recvq.pop_front() {
            if tasks.is_waiting(&w) {
                wakes.push(Wake::Received(w, v, true));
                return SendOutcome::Sent;
            }
        }
        if ch.buf.len() < ch.cap {
            ch.buf.push_back(v);
            return SendOutcome::Sent;
        }
        SendOutcome::Blocked(v)
    }

    pub fn wait_recv(&self, w: Waiter) {
        crate::lua::push_lean(&mut self.inner.lock().recvq, w);
    }

    pub fn wait_send(&self, w: Waiter, v: LuaValue) {
        crate::lua::push_lean(&mut self.inner.lock().sendq, (w, v));
    }

    pub fn close(&self, wakes: &mut Vec<Wake>) -> bool {
        let mut ch = self.inner.lock();
        if ch.closed {
            return false;
        }
        ch.closed = true;
        for w in ch.recvq.drain(..) {
            wakes.push(Wake::Received(w, LuaValue::Nil, false));
        }
        for (w, _) in ch.sendq.drain(..) {
            wakes.push(Wake::SendClosed(w));
        }
        true
    }
}

/// Applies wake-ups: builds each woken task's resume values (a select result table for select
/// cases) and queues it.
pub fn apply_wakes(lua: &Lua, tasks: &mut Tasks, wakes: &mut Vec<Wake>) -> mlua::Result<()> {
    for wake in wakes.drain(..) {
        let (w, args) = match wake {
            Wake::Received(w, v, ok) => {
                let args = match &w.case {
                    None => MultiValue::from_iter([v, LuaValue::Boolean(ok)]),
                    Some((_, ch)) => select_result(lua, ch, v, ok)?,
                };
                (w, args)
            }
            Wake::Sent(w) => {
                let args = match &w.case {
                    None => MultiValue::from_iter([LuaValue::Boolean(true)]),
                    Some((_, ch)) => select_result(lua, ch, LuaValue::Nil, true)?,
                };
                (w, args)
            }
            // A sender blocked on a channel that gets closed raises, as a send on a closed
            // channel does (in a select too, as in Go).
            Wake::SendClosed(w) => {
                let msg = LuaValue::String(lua.create_string("send on closed channel")?);
                (w, MultiValue::from_iter([crate::lua::sandbox::raise_marker(), msg]))
            }
        };
        tasks.complete(&w, args);
    }
    Ok(())
}

fn select_result(lua: &Lua, ch: &AnyUserData, value: LuaValue, ok: bool) -> mlua::Result<MultiValue> {
    let t = lua.create_table_with_capacity(0, 3)?;
    t.raw_set("channel", ch.clone())?;
    t.raw_set("value", value)?;
    t.raw_set("ok", ok)?;
    Ok(MultiValue::from_iter([LuaValue::Table(t)]))
}

/// The channel object Lua sees.
pub struct LuaChannel(pub Arc<Channel>);

/// A case of `channel.select`: receive from, or send `value` to, a channel.
pub struct LuaCase {
    pub chan: AnyUserData,
    pub send: Option<LuaValue>,
}

impl UserData for LuaCase {}

impl UserData for LuaChannel {
    fn add_fields<F: mlua::UserDataFields<Self>>(f: &mut F) {
        // One method table per state, built when the first channel is made. (mlua would compile
        // a Lua dispatcher per state for a type mixing `add_method` with a custom `__index`.)
        f.add_meta_field_with("__index", channel_methods);
        // A light function: a Rust closure would be one more allocated callback per state.
        f.add_meta_field_with("__tostring", |lua| {
            light!(lua, |_, ch: ChanRef| Ok(format!("channel: {:p}", Arc::as_ptr(&ch.0))))
        });
        f.add_meta_field("__name", "channel");
    }
}

type ChanRef = mlua::UserDataRef<LuaChannel>;

/// Channel methods, made on first use. `receive` and `send` block: they are light C functions
/// that hand the operation to the step loop (`raw.rs`); the rest run here.
fn channel_methods(lua: &Lua) -> mlua::Result<mlua::Table> {
    lazy_table!(lua, channel_method)
}

fn channel_method(lua: &Lua, name: &str) -> mlua::Result<LuaValue> {
    use mlua::IntoLua;
    Ok(match name {
        "receive" => LuaValue::Function(c_function(lua, raw::receive)?),
        "send" => LuaValue::Function(c_function(lua, raw::send)?),
        "try_receive" => light!(lua, |lua, ch: ChanRef| {
            with_state(lua, |lua, st| {
                let mut wakes = Vec::new();
                let got = ch.0.try_recv(&st.tasks, &mut wakes);
                apply_wakes(lua, &mut st.tasks, &mut wakes)?;
                Ok(match got {
                    Some((v, ok)) => (v, ok, false),
                    None => (LuaValue::Nil, false, true),
                })
            })
        })?
        .into_lua(lua)?,
        "try_send" => light!(lua, |lua, (ch, v): (ChanRef, LuaValue)| {
            with_state(lua, |lua, st| {
                let mut wakes = Vec::new();
                let out = ch.0.try_send(v, &st.tasks, &mut wakes);
                apply_wakes(lua, &mut st.tasks, &mut wakes)?;
                match out {
                    SendOutcome::Sent => Ok(true),
                    SendOutcome::Blocked(_) => Ok(false),
                    SendOutcome::Closed => Err(mlua::Error::runtime("send on closed channel")),
                }
            })
        })?
        .into_lua(lua)?,
        "close" => light!(lua, |lua, ch: ChanRef| {
            with_state(lua, |lua, st| {
                let mut wakes = Vec::new();
                if !ch.0.close(&mut wakes) {
                    return Err(mlua::Error::runtime("close of closed channel"));
                }
                apply_wakes(lua, &mut st.tasks, &mut wakes)
            })
        })?
        .into_lua(lua)?,
        "len" => light!(lua, |_, ch: ChanRef| Ok(ch.0.len()))?.into_lua(lua)?,
        "case_receive" => light!(lua, |_, this: AnyUserData| {
            this.borrow::<LuaChannel>()?;
            Ok(LuaCase { chan: this, send: None })
        })?
        .into_lua(lua)?,
        "case_send" => light!(lua, |_, (this, v): (AnyUserData, LuaValue)| {
            this.borrow::<LuaChannel>()?;
            Ok(LuaCase { chan: this, send: Some(v) })
        })?
        .into_lua(lua)?,
        _ => LuaValue::Nil,
    })
}

/// `channel.select` without blocking: the result table if a case (or `default`) is ready,
/// `nil` if the task must block on every case.
pub fn select_now(lua: &Lua, st: &mut ProcState, cases: &mlua::Table) -> mlua::Result<Option<LuaValue>> {
    let n = cases.raw_len();
    let has_default: bool = cases.raw_get::<Option<bool>>("default")?.unwrap_or(false);
    {
        // Cases are tried in a random order, so each ready case is equally likely to be chosen
        // (a random starting point alone would favour the case after a case that is not ready).
        let mut order: Vec<usize> = (1..=n).collect();
        if n > 1 {
            use rand::seq::SliceRandom;
            order.shuffle(&mut rand::rng());
        }
        let mut wakes = Vec::new();
        for &index in &order {
            let case_ud: AnyUserData = cases.raw_get(index)?;
            let case = case_ud.borrow::<LuaCase>().map_err(|_| {
                mlua::Error::runtime("channel.select: cases must be made with ch:case_receive() or ch:case_send(v)")
            })?;
            let chan = case.chan.borrow::<LuaChannel>()?.0.clone();
            let result = match &case.send {
                None => chan.try_recv(&st.tasks, &mut wakes),
                Some(v) => match chan.try_send(v.clone(), &st.tasks, &mut wakes) {
                    SendOutcome::Sent => Some((LuaValue::Nil, true)),
                    SendOutcome::Blocked(_) => None,
                    SendOutcome::Closed => return Err(mlua::Error::runtime("send on closed channel")),
                },
            };
            if let Some((v, ok)) = result {
                apply_wakes(lua, &mut st.tasks, &mut wakes)?;
                let r = select_result(lua, &case.chan, v, ok)?;
                return Ok(r.into_iter().next());
            }
        }
        apply_wakes(lua, &mut st.tasks, &mut wakes)?;
        if has_default {
            let t = lua.create_table()?;
            t.set("default", true)?;
            t.set("ok", true)?;
            return Ok(Some(LuaValue::Table(t)));
        }
        Ok(None)
    }
}

/// Registers a blocked select: one waiter per case, all sharing the task's sequence number.
pub fn wait_select(cases: &mlua::Table, w: &Waiter) -> mlua::Result<()> {
    for i in 1..=cases.raw_len() {
        let case_ud: AnyUserData = cases.raw_get(i)?;
        let case = case_ud.borrow::<LuaCase>()?;
        let chan = case.chan.borrow::<LuaChannel>()?.0.clone();
        let cw = Tasks::waiter_for_case(w, i, case.chan.clone());
        match &case.send {
            None => chan.wait_recv(cw),
            Some(v) => chan.wait_send(cw, v.clone()),
        }
    }
    Ok(())
}

pub fn new_channel(lua: &Lua, cap: usize) -> mlua::Result<AnyUserData> {
    lua.create_userdata(LuaChannel(Channel::new(cap)))
}

pub fn register(lua: &Lua) -> mlua::Result<mlua::Table> {
    let t = lua.create_table()?;
    t.set(
        "new",
        light!(lua, |lua, size: Option<i64>| {
            let size = size.unwrap_or(0);
            if size < 0 {
                return Err(mlua::Error::runtime("channel.new: size must be 0 or more"));
            }
            new_channel(lua, size as usize)
        })?,
    )?;
    t.set("select", c_function(lua, raw::select)?)?;
    Ok(t)
}
