//! Time and Location values as Lua sees them: an instant with the location it is shown in (and,
//! for `time.now()`, a monotonic reading for measuring), with Go's Time methods.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use mlua::{Lua, MetaMethod, UserData, UserDataMethods, UserDataRef, Value as LuaValue};

use super::time::{signed_nanos, LuaDuration};
use super::time_layout::{self, Fields};
use super::time_zone::{fields, from_fields, Location, NANOS_PER_SEC};

/// Go's zero Time, January 1, year 1, 00:00:00 UTC, in nanoseconds since 1970.
pub const ZERO_UNIX_NANOS: i128 = -62_135_596_800 * NANOS_PER_SEC;

pub const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
const STRING_LAYOUT: &str = "2006-01-02 15:04:05.999999999 -0700 MST";

/// A point in time: nanoseconds since 1970 (UTC), the location it is shown in, and a monotonic
/// reading when it came from the clock (Go's rule: `sub` between two such uses the readings).
#[derive(Clone)]
pub struct LuaTime {
    pub unix_nanos: i128,
    pub mono: Option<Instant>,
    pub loc: Location,
}

impl LuaTime {
    pub fn now() -> LuaTime {
        let unix_nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as i128).unwrap_or(0);
        LuaTime { unix_nanos, mono: Some(Instant::now()), loc: Location::Local }
    }

    pub fn at(unix_nanos: i128, loc: Location) -> LuaTime {
        LuaTime { unix_nanos, mono: None, loc }
    }

    pub fn fields(&self) -> Fields {
        fields(self.unix_nanos, &self.loc)
    }

    pub fn format(&self, layout: &str) -> String {
        time_layout::format(layout, &self.fields())
    }

    /// The same instant shown elsewhere (drops the monotonic reading, as Go does).
    fn shown_in(&self, loc: Location) -> LuaTime {
        LuaTime::at(self.unix_nanos, loc)
    }

    fn add_nanos(&self, d: i64) -> LuaTime {
        let mono = self.mono.and_then(|m| {
            let step = std::time::Duration::from_nanos(d.unsigned_abs());
            if d >= 0 {
                m.checked_add(step)
            } else {
                m.checked_sub(step)
            }
        });
        LuaTime { unix_nanos: self.unix_nanos + d as i128, mono, loc: self.loc.clone() }
    }

    /// How far past a multiple of `d` this is, counting from Go's zero time (as Go's `Truncate`).
    fn rem(&self, d: i64) -> i128 {
        (self.unix_nanos - ZERO_UNIX_NANOS).rem_euclid(d as i128)
    }
}

fn saturate(n: i128) -> i64 {
    n.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

type TimeRef = UserDataRef<LuaTime>;

impl UserData for LuaTime {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("add", |_, t, d: LuaValue| Ok(t.add_nanos(signed_nanos(&d)?)));
        m.add_method("sub", |_, t, other: TimeRef| {
            let d = match (t.mono, other.mono) {
                (Some(a), Some(b)) if a >= b => a.duration_since(b).as_nanos() as i128,
                (Some(a), Some(b)) => -(b.duration_since(a).as_nanos() as i128),
                _ => t.unix_nanos - other.unix_nanos,
            };
            Ok(LuaDuration(saturate(d)))
        });
        m.add_method("add_date", |_, t, (y, mo, d): (i64, i64, i64)| {
            let f = t.fields();
            let n = from_fields(
                f.year + y,
                f.month as i64 + mo,
                f.day as i64 + d,
                f.hour.into(),
                f.minute.into(),
                f.second.into(),
                f.nanosecond.into(),
                &t.loc,
            );
            Ok(LuaTime::at(n, t.loc.clone()))
        });
        m.add_method("before", |_, t, o: TimeRef| Ok(t.unix_nanos < o.unix_nanos));
        m.add_method("after", |_, t, o: TimeRef| Ok(t.unix_nanos > o.unix_nanos));
        m.add_method("equal", |_, t, o: TimeRef| Ok(t.unix_nanos == o.unix_nanos));
        m.add_method("format", |_, t, layout: String| Ok(t.format(&layout)));
        m.add_method("format_rfc3339", |_, t, ()| Ok(t.format(RFC3339)));
        m.add_method("unix", |_, t, ()| Ok(saturate(t.unix_nanos.div_euclid(NANOS_PER_SEC))));
        m.add_method("unix_nano", |_, t, ()| Ok(saturate(t.unix_nanos)));
        m.add_method("date", |_, t, ()| {
            let f = t.fields();
            Ok((f.year, f.month, f.day))
        });
        m.add_method("clock", |_, t, ()| {
            let f = t.fields();
            Ok((f.hour, f.minute, f.second))
        });
        m.add_method("year", |_, t, ()| Ok(t.fields().year));
        m.add_method("month", |_, t, ()| Ok(t.fields().month));
        m.add_method("day", |_, t, ()| Ok(t.fields().day));
        m.add_method("hour", |_, t, ()| Ok(t.fields().hour));
        m.add_method("minute", |_, t, ()| Ok(t.fields().minute));
        m.add_method("second", |_, t, ()| Ok(t.fields().second));
        m.add_method("nanosecond", |_, t, ()| Ok(t.fields().nanosecond));
        m.add_method("weekday", |_, t, ()| Ok(t.fields().weekday));
        m.add_method("year_day", |_, t, ()| Ok(t.fields().year_day));
        m.add_method("is_zero", |_, t, ()| Ok(t.unix_nanos == ZERO_UNIX_NANOS));
        m.add_method("utc", |_, t, ()| Ok(t.shown_in(Location::Utc)));
        m.add_method("in_local", |_, t, ()| Ok(t.shown_in(Location::Local)));
        m.add_method("in_location", |_, t, loc: UserDataRef<LuaLocation>| Ok(t.shown_in(loc.0.clone())));
        m.add_method("location", |_, t, ()| Ok(LuaLocation(t.loc.clone())));
        m.add_method("truncate", |_, t, d: LuaValue| {
            let d = signed_nanos(&d)?;
            let base = t.shown_in(t.loc.clone());
            Ok(if d <= 0 { base } else { LuaTime::at(t.unix_nanos - t.rem(d), t.loc.clone()) })
        });
        m.add_method("round", |_, t, d: LuaValue| {
            let d = signed_nanos(&d)?;
            if d <= 0 {
                return Ok(t.shown_in(t.loc.clone()));
            }
            let r = t.rem(d);
            let n = if r + r < d as i128 { t.unix_nanos - r } else { t.unix_nanos + (d as i128 - r) };
            Ok(LuaTime::at(n, t.loc.clone()))
        });
        m.add_meta_method(MetaMethod::Eq, |_, t, o: LuaValue| Ok(other_nanos(&o) == Some(t.unix_nanos)));
        m.add_meta_method(MetaMethod::Lt, |_, t, o: TimeRef| Ok(t.unix_nanos < o.unix_nanos));
        m.add_meta_method(MetaMethod::Le, |_, t, o: TimeRef| Ok(t.unix_nanos <= o.unix_nanos));
        m.add_meta_method(MetaMethod::ToString, |_, t, ()| Ok(t.format(STRING_LAYOUT)));
    }
}

