//! Go reference layouts (`"2006-01-02 15:04:05 -0700 MST"`): the tokenizer, and formatting and
//! parsing with it, written after Go's `time/format.go` so a layout means here what it means in Go.
//!
//! Formatting takes a broken-down time ([`Fields`]); parsing returns one ([`Parsed`]) plus what the
//! value said about its zone, and leaves choosing a `Location` to the caller (Go's rules for that
//! need the zone database, see `time_zone.rs`).

use std::fmt::Write;

const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const LONG_DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// One element of a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    /// `MST`
    Tz,
    /// `Z0700`, `Z070000`, `Z07`, `Z07:00`, `Z07:00:00`: `Z` for UTC, else numeric.
    Iso(Offset),
    /// `-0700`, `-070000`, `-07`, `-07:00`, `-07:00:00`.
    Num(Offset),
    /// `.000` / `,000` (fixed digits) and `.999` (trailing zeros dropped): separator, digits.
    Frac0(u8, usize),
    Frac9(u8, usize),
}

/// The shape of a numeric zone offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offset {
    /// `-0700`
    HhMm,
    /// `-070000`
    HhMmSs,
    /// `-07`
    Hh,
    /// `-07:00`
    HhColonMm,
    /// `-07:00:00`
    HhColonMmColonSs,
}

const OFFSET_SHAPES: [(&str, Offset); 5] = [
    ("070000", Offset::HhMmSs),
    ("07:00:00", Offset::HhColonMmColonSs),
    ("0700", Offset::HhMm),
    ("07:00", Offset::HhColonMm),
    ("07", Offset::Hh),
];

/// Splits `layout` at its first element: (literal prefix, element, rest). Go's `nextStdChunk`.
fn next_chunk(layout: &str) -> (&str, Option<Std>, &str) {
    let b = layout.as_bytes();
    let at = |i: usize, s: &str| layout.get(i..).is_some_and(|r| r.starts_with(s));
    let lower_at = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_lowercase());
    for i in 0..b.len() {
        let hit = |std: Std, len: usize| Some((&layout[..i], Some(std), &layout[i + len..]));
        let found = match b[i] {
            b'J' if at(i, "Jan") => {
                if at(i, "January") {
                    hit(Std::LongMonth, 7)
                } else if !lower_at(i + 3) {
                    hit(Std::Month, 3)
                } else {
                    None
                }
            }
            b'M' if at(i, "Monday") => hit(Std::LongWeekDay, 6),
            b'M' if at(i, "Mon") && !lower_at(i + 3) => hit(Std::WeekDay, 3),
            b'M' if at(i, "MST") => hit(Std::Tz, 3),
            b'0' if b.get(i + 1).is_some_and(|c| (b'1'..=b'6').contains(c)) => {
                let std = [Std::ZeroMonth, Std::ZeroDay, Std::ZeroHour12, Std::ZeroMinute, Std::ZeroSecond, Std::Year]
                    [(b[i + 1] - b'1') as usize];
                hit(std, 2)
            }
            b'0' if at(i, "002") => hit(Std::ZeroYearDay, 3),
            b'1' if at(i, "15") => hit(Std::Hour, 2),
            b'1' => hit(Std::NumMonth, 1),
            b'2' if at(i, "2006") => hit(Std::LongYear, 4),
            b'2' => hit(Std::Day, 1),
            // `_2006` is a literal `_` and a year.
            b'_' if at(i, "_2006") => Some((&layout[..i + 1], Some(Std::LongYear), &layout[i + 5..])),
            b'_' if at(i, "_2") => hit(Std::UnderDay, 2),
            b'_' if at(i, "__2") => hit(Std::UnderYearDay, 3),
            b'3' => hit(Std::Hour12, 1),
            b'4' => hit(Std::Minute, 1),
            b'5' => hit(Std::Second, 1),
            b'P' if at(i, "PM") => hit(Std::PM, 2),
            b'p' if at(i, "pm") => hit(Std::Pm, 2),
            b'-' | b'Z' => OFFSET_SHAPES.iter().find(|(s, _)| at(i + 1, s)).and_then(|(s, shape)| {
                let std = if b[i] == b'Z' { Std::Iso(*shape) } else { Std::Num(*shape) };
                hit(std, 1 + s.len())
            }),
            c @ (b'.' | b',') if matches!(b.get(i + 1), Some(b'0' | b'9')) => {
                let digit = b[i + 1];
                let mut j = i + 1;
                while b.get(j) == Some(&digit) {
                    j += 1;
                }
                // Only a run of one digit that ends the number is a fraction.
                if b.get(j).is_some_and(u8::is_ascii_digit) {
                    None
                } else {
                    let n = j - (i + 1);
                    hit(if digit == b'0' { Std::Frac0(c, n) } else { Std::Frac9(c, n) }, 1 + n)
                }
            }
            _ => None,
        };
        if let Some(found) = found {
            return found;
        }
    }
    (layout, None, "")
}

