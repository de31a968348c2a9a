//! What happens when a process ends, and the link/monitor operations that set it up.
//!
//! Exit order: mark the cell done (its mailbox is dropped and no new link, monitor or name can
//! attach), remove it from the table, release its names, then tell monitors (EXIT, always) and
//! links (LINK_DOWN, only for abnormal exits) and the runtime's own observers.

use std::sync::Arc;

use super::Shared;
use crate::process::{ExitResult, Pid, ProcessCell, Signal};
use crate::runtime::scheduler::ExitHandler;
use crate::value::ErrorValue;

impl ExitHandler for Shared {
    fn exited(&self, cell: &Arc<ProcessCell>, result: ExitResult) {
        let rel = cell.mark_done();
        self.table.remove(cell.pid);
        if let Some(host) = self.host_by_index(cell.host_index) {
            host.release();
        }
        self.table.release_names(cell.pid, &rel.names);
        self.events.drop_process(cell.pid);
        if let Err(e) = &result {
            // A crash someone watches is theirs to handle; one nobody watches must not vanish.
            let watched = !rel.monitors.is_empty() || !rel.links.is_empty() || !rel.observers.is_empty();
            let stack = e.stack.as_deref().map(|s| format!("\n{s}")).unwrap_or_default();
            if watched || e.kind == "CANCELED" {
                tracing::debug!(pid = %cell.name, "process ended: {}{stack}", e.message);
            } else {
                tracing::error!(pid = %cell.name, "process failed: {}{stack}", e.message);
            }
        }
        for m in &rel.monitors {
            if let Some(target) = self.table.get(*m) {
                target.deliver(Signal::Exit { from: cell.pid, from_name: cell.name.clone(), result: result.clone() });
            }
        }
        if let Err(error) = &result {
            for l in &rel.links {
                if let Some(target) = self.table.get(*l) {
                    target.deliver(Signal::LinkDown {
                        from: cell.pid,
                        from_name: cell.name.clone(),
                        error: error.clone(),
                    });
                }
            }
        }
        for o in rel.observers {
            let _ = o.try_send(result.clone());
        }
    }
}

fn not_found(pid: Pid) -> Arc<ErrorValue> {
    Arc::new(ErrorValue::new("NOT_FOUND", format!("process {pid} not found")))
}

impl Shared {
    /// `watcher` monitors `target`. If `target` has already ended, `watcher` gets an EXIT at once
    /// whose `from` is `target_name`, the PID as the caller wrote it.
    pub fn monitor(&self, watcher: &Arc<ProcessCell>, target: Pid, target_name: &str) {
        if let Some(t) = self.table.get(target) {
            let mut rel = t.relations.lock();
            if !rel.exited {
                if !rel.monitors.contains(&watcher.pid) {
                    rel.monitors.push(watcher.pid);
                }
                return;
            }
        }
        watcher.deliver(Signal::Exit {
            from: target,
            from_name: Arc::from(target_name),
            result: Err(not_found(target)),
        });
    }

    pub fn demonitor(&self, watcher: Pid, target: Pid) {
        if let Some(t) = self.table.get(target) {
            t.relations.lock().monitors.retain(|p| *p != watcher);
        }
    }

    /// Links `a` and `b` both ways. Fails with NOT_FOUND when `b` has already ended.
    pub fn link(&self, a: &Arc<ProcessCell>, b: Pid) -> Result<(), Arc<ErrorValue>> {
        if a.pid == b {
            return Ok(());
        }
        let other = self.table.get(b).ok_or_else(|| not_found(b))?;
        {
            let mut rel = other.relations.lock();
            if rel.exited {
                return Err(not_found(b));
            }
            if !rel.links.contains(&a.pid) {
                rel.links.push(a.pid);
            }
        }
        let mut mine = a.relations.lock();
        if !mine.links.contains(&b) {
            mine.links.push(b);
        }
        Ok(())
    }

    pub fn unlink(&self, a: &Arc<ProcessCell>, b: Pid) {
        a.relations.lock().links.retain(|p| *p != b);
        if let Some(other) = self.table.get(b) {
            other.relations.lock().links.retain(|p| *p != a.pid);
        }
    }
}
