//! `ProcessCell`: the part of a process that other threads touch — its mailbox, its run state
//! (the wake-up protocol), its links, monitors and names — shared behind an `Arc`.
//!
//! # Wake-up protocol
//! The run state decides who may put the process on a run queue, so that a message or completed
//! command makes a waiting process ready exactly once and a process is stepped by one worker at a
//! time:
//! 1. `deliver` pushes the signal into the mailbox, then calls `wake`.
//! 2. `wake`: `Idle → Scheduled` (the waker queues it); `Running → Notified` (the worker that is
//!    stepping it will requeue it); `Scheduled`, `Notified`, `Done` need nothing.
//! 3. A worker takes a queued process: `Scheduled → Running`, steps it.
//! 4. After a step that ended in `Wait`: `Running → Idle`; if that fails the state is `Notified`
//!    (a signal arrived during the step, possibly after the body last looked at the mailbox), so
//!    the worker sets `Scheduled` and requeues it. No signal can be missed: every push happens
//!    before its `wake`, and every `wake` either queues the process or flags the running step.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use super::{ExitResult, Pid, Process, Signal};

/// Where a woken process goes: implemented by the host scheduler that owns it.
pub trait Schedule: Send + Sync {
    fn schedule(&self, cell: Arc<ProcessCell>);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum RunState {
    Idle = 0,
    Scheduled = 1,
    Running = 2,
    Notified = 3,
    Done = 4,
}

impl RunState {
    fn from_u8(v: u8) -> RunState {
        match v {
            0 => RunState::Idle,
            1 => RunState::Scheduled,
            2 => RunState::Running,
            3 => RunState::Notified,
            _ => RunState::Done,
        }
    }
}

/// Links, monitors and names: changed together with the exit flag under one lock, so a monitor
/// or link set up while the process ends is either notified by the exit or sees `exited`.
#[derive(Default)]
pub struct Relations {
    pub links: Vec<Pid>,
    /// Processes monitoring this one.
    pub monitors: Vec<Pid>,
    pub names: Vec<String>,
    /// Observers outside any process (the test runner, `wippy run`, supervisors), told the result once.
    pub observers: Vec<ExitObserver>,
    /// Told once when the process has started: its first step ended without ending it.
    pub start_observers: Vec<StartObserver>,
    pub exited: bool,
}

/// Where the runtime's own code (test runner, `wippy run`, supervisors) awaits an exit.
pub type ExitObserver = crossbeam_channel::Sender<ExitResult>;
/// Where a supervisor awaits a process having started.
pub type StartObserver = crossbeam_channel::Sender<()>;

pub struct ProcessCell {
    pub pid: Pid,
    /// The printed PID (`{host|0x...}`), made once.
    pub name: Arc<str>,
    pub host_index: usize,
    state: AtomicU8,
    mailbox: Mutex<VecDeque<Signal>>,
    body: Mutex<Option<Box<dyn Process>>>,
    pub relations: Mutex<Relations>,
    /// Worker that last stepped this process, for affinity.
    pub last_worker: AtomicUsize,
    started: std::sync::atomic::AtomicBool,
    /// A CANCEL was delivered: a supervisor treats the exit that follows as deliberate.
    canceled: std::sync::atomic::AtomicBool,
    scheduler: Arc<dyn Schedule>,
    /// The entry whose code the process runs (set by the body at init and at each upgrade), so
    /// a registry reload can find the processes running changed code.
    pub code: Mutex<Option<Arc<crate::registry::Entry>>>,
    /// The process opted in to OUTDATED events (`process.set_options{upgradable = true}`).
    pub upgradable: AtomicBool,
}

impl ProcessCell {
    /// A new process, in state `Scheduled`: the caller must hand it to `schedule_new`.
    pub fn new(
        pid: Pid,
        name: Arc<str>,
        host_index: usize,
        body: Box<dyn Process>,
        scheduler: Arc<dyn Schedule>,
    ) -> Arc<ProcessCell> {
        Arc::new(ProcessCell {
            pid,
            name,
            host_index,
            state: AtomicU8::new(RunState::Scheduled as u8),
            mailbox: Mutex::new(VecDeque::new()),
            body: Mutex::new(Some(body)),
            relations: Mutex::new(Relations::default()),
            last_worker: AtomicUsize::new(usize::MAX),
            started: std::sync::atomic::AtomicBool::new(false),
            canceled: std::sync::atomic::AtomicBool::new(false),
            scheduler,
            code: Mutex::new(None),
            upgradable: AtomicBool::new(false),
        })
    }

