//! The `time` module, first part: `now`, `sleep`, `after`, `parse_duration`, Time and Duration
//! values and the unit constants. The full module (Go layouts, zones, timers, tickers) is the
//! standard-library issue's.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mlua::{Lua, MetaMethod, Table, UserData, UserDataMethods, Value as LuaValue};

use super::channel::new_channel;
use super::process::duration_arg;
use crate::lua::process_state::{with_state, TimerTarget};
use crate::runtime::TimerAction;

/// A point in time: wall clock for display, monotonic for measuring.
#[derive(Clone, Copy)]
pub struct LuaTime {
    pub unix_nanos: i128,
    pub mono: Instant,
}

impl LuaTime {
    pub fn now() -> LuaTime {
        let unix_nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as i128).unwrap_or(0);
        LuaTime { unix_nanos, mono: Instant::now() }
    }
}

/// A duration in nanoseconds (may be negative, as Go's).
#[derive(Clone, Copy)]
pub struct LuaDuration(pub i64);

impl LuaDuration {
    pub fn as_std(&self) -> Duration {
        Duration::from_nanos(self.0.max(0) as u64)
    }
}

impl UserData for LuaTime {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("sub", |_, t, other: mlua::UserDataRef<LuaTime>| {
            let d = if t.mono >= other.mono {
                t.mono.duration_since(other.mono).as_nanos() as i64
            } else {
                -(other.mono.duration_since(t.mono).as_nanos() as i64)
            };
            Ok(LuaDuration(d))
        });
        m.add_method("unix", |_, t, ()| Ok((t.unix_nanos / 1_000_000_000) as i64));
        m.add_method("unix_nano", |_, t, ()| Ok(t.unix_nanos as i64));
        m.add_method("before", |_, t, o: mlua::UserDataRef<LuaTime>| Ok(t.unix_nanos < o.unix_nanos));
        m.add_method("after", |_, t, o: mlua::UserDataRef<LuaTime>| Ok(t.unix_nanos > o.unix_nanos));
        m.add_method("equal", |_, t, o: mlua::UserDataRef<LuaTime>| Ok(t.unix_nanos == o.unix_nanos));
        m.add_meta_method(MetaMethod::ToString, |_, t, ()| Ok(format!("time({})", t.unix_nanos)));
    }
}

impl UserData for LuaDuration {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("nanoseconds", |_, d, ()| Ok(d.0));
        m.add_method("microseconds", |_, d, ()| Ok(d.0 / 1_000));
        m.add_method("milliseconds", |_, d, ()| Ok(d.0 / 1_000_000));
        m.add_method("seconds", |_, d, ()| Ok(d.0 as f64 / 1e9));
        m.add_method("minutes", |_, d, ()| Ok(d.0 as f64 / 6e10));
        m.add_method("hours", |_, d, ()| Ok(d.0 as f64 / 3.6e12));
        m.add_meta_method(MetaMethod::ToString, |_, d, ()| {
            Ok(format!("{:?}", Duration::from_nanos(d.0.unsigned_abs())))
        });
    }
}

/// `time.timer(d)` / `time.ticker(d)`: a channel fed by a timer this process owns. Stopping
/// forgets the timer ID, so a fire already queued finds nothing and does nothing.
pub struct LuaTimer {
    id: std::sync::atomic::AtomicU64,
    chan: mlua::AnyUserData,
    period: Option<Duration>,
}

impl LuaTimer {
    fn arm(lua: &Lua, chan: &Arc<super::channel::Channel>, d: Duration, period: Option<Duration>) -> mlua::Result<u64> {
        with_state(lua, |_, st| {
            let id = st.rt.timers.next_id();
            let target = match period {
                Some(p) => TimerTarget::Ticker(chan.clone(), p),
                None => TimerTarget::Channel(chan.clone()),
            };
            st.timers.insert(id, target);
            st.rt.timers.schedule(Instant::now() + d, &st.cell, TimerAction::Fire(id));
            Ok(id)
        })
    }

