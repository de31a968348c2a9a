//! The `time` module: clocks, sleeps, timers and tickers, Time values (`time_value.rs`) with Go
//! layouts (`time_layout.rs`) and zones (`time_zone.rs`), Durations, and the constants.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mlua::{Lua, MetaMethod, Table, UserData, UserDataMethods, Value as LuaValue};

use super::channel::new_channel;
use super::errors::fail;
use super::process::duration_arg;
use super::time_value::{location_arg, new_time, parse, LuaLocation, RFC3339};
use super::time_zone::{from_fields, Location, NANOS_PER_SEC};
use crate::lua::process_state::{with_state, TimerTarget};
use crate::runtime::TimerAction;

pub use super::time_value::LuaTime;

/// A duration in nanoseconds (may be negative, as Go's).
#[derive(Clone, Copy)]
pub struct LuaDuration(pub i64);

impl LuaDuration {
    pub fn as_std(&self) -> Duration {
        Duration::from_nanos(self.0.max(0) as u64)
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
        m.add_meta_method(MetaMethod::ToString, |_, d, ()| Ok(go_duration(d.0)));
        m.add_meta_method(MetaMethod::Eq, |_, d, o: LuaValue| Ok(signed_nanos(&o).is_ok_and(|o| o == d.0)));
        m.add_meta_method(MetaMethod::Lt, |_, d, o: LuaValue| Ok(d.0 < signed_nanos(&o)?));
        m.add_meta_method(MetaMethod::Le, |_, d, o: LuaValue| Ok(d.0 <= signed_nanos(&o)?));
    }
}

/// Go's `Duration.String`: `1h2m3.5s`, `1.5ms`, `0s`.
pub fn go_duration(d: i64) -> String {
    fn scaled(v: u128, scale: u128) -> String {
        let (whole, frac) = (v / scale, v % scale);
        if frac == 0 {
            return whole.to_string();
        }
        let width = scale.ilog10() as usize;
        format!("{whole}.{}", format!("{frac:0width$}").trim_end_matches('0'))
    }
    if d == 0 {
        return "0s".into();
    }
    let sign = if d < 0 { "-" } else { "" };
    let u = d.unsigned_abs() as u128;
    let body = match u {
        0..1_000 => format!("{u}ns"),
        1_000..1_000_000 => format!("{}µs", scaled(u, 1_000)),
        1_000_000..1_000_000_000 => format!("{}ms", scaled(u, 1_000_000)),
        _ => {
            let (h, m, s) = (u / 3_600_000_000_000, u / 60_000_000_000 % 60, u % 60_000_000_000);
            let mut out = String::new();
            if h > 0 {
                out.push_str(&format!("{h}h"));
            }
            if h > 0 || m > 0 {
                out.push_str(&format!("{m}m"));
            }
            out.push_str(&format!("{}s", scaled(s, 1_000_000_000)));
            out
        }
    };
    format!("{sign}{body}")
}

/// A signed duration in nanoseconds: an integer (ns), a Go duration string (`"-1h30m"`), or a
/// Duration value.
pub fn signed_nanos(v: &LuaValue) -> mlua::Result<i64> {
    match v {
        LuaValue::Integer(i) => Ok(*i),
        LuaValue::Number(n) if n.is_finite() => Ok(*n as i64),
        LuaValue::String(s) => {
            let s = s.to_str()?;
            let (neg, body) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, &*s),
            };
            let d = crate::registry::parse_go_duration(body)
                .map_err(|e| mlua::Error::runtime(format!("bad duration {:?}: {e}", &*s)))?;
            let n = i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
            Ok(if neg { -n } else { n })
        }
        LuaValue::UserData(ud) if ud.is::<LuaDuration>() => Ok(ud.borrow::<LuaDuration>()?.0),
        other => Err(mlua::Error::runtime(format!("expected a duration, got {}", other.type_name()))),
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