/// A broken-down time to format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanosecond: u32,
    /// 0 = Sunday.
    pub weekday: u32,
    /// 1..=366.
    pub year_day: u32,
    /// Seconds east of UTC.
    pub offset: i32,
    /// The zone's abbreviation (`CET`); empty when it has none.
    pub zone: String,
}

fn pad(out: &mut String, v: i64, width: usize) {
    if v < 0 {
        out.push('-');
    }
    let _ = write!(out, "{:0width$}", v.unsigned_abs());
}

/// `t.Format(layout)`.
pub fn format(layout: &str, f: &Fields) -> String {
    let mut out = String::with_capacity(layout.len() + 10);
    let mut rest = layout;
    while !rest.is_empty() {
        let (prefix, std, suffix) = next_chunk(rest);
        out.push_str(prefix);
        rest = suffix;
        let Some(std) = std else { break };
        let hour12 = match f.hour % 12 {
            0 => 12,
            h => h,
        };
        match std {
            Std::Year => pad(&mut out, f.year.rem_euclid(100), 2),
            Std::LongYear => pad(&mut out, f.year, 4),
            Std::Month => out.push_str(&LONG_MONTHS[f.month as usize - 1][..3]),
            Std::LongMonth => out.push_str(LONG_MONTHS[f.month as usize - 1]),
            Std::NumMonth => pad(&mut out, f.month.into(), 0),
            Std::ZeroMonth => pad(&mut out, f.month.into(), 2),
            Std::WeekDay => out.push_str(&LONG_DAYS[f.weekday as usize][..3]),
            Std::LongWeekDay => out.push_str(LONG_DAYS[f.weekday as usize]),
            Std::Day => pad(&mut out, f.day.into(), 0),
            Std::UnderDay => {
                if f.day < 10 {
                    out.push(' ');
                }
                pad(&mut out, f.day.into(), 0)
            }
            Std::ZeroDay => pad(&mut out, f.day.into(), 2),
            Std::UnderYearDay => {
                let _ = write!(out, "{:>3}", f.year_day);
            }
            Std::ZeroYearDay => pad(&mut out, f.year_day.into(), 3),
            Std::Hour => pad(&mut out, f.hour.into(), 2),
            Std::Hour12 => pad(&mut out, hour12.into(), 0),
            Std::ZeroHour12 => pad(&mut out, hour12.into(), 2),
            Std::Minute => pad(&mut out, f.minute.into(), 0),
            Std::ZeroMinute => pad(&mut out, f.minute.into(), 2),
            Std::Second => pad(&mut out, f.second.into(), 0),
            Std::ZeroSecond => pad(&mut out, f.second.into(), 2),
            Std::PM => out.push_str(if f.hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => out.push_str(if f.hour >= 12 { "pm" } else { "am" }),
            Std::Iso(_) if f.offset == 0 => out.push('Z'),
            Std::Iso(shape) | Std::Num(shape) => {
                let abs = f.offset.unsigned_abs();
                out.push(if f.offset < 0 { '-' } else { '+' });
                let _ = write!(out, "{:02}", abs / 3600);
                let colon = matches!(shape, Offset::HhColonMm | Offset::HhColonMmColonSs);
                if shape != Offset::Hh {
                    if colon {
                        out.push(':');
                    }
                    let _ = write!(out, "{:02}", abs / 60 % 60);
                }
                if matches!(shape, Offset::HhMmSs | Offset::HhColonMmColonSs) {
                    if colon {
                        out.push(':');
                    }
                    let _ = write!(out, "{:02}", abs % 60);
                }
            }
            Std::Tz if !f.zone.is_empty() => out.push_str(&f.zone),
            Std::Tz => {
                let minutes = f.offset / 60;
                out.push(if minutes < 0 { '-' } else { '+' });
                let _ = write!(out, "{:02}{:02}", minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
            }
            Std::Frac0(sep, n) => {
                out.push(sep as char);
                let digits = format!("{:09}", f.nanosecond);
                out.push_str(&digits[..n.min(9)]);
                for _ in 9..n {
                    out.push('0');
                }
            }
            Std::Frac9(sep, n) => {
                let digits = format!("{:09}", f.nanosecond);
                let kept = digits[..n.min(9)].trim_end_matches('0');
                if !kept.is_empty() {
                    out.push(sep as char);
                    out.push_str(kept);
                }
            }
        }
    }
    out
}

/// What a parsed value said about its zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedZone {
    /// Nothing: the caller's default location applies.
    None,
    /// `Z` or `UTC`.
    Utc,
    /// A numeric offset (seconds east), with the abbreviation if the value also had one.
    Offset(i32, Option<String>),
    /// Only an abbreviation (`PST`, `GMT+3`).
    Name(String),
}

/// A parsed value: the wall-clock fields as written, and the zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanosecond: u32,
    pub zone: ParsedZone,
}

