//! `Fields`: typed, located reading of one YAML map (an entry, `lifecycle`, `host`, ...), turning
//! every mismatch into a diagnostic: unknown field (R0002), wrong type (R0003), bad duration
//! (R0004), missing field (R0010).
//!
//! Getters return `None` both when a field is absent and when it is wrong (after reporting), so
//! a converter carries on and finds the next problem instead of stopping at the first.

use std::time::Duration;

use super::duration::{duration_from_nanos, parse_go_duration};
use super::report::{code, suggest, Report};
use super::yaml::{Key, Node, NodeKind, Pos};

pub(crate) struct Fields<'a> {
    pairs: &'a [(Key, Node)],
    /// The map itself, where "missing field" is reported.
    pos: Pos,
    /// Dotted path of this map from the entry (`lifecycle.restart.`), empty for the entry.
    prefix: String,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(pairs: &'a [(Key, Node)], pos: Pos) -> Self {
        Fields { pairs, pos, prefix: String::new() }
    }

    /// The full name of a field, as written in messages (`lifecycle.auto_start`).
    pub(crate) fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A field's node; an explicit `null` (`method:` with nothing after it) counts as absent.
    pub(crate) fn node(&self, name: &str) -> Option<&'a Node> {
        self.pairs.iter().find(|(k, v)| k.name == name && v.kind != NodeKind::Null).map(|(_, v)| v)
    }

    /// Every pair of the map, for maps whose keys are data (`imports`).
    pub(crate) fn pairs(&self) -> &'a [(Key, Node)] {
        self.pairs
    }

    /// Where a field's key is written (when present and not null).
    pub(crate) fn key_pos(&self, name: &str) -> Option<Pos> {
        self.pairs.iter().find(|(k, v)| k.name == name && v.kind != NodeKind::Null).map(|(k, _)| k.pos)
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.node(name).is_some()
    }

    /// Reports every key not in `allowed`, naming the valid ones (and the likely intended one).
    pub(crate) fn reject_unknown(&self, r: &mut Report, allowed: &[&str], owner: &str) {
        for (key, _) in self.pairs {
            if allowed.contains(&key.name.as_str()) {
                continue;
            }
            let valid = allowed.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
            let help = match suggest(&key.name, allowed.iter().copied()) {
                Some(close) => {
                    format!("did you mean `{close}`? The fields of {owner} are: {valid}")
                }
                None => format!("remove it; the fields of {owner} are: {valid}"),
            };
            r.error(code::UNKNOWN_FIELD, key.pos, format!("unknown field `{}` in {owner}", self.path(&key.name)), help);
        }
    }

    pub(crate) fn report_missing(&self, r: &mut Report, name: &str, owner: &str, help: impl Into<String>) {
        r.error(code::MISSING_FIELD, self.pos, format!("{owner} has no `{}`", self.path(name)), help);
    }

    pub(crate) fn report_wrong_type(
        &self,
        r: &mut Report,
        name: &str,
        node: &Node,
        expected: &str,
        help: impl Into<String>,
    ) {
        wrong_type(r, &self.path(name), node, expected, help);
    }

    pub(crate) fn string(&self, r: &mut Report, name: &str) -> Option<(&'a str, Pos)> {
        let node = self.node(name)?;
        match node.as_str() {
            Some(s) => Some((s, node.pos)),
            None => {
                let help = format!("write `{name}` as text; quote it if it looks like a number or a boolean");
                self.report_wrong_type(r, name, node, "a string", help);
                None
            }
        }
    }

    /// A string field that must be present (R0010 otherwise).
    pub(crate) fn required_string(
        &self,
        r: &mut Report,
        name: &str,
        owner: &str,
        help: &str,
    ) -> Option<(&'a str, Pos)> {
        if !self.has(name) {
            self.report_missing(r, name, owner, help);
            return None;
        }
        self.string(r, name)
    }

    pub(crate) fn bool(&self, r: &mut Report, name: &str) -> Option<bool> {
        let node = self.node(name)?;
        match node.kind {
            NodeKind::Bool(b) => Some(b),
            _ => {
                let help = format!("write `{name}: true` or `{name}: false`");
                self.report_wrong_type(r, name, node, "a boolean", help);
                None
            }
        }
    }

    /// A non-negative integer (a count or a size).
    pub(crate) fn count(&self, r: &mut Report, name: &str) -> Option<u64> {
        let node = self.node(name)?;
        match node.kind {
            NodeKind::Int(i) if i >= 0 => Some(i as u64),
            _ => {
                let help = format!("write a whole number of 0 or more, e.g. `{name}: 4`");
                self.report_wrong_type(r, name, node, "a non-negative integer", help);
                None
            }
        }
    }

    /// A size in bytes: an integer, or text with a unit (`512KB`, `64MB`, `1GB`; the units are
    /// binary, 1KB = 1024 bytes, as memory limits usually are). 0 means "not set".
    pub(crate) fn bytes(&self, r: &mut Report, name: &str) -> Option<u64> {
        let node = self.node(name)?;
        let parsed = match &node.kind {
            NodeKind::Int(i) if *i >= 0 => Some(*i as u64),
            NodeKind::Str(s) => parse_bytes(s),
            _ => None,
        };
        if parsed.is_none() {
            let help =
                format!("write a size in bytes, e.g. `{name}: 67108864` or `{name}: 64MB` (units B, KB, MB, GB)");
            self.report_wrong_type(r, name, node, "a size in bytes", help);
        }
        parsed.filter(|n| *n > 0)
    }

    /// Any integer.
    pub(crate) fn int(&self, r: &mut Report, name: &str) -> Option<i64> {
        let node = self.node(name)?;
        match node.kind {
            NodeKind::Int(i) => Some(i),
            _ => {
                let help = format!("write a whole number, e.g. `{name}: 10`");
                self.report_wrong_type(r, name, node, "an integer", help);
                None
            }
        }
    }

    /// A number in `min..=max`; integers are accepted where a float is expected.
    pub(crate) fn number_in(&self, r: &mut Report, name: &str, min: f64, max: f64) -> Option<f64> {
        let node = self.node(name)?;
        let value = match node.kind {
            NodeKind::Int(i) => Some(i as f64),
            NodeKind::Float(x) => Some(x),
            _ => None,
        };
        match value {
            Some(x) if (min..=max).contains(&x) => Some(x),
            _ => {
                let expected = if max == f64::MAX {
                    format!("a number of at least {min}")
                } else {
                    format!("a number between {min} and {max}")
                };
                let help = format!("write a number such as `{name}: {min:?}`");
                self.report_wrong_type(r, name, node, &expected, help);
                None
            }
        }
    }

    /// A Go duration string (`10s`, `1m30s`) or an integer number of nanoseconds.
    pub(crate) fn duration(&self, r: &mut Report, name: &str) -> Option<Duration> {
        let node = self.node(name)?;
        let help = format!("write a duration such as `{name}: 10s`, `500ms` or `1m30s` (units: ns, us, ms, s, m, h)");
        let parsed =
            match &node.kind {
                NodeKind::Str(s) => parse_go_duration(s)
                    .map_err(|why| format!("invalid duration {s:?} for `{}`: {why}", self.path(name))),
                NodeKind::Int(n) => duration_from_nanos(*n)
                    .map_err(|why| format!("invalid duration {n} for `{}`: {why}", self.path(name))),
                _ => {
                    self.report_wrong_type(r, name, node, "a duration", help);
                    return None;
                }
            };
        parsed.map_err(|message| r.error(code::BAD_DURATION, node.pos, message, help)).ok()
    }

    /// A list of strings, each with its position.
    pub(crate) fn string_list(&self, r: &mut Report, name: &str) -> Option<Vec<(&'a str, Pos)>> {
        let node = self.node(name)?;
        let NodeKind::Seq(items) = &node.kind else {
            let help = format!("write a list, e.g. `{name}: [a, b]`");
            self.report_wrong_type(r, name, node, "a list of strings", help);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.as_str() {
                Some(s) => out.push((s, item.pos)),
                None => wrong_type(
                    r,
                    &format!("{}[{}]", self.path(name), out.len()),
                    item,
                    "a string",
                    "write each item as text",
                ),
            }
        }
        Some(out)
    }

    /// A nested map, whose messages will name its fields `name.field`.
    pub(crate) fn map(&self, r: &mut Report, name: &str) -> Option<Fields<'a>> {
        let node = self.node(name)?;
        match node.as_map() {
            Some(pairs) => Some(Fields { pairs, pos: node.pos, prefix: format!("{}{name}.", self.prefix) }),
            None => {
                let help = format!("write `{name}:` followed by indented `key: value` lines");
                self.report_wrong_type(r, name, node, "a map", help);
                None
            }
        }
    }
}

