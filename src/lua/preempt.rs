//! Preemption of long-running Lua: a watchdog installs a count hook on a coroutine that has run
//! longer than its time slice; the hook yields it back to the scheduler. Code that never runs
//! that long pays nothing (no hook is installed). This is the only file with raw Lua API calls.
//!
//! # Protocol
//! 1. Before resuming a task, the worker records the coroutine's `lua_State` and the time in its
//!    thread's slot (under the slot's lock); after the resume it clears the slot, removing the
//!    hook if one was installed.
//! 2. Every `WATCHDOG_TICK` the watchdog locks each slot; if its coroutine has run longer than
//!    its host's time slice, it installs the hook (`lua_sethook` is designed to be called asynchronously:
//!    Lua's own interpreter does it from a signal handler).
//! 3. The hook, running on the worker thread inside the coroutine, yields with no values when the
//!    coroutine can yield. The step loop sees a yield without the SUSPEND marker, requeues the
//!    task, and ends the step with `Step::Yield`. The hook stays installed until the end of the
//!    next resume: mlua tells a hook yield from a normal one by the thread having a hook, and
//!    treats the suspended frame's registers as yielded values otherwise. Until the next slice
//!    expires the hook returns at once, and it is removed after a resume that did not end in a
//!    hook yield.
//! 4. Where it cannot yield (inside a C function: a `table.sort` comparator, a `gsub` callback,
//!    an `xpcall` message handler) the hook stays and re-checks every `HOOK_COUNT` instructions;
//!    after the host's hard limit it raises an error.
//! 5. The hard limit is sticky: the process is then *doomed* for the rest of the resume. The hook
//!    is re-set to fire on every instruction; it raises again wherever the code cannot yield (so a
//!    `pcall` that catches the error, or a loop in a message handler, gains nothing), and yields
//!    at the first instruction where it can. The hook raises a *memory* error, for which Lua runs
//!    no message handler (a handler run from inside the hook would run with hooks off). After the resume the step loop asks `Running::doomed`
//!    and ends the process with the hard-limit error (`hard_limit_error`), whatever the resume
//!    returned. Native code that runs no Lua (the pattern matcher, `pattern.rs`) asks
//!    `over_hard_limit` itself and raises the same error.
//!
//! 6. User coroutines (`coroutine.resume`/`wrap`, `raw.rs`) tell this module when they start and
//!    stop running (`enter`/`leave`): the slot then names the running coroutine, so the watchdog
//!    hooks the code that actually runs, and a switch moves an installed hook along. When the hook
//!    yields a user coroutine it says so (`take_co_preempted`): its resumer (`raw.rs`) then yields
//!    a PREEMPT marker up through every coroutine to the task, as it forwards blocking calls, and
//!    the answer (nothing) travels back down; the code that resumed the coroutine never sees a
//!    yield of its own. Where a user coroutine cannot yield, step 4 and 5 apply as in the task.

use std::ffi::c_int;
use std::sync::{Arc, OnceLock, Weak};
use std::time::{Duration, Instant};

use mlua::ffi;
use parking_lot::Mutex;

/// Running Lua without yielding inside a C callback beyond this ends the process (the default of
/// a host's `hard_limit`).
pub const HARD_LIMIT: Duration = Duration::from_secs(1);
const WATCHDOG_TICK: Duration = Duration::from_millis(2);
const HOOK_COUNT: c_int = 1000;
/// Lua's own out-of-memory message: `lua_error` with exactly this (interned) string raises a
/// memory error (lapi.c, `lua_error`), which runs no message handler.
const MEMERRMSG: &std::ffi::CStr = c"not enough memory";

struct SlotState {
    state: *mut ffi::lua_State,
    since: Instant,
    slice: Duration,
    hooked: bool,
}

// SAFETY: the raw pointer is only dereferenced (by `lua_sethook`) while the slot's lock is held,
// and the worker clears it under the same lock before the coroutine can be resumed elsewhere or
// freed; so the pointer is valid whenever another thread uses it.
unsafe impl Send for SlotState {}

struct Slot {
    inner: Mutex<SlotState>,
}

/// What the hook (running on this worker thread) needs to know about the current resume.
#[derive(Clone, Copy)]
struct Current {
    task: *mut ffi::lua_State,
    /// The coroutine running now: the task's, or a user coroutine it resumed (step 6).
    active: *mut ffi::lua_State,
    since: Option<Instant>,
    limits: Limits,
    hook_yielded: bool,
    /// The hard limit was hit during this resume (step 5).
    doomed: bool,
    /// The hook just yielded a user coroutine (step 6).
    co_preempted: bool,
}

/// A host's time slice and hard limit.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub slice: Duration,
    pub hard: Duration,
}

