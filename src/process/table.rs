//! The table of live processes (PID → cell) and the local name registry.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};

use super::{Pid, ProcessCell};

const SHARDS: usize = 16;

/// Live processes, sharded so that spawns and lookups on different workers rarely contend.
pub struct ProcessTable {
    next: AtomicU64,
    shards: [RwLock<HashMap<u64, Arc<ProcessCell>>>; SHARDS],
    names: Mutex<HashMap<String, Pid>>,
    count: AtomicU64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum NameError {
    /// The name belongs to another live process.
    Taken(Pid),
    /// The process to name is not alive.
    NoProcess,
}

impl Default for ProcessTable {
    fn default() -> Self {
        ProcessTable {
            next: AtomicU64::new(1),
            shards: std::array::from_fn(|_| RwLock::new(HashMap::new())),
            names: Mutex::new(HashMap::new()),
            count: AtomicU64::new(0),
        }
    }
}

impl ProcessTable {
    pub fn next_pid(&self) -> Pid {
        Pid(self.next.fetch_add(1, Ordering::Relaxed))
    }

    fn shard(&self, pid: Pid) -> &RwLock<HashMap<u64, Arc<ProcessCell>>> {
        &self.shards[(pid.0 as usize) % SHARDS]
    }

    pub fn insert(&self, cell: Arc<ProcessCell>) {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.shard(cell.pid).write().insert(cell.pid.0, cell);
    }

    pub fn remove(&self, pid: Pid) {
        if self.shard(pid).write().remove(&pid.0).is_some() {
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
    }

    pub fn get(&self, pid: Pid) -> Option<Arc<ProcessCell>> {
        self.shard(pid).read().get(&pid.0).cloned()
    }

    pub fn len(&self) -> usize {
        self.count.load(Ordering::Relaxed) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every live process (for shutdown).
    pub fn all(&self) -> Vec<Arc<ProcessCell>> {
        self.shards.iter().flat_map(|s| s.read().values().cloned().collect::<Vec<_>>()).collect()
    }

    /// Registers `name` for `cell`. Re-registering a name the process already holds succeeds.
    pub fn register_name(&self, name: &str, cell: &ProcessCell) -> Result<(), NameError> {
        let mut names = self.names.lock();
        if let Some(&owner) = names.get(name) {
            if owner == cell.pid {
                return Ok(());
            }
            if self.get(owner).is_some() {
                return Err(NameError::Taken(owner));
            }
        }
        // Holding the names lock while checking `exited` orders this against `release_names`.
        let mut rel = cell.relations.lock();
        if rel.exited {
            return Err(NameError::NoProcess);
        }
        rel.names.push(name.to_string());
        names.insert(name.to_string(), cell.pid);
        Ok(())
    }

    pub fn lookup_name(&self, name: &str) -> Option<Pid> {
        self.names.lock().get(name).copied()
    }

    /// Removes `name` if `pid` holds it.
    pub fn unregister_name(&self, name: &str, pid: Pid) -> bool {
        let mut names = self.names.lock();
        if names.get(name) == Some(&pid) {
            names.remove(name);
            if let Some(cell) = self.get(pid) {
                cell.relations.lock().names.retain(|n| n != name);
            }
            true
        } else {
            false
        }
    }

    /// Releases the names of an ended process.
    pub fn release_names(&self, pid: Pid, names: &[String]) {
        if names.is_empty() {
            return;
        }
        let mut table = self.names.lock();
        for n in names {
            if table.get(n) == Some(&pid) {
                table.remove(n);
            }
        }
    }
}
