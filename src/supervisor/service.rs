//! Running `process.service` entries. Services start in dependency layers: every service whose
//! `requires` are up starts together with the others of its layer, and the next layer starts once
//! each of them is running (or failed to start within `start_timeout`). They stop in reverse
//! layers: CANCEL first, terminated after `stop_timeout`.
//!
//! Each service has a supervising thread that starts its process, waits for it to start and then
//! to end (blocking on channels, no polling), and asks `policy.rs` what to do next. The operator
//! view is one log line per start, failure, restart (with attempt and delay) and stop.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use crossbeam_channel::{bounded, select, Receiver};
use parking_lot::{Condvar, Mutex};

use super::policy::{Decision, Outcome, Restarts};
use super::status::{ServiceState, ServiceStatus};
use crate::process::{ExitResult, ProcessCell, Signal};
use crate::registry::{EntryId, EntryKind, RegistryDiff, ServiceConfig};
use crate::runtime::{Runtime, SpawnTies, TimerAction};
use crate::value::{ErrorValue, Value};

/// What the supervising thread and `Services::stop` share about one service.
struct Control {
    entry: EntryId,
    /// Start layers are numbered across reloads; stops go by layer, highest first.
    layer: usize,
    id: String,
    cfg: ServiceConfig,
    current: Mutex<Option<Arc<ProcessCell>>>,
    stopping: AtomicBool,
    wake: Condvar,
    wake_lock: Mutex<()>,
    status: Arc<Mutex<ServiceStatus>>,
}

impl Control {
    fn set_state(&self, state: ServiceState) {
        self.status.lock().state = state;
    }

    fn begin_stop(&self, rt: &Runtime) {
        self.stopping.store(true, Ordering::SeqCst);
        {
            let _g = self.wake_lock.lock();
            self.wake.notify_all();
        }
        if let Some(cell) = self.current.lock().clone() {
            self.set_state(ServiceState::Stopping);
            let timeout = self.cfg.lifecycle.stop_timeout;
            cell.deliver(Signal::Cancel { reason: "service stopping".into(), deadline: Some(timeout) });
            rt.shared().timers.schedule(
                Instant::now() + timeout,
                &cell,
                TimerAction::Kill("terminated: stop_timeout passed".into()),
            );
        }
    }
}

/// The running services, in start order (every service after those it requires).
pub struct Services {
    rt: Runtime,
    running: Vec<Supervised>,
    next_layer: usize,
}

/// A started service: its control block and supervising thread.
type Supervised = (Arc<Control>, JoinHandle<()>);

/// What `Services::apply` did after a reload.
#[derive(Debug, Default)]
pub struct ServiceChanges {
    pub started: Vec<String>,
    pub stopped: Vec<String>,
    pub restarted: Vec<String>,
}

/// Starts every `auto_start` service and the services they require, layer by layer.
pub fn start_services(rt: &Runtime) -> Services {
    let mut services = Services { rt: rt.clone(), running: Vec::new(), next_layer: 0 };
    let registry = rt.registry();
    let roots = registry
        .entries()
        .filter(|e| matches!(&e.kind, EntryKind::Service(s) if s.lifecycle.auto_start))
        .map(|e| e.id.clone())
        .collect();
    services.start(roots);
    services
}

impl Services {
    /// Starts `roots` and what they require that is not running yet, in dependency layers: the
    /// next layer starts once each service of this one runs or failed to start.
    fn start(&mut self, roots: Vec<EntryId>) -> Vec<String> {
        let rt = self.rt.clone();
        let registry = rt.registry();
        let services: HashMap<EntryId, ServiceConfig> = registry
            .entries()
            .filter_map(|e| match &e.kind {
                EntryKind::Service(s) => Some((e.id.clone(), s.clone())),
                _ => None,
            })
            .collect();
        let running: Vec<EntryId> = self.running.iter().map(|(c, _)| c.entry.clone()).collect();
        let mut names = Vec::new();
        for layer in start_layers(&services, roots, &running) {
            let layer_no = self.next_layer;
            self.next_layer += 1;
            let mut started = Vec::new();
            for id in layer {
                let cfg = services[&id].clone();
                let status = rt.shared().services.entry(&id.to_string());
                *status.lock() = ServiceStatus { state: ServiceState::Starting, ..ServiceStatus::default() };
                let control = Arc::new(Control {
                    entry: id.clone(),
                    layer: layer_no,
                    id: id.to_string(),
                    cfg,
                    current: Mutex::new(None),
                    stopping: AtomicBool::new(false),
                    wake: Condvar::new(),
                    wake_lock: Mutex::new(()),
                    status,
                });
                let (first_tx, first_rx) = bounded::<()>(1);
                let (rt2, c2) = (rt.clone(), control.clone());
                match std::thread::Builder::new()
                    .name(format!("service {id}"))
                    .spawn(move || supervise(rt2, c2, first_tx))
                {
                    Ok(h) => started.push((control, h, first_rx)),
                    Err(err) => tracing::error!("service {id}: cannot start its supervisor thread: {err}"),
                }
            }
            for (c, h, first) in started {
                let _ = first.recv();
                names.push(c.id.clone());
                self.running.push((c, h));
            }
        }
        names
    }

