//! The host kinds: `process.host` (a scheduler with its own worker pool) and `terminal.host`
//! (one process at a time, with the terminal's stdio).

use crate::registry::entry::{EntryKind, HostConfig, TerminalHostConfig};

use super::fields::Fields;
use super::kinds::{with_common, Context};
use super::lifecycle;

const PROCESS_HOST_FIELDS: &[&str] = &["host", "lifecycle"];
const POOL_FIELDS: &[&str] =
    &["workers", "queue_size", "local_queue_size", "max_processes", "memory_limit", "time_slice", "hard_limit"];
const TERMINAL_HOST_FIELDS: &[&str] = &["hide_logs", "lifecycle"];

pub(crate) fn process_host(cx: &mut Context, f: &Fields) -> Option<EntryKind> {
    f.reject_unknown(&mut cx.r, &with_common(PROCESS_HOST_FIELDS), "a process.host entry");
    let mut config = HostConfig::default();
    if let Some(pool) = f.map(&mut cx.r, "host") {
        pool.reject_unknown(&mut cx.r, POOL_FIELDS, "`host`");
        // 0 means "not set", as Go's zero value does: CPU count, default queues, no limit.
        let mut size =
            |name| pool.count(&mut cx.r, name).filter(|n| *n > 0).map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        config.workers = size("workers");
        config.queue_size = size("queue_size");
        config.local_queue_size = size("local_queue_size");
        config.max_processes = size("max_processes");
        config.memory_limit = pool.bytes(&mut cx.r, "memory_limit");
        config.time_slice = positive_duration(cx, &pool, "time_slice", "10ms");
        config.hard_limit = positive_duration(cx, &pool, "hard_limit", "1s");
    }
    config.lifecycle = lifecycle::read(cx, f);
    Some(EntryKind::ProcessHost(config))
}

pub(crate) fn terminal_host(cx: &mut Context, f: &Fields) -> Option<EntryKind> {
    f.reject_unknown(&mut cx.r, &with_common(TERMINAL_HOST_FIELDS), "a terminal.host entry");
    let hide_logs = f.bool(&mut cx.r, "hide_logs").unwrap_or(false);
    let lifecycle = lifecycle::read(cx, f);
    Some(EntryKind::TerminalHost(TerminalHostConfig { hide_logs, lifecycle }))
}

/// A duration that must be more than zero (a zero slice would preempt before any work).
fn positive_duration(cx: &mut Context, f: &Fields, name: &str, example: &str) -> Option<std::time::Duration> {
    let d = f.duration(&mut cx.r, name)?;
    if d.is_zero() {
        let node = f.node(name)?;
        f.report_wrong_type(&mut cx.r, name, node, "a duration above zero", format!("write e.g. `{name}: {example}`"));
        return None;
    }
    Some(d)
}
