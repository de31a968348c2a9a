//! Timers for sleeps, `time.after`, select timeouts and cancel deadlines: one thread, one heap.
//!
//! A timer holds only a weak reference to its process, so timers of ended processes cost nothing
//! but their heap slot until they come due. Cancelling is done by the process ignoring the timer
//! ID when it fires, which keeps setting a timer to one heap push.

use std::cmp::{Ordering as CmpOrdering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::Instant;

use parking_lot::{Condvar, Mutex};

use crate::process::{ProcessCell, Signal};

/// What a due timer delivers.
#[derive(Debug)]
pub enum TimerAction {
    /// `Signal::Timer(id)`: the process looks up what the ID was for.
    Fire(u64),
    /// `Signal::Kill`: a cancel deadline expired.
    Kill(String),
}

struct Entry {
    at: Instant,
    seq: u64,
    target: Weak<ProcessCell>,
    action: TimerAction,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at && self.seq == other.seq
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> CmpOrdering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

struct Inner {
    heap: Mutex<BinaryHeap<Reverse<Entry>>>,
    cv: Condvar,
    seq: AtomicU64,
    shutdown: AtomicBool,
}

pub struct Timers {
    inner: Arc<Inner>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Timers {
    pub fn start() -> std::io::Result<Timers> {
        let inner = Arc::new(Inner {
            heap: Mutex::new(BinaryHeap::new()),
            cv: Condvar::new(),
            seq: AtomicU64::new(0),
            shutdown: AtomicBool::new(false),
        });
        let i2 = inner.clone();
        let thread = std::thread::Builder::new().name("wippy-timers".into()).spawn(move || run(i2))?;
        Ok(Timers { inner, thread: Mutex::new(Some(thread)) })
    }

    /// A fresh timer ID, unique for the runtime.
    pub fn next_id(&self) -> u64 {
        self.inner.seq.fetch_add(1, Ordering::Relaxed)
    }

    pub fn schedule(&self, at: Instant, target: &Arc<ProcessCell>, action: TimerAction) {
        let seq = self.next_id();
        let mut heap = self.inner.heap.lock();
        let earliest = heap.peek().is_none_or(|Reverse(top)| at < top.at);
        heap.push(Reverse(Entry { at, seq, target: Arc::downgrade(target), action }));
        drop(heap);
        if earliest {
            self.inner.cv.notify_one();
        }
    }

    pub fn shutdown(&self) {
        self.inner.shutdown.store(true, Ordering::SeqCst);
        self.inner.cv.notify_all();
        if let Some(t) = self.thread.lock().take() {
            let _ = t.join();
        }
    }
}

fn run(inner: Arc<Inner>) {
    let mut due = Vec::new();
    loop {
        {
            let mut heap = inner.heap.lock();
            loop {
                if inner.shutdown.load(Ordering::SeqCst) {
                    return;
                }
                let now = Instant::now();
                while heap.peek().is_some_and(|Reverse(top)| top.at <= now) {
                    due.push(heap.pop().expect("peeked").0);
                }
                if !due.is_empty() {
                    break;
                }
                match heap.peek() {
                    Some(Reverse(top)) => {
                        let at = top.at;
                        inner.cv.wait_until(&mut heap, at);
                    }
                    None => inner.cv.wait(&mut heap),
                }
            }
        }
        for entry in due.drain(..) {
            if let Some(cell) = entry.target.upgrade() {
                let signal = match entry.action {
                    TimerAction::Fire(id) => Signal::Timer(id),
                    TimerAction::Kill(reason) => Signal::Kill { reason },
                };
                cell.deliver(signal);
            }
        }
    }
}