    /// Brings the services in line with a reloaded registry (`Runtime::reload` has installed
    /// it): removed services stop; services whose definition changed, or whose code changed and
    /// whose process did not opt in to upgrades (`upgradable`), restart; new `auto_start`
    /// services start. Stops go in reverse start order, starts in dependency order.
    pub fn apply(&mut self, diff: &RegistryDiff) -> ServiceChanges {
        let mut changes = ServiceChanges::default();
        let restart = |c: &Control| {
            let upgradable = c.current.lock().as_ref().is_some_and(|p| p.upgradable.load(Ordering::Relaxed));
            diff.changed.contains(&c.entry) || (diff.code_changed.contains_key(&c.cfg.process) && !upgradable)
        };
        let mut stop = Vec::new();
        let mut keep = Vec::new();
        for (c, h) in std::mem::take(&mut self.running) {
            if diff.removed.contains(&c.entry) {
                changes.stopped.push(c.id.clone());
                stop.push((c, h));
            } else if restart(&c) {
                changes.restarted.push(c.id.clone());
                stop.push((c, h));
            } else {
                keep.push((c, h));
            }
        }
        self.running = keep;
        let mut roots: Vec<EntryId> =
            stop.iter().map(|(c, _)| c.entry.clone()).filter(|id| !diff.removed.contains(id)).collect();
        stop_in_layers(&self.rt, stop);
        let registry = self.rt.registry();
        for id in &diff.added {
            if let Some(e) = registry.get(id) {
                if matches!(&e.kind, EntryKind::Service(s) if s.lifecycle.auto_start) {
                    roots.push(id.clone());
                }
            }
        }
        let restarted = changes.restarted.clone();
        changes.started = self.start(roots).into_iter().filter(|id| !restarted.contains(id)).collect();
        changes
    }

    /// Stops the services in reverse start order; services of one layer stop together, each
    /// within its `stop_timeout`.
    pub fn stop(self) {
        stop_in_layers(&self.rt, self.running);
    }
}

/// `roots` and everything they require that is not `running`, grouped so that every service
/// comes in a later layer than the services it requires. (Cycles are load errors; a cycle that
/// got here anyway is broken rather than looped on.)
fn start_layers(
    services: &HashMap<EntryId, ServiceConfig>,
    roots: Vec<EntryId>,
    running: &[EntryId],
) -> Vec<Vec<EntryId>> {
    fn depth(
        id: &EntryId,
        services: &HashMap<EntryId, ServiceConfig>,
        memo: &mut HashMap<EntryId, usize>,
        visiting: &mut Vec<EntryId>,
    ) -> usize {
        if let Some(d) = memo.get(id) {
            return *d;
        }
        if visiting.contains(id) {
            return 0;
        }
        visiting.push(id.clone());
        let d = services[id]
            .lifecycle
            .requires
            .iter()
            .filter(|r| services.contains_key(r))
            .map(|r| depth(r, services, memo, visiting) + 1)
            .max()
            .unwrap_or(0);
        visiting.pop();
        memo.insert(id.clone(), d);
        d
    }
    let mut wanted: Vec<EntryId> =
        roots.into_iter().filter(|id| services.contains_key(id) && !running.contains(id)).collect();
    wanted.sort();
    wanted.dedup();
    let mut i = 0;
    while i < wanted.len() {
        for r in &services[&wanted[i]].lifecycle.requires {
            if services.contains_key(r) && !wanted.contains(r) && !running.contains(r) {
                wanted.push(r.clone());
            }
        }
        i += 1;
    }
    let mut memo = HashMap::new();
    let mut by_depth: BTreeMap<usize, Vec<EntryId>> = BTreeMap::new();
    for id in wanted {
        let d = depth(&id, services, &mut memo, &mut Vec::new());
        by_depth.entry(d).or_default().push(id);
    }
    by_depth
        .into_values()
        .map(|mut ids| {
            ids.sort();
            ids
        })
        .collect()
}

