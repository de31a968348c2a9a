//! Hosts: named worker pools that processes are spawned onto (`process.host`, `terminal.host`).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::scheduler::Scheduler;
use crate::registry::EntryId;

pub struct Host {
    pub id: EntryId,
    /// `id` as text, used in printed PIDs.
    pub name: Arc<str>,
    pub index: usize,
    pub scheduler: Arc<Scheduler>,
    /// A terminal host grants the `io` module to the processes spawned on it.
    pub terminal: bool,
    pub max_processes: Option<usize>,
    /// Default Lua heap limit of each process on this host, in bytes.
    pub memory_limit: Option<u64>,
    /// How long a process runs Lua before it is requeued (`host.time_slice`).
    pub time_slice: std::time::Duration,
    /// How long Lua may run inside a C callback before the process is ended (`host.hard_limit`).
    pub hard_limit: std::time::Duration,
    /// `lifecycle.security`: added to every process spawned here (see `crate::security`).
    pub security: crate::security::Security,
    live: AtomicUsize,
    stopped: AtomicBool,
}

impl Host {
    pub fn new(
        id: EntryId,
        index: usize,
        scheduler: Arc<Scheduler>,
        terminal: bool,
        max_processes: Option<usize>,
        memory_limit: Option<u64>,
    ) -> Host {
        Host {
            memory_limit,
            time_slice: crate::lua::TIME_SLICE,
            hard_limit: crate::lua::HARD_LIMIT,
            security: Default::default(),
            name: Arc::from(id.to_string()),
            id,
            index,
            scheduler,
            terminal,
            max_processes,
            live: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
        }
    }

    /// Reserves a slot for a new process; false when `max_processes` is reached.
    pub(crate) fn try_admit(&self) -> bool {
        let Some(max) = self.max_processes else {
            self.live.fetch_add(1, Ordering::Relaxed);
            return true;
        };
        self.live.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1)).is_ok()
    }

    pub(crate) fn release(&self) {
        self.live.fetch_sub(1, Ordering::Relaxed);
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
        self.scheduler.shutdown();
    }
}
