//! Supervision of `process.service` entries: start in dependency order, restart with backoff,
//! stop in reverse order.

mod service;

pub use service::{start_services, Services};
