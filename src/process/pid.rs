//! Process identifiers: a runtime-unique number, printed with the host it was spawned on.

use std::fmt;

/// A process identifier. Unique for the life of the runtime; never reused.
///
/// The printed form is `{host|0x0000002a}` (Wippy prints PIDs as strings too); only the number
/// identifies the process, the host part is there for people reading logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid(pub u64);

impl Pid {
    pub fn render(self, host: &str) -> String {
        format!("{{{host}|0x{:08x}}}", self.0)
    }

    /// Parses the printed form. Accepts anything that ends in `|0x<hex>}`.
    pub fn parse(s: &str) -> Option<Pid> {
        let inner = s.strip_prefix('{')?.strip_suffix('}')?;
        // Every send parses its destination: a byte search for the last `|`, not a substring
        // search for `|0x` (that was a sixth of `process.send` in the ring bench).
        let hex = inner[inner.rfind('|')? + 1..].strip_prefix("0x")?;
        u64::from_str_radix(hex, 16).ok().map(Pid)
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:08x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_pid_parses_back() {
        let pid = Pid(0x2a);
        let s = pid.render("app:processes");
        assert_eq!(s, "{app:processes|0x0000002a}");
        assert_eq!(Pid::parse(&s), Some(pid));
    }

    #[test]
    fn names_are_not_pids() {
        assert_eq!(Pid::parse("pinger"), None);
        assert_eq!(Pid::parse("{x|0xzz}"), None);
    }
}
