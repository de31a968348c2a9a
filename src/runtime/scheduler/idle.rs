//! Parking and unparking idle workers without lost wake-ups.
//!
//! # Protocol
//! 1. A worker that found no work registers itself as sleeping (`num_sleeping` += 1, SeqCst),
//!    issues a SeqCst fence, and looks at every queue once more.
//! 2. If it finds work it unregisters and runs it; otherwise it parks.
//! 3. Whoever makes work available pushes it first, issues a SeqCst fence, then reads
//!    `num_sleeping`; if non-zero it pops a sleeper and unparks it.
//!
//! Steps 1 and 3 are a Dekker pair: either the pusher sees the sleeper, or the sleeper's re-check
//! sees the work. The parker keeps an unpark token, so an unpark that lands before `park` is not lost.

use std::sync::atomic::{fence, AtomicBool, AtomicUsize, Ordering};

use crossbeam_utils::sync::{Parker, Unparker};
use parking_lot::Mutex;

pub(crate) struct Idle {
    sleepers: Mutex<Vec<usize>>,
    num_sleeping: AtomicUsize,
    parked: Vec<AtomicBool>,
    unparkers: Vec<Unparker>,
}

impl Idle {
    pub(crate) fn new(workers: usize) -> (Idle, Vec<Parker>) {
        let parkers: Vec<Parker> = (0..workers).map(|_| Parker::new()).collect();
        let idle = Idle {
            sleepers: Mutex::new(Vec::with_capacity(workers)),
            num_sleeping: AtomicUsize::new(0),
            parked: (0..workers).map(|_| AtomicBool::new(false)).collect(),
            unparkers: parkers.iter().map(|p| p.unparker().clone()).collect(),
        };
        (idle, parkers)
    }

    /// Step 1 (first half): announce that worker `i` is about to sleep.
    pub(crate) fn register_sleeper(&self, i: usize) {
        let mut s = self.sleepers.lock();
        if !self.parked[i].swap(true, Ordering::SeqCst) {
            s.push(i);
            self.num_sleeping.fetch_add(1, Ordering::SeqCst);
        }
        drop(s);
        fence(Ordering::SeqCst);
    }

    /// Undo `register_sleeper` (found work on the re-check, or woke up).
    pub(crate) fn unregister_sleeper(&self, i: usize) {
        let mut s = self.sleepers.lock();
        if self.parked[i].swap(false, Ordering::SeqCst) {
            s.retain(|&w| w != i);
            self.num_sleeping.fetch_sub(1, Ordering::SeqCst);
        }
    }

    pub(crate) fn is_parked(&self, i: usize) -> bool {
        self.parked[i].load(Ordering::SeqCst)
    }

    /// Step 3: after making work available, wake one sleeper if there is any.
    pub(crate) fn notify_one(&self) {
        fence(Ordering::SeqCst);
        if self.num_sleeping.load(Ordering::SeqCst) == 0 {
            return;
        }
        let mut s = self.sleepers.lock();
        if let Some(i) = s.pop() {
            self.parked[i].store(false, Ordering::SeqCst);
            self.num_sleeping.fetch_sub(1, Ordering::SeqCst);
            drop(s);
            self.unparkers[i].unpark();
        }
    }

    /// Wake worker `i` specifically (its affinity queue got work).
    pub(crate) fn unpark(&self, i: usize) {
        fence(Ordering::SeqCst);
        self.unregister_sleeper(i);
        self.unparkers[i].unpark();
    }

    pub(crate) fn unpark_all(&self) {
        for i in 0..self.unparkers.len() {
            self.unpark(i);
        }
    }

    pub(crate) fn num_sleeping(&self) -> usize {
        self.num_sleeping.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    /// A sleeper that registers, re-checks and parks is always woken by a later notify.
    #[test]
    fn notify_after_register_wakes_the_sleeper() {
        for _ in 0..200 {
            let (idle, mut parkers) = Idle::new(1);
            let idle = Arc::new(idle);
            let work = Arc::new(AtomicBool::new(false));
            let parker = parkers.pop().unwrap();
            let (i2, w2) = (idle.clone(), work.clone());
            let t = std::thread::spawn(move || {
                i2.register_sleeper(0);
                if !w2.load(Ordering::SeqCst) {
                    // Bounded so a lost wake-up fails the test instead of hanging it.
                    parker.park_timeout(Duration::from_secs(5));
                }
                i2.unregister_sleeper(0);
                w2.load(Ordering::SeqCst)
            });
            work.store(true, Ordering::SeqCst);
            idle.notify_one();
            assert!(t.join().unwrap(), "sleeper woke without seeing the work");
        }
    }
}