fn other_nanos(v: &LuaValue) -> Option<i128> {
    match v {
        LuaValue::UserData(ud) => ud.borrow::<LuaTime>().ok().map(|t| t.unix_nanos),
        _ => None,
    }
}

/// A Location value (`time.utc`, `time.load_location(...)`).
#[derive(Clone)]
pub struct LuaLocation(pub Location);

impl UserData for LuaLocation {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("string", |_, l, ()| Ok(l.0.name()));
        m.add_meta_method(MetaMethod::ToString, |_, l, ()| Ok(l.0.name()));
        m.add_meta_method(MetaMethod::Eq, |_, l, o: LuaValue| {
            Ok(match o {
                LuaValue::UserData(ud) => ud.borrow::<LuaLocation>().is_ok_and(|o| o.0 == l.0),
                _ => false,
            })
        });
    }
}

/// `time.parse(layout, value, loc?)`: Go's `Parse` without `loc` (UTC unless the value names a
/// zone), `ParseInLocation` with it.
pub fn parse(layout: &str, value: &str, loc: Option<Location>) -> Result<LuaTime, time_layout::ParseError> {
    use time_layout::ParsedZone;
    let p = time_layout::parse(layout, value)?;
    let (default, local) = match loc {
        Some(l) => (l.clone(), l),
        None => (Location::Utc, Location::Local),
    };
    let at = |loc: &Location| {
        from_fields(
            p.year,
            p.month.into(),
            p.day.into(),
            p.hour.into(),
            p.minute.into(),
            p.second.into(),
            p.nanosecond.into(),
            loc,
        )
    };
    let t = match &p.zone {
        ParsedZone::None => LuaTime::at(at(&default), default),
        ParsedZone::Utc => LuaTime::at(at(&Location::Utc), Location::Utc),
        ParsedZone::Offset(offset, name) => {
            let n = at(&Location::Utc) - *offset as i128 * NANOS_PER_SEC;
            let (local_offset, local_name) = local.lookup(n.div_euclid(NANOS_PER_SEC) as i64);
            if local_offset == *offset && name.as_ref().is_none_or(|z| *z == local_name) {
                LuaTime::at(n, local)
            } else {
                let name = name.clone().unwrap_or_default();
                LuaTime::at(n, Location::Fixed(name.into(), *offset))
            }
        }
        ParsedZone::Name(name) => {
            let n = at(&local);
            if local.lookup(n.div_euclid(NANOS_PER_SEC) as i64).1 == *name {
                LuaTime::at(n, local)
            } else {
                // An abbreviation the location does not use: Go keeps the name with offset 0
                // (or the hours of `GMT+h`).
                let offset = name.strip_prefix("GMT").and_then(|h| h.parse::<i32>().ok()).unwrap_or(0) * 3600;
                let n = at(&Location::Utc) - offset as i128 * NANOS_PER_SEC;
                LuaTime::at(n, Location::Fixed(name.as_str().into(), offset))
            }
        }
    };
    Ok(t)
}

/// A Location argument, or `None` for nil.
pub fn location_arg(v: &LuaValue, what: &str) -> mlua::Result<Option<Location>> {
    match v {
        LuaValue::Nil => Ok(None),
        LuaValue::UserData(ud) if ud.is::<LuaLocation>() => Ok(Some(ud.borrow::<LuaLocation>()?.0.clone())),
        other => Err(mlua::Error::runtime(format!("{what}: expected a location, got {}", other.type_name()))),
    }
}

/// Builds the Lua value of a Time.
pub fn new_time(lua: &Lua, t: LuaTime) -> mlua::Result<LuaValue> {
    Ok(LuaValue::UserData(lua.create_userdata(t)?))
}
