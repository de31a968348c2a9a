//! `wippy dev`: watching the project's files and reloading changed code into the running
//! runtime (hot upgrade of opted-in processes, restart of the others' services).

pub mod reload;
pub mod watch;

pub use reload::{Outcome, Reloader};
pub use watch::{Change, Watch};
