//! `lifecycle:` of hosts and services: start/stop timeouts, `requires`, the restart policy and
//! security, with the documented defaults filled in.

use std::time::Duration;

use crate::registry::entry::{EntryId, Lifecycle, RestartPolicy};

use super::fields::Fields;
use super::kinds::Context;
use super::report::code;
use super::resolve::RefKind;

const FIELDS: &[&str] = &[
    "auto_start",
    "start_timeout",
    "stop_timeout",
    "stable_threshold",
    "requires",
    "depends_on",
    "restart",
    "security",
];
const RESTART_FIELDS: &[&str] = &["initial_delay", "delay", "max_delay", "backoff_factor", "jitter", "max_attempts"];

/// Reads the entry's `lifecycle`, or the defaults when there is none.
pub(crate) fn read(cx: &mut Context, entry: &Fields) -> Lifecycle {
    let mut lifecycle = Lifecycle::default();
    let Some(l) = entry.map(&mut cx.r, "lifecycle") else {
        return lifecycle;
    };
    l.reject_unknown(&mut cx.r, FIELDS, "`lifecycle`");
    if let Some(b) = l.bool(&mut cx.r, "auto_start") {
        lifecycle.auto_start = b;
    }
    set_duration(cx, &l, "start_timeout", &mut lifecycle.start_timeout);
    set_duration(cx, &l, "stop_timeout", &mut lifecycle.stop_timeout);
    set_duration(cx, &l, "stable_threshold", &mut lifecycle.stable_threshold);
    if let Some(name) = one_of(cx, &l, "requires", "depends_on") {
        lifecycle.requires = requires(cx, &l, name);
    }
    if let Some(restart) = l.map(&mut cx.r, "restart") {
        lifecycle.restart = restart_policy(cx, &restart);
    }
    if let Some(security) = l.map(&mut cx.r, "security") {
        lifecycle.security = Some(super::policy::security_spec(cx, &security));
    }
    lifecycle
}

fn restart_policy(cx: &mut Context, f: &Fields) -> RestartPolicy {
    f.reject_unknown(&mut cx.r, RESTART_FIELDS, "`lifecycle.restart`");
    let mut policy = RestartPolicy::default();
    if let Some(name) = one_of(cx, f, "initial_delay", "delay") {
        set_duration(cx, f, name, &mut policy.initial_delay);
    }
    set_duration(cx, f, "max_delay", &mut policy.max_delay);
    if let Some(x) = f.number_in(&mut cx.r, "backoff_factor", 1.0, f64::MAX) {
        policy.backoff_factor = x;
    }
    if let Some(x) = f.number_in(&mut cx.r, "jitter", 0.0, 1.0) {
        policy.jitter = x;
    }
    if let (Some(node), Some(n)) = (f.node("max_attempts"), f.count(&mut cx.r, "max_attempts")) {
        match u32::try_from(n) {
            Ok(n) => policy.max_attempts = n,
            Err(_) => f.report_wrong_type(
                &mut cx.r,
                "max_attempts",
                node,
                "at most 4294967295",
                "use 0 for unlimited attempts",
            ),
        }
    }
    policy
}

fn requires(cx: &mut Context, f: &Fields, name: &str) -> Vec<EntryId> {
    let field = f.path(name);
    let items = f.string_list(&mut cx.r, name).unwrap_or_default();
    items.into_iter().map(|(written, pos)| cx.reference(RefKind::Requires, field.clone(), written, pos)).collect()
}

/// Which of a field and its alias is set; both at once is an error, since one would be ignored.
fn one_of<'n>(cx: &mut Context, f: &Fields, name: &'n str, alias: &'n str) -> Option<&'n str> {
    match (f.has(name), f.key_pos(alias)) {
        (true, Some(pos)) => {
            cx.r.error(
                code::UNKNOWN_FIELD,
                pos,
                format!("`{}` is an alias of `{}`, which is also set", f.path(alias), f.path(name)),
                format!("keep only one of `{name}` and `{alias}`"),
            );
            Some(name)
        }
        (true, None) => Some(name),
        (false, Some(_)) => Some(alias),
        (false, None) => None,
    }
}

fn set_duration(cx: &mut Context, f: &Fields, name: &str, slot: &mut Duration) {
    if let Some(d) = f.duration(&mut cx.r, name) {
        *slot = d;
    }
}
