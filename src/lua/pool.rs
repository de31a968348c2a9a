//! Recycled process states: a process that ends leaves its Lua state, emptied
//! (`sandbox::empty`), to the next process spawned on the same worker thread, with the module
//! it ran already loaded. Making a state and loading its code were two thirds of a short-lived
//! process's life (skynet, restarts).
//!
//! A state is recycled only when nothing about it is doubtful: the process did not run out of
//! memory or past its hard limit, and the state's heap, garbage included, is under `MAX_HEAP`.
//! Each worker thread keeps its own pool, so taking and giving back never lock; a pool holds at
//! most `CAPACITY` states (up to 16 MB), closed when the thread ends.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use mlua::{Function, Lua};

use super::code::Code;
use super::sandbox::{Globals, TaskFns};

/// States per worker thread.
const CAPACITY: usize = 256;

/// A state whose heap (live objects and garbage not collected yet) is larger is closed instead.
pub const MAX_HEAP: usize = 64 * 1024;

/// A Lua state between two processes.
pub struct Pooled {
    pub lua: Lua,
    pub fns: TaskFns,
    pub globals: Globals,
    /// The module the last process ran: its code (held, so the cache cannot reuse its address
    /// for other code) and its main chunk, ready to run again.
    pub module: Option<(Arc<Code>, Function)>,
}

thread_local! {
    static POOL: RefCell<Vec<Pooled>> = const { RefCell::new(Vec::new()) };
}

static REUSED: AtomicU64 = AtomicU64::new(0);

/// A recycled state, if this thread has one.
pub fn take() -> Option<Pooled> {
    // `try_with`: a thread that is ending has no pool any more.
    let state = POOL.try_with(|p| p.borrow_mut().pop()).ok().flatten();
    if state.is_some() {
        REUSED.fetch_add(1, Ordering::Relaxed);
    }
    state
}

/// How many processes, in this OS process so far, started in a recycled state.
pub fn reused() -> u64 {
    REUSED.load(Ordering::Relaxed)
}

/// Empties `state` and keeps it for the next process, or closes it if it is too big, cannot
/// be emptied, or the pool is full.
pub fn give(state: Pooled) {
    if state.lua.used_memory() > MAX_HEAP {
        return;
    }
    let _ = POOL.try_with(|p| {
        let mut pool = p.borrow_mut();
        if pool.len() < CAPACITY && super::sandbox::empty(&state.lua, &state.globals).is_ok() {
            pool.push(state);
        }
    });
}