/// Why a value does not match a layout; the message reads like Go's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parsing time {value:?} as {layout:?}: {reason}")]
pub struct ParseError {
    pub layout: String,
    pub value: String,
    pub reason: String,
}

pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub fn days_in_month(month: u32, year: i64) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Up to two digits (exactly two when `fixed`).
fn getnum(s: &str, fixed: bool) -> Option<(u32, &str)> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_digit() {
        return None;
    }
    if !b.get(1).is_some_and(u8::is_ascii_digit) {
        return if fixed { None } else { Some(((b[0] - b'0') as u32, &s[1..])) };
    }
    Some((((b[0] - b'0') * 10 + (b[1] - b'0')) as u32, &s[2..]))
}

/// Up to three digits (exactly three when `fixed`).
fn getnum3(s: &str, fixed: bool) -> Option<(u32, &str)> {
    let n = s.bytes().take(3).take_while(u8::is_ascii_digit).count();
    if n == 0 || (fixed && n != 3) {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// Matches the literal `prefix`; a space in it matches any run of spaces (at least one if the
/// value has any).
fn skip<'a>(mut value: &'a str, mut prefix: &str) -> Option<&'a str> {
    while let Some(c) = prefix.chars().next() {
        if c == ' ' {
            if !value.is_empty() && !value.starts_with(' ') {
                return None;
            }
            prefix = prefix.trim_start_matches(' ');
            value = value.trim_start_matches(' ');
            continue;
        }
        value = value.strip_prefix(c)?;
        prefix = &prefix[c.len_utf8()..];
    }
    Some(value)
}

/// Index of the name in `names` that `value` starts with (ignoring case), and the rest.
fn lookup<'a>(names: &[&str], value: &'a str) -> Option<(usize, &'a str)> {
    names.iter().enumerate().find_map(|(i, n)| {
        let head = value.get(..n.len())?;
        head.eq_ignore_ascii_case(n).then(|| (i, &value[n.len()..]))
    })
}

/// Nanoseconds from a `.123` fraction (separator included in `s[..n]`).
fn nanos(s: &str, n: usize) -> Option<u32> {
    let digits = s.get(1..n)?;
    if !matches!(s.as_bytes()[0], b'.' | b',') || digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut ns: u32 = 0;
    for (i, c) in digits.bytes().take(9).enumerate() {
        ns += (c - b'0') as u32 * 10u32.pow(8 - i as u32);
    }
    Some(ns)
}

/// The length of a zone abbreviation at the start of `value` (Go's `parseTimeZone`).
fn zone_name_len(value: &str) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.starts_with("ChST") || value.starts_with("MeST") {
        return Some(4);
    }
    if let Some(rest) = value.strip_prefix("GMT") {
        return Some(3 + signed_offset_len(rest).unwrap_or(0));
    }
    if value.starts_with(['+', '-']) {
        return signed_offset_len(value);
    }
    let upper = value.bytes().take(6).take_while(u8::is_ascii_uppercase).count();
    let b = value.as_bytes();
    match upper {
        3 => Some(3),
        4 if b[3] == b'T' || value.starts_with("WITA") => Some(4),
        5 if b[4] == b'T' => Some(5),
        _ => None,
    }
}

/// `+3`, `-10`: a sign and an hour offset within ±23.
fn signed_offset_len(value: &str) -> Option<usize> {
    let rest = value.strip_prefix(['+', '-'])?;
    let n = rest.bytes().take_while(u8::is_ascii_digit).count();
    let hours: u32 = rest[..n].parse().ok()?;
    (hours <= 23).then_some(1 + n)
}