    pub fn schedule_new(self: &Arc<Self>) {
        self.scheduler.schedule(self.clone());
    }

    pub fn run_state(&self) -> RunState {
        RunState::from_u8(self.state.load(Ordering::Acquire))
    }

    /// Queues a signal and wakes the process. Returns false if the process has already ended
    /// (the signal is dropped with the mailbox, as for any message to a dead process).
    pub fn deliver(self: &Arc<Self>, signal: Signal) -> bool {
        {
            let mut mb = self.mailbox.lock();
            if self.run_state() == RunState::Done {
                return false;
            }
            if matches!(signal, Signal::Cancel { .. }) {
                self.canceled.store(true, Ordering::Relaxed);
            }
            mb.push_back(signal);
        }
        self.wake();
        true
    }

    /// Step 2 of the protocol.
    pub fn wake(self: &Arc<Self>) {
        let mut cur = self.state.load(Ordering::Acquire);
        loop {
            let next = match RunState::from_u8(cur) {
                RunState::Idle => RunState::Scheduled,
                RunState::Running => RunState::Notified,
                RunState::Scheduled | RunState::Notified | RunState::Done => return,
            };
            match self.state.compare_exchange_weak(cur, next as u8, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => {
                    if next == RunState::Scheduled {
                        self.scheduler.schedule(self.clone());
                    }
                    return;
                }
                Err(actual) => cur = actual,
            }
        }
    }

    /// Moves every queued signal into `out` (in arrival order).
    pub fn drain_mailbox(&self, out: &mut VecDeque<Signal>) {
        let mut mb = self.mailbox.lock();
        if out.is_empty() {
            std::mem::swap(&mut *mb, out);
        } else {
            out.extend(mb.drain(..));
        }
    }

    pub fn mailbox_is_empty(&self) -> bool {
        self.mailbox.lock().is_empty()
    }

    /// Step 3. Returns the body to step, or `None` if the process ended meanwhile.
    pub(crate) fn begin_step(&self) -> Option<Box<dyn Process>> {
        let prev = self.state.swap(RunState::Running as u8, Ordering::AcqRel);
        debug_assert_eq!(RunState::from_u8(prev), RunState::Scheduled);
        self.body.lock().take()
    }

    /// Step 4 for a step that ended in `Wait` or `Yield`. Returns true when the process must be
    /// queued again right away.
    pub(crate) fn end_step(&self, body: Box<dyn Process>, runnable: bool) -> bool {
        *self.body.lock() = Some(body);
        if runnable {
            self.state.store(RunState::Scheduled as u8, Ordering::Release);
            return true;
        }
        match self.state.compare_exchange(
            RunState::Running as u8,
            RunState::Idle as u8,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => false,
            Err(_) => {
                // Notified during the step.
                self.state.store(RunState::Scheduled as u8, Ordering::Release);
                true
            }
        }
    }

    /// Called after every step that did not end the process; the first call tells the start
    /// observers (one relaxed load on every later step).
    pub(crate) fn step_survived(&self) {
        if !self.started.load(Ordering::Relaxed) && !self.started.swap(true, Ordering::AcqRel) {
            for o in std::mem::take(&mut self.relations.lock().start_observers) {
                let _ = o.try_send(());
            }
        }
    }

    pub fn was_canceled(&self) -> bool {
        self.canceled.load(Ordering::Relaxed)
    }

    /// Marks the process ended and drops any undelivered signals. Returns the relations to notify.
    pub(crate) fn mark_done(&self) -> Relations {
        {
            let mut mb = self.mailbox.lock();
            self.state.store(RunState::Done as u8, Ordering::Release);
            mb.clear();
            mb.shrink_to_fit();
        }
        *self.body.lock() = None;
        let mut rel = self.relations.lock();
        rel.exited = true;
        std::mem::take(&mut *rel)
    }

    pub fn is_done(&self) -> bool {
        self.run_state() == RunState::Done
    }
}

impl std::fmt::Debug for ProcessCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessCell").field("pid", &self.name).field("state", &self.run_state()).finish()
    }
}