const NOT_RUNNING: Current = Current {
    task: std::ptr::null_mut(),
    active: std::ptr::null_mut(),
    since: None,
    limits: Limits { slice: super::TIME_SLICE, hard: HARD_LIMIT },
    hook_yielded: false,
    doomed: false,
    co_preempted: false,
};

thread_local! {
    static SLOT: Arc<Slot> = register_slot();
    static CURRENT: std::cell::Cell<Current> = const { std::cell::Cell::new(NOT_RUNNING) };
}

static SLOTS: OnceLock<Mutex<Vec<Weak<Slot>>>> = OnceLock::new();

fn register_slot() -> Arc<Slot> {
    let slot = Arc::new(Slot {
        inner: Mutex::new(SlotState {
            state: std::ptr::null_mut(),
            since: Instant::now(),
            slice: super::TIME_SLICE,
            hooked: false,
        }),
    });
    let slots = SLOTS.get_or_init(|| {
        let _ = std::thread::Builder::new().name("wippy-watchdog".into()).spawn(watchdog);
        Mutex::new(Vec::new())
    });
    let mut all = slots.lock();
    all.retain(|w| w.strong_count() > 0);
    all.push(Arc::downgrade(&slot));
    slot
}

/// Marks `thread` as running on this worker until the guard is dropped (step 1).
pub struct Running {
    slot: Arc<Slot>,
}

pub fn running(thread: &mlua::Thread, limits: Limits) -> Running {
    let slot = SLOT.with(|s| s.clone());
    let now = Instant::now();
    let task = thread.to_pointer() as *mut ffi::lua_State;
    {
        let mut st = slot.inner.lock();
        st.state = task;
        st.since = now;
        st.slice = limits.slice;
        // SAFETY: `thread` is alive (the caller holds it) and not running.
        st.hooked = unsafe { ffi::lua_gethook(task) }.is_some();
    }
    CURRENT.with(|c| {
        c.set(Current {
            task,
            active: task,
            since: Some(now),
            limits,
            hook_yielded: false,
            doomed: false,
            co_preempted: false,
        })
    });
    Running { slot }
}

impl Running {
    /// Whether this resume hit the hard limit (step 5): the process must end with
    /// `hard_limit_error`, whatever the resume returned.
    pub fn doomed(&self) -> bool {
        CURRENT.with(|c| c.get().doomed)
    }

    /// The hard-limit error text for this resume.
    pub fn hard_limit_error(&self) -> String {
        hard_limit_text(CURRENT.with(|c| c.get().limits.hard))
    }
}

/// Step 6: the user coroutine `co` starts running (inside `lua_resume`) on this worker. Returns
/// what to pass to `leave` once `lua_resume` returns.
///
/// # Safety
/// `co` must be a live coroutine that stays alive until the matching `leave`.
pub unsafe fn enter(co: *mut ffi::lua_State) -> *mut ffi::lua_State {
    let current = CURRENT.with(|c| c.get());
    if current.since.is_none() {
        return std::ptr::null_mut();
    }
    // SAFETY: `current.active` is running (it is resuming `co`); `co` per the contract.
    unsafe { switch(current, co) };
    current.active
}

/// Step 6: the coroutine started by `enter` stopped running; `prev` runs again.
///
/// # Safety
/// `prev` is what the matching `enter` returned, and the coroutine `enter` was given is alive.
pub unsafe fn leave(prev: *mut ffi::lua_State) {
    if prev.is_null() {
        return;
    }
    let current = CURRENT.with(|c| c.get());
    // SAFETY: both coroutines are alive per the contract.
    unsafe { switch(current, prev) };
}

/// Makes `to` the running coroutine, moving the hook from `current.active` if it has one.
unsafe fn switch(current: Current, to: *mut ffi::lua_State) {
    let slot = SLOT.with(|s| s.clone());
    let mut st = slot.inner.lock();
    if st.hooked {
        let count = if current.doomed { 1 } else { HOOK_COUNT };
        // SAFETY: both states are alive (see callers) and we hold the slot lock, so the watchdog
        // is not touching them.
        unsafe {
            ffi::lua_sethook(current.active, None, 0, 0);
            ffi::lua_sethook(to, Some(hook), ffi::LUA_MASKCOUNT, count);
        }
    }
    st.state = to;
    drop(st);
    CURRENT.with(|c| c.set(Current { active: to, ..current }));
}

/// Step 6: whether the user coroutine whose `lua_resume` just returned was yielded by the hook
/// (then it yielded nothing, and its resumer must pass the preemption up). Clears the flag.
pub fn take_co_preempted() -> bool {
    let current = CURRENT.with(|c| c.get());
    if current.co_preempted {
        CURRENT.with(|c| c.set(Current { co_preempted: false, ..current }));
    }
    current.co_preempted
}

