//! A host's scheduler: a pool of worker threads stepping processes, with work stealing.
//!
//! Queues, in the order a worker looks at them (see `worker.rs`):
//! 1. its own deque, popped LIFO, so a process woken by the one just run (a reply) runs next
//!    while its data is hot;
//! 2. its inject queue: processes woken from outside whose last worker was this one (affinity);
//! 3. the global injector, taken in batches;
//! 4. half of a random victim's deque;
//!
//! then it parks (`idle.rs`). Every 61st task it looks at the global injector first, so work
//! there is not starved by processes that keep waking each other on one worker.

mod idle;
mod worker;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_deque::{Injector, Stealer, Worker};
use parking_lot::Mutex;

use crate::process::{ExitResult, ProcessCell, Schedule};
use idle::Idle;

pub(crate) type Task = Arc<ProcessCell>;

/// Told when a process finishes; implemented by the runtime (monitors, links, names, table).
pub trait ExitHandler: Send + Sync {
    fn exited(&self, cell: &Arc<ProcessCell>, result: ExitResult);
}

pub(crate) struct Shared {
    injector: Injector<Task>,
    stealers: Vec<Stealer<Task>>,
    inject: Vec<Injector<Task>>,
    idle: Idle,
    shutdown: AtomicBool,
    exits: Arc<dyn ExitHandler>,
}

/// The handle the rest of the runtime holds: schedules processes onto this pool.
pub struct Scheduler {
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl Scheduler {
    /// Starts `workers` threads named `{name}-{i}`.
    pub fn start(name: &str, workers: usize, exits: Arc<dyn ExitHandler>) -> std::io::Result<Arc<Scheduler>> {
        let workers = workers.max(1);
        let locals: Vec<Worker<Task>> = (0..workers).map(|_| Worker::new_lifo()).collect();
        let (idle, parkers) = Idle::new(workers);
        let shared = Arc::new(Shared {
            injector: Injector::new(),
            stealers: locals.iter().map(|w| w.stealer()).collect(),
            inject: (0..workers).map(|_| Injector::new()).collect(),
            idle,
            shutdown: AtomicBool::new(false),
            exits,
        });
        let mut threads = Vec::with_capacity(workers);
        for (index, (local, parker)) in locals.into_iter().zip(parkers).enumerate() {
            let shared = shared.clone();
            let t = std::thread::Builder::new()
                .name(format!("{name}-{index}"))
                .spawn(move || worker::run(shared, index, local, parker))?;
            threads.push(t);
        }
        Ok(Arc::new(Scheduler { shared, threads: Mutex::new(threads) }))
    }

    pub fn workers(&self) -> usize {
        self.shared.stealers.len()
    }

    /// Stops the workers after their current step and joins them. Queued processes are not run.
    pub fn shutdown(&self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        self.shared.idle.unpark_all();
        let threads = std::mem::take(&mut *self.threads.lock());
        let me = std::thread::current().id();
        for t in threads {
            if t.thread().id() != me {
                let _ = t.join();
            }
        }
    }
}

impl Schedule for Scheduler {
    fn schedule(&self, cell: Arc<ProcessCell>) {
        let shared = &self.shared;
        // From one of our own workers: its LIFO deque (a reply runs next, on the same core).
        // A lone task will be run by this worker as soon as its current step ends, so waking a
        // sleeper for it would only make two threads race for one task; only work beyond that
        // is worth a wake-up (then idle workers steal it).
        let cell = match worker::push_local(shared, cell) {
            Ok(had_work) => {
                if had_work && shared.idle.num_sleeping() > 0 {
                    shared.idle.notify_one();
                }
                return;
            }
            Err(cell) => cell,
        };
        let last = cell.last_worker.load(Ordering::Relaxed);
        if last < shared.inject.len() && shared.idle.is_parked(last) {
            shared.inject[last].push(cell);
            shared.idle.unpark(last);
        } else {
            shared.injector.push(cell);
            shared.idle.notify_one();
        }
    }
}
