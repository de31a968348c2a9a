//! Processes as the runtime sees them: identifiers, mailbox signals, the shared control block,
//! the table of live processes, and the `Process` state-machine interface that bodies implement.

mod cell;
mod pid;
mod signal;
mod table;

pub use cell::{ExitObserver, ProcessCell, Relations, RunState, Schedule, StartObserver};
pub use pid::Pid;
pub use signal::{ExitResult, Message, Signal};
pub use table::{NameError, ProcessTable};

/// What one step of a process ended with.
#[derive(Debug)]
pub enum Step {
    /// Blocked on commands or waiting for messages; run again when a signal arrives.
    Wait,
    /// Still runnable, but its time slice is used up: requeue behind others.
    Yield,
    /// Finished.
    Exit(ExitResult),
}

/// A process body as the scheduler sees it: a state machine stepped by workers.
///
/// `step` initialises the process on its first call (so spawning costs the spawner almost
/// nothing and state creation runs on the workers), then runs until the body blocks, is
/// preempted or ends. At most one worker steps a process at a time. Dropping the body closes it.
pub trait Process: Send {
    fn step(&mut self, cell: &std::sync::Arc<ProcessCell>) -> Step;
}