    fn new(lua: &Lua, d: Duration, period: Option<Duration>) -> mlua::Result<LuaTimer> {
        let chan = new_channel(lua, 1)?;
        let inner = chan.borrow::<super::channel::LuaChannel>()?.0.clone();
        let id = LuaTimer::arm(lua, &inner, d, period)?;
        Ok(LuaTimer { id: std::sync::atomic::AtomicU64::new(id), chan, period })
    }

    /// Forgets the timer; true if it was still pending (a ticker always is until stopped).
    fn disarm(&self, lua: &Lua) -> mlua::Result<bool> {
        with_state(lua, |_, st| Ok(st.timers.remove(&self.id.load(std::sync::atomic::Ordering::Relaxed)).is_some()))
    }
}

impl UserData for LuaTimer {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("channel", |_, t, ()| Ok(t.chan.clone()));
        m.add_method("stop", |lua, t, ()| t.disarm(lua));
        m.add_method("reset", |lua, t, d: LuaValue| {
            let d = positive_duration(&d, "reset")?;
            let was_active = t.disarm(lua)?;
            let inner = t.chan.borrow::<super::channel::LuaChannel>()?.0.clone();
            t.id.store(LuaTimer::arm(lua, &inner, d, t.period.map(|_| d))?, std::sync::atomic::Ordering::Relaxed);
            Ok(was_active)
        });
        m.add_meta_method(MetaMethod::ToString, |_, t, ()| Ok(if t.period.is_some() { "ticker" } else { "timer" }));
    }
}

fn positive_duration(v: &LuaValue, what: &str) -> mlua::Result<Duration> {
    match duration_arg(v, false)? {
        Some(d) if !d.is_zero() => Ok(d),
        _ => Err(mlua::Error::runtime(format!("time.{what}: the duration must be positive"))),
    }
}

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    for (name, ns) in [
        ("NANOSECOND", 1i64),
        ("MICROSECOND", 1_000),
        ("MILLISECOND", 1_000_000),
        ("SECOND", 1_000_000_000),
        ("MINUTE", 60_000_000_000),
        ("HOUR", 3_600_000_000_000),
    ] {
        t.raw_set(name, ns)?;
    }
    t.raw_set("now", lua.create_function(|_, ()| Ok(LuaTime::now()))?)?;
    t.raw_set(
        "parse_duration",
        lua.create_function(|lua, v: LuaValue| match duration_arg(&v, false) {
            Ok(Some(d)) => {
                Ok((LuaValue::UserData(lua.create_userdata(LuaDuration(d.as_nanos() as i64))?), LuaValue::Nil))
            }
            Ok(None) => super::errors::fail(lua, "INVALID", "parse_duration: no duration given"),
            Err(e) => super::errors::fail(lua, "INVALID", crate::lua::code::clean_lua_error(&e)),
        })?,
    )?;
    t.raw_set("sleep", crate::lua::sandbox::c_function(lua, crate::lua::raw::sleep)?)?;
    t.raw_set(
        "after",
        lua.create_function(|lua, d: LuaValue| {
            let d = duration_arg(&d, false)?.unwrap_or_default();
            let ud = new_channel(lua, 1)?;
            let chan = ud.borrow::<super::channel::LuaChannel>()?.0.clone();
            with_state(lua, |_, st| {
                let id = st.rt.timers.next_id();
                st.timers.insert(id, TimerTarget::Channel(chan));
                st.rt.timers.schedule(Instant::now() + d, &st.cell, TimerAction::Fire(id));
                Ok(())
            })?;
            Ok(ud)
        })?,
    )?;
    t.raw_set(
        "timer",
        lua.create_function(|lua, d: LuaValue| LuaTimer::new(lua, positive_duration(&d, "timer")?, None))?,
    )?;
    t.raw_set(
        "ticker",
        lua.create_function(|lua, d: LuaValue| {
            let d = positive_duration(&d, "ticker")?;
            LuaTimer::new(lua, d, Some(d))
        })?,
    )?;
    Ok(t)
}