/// R0003 on `node`: "`path` must be EXPECTED, found a string ("yes please")".
/// `64MB` → 67108864. Units are binary and case-insensitive; `B` may be left out.
pub(crate) fn parse_bytes(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let scale: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(scale)
}

pub(crate) fn wrong_type(r: &mut Report, path: &str, node: &Node, expected: &str, help: impl Into<String>) {
    r.error(code::WRONG_TYPE, node.pos, format!("`{path}` must be {expected}, found {}", node.describe()), help);
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::registry::yaml;

    /// Runs `read` on the fields of `text` and returns what it produced and the rendered diagnostics.
    fn read<T>(text: &str, read: impl FnOnce(&Fields, &mut Report) -> T) -> (T, Vec<String>) {
        let doc = yaml::parse(text).unwrap();
        let mut out: Vec<Diagnostic> = Vec::new();
        let mut r = Report::new(Path::new("f.yaml"), &mut out);
        let fields = Fields::new(doc.as_map().unwrap(), doc.pos);
        let value = read(&fields, &mut r);
        (value, out.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn a_boolean_field_rejects_text() {
        let (v, diags) = read("auto_start: yes please\n", |f, r| f.bool(r, "auto_start"));
        assert_eq!(v, None);
        assert_eq!(
            diags,
            ["f.yaml:1:13: error[R0003]: `auto_start` must be a boolean, found a string (\"yes please\")\n  help: write `auto_start: true` or `auto_start: false`"]
        );
    }

    #[test]
    fn nested_maps_name_their_path() {
        let (_, diags) = read("lifecycle:\n  restart:\n    max_attempts: -1\n", |f, r| {
            f.map(r, "lifecycle").and_then(|l| l.map(r, "restart")).and_then(|rs| rs.count(r, "max_attempts"))
        });
        assert_eq!(diags.len(), 1);
        assert!(diags[0].starts_with("f.yaml:3:19: error[R0003]: `lifecycle.restart.max_attempts` must be a non-negative integer, found an integer (-1)"), "{}", diags[0]);
    }

    #[test]
    fn durations_accept_strings_and_nanoseconds() {
        let (v, diags) = read("a: 1m30s\nb: 1500\n", |f, r| (f.duration(r, "a"), f.duration(r, "b")));
        assert_eq!(v, (Some(Duration::from_secs(90)), Some(Duration::from_nanos(1500))));
        assert!(diags.is_empty());
    }

    #[test]
    fn bad_durations_are_r0004_and_non_durations_r0003() {
        let (_, diags) = read("a: 10 minutes\nb: -1s\nc: [1]\n", |f, r| {
            (f.duration(r, "a"), f.duration(r, "b"), f.duration(r, "c"))
        });
        assert_eq!(diags.len(), 3);
        assert!(
            diags[0].starts_with(
                "f.yaml:1:4: error[R0004]: invalid duration \"10 minutes\" for `a`: unknown unit ` minutes`"
            ),
            "{}",
            diags[0]
        );
        assert!(
            diags[1].starts_with(
                "f.yaml:2:4: error[R0004]: invalid duration \"-1s\" for `b`: negative durations are not allowed"
            ),
            "{}",
            diags[1]
        );
        assert!(diags[2].starts_with("f.yaml:3:4: error[R0003]: `c` must be a duration, found a list"), "{}", diags[2]);
    }

    #[test]
    fn unknown_fields_list_the_valid_ones_and_suggest_a_fix() {
        let (_, diags) =
            read("mehtod: main\nsource: x\n", |f, r| f.reject_unknown(r, &["source", "method"], "a process.lua entry"));
        assert_eq!(
            diags,
            ["f.yaml:1:1: error[R0002]: unknown field `mehtod` in a process.lua entry\n  help: did you mean `method`? The fields of a process.lua entry are: `source`, `method`"]
        );
    }

    #[test]
    fn string_lists_report_each_bad_item() {
        let (v, diags) = read("modules: [time, 3, json]\n", |f, r| {
            f.string_list(r, "modules").map(|l| l.iter().map(|(s, _)| s.to_string()).collect::<Vec<_>>())
        });
        assert_eq!(v.unwrap(), ["time", "json"]);
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].starts_with("f.yaml:1:17: error[R0003]: `modules[1]` must be a string, found an integer (3)"),
            "{}",
            diags[0]
        );
    }

    #[test]
    fn null_counts_as_absent_but_missing_required_fields_are_reported() {
        let (v, diags) = read("method:\n", |f, r| {
            f.required_string(r, "method", "this process.lua entry", "add `method: main`").map(|(m, _)| m.to_string())
        });
        assert_eq!(v, None);
        assert_eq!(
            diags,
            ["f.yaml:1:1: error[R0010]: this process.lua entry has no `method`\n  help: add `method: main`"]
        );
    }

    #[test]
    fn sizes_take_bytes_or_binary_units() {
        assert_eq!(super::parse_bytes("4096"), Some(4096));
        assert_eq!(super::parse_bytes("512KB"), Some(512 * 1024));
        assert_eq!(super::parse_bytes("64mb"), Some(64 << 20));
        assert_eq!(super::parse_bytes("1 GiB"), Some(1 << 30));
        assert_eq!(super::parse_bytes("64 MB of RAM"), None);
        assert_eq!(super::parse_bytes("MB"), None);
    }

    #[test]
    fn numbers_must_be_in_range() {
        let (v, diags) = read("jitter: 1.5\nfactor: 2\n", |f, r| {
            (f.number_in(r, "jitter", 0.0, 1.0), f.number_in(r, "factor", 1.0, f64::MAX))
        });
        assert_eq!(v, (None, Some(2.0)));
        assert!(
            diags[0].starts_with(
                "f.yaml:1:9: error[R0003]: `jitter` must be a number between 0 and 1, found a number (1.5)"
            ),
            "{}",
            diags[0]
        );
    }
}
