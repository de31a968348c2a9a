//! Supervision of `process.service` entries: start in dependency order, restart with backoff,
//! stop in reverse order; and their statuses.

mod policy;
mod service;
mod status;

pub use policy::{backoff, Decision, Outcome, Restarts};
pub use service::{start_services, ServiceChanges, Services};
pub use status::{ServiceBoard, ServiceState, ServiceStatus};