/// Stops services by start layer, the last started first; the services of one layer stop
/// together.
fn stop_in_layers(rt: &Runtime, services: Vec<Supervised>) {
    let mut layers: BTreeMap<std::cmp::Reverse<usize>, Vec<Supervised>> = BTreeMap::new();
    for (c, h) in services {
        layers.entry(std::cmp::Reverse(c.layer)).or_default().push((c, h));
    }
    for layer in layers.into_values() {
        for (c, _) in &layer {
            c.begin_stop(rt);
        }
        for (_, h) in layer {
            let _ = h.join();
        }
    }
}

/// One run of the service: its process, its start signal and its exit.
type Run = (Arc<ProcessCell>, Receiver<()>, Receiver<ExitResult>);

fn launch(rt: &Runtime, c: &Control) -> Result<Run, Arc<ErrorValue>> {
    let host = rt
        .host(&c.cfg.host)
        .ok_or_else(|| Arc::new(ErrorValue::new("NOT_FOUND", format!("host {} does not exist", c.cfg.host))))?;
    let (exit_tx, exit_rx) = bounded(1);
    let (start_tx, start_rx) = bounded(1);
    let ties = SpawnTies { observer: Some(exit_tx), on_start: Some(start_tx), ..Default::default() };
    let security = match &c.cfg.lifecycle.security {
        None => crate::security::Security::default(),
        Some(spec) => crate::security::from_spec(&rt.registry(), spec)
            .map_err(|why| Arc::new(ErrorValue::new("INVALID", format!("lifecycle.security: {why}"))))?,
    };
    let cell = crate::lua::spawn_entry_as(rt, &c.cfg.process, &host, c.cfg.input.clone(), ties, security)?;
    *c.current.lock() = Some(cell.clone());
    c.status.lock().pid = Some(cell.name.clone());
    // A stop that raced with the spawn has not seen this process: end it here.
    if c.stopping.load(Ordering::SeqCst) {
        cell.deliver(Signal::Kill { reason: "terminated: runtime shutdown".into() });
    }
    Ok((cell, start_rx, exit_rx))
}

/// Starts one run and waits for it to end; also says whether the run was canceled. Sends on
/// `first` once the run is running or failed to start (only the first run's start gates the next
/// layer).
fn run_once(rt: &Runtime, c: &Control, first: &mut Option<crossbeam_channel::Sender<()>>) -> (ExitResult, bool) {
    let (cell, started, exited) = match launch(rt, c) {
        Ok(run) => run,
        Err(e) => {
            tracing::error!("service {} could not start: {}", c.id, e.message);
            if let Some(f) = first.take() {
                let _ = f.send(());
            }
            return (Err(e), false);
        }
    };
    let timeout = c.cfg.lifecycle.start_timeout;
    let result = select! {
        recv(started) -> _ => {
            c.set_state(ServiceState::Running);
            tracing::info!("service {} started ({})", c.id, cell.name);
            None
        }
        recv(exited) -> r => Some(r.unwrap_or(Ok(Value::Nil))),
        default(timeout) => {
            tracing::error!("service {} did not start within {:?}; terminating it", c.id, timeout);
            cell.deliver(Signal::Kill { reason: format!("terminated: did not start within {timeout:?}") });
            let _ = exited.recv();
            Some(Err(Arc::new(ErrorValue::new("TIMEOUT", format!("did not start within {timeout:?}")))))
        }
    };
    if let Some(f) = first.take() {
        let _ = f.send(());
    }
    let result = result.unwrap_or_else(|| exited.recv().unwrap_or(Ok(Value::Nil)));
    (result, cell.was_canceled())
}

