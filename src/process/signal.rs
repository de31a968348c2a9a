//! What can arrive in a process's mailbox: user messages and the runtime's signals.

use std::sync::Arc;
use std::time::Duration;

use super::pid::Pid;
use crate::value::{ErrorValue, Value};

/// How a process ended: normally with its first return value, or abnormally with an error.
pub type ExitResult = Result<Value, Arc<ErrorValue>>;

/// A user message. The payload is already detached from the sender's state; the receiver builds
/// its own Lua values from it when the body reads it.
#[derive(Debug, Clone)]
pub struct Message {
    pub from: Option<(Pid, Arc<str>)>,
    pub topic: Arc<str>,
    pub payload: Vec<Value>,
}

#[derive(Debug)]
pub enum Signal {
    Message(Message),
    /// A monitored process ended.
    Exit {
        from: Pid,
        from_name: Arc<str>,
        result: ExitResult,
    },
    /// A linked process ended abnormally.
    LinkDown {
        from: Pid,
        from_name: Arc<str>,
        error: Arc<ErrorValue>,
    },
    /// Please stop; after `deadline` the runtime terminates the process.
    Cancel {
        reason: String,
        deadline: Option<Duration>,
    },
    /// End now (`process.terminate`, an expired cancel deadline, shutdown).
    Kill {
        reason: String,
    },
    /// A timer the process set has fired.
    Timer(u64),
    /// Runtime-internal wake-up carrying a line of terminal input (or `None` at end of input).
    Input(Option<String>),
    /// The code of the entry the process runs (or of something it imports) changed in the
    /// registry; `sources` are the changed entry IDs. Sent only to `upgradable` processes.
    Outdated {
        sources: Vec<crate::registry::EntryId>,
    },
}