/// `time.Parse(layout, value)`, minus choosing the location.
pub fn parse(layout: &str, value: &str) -> Result<Parsed, ParseError> {
    let fail = |reason: String| ParseError { layout: layout.into(), value: value.into(), reason };
    let bad = |v: &str, elem: &str| fail(format!("cannot parse {v:?} as {elem:?}"));
    let (mut year, mut month, mut day, mut yday) = (0i64, None::<u32>, None::<u32>, None::<u32>);
    let (mut hour, mut minute, mut second, mut nsec) = (0u32, 0u32, 0u32, 0u32);
    let (mut pm, mut am) = (false, false);
    let (mut offset, mut zone_name, mut utc) = (None::<i32>, None::<String>, false);
    let mut rest_layout = layout;
    let mut v = value;
    loop {
        let (prefix, std, suffix) = next_chunk(rest_layout);
        let elem = &rest_layout[prefix.len()..rest_layout.len() - suffix.len()];
        v = skip(v, prefix).ok_or_else(|| bad(v, prefix))?;
        let Some(std) = std else {
            if !v.is_empty() {
                return Err(fail(format!("extra text: {v:?}")));
            }
            break;
        };
        rest_layout = suffix;
        let here = v;
        let range = |what: &str| fail(format!("{what} out of range"));
        match std {
            Std::Year => {
                let (n, r) = getnum(v, true).ok_or_else(|| bad(here, elem))?;
                year = if n >= 69 { 1900 + n as i64 } else { 2000 + n as i64 };
                v = r;
            }
            Std::LongYear => {
                let digits = v.get(..4).filter(|d| d.bytes().all(|c| c.is_ascii_digit()));
                let d = digits.ok_or_else(|| bad(here, elem))?;
                year = d.parse().map_err(|_| bad(here, elem))?;
                v = &v[4..];
            }
            Std::Month | Std::LongMonth => {
                let names: Vec<&str> = if std == Std::Month {
                    LONG_MONTHS.iter().map(|m| &m[..3]).collect()
                } else {
                    LONG_MONTHS.to_vec()
                };
                let (i, r) = lookup(&names, v).ok_or_else(|| bad(here, elem))?;
                month = Some(i as u32 + 1);
                v = r;
            }
            Std::NumMonth | Std::ZeroMonth => {
                let (n, r) = getnum(v, std == Std::ZeroMonth).ok_or_else(|| bad(here, elem))?;
                if !(1..=12).contains(&n) {
                    return Err(range("month"));
                }
                month = Some(n);
                v = r;
            }
            Std::WeekDay | Std::LongWeekDay => {
                let names: Vec<&str> =
                    if std == Std::WeekDay { LONG_DAYS.iter().map(|d| &d[..3]).collect() } else { LONG_DAYS.to_vec() };
                v = lookup(&names, v).ok_or_else(|| bad(here, elem))?.1;
            }
            Std::Day | Std::UnderDay | Std::ZeroDay => {
                if std == Std::UnderDay {
                    v = v.strip_prefix(' ').unwrap_or(v);
                }
                let (n, r) = getnum(v, std == Std::ZeroDay).ok_or_else(|| bad(here, elem))?;
                day = Some(n);
                v = r;
            }
            Std::UnderYearDay | Std::ZeroYearDay => {
                if std == Std::UnderYearDay {
                    for _ in 0..2 {
                        v = v.strip_prefix(' ').unwrap_or(v);
                    }
                }
                let (n, r) = getnum3(v, std == Std::ZeroYearDay).ok_or_else(|| bad(here, elem))?;
                if !(1..=366).contains(&n) {
                    return Err(range("day-of-year"));
                }
                yday = Some(n);
                v = r;
            }
            Std::Hour => {
                let (n, r) = getnum(v, false).ok_or_else(|| bad(here, elem))?;
                if n >= 24 {
                    return Err(range("hour"));
                }
                hour = n;
                v = r;
            }
            Std::Hour12 | Std::ZeroHour12 => {
                let (n, r) = getnum(v, std == Std::ZeroHour12).ok_or_else(|| bad(here, elem))?;
                if n > 12 {
                    return Err(range("hour"));
                }
                hour = n;
                v = r;
            }
            Std::Minute | Std::ZeroMinute => {
                let (n, r) = getnum(v, std == Std::ZeroMinute).ok_or_else(|| bad(here, elem))?;
                if n >= 60 {
                    return Err(range("minute"));
                }
                minute = n;
                v = r;
            }
            Std::Second | Std::ZeroSecond => {
                let (n, r) = getnum(v, std == Std::ZeroSecond).ok_or_else(|| bad(here, elem))?;
                if n >= 60 {
                    return Err(range("second"));
                }
                second = n;
                v = r;
                // A fraction in the value that the layout does not mention is read anyway.
                let b = v.as_bytes();
                if b.len() >= 2 && matches!(b[0], b'.' | b',') && b[1].is_ascii_digit() {
                    let next = next_chunk(rest_layout).1;
                    if !matches!(next, Some(Std::Frac0(..) | Std::Frac9(..))) {
                        let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                        nsec = nanos(v, n).ok_or_else(|| bad(here, elem))?;
                        v = &v[n..];
                    }
                }
            }
            Std::PM | Std::Pm => {
                let p = v.get(..2).ok_or_else(|| bad(here, elem))?;
                let (pm_s, am_s) = if std == Std::PM { ("PM", "AM") } else { ("pm", "am") };
                if p == pm_s {
                    pm = true;
                } else if p == am_s {
                    am = true;
                } else {
                    return Err(bad(here, elem));
                }
                v = &v[2..];
            }
            Std::Iso(_) if v.starts_with('Z') => {
                utc = true;
                v = &v[1..];
            }
            Std::Iso(shape) | Std::Num(shape) => {
                let b = v.as_bytes();
                let (len, hh, mm, ss) = match shape {
                    Offset::HhColonMm => (6, 1..3, Some(4..6), None),
                    Offset::Hh => (3, 1..3, None, None),
                    Offset::HhColonMmColonSs => (9, 1..3, Some(4..6), Some(7..9)),
                    Offset::HhMmSs => (7, 1..3, Some(3..5), Some(5..7)),
                    Offset::HhMm => (5, 1..3, Some(3..5), None),
                };
                if b.len() < len {
                    return Err(bad(here, elem));
                }
                let colons_ok = match shape {
                    Offset::HhColonMm => b[3] == b':',
                    Offset::HhColonMmColonSs => b[3] == b':' && b[6] == b':',
                    _ => true,
                };
                let num = |r: Option<std::ops::Range<usize>>| match r {
                    None => Some(0),
                    Some(r) => getnum(&v[r], true).filter(|(_, rest)| rest.is_empty()).map(|(n, _)| n),
                };
                let (Some(h), Some(m), Some(s), true) = (num(Some(hh)), num(mm), num(ss), colons_ok) else {
                    return Err(bad(here, elem));
                };
                if h > 24 || m > 60 || s > 60 {
                    return Err(range("time zone offset"));
                }
                let secs = ((h * 60 + m) * 60 + s) as i32;
                offset = Some(match b[0] {
                    b'+' => secs,
                    b'-' => -secs,
                    _ => return Err(bad(here, elem)),
                });
                v = &v[len..];
            }
            Std::Tz => {
                if let Some(r) = v.strip_prefix("UTC") {
                    utc = true;
                    v = r;
                } else {
                    let n = zone_name_len(v).ok_or_else(|| bad(here, elem))?;
                    zone_name = Some(v[..n].to_string());
                    v = &v[n..];
                }
            }
            Std::Frac0(_, digits) => {
                let n = 1 + digits;
                if v.len() < n {
                    return Err(bad(here, elem));
                }
                nsec = nanos(v, n).ok_or_else(|| bad(here, elem))?;
                v = &v[n..];
            }
            Std::Frac9(..) => {
                let b = v.as_bytes();
                if b.len() >= 2 && matches!(b[0], b'.' | b',') && b[1].is_ascii_digit() {
                    let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    nsec = nanos(v, n).ok_or_else(|| bad(here, elem))?;
                    v = &v[n..];
                }
            }
        }
    }
    if pm && hour < 12 {
        hour += 12;
    } else if am && hour == 12 {
        hour = 0;
    }
    if let Some(yd) = yday {
        let mut d = yd;
        let mut m = 1;
        while m < 12 && d > days_in_month(m, year) {
            d -= days_in_month(m, year);
            m += 1;
        }
        if yd > if is_leap(year) { 366 } else { 365 } {
            return Err(fail("day-of-year out of range".into()));
        }
        if month.is_some_and(|mo| mo != m) || day.is_some_and(|da| da != d) {
            return Err(fail("day-of-year does not match month or day".into()));
        }
        month = Some(m);
        day = Some(d);
    }
    let month = month.unwrap_or(1);
    let day = day.unwrap_or(1);
    if day < 1 || day > days_in_month(month, year) {
        return Err(fail("day out of range".into()));
    }
    let zone = if utc {
        ParsedZone::Utc
    } else if let Some(o) = offset {
        ParsedZone::Offset(o, zone_name)
    } else if let Some(n) = zone_name {
        ParsedZone::Name(n)
    } else {
        ParsedZone::None
    };
    Ok(Parsed { year, month, day, hour, minute, second, nanosecond: nsec, zone })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        Fields {
            year: 2006,
            month: 1,
            day: 2,
            hour: 15,
            minute: 4,
            second: 5,
            nanosecond: 123_456_000,
            weekday: 1,
            year_day: 2,
            offset: -7 * 3600,
            zone: "MST".into(),
        }
    }

    #[test]
    fn the_reference_time_formats_as_its_own_layouts() {
        let f = fields();
        assert_eq!(format("Mon Jan _2 15:04:05 MST 2006", &f), "Mon Jan  2 15:04:05 MST 2006");
        assert_eq!(format("2006-01-02T15:04:05Z07:00", &f), "2006-01-02T15:04:05-07:00");
        assert_eq!(format("Monday, 02-Jan-06 15:04:05 MST", &f), "Monday, 02-Jan-06 15:04:05 MST");
        assert_eq!(format("3:04PM", &f), "3:04PM");
        assert_eq!(format("15:04:05.000", &f), "15:04:05.123");
        assert_eq!(format("15:04:05.999999999", &f), "15:04:05.123456");
        assert_eq!(format("-07 -070000 -07:00:00 __2 002", &f), "-07 -070000 -07:00:00   2 002");
        assert_eq!(format("January pm", &f), "January pm");
    }

    #[test]
    fn zero_fraction_with_nines_is_dropped_with_its_dot() {
        let f = Fields { nanosecond: 0, ..fields() };
        assert_eq!(format("05.999", &f), "05");
        assert_eq!(format("05.000", &f), "05.000");
    }

    #[test]
    fn utc_formats_as_z_in_iso_layouts_only() {
        let f = Fields { offset: 0, zone: "UTC".into(), ..fields() };
        assert_eq!(format("Z07:00 -07:00 MST", &f), "Z +00:00 UTC");
        let unnamed = Fields { offset: 5 * 3600 + 1800, zone: String::new(), ..fields() };
        assert_eq!(format("MST", &unnamed), "+0530");
    }

    #[test]
    fn parse_reads_what_format_writes() {
        let p = parse("2006-01-02T15:04:05.999999999Z07:00", "2024-02-29T23:59:58.5+05:30").unwrap();
        assert_eq!((p.year, p.month, p.day, p.hour, p.minute, p.second), (2024, 2, 29, 23, 59, 58));
        assert_eq!(p.nanosecond, 500_000_000);
        assert_eq!(p.zone, ParsedZone::Offset(5 * 3600 + 1800, None));
        let p = parse("Jan _2 3:04:05 PM MST 06", "feb  9 1:02:03 PM PST 99").unwrap();
        assert_eq!((p.year, p.month, p.day, p.hour), (1999, 2, 9, 13));
        assert_eq!(p.zone, ParsedZone::Name("PST".into()));
        assert_eq!(parse("2006-01-02 15:04:05Z07:00", "2024-01-01 00:00:00Z").unwrap().zone, ParsedZone::Utc);
    }

    #[test]
    fn a_fraction_not_in_the_layout_is_read_after_seconds() {
        let p = parse("15:04:05", "10:11:12.25").unwrap();
        assert_eq!(p.nanosecond, 250_000_000);
    }

    #[test]
    fn parse_refuses_bad_values_with_gos_words() {
        let e = parse("2006-01-02", "2024-13-01").unwrap_err();
        assert_eq!(e.reason, "month out of range");
        assert_eq!(parse("2006-01-02", "2023-02-29").unwrap_err().reason, "day out of range");
        let e = parse("2006-01-02", "2024-1-01").unwrap_err();
        assert_eq!(e.to_string(), r#"parsing time "2024-1-01" as "2006-01-02": cannot parse "1-01" as "01""#);
        assert_eq!(parse("2006", "2024x").unwrap_err().reason, r#"extra text: "x""#);
        assert!(parse("15:04 MST", "10:00 lower").is_err());
    }

    #[test]
    fn year_day_sets_month_and_day() {
        let p = parse("2006 002", "2024 060").unwrap();
        assert_eq!((p.month, p.day), (2, 29));
    }
}
