//! The event bus behind the `events` module: best-effort fan-out of `{system, kind, path, data}`
//! events to subscribed processes.
//!
//! Delivery is an ordinary message to the subscriber with the reserved topic of its subscription
//! (`@events:<id>`); the subscriber's `events.subscribe` registered a listener for that topic,
//! so the message is routed into the subscription's channel when the subscriber next runs, the
//! way `process.listen` channels are fed. The event value is built once and shared by pointer
//! among receivers; each builds its own Lua copy.
//!
//! No leaks: a subscription ends with `close`, and all of a process's subscriptions end when the
//! process ends (`drop_process`, called from the exit path); a send that finds a subscriber
//! already gone drops it too.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;

use crate::process::{Message, Pid, ProcessCell, Signal};
use crate::value::Value;

/// The topic prefix of event deliveries (`@` topics cannot be sent or listened to by Lua code).
pub const TOPIC_PREFIX: &str = "@events:";

struct Subscriber {
    id: u64,
    cell: Arc<ProcessCell>,
    /// A pattern where `*` matches any run of characters; `*` alone matches every kind.
    kind: String,
    topic: Arc<str>,
}

/// What a new subscription is known by: its ID and system (to close it) and the topic it is
/// delivered under.
#[derive(Debug, Clone)]
pub struct SubscriptionId {
    pub id: u64,
    pub system: String,
    pub topic: Arc<str>,
}

#[derive(Default)]
pub struct EventBus {
    /// Subscribers by system.
    subs: RwLock<HashMap<String, Vec<Subscriber>>>,
    /// How many subscriptions are live, so that a process ending costs no lock while nobody
    /// subscribes (every exit asks `drop_process`).
    live: AtomicUsize,
    next_id: AtomicU64,
}

impl EventBus {
    pub fn subscribe(&self, cell: &Arc<ProcessCell>, system: &str, kind: &str) -> SubscriptionId {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let topic: Arc<str> = Arc::from(format!("{TOPIC_PREFIX}{id}"));
        let mut subs = self.subs.write();
        let sub = Subscriber { id, cell: cell.clone(), kind: kind.to_string(), topic: topic.clone() };
        subs.entry(system.to_string()).or_default().push(sub);
        self.live.fetch_add(1, Ordering::Relaxed);
        SubscriptionId { id, system: system.to_string(), topic }
    }

    /// Ends a subscription; ending one that has already ended does nothing.
    pub fn unsubscribe(&self, sub: &SubscriptionId) {
        let mut subs = self.subs.write();
        self.remove(&mut subs, Some(&sub.system), |s| s.id == sub.id);
    }

    /// Ends every subscription of a process that has ended.
    pub fn drop_process(&self, pid: Pid) {
        if self.live.load(Ordering::Relaxed) == 0 {
            return;
        }
        let mut subs = self.subs.write();
        self.remove(&mut subs, None, |s| s.cell.pid == pid);
    }

    /// Removes the subscribers of `system` (or of every system) that `gone` picks.
    fn remove(
        &self,
        subs: &mut HashMap<String, Vec<Subscriber>>,
        system: Option<&str>,
        gone: impl Fn(&Subscriber) -> bool,
    ) {
        let mut removed = 0;
        subs.retain(|sys, list| {
            if system.is_none_or(|s| s == sys) {
                let before = list.len();
                list.retain(|s| !gone(s));
                removed += before - list.len();
            }
            !list.is_empty()
        });
        self.live.fetch_sub(removed, Ordering::Relaxed);
    }

    /// Delivers the event to every matching subscriber; returns how many it reached.
    pub fn send(&self, system: &str, kind: &str, path: &str, data: Value) -> usize {
        let event = Value::table(
            Vec::new(),
            vec![
                (Value::str("system"), Value::str(system)),
                (Value::str("kind"), Value::str(kind)),
                (Value::str("path"), Value::str(path)),
                (Value::str("data"), data),
            ],
        );
        let mut reached = 0;
        let mut dead = Vec::new();
        if let Some(list) = self.subs.read().get(system) {
            for s in list.iter().filter(|s| glob(&s.kind, kind)) {
                let msg = Message { from: None, topic: s.topic.clone(), payload: vec![event.clone()] };
                if s.cell.deliver(Signal::Message(msg)) {
                    reached += 1;
                } else {
                    dead.push(s.id);
                }
            }
        }
        if !dead.is_empty() {
            let mut subs = self.subs.write();
            self.remove(&mut subs, Some(system), |s| dead.contains(&s.id));
        }
        reached
    }