fn supervise(rt: Runtime, c: Arc<Control>, first: crossbeam_channel::Sender<()>) {
    let mut first = Some(first);
    let mut restarts = Restarts::default();
    loop {
        c.set_state(ServiceState::Starting);
        let started_at = Instant::now();
        let (result, canceled) = run_once(&rt, &c, &mut first);
        *c.current.lock() = None;
        c.status.lock().pid = None;
        if c.stopping.load(Ordering::SeqCst) {
            c.set_state(ServiceState::Stopped);
            tracing::info!("service {} stopped", c.id);
            return;
        }
        let (outcome, why) = match &result {
            Ok(_) if canceled => (Outcome::Canceled, "exited after a CANCEL".to_string()),
            Ok(_) => (Outcome::Exited, "exited".to_string()),
            Err(e) if e.kind == "CANCELED" => (Outcome::Canceled, e.message.clone()),
            Err(e) => (Outcome::Failed, format!("failed: {}", e.message)),
        };
        if let Err(e) = &result {
            c.status.lock().last_error = Some(e.clone());
        }
        let lifecycle = &c.cfg.lifecycle;
        let sample = rand::random::<f64>() * 2.0 - 1.0;
        match restarts.on_exit(&lifecycle.restart, lifecycle.stable_threshold, outcome, started_at.elapsed(), sample) {
            Decision::Stop => {
                c.set_state(ServiceState::Stopped);
                tracing::info!("service {} stopped ({why}); not restarted", c.id);
                return;
            }
            Decision::GiveUp { attempts } => {
                c.set_state(ServiceState::Failed);
                tracing::error!("service {} {why}; gave up after {attempts} restart attempts", c.id);
                return;
            }
            Decision::Restart { attempt, delay } => {
                c.status.lock().restarts = restarts.total;
                tracing::warn!("service {} {why}; restarting in {delay:?} (attempt {attempt})", c.id);
                let mut g = c.wake_lock.lock();
                if !c.stopping.load(Ordering::SeqCst) {
                    c.wake.wait_for(&mut g, delay);
                }
            }
        }
        if c.stopping.load(Ordering::SeqCst) {
            c.set_state(ServiceState::Stopped);
            tracing::info!("service {} stopped", c.id);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Lifecycle;

    fn svc(requires: &[&str], auto_start: bool) -> ServiceConfig {
        ServiceConfig {
            process: EntryId::new("app", "p"),
            host: EntryId::new("app", "h"),
            input: vec![],
            lifecycle: Lifecycle {
                auto_start,
                requires: requires.iter().map(|r| EntryId::parse(r).unwrap()).collect(),
                ..Lifecycle::default()
            },
        }
    }

    fn names(layers: Vec<Vec<EntryId>>) -> Vec<Vec<String>> {
        layers.into_iter().map(|l| l.into_iter().map(|id| id.name).collect()).collect()
    }

    #[test]
    fn services_start_after_what_they_require_and_independent_ones_together() {
        let mut s = HashMap::new();
        s.insert(EntryId::new("app", "db"), svc(&[], true));
        s.insert(EntryId::new("app", "cache"), svc(&[], true));
        s.insert(EntryId::new("app", "api"), svc(&["app:db", "app:cache"], true));
        s.insert(EntryId::new("app", "web"), svc(&["app:api"], true));
        s.insert(EntryId::new("app", "idle"), svc(&[], false));
        assert_eq!(names(start_layers(&s, auto(&s), &[])), vec![vec!["cache", "db"], vec!["api"], vec!["web"]]);
    }

    #[test]
    fn a_required_service_starts_even_without_auto_start() {
        let mut s = HashMap::new();
        s.insert(EntryId::new("app", "db"), svc(&[], false));
        s.insert(EntryId::new("app", "api"), svc(&["app:db"], true));
        assert_eq!(names(start_layers(&s, auto(&s), &[])), vec![vec!["db"], vec!["api"]]);
    }

    #[test]
    fn running_services_are_not_started_again_and_count_as_up() {
        let mut s = HashMap::new();
        s.insert(EntryId::new("app", "db"), svc(&[], true));
        s.insert(EntryId::new("app", "api"), svc(&["app:db"], true));
        let running = [EntryId::new("app", "db")];
        assert_eq!(names(start_layers(&s, vec![EntryId::new("app", "api")], &running)), vec![vec!["api"]]);
    }

    fn auto(s: &HashMap<EntryId, ServiceConfig>) -> Vec<EntryId> {
        s.iter().filter(|(_, c)| c.lifecycle.auto_start).map(|(id, _)| id.clone()).collect()
    }
}