/// Layout constants: the spec's names, and Go's other standard layouts under the same naming.
const LAYOUTS: &[(&str, &str)] = &[
    ("RFC3339", RFC3339),
    ("RFC3339_NANO", "2006-01-02T15:04:05.999999999Z07:00"),
    ("DATE_ONLY", "2006-01-02"),
    ("TIME_ONLY", "15:04:05"),
    ("DATE_TIME", "2006-01-02 15:04:05"),
    ("LAYOUT", "01/02 03:04:05PM '06 -0700"),
    ("ANSIC", "Mon Jan _2 15:04:05 2006"),
    ("UNIX_DATE", "Mon Jan _2 15:04:05 MST 2006"),
    ("RUBY_DATE", "Mon Jan 02 15:04:05 -0700 2006"),
    ("RFC822", "02 Jan 06 15:04 MST"),
    ("RFC822Z", "02 Jan 06 15:04 -0700"),
    ("RFC850", "Monday, 02-Jan-06 15:04:05 MST"),
    ("RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"),
    ("RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"),
    ("KITCHEN", "3:04PM"),
    ("STAMP", "Jan _2 15:04:05"),
    ("STAMP_MILLI", "Jan _2 15:04:05.000"),
    ("STAMP_MICRO", "Jan _2 15:04:05.000000"),
    ("STAMP_NANO", "Jan _2 15:04:05.000000000"),
];

const MONTHS: [&str; 12] = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];
const WEEKDAYS: [&str; 7] = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"];

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
    for (name, layout) in LAYOUTS {
        t.raw_set(*name, *layout)?;
    }
    for (i, name) in MONTHS.iter().enumerate() {
        t.raw_set(*name, i + 1)?;
    }
    for (i, name) in WEEKDAYS.iter().enumerate() {
        t.raw_set(*name, i)?;
    }
    t.raw_set("utc", LuaLocation(Location::Utc))?;
    t.raw_set("localtz", LuaLocation(Location::Local))?;
    t.raw_set("now", lua.create_function(|_, ()| Ok(LuaTime::now()))?)?;
    t.raw_set(
        "unix",
        lua.create_function(|_, (sec, nsec): (i64, Option<i64>)| {
            let n = sec as i128 * NANOS_PER_SEC + nsec.unwrap_or(0) as i128;
            Ok(LuaTime::at(n, Location::Local))
        })?,
    )?;
    t.raw_set(
        "date",
        lua.create_function(|lua, args: mlua::MultiValue| {
            // y, mo, d, then h, mi, s, ns (nil: 0), then loc (nil: Local).
            let mut args = args.into_iter();
            let mut f = [0i64; 7];
            for (i, slot) in f.iter_mut().enumerate() {
                let v = args.next().unwrap_or(LuaValue::Nil);
                *slot = match (i, v) {
                    (3.., LuaValue::Nil) => 0,
                    (_, v) => lua.unpack(v)?,
                };
            }
            let loc = location_arg(&args.next().unwrap_or(LuaValue::Nil), "time.date")?.unwrap_or(Location::Local);
            Ok(LuaTime::at(from_fields(f[0], f[1], f[2], f[3], f[4], f[5], f[6], &loc), loc))
        })?,
    )?;
    t.raw_set(
        "parse",
        lua.create_function(|lua, (layout, value, loc): (String, String, LuaValue)| {
            let loc = location_arg(&loc, "time.parse")?;
            match parse(&layout, &value, loc) {
                Ok(t) => Ok((new_time(lua, t)?, LuaValue::Nil)),
                Err(e) => fail(lua, "INVALID", e.to_string()),
            }
        })?,
    )?;
    t.raw_set(
        "load_location",
        lua.create_function(|lua, name: String| match Location::load(&name) {
            Some(l) => Ok((LuaValue::UserData(lua.create_userdata(LuaLocation(l))?), LuaValue::Nil)),
            None => fail(lua, "NOT_FOUND", format!("unknown time zone {name}")),
        })?,
    )?;
    t.raw_set(
        "fixed_zone",
        lua.create_function(|_, (name, offset): (String, i32)| Ok(LuaLocation(Location::Fixed(name.into(), offset))))?,
    )?;
    t.raw_set(
        "parse_duration",
        lua.create_function(|lua, v: LuaValue| {
            if v.is_nil() {
                return fail(lua, "INVALID", "parse_duration: no duration given");
            }
            match signed_nanos(&v) {
                Ok(d) => Ok((LuaValue::UserData(lua.create_userdata(LuaDuration(d))?), LuaValue::Nil)),
                Err(e) => fail(lua, "INVALID", crate::lua::code::clean_lua_error(&e)),
            }
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

#[cfg(test)]
mod tests {
    use super::go_duration;

    #[test]
    fn durations_print_as_go_prints_them() {
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(999), "999ns");
        assert_eq!(go_duration(1_500), "1.5µs");
        assert_eq!(go_duration(1_500_000), "1.5ms");
        assert_eq!(go_duration(90_000_000_000), "1m30s");
        assert_eq!(go_duration(3_723_500_000_000), "1h2m3.5s");
        assert_eq!(go_duration(-2_000_000_000), "-2s");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
    }
}