    /// Live subscriptions (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.live.load(Ordering::Relaxed)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `*` matches any run of characters (including none); every other character matches itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was and the text position it is currently matched up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::{Process, Schedule, Step};

    struct Idle;
    impl Process for Idle {
        fn step(&mut self, _: &Arc<ProcessCell>) -> Step {
            Step::Wait
        }
    }
    struct NoScheduler;
    impl Schedule for NoScheduler {
        fn schedule(&self, _: Arc<ProcessCell>) {}
    }

    fn cell(n: u64) -> Arc<ProcessCell> {
        ProcessCell::new(Pid(n), Arc::from(format!("p{n}")), 0, Box::new(Idle), Arc::new(NoScheduler))
    }

    #[test]
    fn glob_patterns() {
        assert!(glob("*", ""));
        assert!(glob("*", "user.created"));
        assert!(glob("user.*", "user.created"));
        assert!(!glob("user.*", "order.created"));
        assert!(glob("*.created", "user.created"));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXbYY"));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
    }

    #[test]
    fn events_reach_matching_subscribers_only() {
        let bus = EventBus::default();
        let (a, b) = (cell(1), cell(2));
        bus.subscribe(&a, "users", "*");
        bus.subscribe(&b, "users", "deleted");
        assert_eq!(bus.send("users", "created", "/u/1", Value::Nil), 1);
        assert_eq!(bus.send("users", "deleted", "/u/1", Value::Nil), 2);
        assert_eq!(bus.send("orders", "deleted", "/o/1", Value::Nil), 0);
    }

    #[test]
    fn closed_and_dead_subscribers_are_dropped() {
        let bus = EventBus::default();
        let (a, b, c) = (cell(1), cell(2), cell(3));
        let sa = bus.subscribe(&a, "s", "*");
        bus.subscribe(&b, "s", "*");
        bus.subscribe(&b, "s", "k");
        bus.subscribe(&c, "s", "*");
        bus.unsubscribe(&sa);
        bus.unsubscribe(&sa);
        assert_eq!(bus.len(), 3);
        bus.drop_process(b.pid);
        assert_eq!(bus.len(), 1);
        // A process that ended without the exit path having run yet: the next send drops it.
        c.mark_done();
        assert_eq!(bus.send("s", "k", "", Value::Nil), 0);
        assert!(bus.is_empty());
    }

    /// Waits for one signal, then ends.
    struct OneShot;
    impl Process for OneShot {
        fn step(&mut self, cell: &Arc<ProcessCell>) -> Step {
            let mut signals = std::collections::VecDeque::new();
            cell.drain_mailbox(&mut signals);
            if signals.is_empty() {
                Step::Wait
            } else {
                Step::Exit(Ok(Value::Nil))
            }
        }
    }

    #[test]
    fn a_process_ending_ends_its_subscriptions() {
        let registry = crate::registry::Registry::from_entries(std::env::temp_dir(), Vec::new());
        let rt = crate::runtime::Runtime::start(Arc::new(registry), Some(1)).expect("runtime");
        let (tx, rx) = crossbeam_channel::bounded(1);
        let ties = crate::runtime::SpawnTies { observer: Some(tx), ..Default::default() };
        let host = rt.default_process_host();
        let cell = rt.shared().spawn(&host, Box::new(OneShot), ties).expect("spawn");
        let bus = &rt.shared().events;
        bus.subscribe(&cell, "s", "*");
        bus.subscribe(&cell, "t", "k");
        assert_eq!(bus.len(), 2);
        cell.deliver(Signal::Timer(0));
        let exit = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the process ended");
        assert!(exit.is_ok());
        // Observers are told after the exit path has run.
        assert!(bus.is_empty());
        rt.shutdown();
    }
}
