//! Go duration strings (`300ms`, `1.5s`, `1h30m`), as written in definition files and accepted by
//! the `time` module.
//!
//! The grammar is Go's `time.ParseDuration`: an optional sign, then one or more `number unit`
//! pairs where the number may have a fraction, or the bare string `0`. Units: `ns`, `us` (also
//! `µs`/`μs`), `ms`, `s`, `m`, `h`. Unlike Go, a negative duration is an error, because every
//! duration we parse is a timeout, a delay or a period; and the result is capped at Go's maximum
//! (`i64::MAX` nanoseconds, about 292 years) so a value loaded here round-trips to Go tooling.

use std::time::Duration;

const NANOS_PER_UNIT: &[(&str, u128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("μs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60 * 1_000_000_000),
    ("h", 3_600 * 1_000_000_000),
];

const MAX_NANOS: u128 = i64::MAX as u128;

/// Parses a Go duration string. Errors are one-line explanations meant to follow "invalid
/// duration `...`: ".
pub fn parse_go_duration(s: &str) -> Result<Duration, String> {
    let rest = match s.as_bytes().first() {
        None => return Err("the duration is empty".to_string()),
        Some(b'-') => {
            return Err("negative durations are not allowed".to_string());
        }
        Some(b'+') => &s[1..],
        Some(_) => s,
    };
    // Go accepts a bare zero without a unit, and nothing else without one.
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    if rest.is_empty() {
        return Err("a number is missing".to_string());
    }

    let mut total: u128 = 0;
    let mut rest = rest;
    while !rest.is_empty() {
        let (whole, frac, after_number) = split_number(rest)?;
        let unit_len = after_number.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after_number.len());
        let unit = &after_number[..unit_len];
        if unit.is_empty() {
            return Err(format!(
                "missing unit after `{}`; use one of ns, us, ms, s, m, h",
                &rest[..rest.len() - after_number.len()]
            ));
        }
        let Some(&(_, scale)) = NANOS_PER_UNIT.iter().find(|(name, _)| *name == unit) else {
            return Err(format!("unknown unit `{unit}`; use one of ns, us, ms, s, m, h"));
        };
        total =
            total.checked_add(component_nanos(whole, frac, scale)?).filter(|t| *t <= MAX_NANOS).ok_or_else(overflow)?;
        rest = &after_number[unit_len..];
    }
    Ok(Duration::from_nanos(total as u64))
}

/// A duration written as a plain integer: nanoseconds, as Go's `time.Duration` stores it.
pub(crate) fn duration_from_nanos(n: i64) -> Result<Duration, String> {
    u64::try_from(n).map(Duration::from_nanos).map_err(|_| "negative durations are not allowed".to_string())
}

/// Splits `12.5ms...` into `("12", "5", "ms...")`. At least one digit must appear on either side
/// of the dot, as in Go (`.5s` and `5.s` are valid, `.s` is not).
fn split_number(s: &str) -> Result<(&str, &str, &str), String> {
    let whole_len = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let whole = &s[..whole_len];
    let mut after = &s[whole_len..];
    let mut frac = "";
    if let Some(stripped) = after.strip_prefix('.') {
        let frac_len = stripped.find(|c: char| !c.is_ascii_digit()).unwrap_or(stripped.len());
        frac = &stripped[..frac_len];
        after = &stripped[frac_len..];
    }
    if whole.is_empty() && frac.is_empty() {
        let bad = s.chars().next().unwrap_or(' ');
        return Err(format!("expected a number, found `{bad}`"));
    }
    Ok((whole, frac, after))
}

/// `whole.frac` units in nanoseconds; the fraction is truncated to whole nanoseconds like Go.
fn component_nanos(whole: &str, frac: &str, scale: u128) -> Result<u128, String> {
    let mut nanos: u128 = 0;
    for d in whole.bytes() {
        nanos = nanos.checked_mul(10).and_then(|n| n.checked_add(u128::from(d - b'0'))).ok_or_else(overflow)?;
        if nanos > MAX_NANOS {
            return Err(overflow());
        }
    }
    nanos = nanos.checked_mul(scale).ok_or_else(overflow)?;
    // Digits beyond the 20th cannot change a nanosecond count of at most 3.6e12 per unit.
    let mut frac_value: u128 = 0;
    let mut frac_scale: u128 = 1;
    for d in frac.bytes().take(20) {
        frac_value = frac_value * 10 + u128::from(d - b'0');
        frac_scale *= 10;
    }
    Ok(nanos + frac_value * scale / frac_scale)
}

fn overflow() -> String {
    "the duration is too long (the maximum is about 292 years)".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Duration {
        parse_go_duration(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn accepts_every_unit() {
        assert_eq!(ok("7ns"), Duration::from_nanos(7));
        assert_eq!(ok("7us"), Duration::from_micros(7));
        assert_eq!(ok("7µs"), Duration::from_micros(7));
        assert_eq!(ok("7μs"), Duration::from_micros(7));
        assert_eq!(ok("300ms"), Duration::from_millis(300));
        assert_eq!(ok("10s"), Duration::from_secs(10));
        assert_eq!(ok("2m"), Duration::from_secs(120));
        assert_eq!(ok("3h"), Duration::from_secs(3 * 3600));
    }

    #[test]
    fn fractions_are_exact_and_truncate_below_a_nanosecond() {
        assert_eq!(ok("1.5s"), Duration::from_millis(1500));
        assert_eq!(ok(".5s"), Duration::from_millis(500));
        assert_eq!(ok("5.s"), Duration::from_secs(5));
        assert_eq!(ok("0.1ms"), Duration::from_micros(100));
        assert_eq!(ok("1.0000000009s"), Duration::from_nanos(1_000_000_000));
        assert_eq!(ok("0.333333333333333333333333h"), Duration::from_nanos(1_199_999_999_999));
    }

    #[test]
    fn components_add_up() {
        assert_eq!(ok("1h30m"), Duration::from_secs(5400));
        assert_eq!(ok("1h2m3s4ms"), Duration::from_millis(3_723_004));
        assert_eq!(ok("1s1s"), Duration::from_secs(2));
    }

    #[test]
    fn zero_and_plus_sign() {
        assert_eq!(ok("0"), Duration::ZERO);
        assert_eq!(ok("+0"), Duration::ZERO);
        assert_eq!(ok("0s"), Duration::ZERO);
        assert_eq!(ok("+2s"), Duration::from_secs(2));
    }

    #[test]
    fn rejects_malformed_strings() {
        for (input, wanted) in [
            ("", "empty"),
            ("-1s", "negative"),
            ("-0", "negative"),
            ("+", "number is missing"),
            ("10", "missing unit"),
            ("1h30", "missing unit"),
            ("5 s", "unknown unit ` s`"),
            ("5sec", "unknown unit `sec`"),
            ("5d", "unknown unit `d`"),
            ("s", "expected a number"),
            (".s", "expected a number"),
            ("1..5s", "missing unit after `1.`"),
            ("yes please", "expected a number"),
        ] {
            let err = parse_go_duration(input).expect_err(input);
            assert!(err.contains(wanted), "{input:?}: {err}");
        }
    }

    #[test]
    fn caps_at_gos_maximum() {
        assert_eq!(ok("2562047h47m16.854775807s"), Duration::from_nanos(i64::MAX as u64));
        assert!(parse_go_duration("2562047h47m16.854775808s").unwrap_err().contains("too long"));
        assert!(parse_go_duration("9999999999999999999999999h").unwrap_err().contains("too long"));
    }

    #[test]
    fn integers_are_nanoseconds() {
        assert_eq!(duration_from_nanos(1_500), Ok(Duration::from_nanos(1_500)));
        assert!(duration_from_nanos(-1).is_err());
    }
}
