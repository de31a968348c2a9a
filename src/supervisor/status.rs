//! What the runtime knows about each service, for the operator view and for Lua (`services`).

use std::collections::BTreeMap;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};

use crate::value::ErrorValue;

/// A service's lifecycle: Unknown → Starting → Running → Stopping → Stopped; or Failed (gave up,
/// or could not start) / Exited (ended on its own and is not restarted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceState {
    Unknown,
    Starting,
    Running,
    Stopping,
    Stopped,
    Failed,
    Exited,
}

impl ServiceState {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceState::Unknown => "unknown",
            ServiceState::Starting => "starting",
            ServiceState::Running => "running",
            ServiceState::Stopping => "stopping",
            ServiceState::Stopped => "stopped",
            ServiceState::Failed => "failed",
            ServiceState::Exited => "exited",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ServiceStatus {
    pub state: ServiceState,
    /// Restarts over the service's life.
    pub restarts: u64,
    pub last_error: Option<Arc<ErrorValue>>,
    /// The printed PID of the current run, while there is one.
    pub pid: Option<Arc<str>>,
}

impl Default for ServiceStatus {
    fn default() -> Self {
        ServiceStatus { state: ServiceState::Unknown, restarts: 0, last_error: None, pid: None }
    }
}

/// Every service's status, by entry ID.
#[derive(Default)]
pub struct ServiceBoard {
    services: RwLock<BTreeMap<String, Arc<Mutex<ServiceStatus>>>>,
}

impl ServiceBoard {
    /// The status cell of `id`, made on first use.
    pub fn entry(&self, id: &str) -> Arc<Mutex<ServiceStatus>> {
        if let Some(s) = self.services.read().get(id) {
            return s.clone();
        }
        self.services.write().entry(id.to_string()).or_default().clone()
    }

    pub fn get(&self, id: &str) -> Option<ServiceStatus> {
        self.services.read().get(id).map(|s| s.lock().clone())
    }

    pub fn all(&self) -> Vec<(String, ServiceStatus)> {
        self.services.read().iter().map(|(id, s)| (id.clone(), s.lock().clone())).collect()
    }
}
