//! The worker run loop: find a process, step it, put it back or finish it, park when idle.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_deque::{Steal, Worker};
use crossbeam_utils::sync::Parker;

use super::{Shared, Task};
use crate::process::Step;
use crate::value::ErrorValue;

/// The deque of the worker running on this thread, so that a process woken by the one being
/// stepped lands on this worker's deque without touching shared queues.
struct Local {
    shared: *const Shared,
    deque: Worker<Task>,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// Pushes onto this thread's deque if this thread is a worker of `shared`, returning whether the
/// deque already held work; gives the task back otherwise.
pub(super) fn push_local(shared: &Arc<Shared>, task: Task) -> Result<bool, Task> {
    LOCAL.with(|l| match &*l.borrow() {
        Some(local) if std::ptr::eq(local.shared, Arc::as_ptr(shared)) => {
            let had_work = !local.deque.is_empty();
            local.deque.push(task);
            Ok(had_work)
        }
        _ => Err(task),
    })
}

pub(super) fn run(shared: Arc<Shared>, index: usize, deque: Worker<Task>, parker: Parker) {
    LOCAL.with(|l| *l.borrow_mut() = Some(Local { shared: Arc::as_ptr(&shared), deque }));
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ (index as u64 + 1));
    let mut tick: u32 = 0;
    while !shared.shutdown.load(Ordering::Acquire) {
        tick = tick.wrapping_add(1);
        // Now and then the global queue goes first, so work there (new spawns from outside,
        // preempted processes) is not starved by processes that keep waking each other locally.
        let global_first = tick.is_multiple_of(GLOBAL_QUEUE_INTERVAL);
        if let Some(task) = find_work(&shared, index, &mut rng, global_first) {
            run_task(&shared, index, task);
            continue;
        }
        if let Some(task) = spin_for_work(&shared, index, &mut rng) {
            run_task(&shared, index, task);
            continue;
        }
        shared.idle.register_sleeper(index);
        if shared.shutdown.load(Ordering::Acquire) {
            break;
        }
        if let Some(task) = find_work(&shared, index, &mut rng, false) {
            shared.idle.unregister_sleeper(index);
            run_task(&shared, index, task);
            continue;
        }
        parker.park();
        shared.idle.unregister_sleeper(index);
    }
    LOCAL.with(|l| *l.borrow_mut() = None);
}

/// How many tasks a worker runs between looks at the global queue ahead of its own (tokio uses 31
/// and 61; a prime keeps it from lining up with periodic workloads).
const GLOBAL_QUEUE_INTERVAL: u32 = 61;

fn find_work(shared: &Shared, index: usize, rng: &mut XorShift, global_first: bool) -> Option<Task> {
    LOCAL.with(|l| {
        let l = l.borrow();
        let local = &l.as_ref().expect("worker thread without its deque").deque;
        if global_first {
            if let Some(t) = steal_from(|| shared.injector.steal_batch_and_pop(local)) {
                return Some(t);
            }
        }
        if let Some(t) = local.pop() {
            return Some(t);
        }
        if let Some(t) = steal_from(|| shared.inject[index].steal_batch_and_pop(local)) {
            return Some(t);
        }
        if let Some(t) = steal_from(|| shared.injector.steal_batch_and_pop(local)) {
            return Some(t);
        }
        let n = shared.stealers.len();
        if n > 1 {
            let start = rng.next() as usize % n;
            for k in 0..n {
                let victim = (start + k) % n;
                if victim == index {
                    continue;
                }
                if let Some(t) = steal_from(|| shared.stealers[victim].steal_batch_and_pop(local)) {
                    return Some(t);
                }
            }
        }
        None
    })
}

/// How long a worker that ran out of work keeps looking before it parks (Erlang's schedulers
/// busy-wait the same way). Parking and being woken cost a futex call on each side and a
/// context switch, about 10 µs together; a process woken by a steady stream of messages (a
/// server, a parent collecting replies) paid that on every message.
const SPIN: Duration = Duration::from_micros(50);

/// Between looks it yields the core: when there are more busy threads than cores (several hosts,
/// the timer thread), the wait costs the others nothing.
fn spin_for_work(shared: &Shared, index: usize, rng: &mut XorShift) -> Option<Task> {
    let deadline = Instant::now() + SPIN;
    loop {
        std::thread::yield_now();
        if let Some(task) = find_work(shared, index, rng, false) {
            return Some(task);
        }
        if shared.shutdown.load(Ordering::Relaxed) || Instant::now() >= deadline {
            return None;
        }
    }
}

fn steal_from(mut f: impl FnMut() -> Steal<Task>) -> Option<Task> {
    loop {
        match f() {
            Steal::Success(t) => return Some(t),
            Steal::Empty => return None,
            Steal::Retry => continue,
        }
    }
}

fn run_task(shared: &Arc<Shared>, index: usize, cell: Task) {
    cell.last_worker.store(index, Ordering::Relaxed);
    let Some(mut body) = cell.begin_step() else {
        return;
    };
    let step = catch_unwind(AssertUnwindSafe(|| body.step(&cell))).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        tracing::error!(pid = %cell.name, "runtime bug: a process step panicked: {what}");
        Step::Exit(Err(Arc::new(ErrorValue::new("INTERNAL", format!("runtime bug: {what}")))))
    });
    if !matches!(step, Step::Exit(_)) {
        cell.step_survived();
    }
    match step {
        Step::Wait => {
            if cell.end_step(body, false) {
                requeue_here(shared, cell);
            }
        }
        Step::Yield => {
            if cell.end_step(body, true) {
                // Behind everything already waiting, so a long runner cannot starve others.
                shared.injector.push(cell);
                shared.idle.notify_one();
            }
        }
        Step::Exit(result) => {
            drop(body);
            shared.exits.exited(&cell, result);
        }
    }
}

fn requeue_here(shared: &Arc<Shared>, cell: Task) {
    if let Err(cell) = push_local(shared, cell) {
        shared.injector.push(cell);
        shared.idle.notify_one();
    }
}

/// Victim selection only needs to be cheap and spread out.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}