/// For native code running on behalf of the current resume that cannot be hooked (step 5): the
/// NUL-terminated hard-limit message once the resume has run longer than its hard limit (the
/// resume is then doomed), else `None`. Outside a resume, always `None`.
pub fn over_hard_limit() -> Option<&'static std::ffi::CStr> {
    let current = CURRENT.with(|c| c.get());
    let since = current.since?;
    if current.doomed || since.elapsed() >= current.limits.hard {
        CURRENT.with(|c| c.set(Current { doomed: true, ..current }));
        return Some(hard_limit_message(current.limits.hard));
    }
    None
}

impl Drop for Running {
    fn drop(&mut self) {
        let current = CURRENT.with(|c| c.get());
        let mut st = self.slot.inner.lock();
        if st.hooked && !current.hook_yielded && !st.state.is_null() {
            // SAFETY: the coroutine is alive (its resume just returned on this thread and the
            // process still owns it), and we hold the slot lock so the watchdog is not using it.
            unsafe { ffi::lua_sethook(st.state, None, 0, 0) };
        }
        st.state = std::ptr::null_mut();
        st.hooked = false;
        CURRENT.with(|c| c.set(NOT_RUNNING));
    }
}

fn watchdog() {
    loop {
        std::thread::sleep(WATCHDOG_TICK);
        let Some(slots) = SLOTS.get() else { continue };
        let live: Vec<Arc<Slot>> = slots.lock().iter().filter_map(Weak::upgrade).collect();
        for slot in live {
            let mut st = slot.inner.lock();
            if !st.state.is_null() && !st.hooked && st.since.elapsed() >= st.slice {
                // SAFETY: see `SlotState`; the coroutine is being resumed on its worker and cannot
                // be freed while we hold the lock. `lua_sethook` only stores the hook and mask,
                // which Lua supports doing asynchronously (step 2).
                unsafe { ffi::lua_sethook(st.state, Some(hook), ffi::LUA_MASKCOUNT, HOOK_COUNT) };
                st.hooked = true;
            }
        }
    }
}

/// Step 3 and 4, on the worker thread, inside the running coroutine.
unsafe extern "C-unwind" fn hook(state: *mut ffi::lua_State, _ar: *mut ffi::lua_Debug) {
    // SAFETY: Lua calls the hook with the running coroutine's valid state. This function has no
    // Rust values with destructors alive when it yields or raises (both leave it by longjmp).
    unsafe {
        let current = CURRENT.with(|c| c.get());
        if state != current.active {
            // A coroutine created while the hook was set inherited it; it is not running now.
            ffi::lua_sethook(state, None, 0, 0);
            return;
        }
        let Some(since) = current.since else { return };
        let elapsed = since.elapsed();
        if !current.doomed && elapsed < current.limits.slice {
            // Left installed by the previous preemption (step 3); this slice has time left.
            return;
        }
        if ffi::lua_isyieldable(state) != 0 {
            let current = if state == current.task {
                Current { hook_yielded: true, ..current }
            } else {
                // Step 6: the resumer forwards this yield to the task.
                Current { co_preempted: true, ..current }
            };
            CURRENT.with(|c| c.set(current));
            ffi::lua_yield(state, 0);
            return;
        }
        if current.doomed || elapsed >= current.limits.hard {
            // Step 5: from now on every instruction comes here, raising until the code can
            // yield. The slot keeps `hooked`, so the watchdog leaves this hook alone.
            if !current.doomed {
                CURRENT.with(|c| c.set(Current { doomed: true, ..current }));
                ffi::lua_sethook(state, Some(hook), ffi::LUA_MASKCOUNT, 1);
            }
            // Raised as a memory error: Lua calls no message handler for one. A hook runs with
            // hooks disabled, and an ordinary error raised here would run the `xpcall` message
            // handler right here, still without hooks: a loop in the handler would never end.
            // Code that catches it sees "not enough memory"; the step loop reports the real cause.
            ffi::lua_pushstring(state, MEMERRMSG.as_ptr());
            ffi::lua_error(state);
        }
    }
}

/// The hard-limit error text for `hard`, NUL-terminated, made once per distinct limit and kept
/// for the runtime's life (one per host setting at most).
fn hard_limit_message(hard: Duration) -> &'static std::ffi::CStr {
    static MESSAGES: Mutex<Vec<(Duration, &'static std::ffi::CStr)>> = Mutex::new(Vec::new());
    let mut all = MESSAGES.lock();
    if let Some((_, m)) = all.iter().find(|(d, _)| *d == hard) {
        return m;
    }
    let text = hard_limit_text(hard);
    let m: &'static std::ffi::CStr =
        Box::leak(std::ffi::CString::new(text).unwrap_or_else(|_| c"hard limit exceeded".into()).into_boxed_c_str());
    all.push((hard, m));
    m
}

fn hard_limit_text(hard: Duration) -> String {
    format!(
        "process ran Lua for more than {hard:?} (its hard limit) without being able to yield (inside a C callback such as a table.sort comparator, a gsub function or a message handler, or a pattern match); it was ended"
    )
}
