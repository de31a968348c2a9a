//! Running `process.service` entries: each service has a supervising thread that starts its
//! process, waits for it to end, and restarts it after `initial_delay × backoff_factor^(n-1)`
//! (capped at `max_delay`, ± `jitter`) until `max_attempts` is reached. Running longer than
//! `stable_threshold` resets the count. Stopping sends CANCEL and terminates after `stop_timeout`.
//!
//! The supervising thread blocks on the process's exit (no polling); stopping wakes it by ending
//! the process, and wakes a pending backoff through a condition variable.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use std::sync::mpsc::Receiver;

use crate::process::{ExitResult, ProcessCell, Signal};
use crate::registry::{Entry, EntryKind, RestartPolicy, ServiceConfig};
use crate::runtime::{Runtime, SpawnTies, TimerAction};
use crate::value::ErrorValue;

struct ServiceState {
    id: String,
    current: Mutex<Option<Arc<ProcessCell>>>,
    stopping: AtomicBool,
    wake: Condvar,
    wake_lock: Mutex<()>,
    stop_timeout: Duration,
}

/// The running services, in start order.
pub struct Services {
    rt: Runtime,
    running: Vec<(Arc<ServiceState>, JoinHandle<()>)>,
}

/// Starts every `auto_start` service, dependencies first: each service's first process is spawned
/// here, in order, before its supervising thread takes over.
pub fn start_services(rt: &Runtime) -> Services {
    let registry = rt.registry();
    let services: Vec<&Entry> =
        registry.entries().filter(|e| matches!(&e.kind, EntryKind::Service(s) if s.lifecycle.auto_start)).collect();
    let mut ordered: Vec<&Entry> = Vec::new();
    fn visit<'a>(e: &'a Entry, all: &[&'a Entry], out: &mut Vec<&'a Entry>, depth: usize) {
        if out.iter().any(|o| o.id == e.id) || depth > all.len() {
            return;
        }
        if let EntryKind::Service(s) = &e.kind {
            for dep in &s.lifecycle.requires {
                if let Some(d) = all.iter().find(|x| &x.id == dep) {
                    visit(d, all, out, depth + 1);
                }
            }
        }
        out.push(e);
    }
    for e in &services {
        visit(e, &services, &mut ordered, 0);
    }
    let mut running = Vec::new();
    for e in ordered {
        let EntryKind::Service(cfg) = &e.kind else {
            continue;
        };
        let state = Arc::new(ServiceState {
            id: e.id.to_string(),
            current: Mutex::new(None),
            stopping: AtomicBool::new(false),
            wake: Condvar::new(),
            wake_lock: Mutex::new(()),
            stop_timeout: cfg.lifecycle.stop_timeout,
        });
        let first = start_once(rt, &state, cfg);
        let (rt2, st2, cfg2) = (rt.clone(), state.clone(), cfg.clone());
        match std::thread::Builder::new()
            .name(format!("service {}", e.id))
            .spawn(move || supervise(rt2, st2, cfg2, first))
        {
            Ok(h) => running.push((state, h)),
            Err(err) => tracing::error!("service {}: cannot start its supervisor thread: {err}", e.id),
        }
    }
    Services { rt: rt.clone(), running }
}

impl Services {
    /// Stops the services in reverse start order, each within its `stop_timeout`.
    pub fn stop(self) {
        for (state, handle) in self.running.into_iter().rev() {
            state.stopping.store(true, Ordering::SeqCst);
            {
                let _g = state.wake_lock.lock();
                state.wake.notify_all();
            }
            if let Some(cell) = state.current.lock().clone() {
                cell.deliver(Signal::Cancel { reason: "runtime shutdown".into(), deadline: Some(state.stop_timeout) });
                self.rt.shared().timers.schedule(
                    Instant::now() + state.stop_timeout,
                    &cell,
                    TimerAction::Kill("terminated: stop_timeout passed".into()),
                );
            }
            let _ = handle.join();
        }
    }
}

