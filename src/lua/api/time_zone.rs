//! Locations (UTC, the machine's local zone, fixed offsets, IANA zones from the bundled database)
//! and the calendar arithmetic between an instant and its wall-clock fields in a location.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::{OffsetName, Tz};

use super::time_layout::Fields;

pub const NANOS_PER_SEC: i128 = 1_000_000_000;

/// A time zone, as Go's `*time.Location`.
#[derive(Clone, Debug, PartialEq)]
pub enum Location {
    Utc,
    /// The machine's zone (`TZ`, else the system's), named "Local" as in Go.
    Local,
    /// `time.fixed_zone(name, offset)`, and zones made by parsing a numeric offset.
    Fixed(Arc<str>, i32),
    Iana(Tz),
}

/// The zone behind `Location::Local`, found once: `TZ` (empty means UTC), else the system's
/// zone, else UTC.
fn local_zone() -> Option<Tz> {
    static LOCAL: OnceLock<Option<Tz>> = OnceLock::new();
    *LOCAL.get_or_init(|| {
        let name = match std::env::var("TZ") {
            Ok(tz) => tz.trim_start_matches(':').to_string(),
            Err(_) => iana_time_zone::get_timezone().ok()?,
        };
        if name.is_empty() {
            return None;
        }
        name.parse::<Tz>().ok()
    })
}

impl Location {
    /// `time.load_location(name)`: "" and "UTC" are UTC, "Local" the local zone, else IANA.
    pub fn load(name: &str) -> Option<Location> {
        match name {
            "" | "UTC" => Some(Location::Utc),
            "Local" => Some(Location::Local),
            _ => name.parse::<Tz>().ok().map(Location::Iana),
        }
    }

    pub fn name(&self) -> String {
        match self {
            Location::Utc => "UTC".into(),
            Location::Local => "Local".into(),
            Location::Fixed(name, _) => name.to_string(),
            Location::Iana(tz) => tz.name().to_string(),
        }
    }

    /// The offset (seconds east of UTC) and abbreviation in force at `unix_secs`.
    pub fn lookup(&self, unix_secs: i64) -> (i32, String) {
        let tz = match self {
            Location::Utc => return (0, "UTC".into()),
            Location::Fixed(name, offset) => return (*offset, name.to_string()),
            Location::Local => match local_zone() {
                Some(tz) => tz,
                None => return (0, "UTC".into()),
            },
            Location::Iana(tz) => *tz,
        };
        let Some(utc) = DateTime::from_timestamp(unix_secs, 0) else {
            return (0, "UTC".into());
        };
        let off = tz.offset_from_utc_datetime(&utc.naive_utc());
        (off.fix().local_minus_utc(), off.abbreviation().unwrap_or_default().to_string())
    }

    /// The instant whose wall clock here reads `local_secs` (seconds since 1970 on that clock).
    /// In a gap or an overlap of a transition, the offset in force just before it wins.
    pub fn to_utc(&self, local_secs: i64) -> i64 {
        let first = self.lookup(local_secs).0;
        let utc = local_secs - first as i64;
        let second = self.lookup(utc).0;
        if second == first {
            return utc;
        }
        let other = local_secs - second as i64;
        if self.lookup(other).0 == second {
            other
        } else {
            utc
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..=12).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of `days_from_civil`).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The wall-clock fields of an instant in `loc`.
pub fn fields(unix_nanos: i128, loc: &Location) -> Fields {
    let secs = unix_nanos.div_euclid(NANOS_PER_SEC) as i64;
    let nanosecond = unix_nanos.rem_euclid(NANOS_PER_SEC) as u32;
    let (offset, zone) = loc.lookup(secs);
    let local = secs + offset as i64;
    let days = local.div_euclid(86_400);
    let sod = local.rem_euclid(86_400) as u32;
    let (year, month, day) = civil_from_days(days);
    Fields {
        year,
        month,
        day,
        hour: sod / 3600,
        minute: sod / 60 % 60,
        second: sod % 60,
        nanosecond,
        weekday: (days + 4).rem_euclid(7) as u32,
        year_day: (days - days_from_civil(year, 1, 1) + 1) as u32,
        offset,
        zone,
    }
}

/// Go's `time.Date`: out-of-range fields carry over (month 13 is January of the next year,
/// second -1 the last second of the previous minute). Saturates instead of overflowing.
#[allow(clippy::too_many_arguments)]
pub fn from_fields(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64, nsec: i64, loc: &Location) -> i128 {
    let m0 = month - 1;
    let year = year.saturating_add(m0.div_euclid(12));
    let month = (m0.rem_euclid(12) + 1) as u32;
    // Clamp the year so the day arithmetic below stays within i64.
    let year = year.clamp(-292_000_000_000 / 366, 292_000_000_000 / 366);
    let days = days_from_civil(year, month, 1) as i128 + day as i128 - 1;
    let local = days * 86_400 + hour as i128 * 3600 + min as i128 * 60 + sec as i128;
    let local_nanos = local * NANOS_PER_SEC + nsec as i128;
    let local_secs = local_nanos.div_euclid(NANOS_PER_SEC);
    let frac = local_nanos.rem_euclid(NANOS_PER_SEC);
    let secs = i64::try_from(local_secs).unwrap_or(if local_secs < 0 { i64::MIN / 2 } else { i64::MAX / 2 });
    loc.to_utc(secs) as i128 * NANOS_PER_SEC + frac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip() {
        for z in [-719_468i64, -1, 0, 1, 10_957, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn fields_in_a_zone_with_daylight_saving() {
        let ny = Location::load("America/New_York").unwrap();
        let t = from_fields(2024, 7, 4, 12, 0, 0, 0, &ny);
        let f = fields(t, &ny);
        assert_eq!((f.hour, f.offset, f.zone.as_str()), (12, -4 * 3600, "EDT"));
        let winter = fields(from_fields(2024, 1, 4, 12, 0, 0, 0, &ny), &ny);
        assert_eq!((winter.offset, winter.zone.as_str()), (-5 * 3600, "EST"));
        assert_eq!(fields(t, &Location::Utc).hour, 16);
    }

    #[test]
    fn out_of_range_fields_carry_over() {
        let t = from_fields(2023, 13, 32, 24, 60, 60, 1_000_000_000, &Location::Utc);
        let f = fields(t, &Location::Utc);
        assert_eq!((f.year, f.month, f.day, f.hour, f.minute, f.second), (2024, 2, 2, 1, 1, 1));
    }

    #[test]
    fn unknown_zone_is_none() {
        assert!(Location::load("Mars/Olympus").is_none());
        assert_eq!(Location::load(""), Some(Location::Utc));
    }
}