/// A started run of a service: when it started and where its exit will arrive.
type Run = (Instant, Receiver<ExitResult>);

/// Spawns one run of the service; `Err` when it could not even start.
fn start_once(rt: &Runtime, state: &ServiceState, cfg: &ServiceConfig) -> Result<Run, Arc<ErrorValue>> {
    let host = rt
        .host(&cfg.host)
        .ok_or_else(|| Arc::new(ErrorValue::new("NOT_FOUND", format!("host {} does not exist", cfg.host))))?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let ties = SpawnTies { observer: Some(tx), ..Default::default() };
    let cell = crate::lua::spawn_entry(rt, &cfg.process, &host, cfg.input.clone(), ties)?;
    tracing::info!("service {} started ({})", state.id, cell.name);
    *state.current.lock() = Some(cell);
    Ok((Instant::now(), rx))
}

fn supervise(rt: Runtime, state: Arc<ServiceState>, cfg: ServiceConfig, first: Result<Run, Arc<ErrorValue>>) {
    let mut attempts: u32 = 0;
    let mut run = first;
    loop {
        let (started, result) = match run {
            Ok((started, rx)) => {
                // A stop that raced with the spawn has not seen this process: end it here.
                if state.stopping.load(Ordering::SeqCst) {
                    if let Some(c) = state.current.lock().as_ref() {
                        c.deliver(Signal::Kill { reason: "terminated: runtime shutdown".into() });
                    }
                }
                (started, rx.recv().unwrap_or(Ok(crate::value::Value::Nil)))
            }
            Err(e) => (Instant::now(), Err(e)),
        };
        *state.current.lock() = None;
        if state.stopping.load(Ordering::SeqCst) {
            tracing::info!("service {} stopped", state.id);
            return;
        }
        if started.elapsed() >= cfg.lifecycle.stable_threshold {
            attempts = 0;
        }
        attempts += 1;
        let why = match &result {
            Ok(_) => "exited".to_string(),
            Err(e) => format!("failed: {}", e.message),
        };
        let policy = &cfg.lifecycle.restart;
        if policy.max_attempts > 0 && attempts > policy.max_attempts {
            tracing::error!("service {} {why}; gave up after {} restart attempts", state.id, policy.max_attempts);
            return;
        }
        let delay = backoff(policy, attempts);
        tracing::warn!("service {} {why}; restarting in {:?} (attempt {attempts})", state.id, delay);
        {
            let mut g = state.wake_lock.lock();
            if !state.stopping.load(Ordering::SeqCst) {
                state.wake.wait_for(&mut g, delay);
            }
        }
        if state.stopping.load(Ordering::SeqCst) {
            tracing::info!("service {} stopped", state.id);
            return;
        }
        run = start_once(&rt, &state, &cfg);
    }
}

/// `initial_delay × backoff_factor^(n-1)`, capped at `max_delay`, ± `jitter` (a fraction).
pub fn backoff(p: &RestartPolicy, attempt: u32) -> Duration {
    let base = p.initial_delay.as_secs_f64() * p.backoff_factor.powi(attempt.saturating_sub(1) as i32);
    let capped = base.min(p.max_delay.as_secs_f64());
    let jitter = if p.jitter > 0.0 { capped * p.jitter * (rand::random::<f64>() * 2.0 - 1.0) } else { 0.0 };
    Duration::from_secs_f64((capped + jitter).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_by_the_factor_and_is_capped() {
        let p = RestartPolicy {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            backoff_factor: 2.0,
            jitter: 0.0,
            max_attempts: 0,
        };
        let got: Vec<u128> = (1..=5).map(|n| backoff(&p, n).as_millis()).collect();
        assert_eq!(got, vec![100, 200, 400, 500, 500]);
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let p = RestartPolicy { jitter: 0.1, ..RestartPolicy::default() };
        for _ in 0..100 {
            let d = backoff(&p, 1).as_secs_f64();
            assert!((0.9..=1.1).contains(&d), "{d}");
        }
    }
}
