//! The runtime: hosts and their schedulers, the process table, timers and the loaded registry.
//! Everything a process can reach of the outside world goes through `Shared`.

pub mod config;
pub mod events;
mod exit;
mod host;
pub mod scheduler;
mod timer;

use std::sync::{Arc, Weak};

use parking_lot::RwLock;

pub use host::Host;
pub use timer::{TimerAction, Timers};

use crate::process::{ExitObserver, ExitResult, Pid, Process, ProcessCell, ProcessTable, Signal, StartObserver};
use crate::registry::{EntryId, EntryKind, Registry};
use crate::value::ErrorValue;
use scheduler::{ExitHandler, Scheduler};

/// The process host used when a project declares none.
pub const IMPLICIT_PROCESS_HOST: &str = "wippy:processes";
/// The terminal host used when a project declares none.
pub const IMPLICIT_TERMINAL_HOST: &str = "wippy:terminal";

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("cannot start the worker threads of host {host}: {source}")]
    Threads { host: String, source: std::io::Error },
    #[error("cannot start the timer thread: {0}")]
    Timers(std::io::Error),
    #[error("host {host}: lifecycle.security: {why}")]
    Security { host: String, why: String },
}

pub struct Shared {
    pub table: ProcessTable,
    pub timers: Timers,
    registry: RwLock<Arc<Registry>>,
    hosts: RwLock<Vec<Arc<Host>>>,
    pub lua: crate::lua::LuaShared,
    /// The services' statuses (written by the supervisor, read by `services` and the CLI).
    pub services: crate::supervisor::ServiceBoard,
    /// Settings from `.wippy.yaml`.
    pub config: config::RuntimeConfig,
    /// The `events` module's bus.
    pub events: events::EventBus,
}

/// A cheap handle to the running runtime.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) shared: Arc<Shared>,
}

/// The schedulers hold the runtime weakly, so that dropping the runtime is not kept from
/// happening by its own worker threads.
struct ExitsRef(Weak<Shared>);

impl ExitHandler for ExitsRef {
    fn exited(&self, cell: &Arc<ProcessCell>, result: ExitResult) {
        if let Some(shared) = self.0.upgrade() {
            shared.exited(cell, result);
        }
    }
}

/// A host to start: from a `process.host`/`terminal.host` entry, or implicit.
struct HostSpec {
    id: EntryId,
    workers: usize,
    terminal: bool,
    max_processes: Option<usize>,
    memory_limit: Option<u64>,
    time_slice: Option<std::time::Duration>,
    hard_limit: Option<std::time::Duration>,
    /// `lifecycle.security`, resolved against the registry.
    security: crate::security::Security,
}

impl HostSpec {
    /// A terminal host runs one process at a time: one worker, no limits.
    fn terminal(id: EntryId) -> HostSpec {
        HostSpec {
            id,
            workers: 1,
            terminal: true,
            max_processes: None,
            memory_limit: None,
            time_slice: None,
            hard_limit: None,
            security: Default::default(),
        }
    }
}

/// A host's `lifecycle.security` as the processes on it get it.
fn host_security(
    registry: &Registry,
    id: &EntryId,
    spec: Option<&crate::registry::SecuritySpec>,
) -> Result<crate::security::Security, RuntimeError> {
    match spec {
        None => Ok(Default::default()),
        Some(s) => {
            crate::security::from_spec(registry, s).map_err(|why| RuntimeError::Security { host: id.to_string(), why })
        }
    }
}

/// What `Runtime::reload` did.
#[derive(Debug)]
pub struct Reloaded {
    pub diff: crate::registry::RegistryDiff,
    /// Processes sent an OUTDATED signal.
    pub outdated: usize,
    pub hosts_started: Vec<EntryId>,
}

/// How a new process is tied to its spawner.
#[derive(Default)]
pub struct SpawnTies {
    pub link_to: Option<Arc<ProcessCell>>,
    pub monitored_by: Option<Pid>,
    pub observer: Option<ExitObserver>,
    pub on_start: Option<StartObserver>,
}

impl Runtime {
    /// Starts the timer thread and one scheduler per host in the registry (plus the implicit
    /// hosts when the project declares none of that kind). `default_workers` overrides the CPU
    /// count for hosts that do not set `workers`.
    pub fn start(registry: Arc<Registry>, default_workers: Option<usize>) -> Result<Runtime, RuntimeError> {
        Self::start_with(registry, default_workers, config::RuntimeConfig::default())
    }

    /// [`Runtime::start`] with the settings of `.wippy.yaml`.
    pub fn start_with(
        registry: Arc<Registry>,
        default_workers: Option<usize>,
        config: config::RuntimeConfig,
    ) -> Result<Runtime, RuntimeError> {
        let shared = Arc::new(Shared {
            table: ProcessTable::default(),
            timers: Timers::start().map_err(RuntimeError::Timers)?,
            registry: RwLock::new(registry.clone()),
            hosts: RwLock::new(Vec::new()),
            lua: crate::lua::LuaShared::default(),
            services: crate::supervisor::ServiceBoard::default(),
            config,
            events: events::EventBus::default(),
        });
        let cpus =
            default_workers.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
        let mut specs: Vec<HostSpec> = Vec::new();
        for e in registry.entries() {
            match &e.kind {
                EntryKind::ProcessHost(h) => specs.push(HostSpec {
                    id: e.id.clone(),
                    workers: h.workers.unwrap_or(cpus),
                    terminal: false,
                    max_processes: h.max_processes,
                    memory_limit: h.memory_limit,
                    time_slice: h.time_slice,
                    hard_limit: h.hard_limit,
                    security: host_security(&registry, &e.id, h.lifecycle.security.as_ref())?,
                }),
                EntryKind::TerminalHost(t) => specs.push(HostSpec {
                    security: host_security(&registry, &e.id, t.lifecycle.security.as_ref())?,
                    ..HostSpec::terminal(e.id.clone())
                }),
                _ => {}
            }
        }
        if !specs.iter().any(|s| !s.terminal) {
            let id = EntryId::parse(IMPLICIT_PROCESS_HOST).expect("valid id");
            specs.push(HostSpec { workers: cpus, terminal: false, ..HostSpec::terminal(id) });
        }
        if !specs.iter().any(|s| s.terminal) {
            specs.push(HostSpec::terminal(EntryId::parse(IMPLICIT_TERMINAL_HOST).expect("valid id")));
        }
        let rt = Runtime { shared };
        for spec in specs {
            rt.add_host(spec)?;
        }
        Ok(rt)
    }

    fn add_host(&self, spec: HostSpec) -> Result<Arc<Host>, RuntimeError> {
        let exits: Arc<dyn ExitHandler> = Arc::new(ExitsRef(Arc::downgrade(&self.shared)));
        let scheduler = Scheduler::start(&spec.id.to_string(), spec.workers, exits)
            .map_err(|source| RuntimeError::Threads { host: spec.id.to_string(), source })?;
        let mut hosts = self.shared.hosts.write();
        let index = hosts.len();
        let mut host = Host::new(spec.id, index, scheduler, spec.terminal, spec.max_processes, spec.memory_limit);
        host.time_slice = spec.time_slice.unwrap_or(host.time_slice);
        host.hard_limit = spec.hard_limit.unwrap_or(host.hard_limit);
        host.security = spec.security;
        let host = Arc::new(host);
        hosts.push(host.clone());
        Ok(host)
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    pub fn registry(&self) -> Arc<Registry> {
        self.shared.registry()
    }

    pub fn host(&self, id: &EntryId) -> Option<Arc<Host>> {
        self.shared.host(id)
    }

    /// The host tests and default spawns use: `app:processes` when present, else the first
    /// `process.host`.
    pub fn default_process_host(&self) -> Arc<Host> {
        self.shared.default_process_host()
    }

    pub fn terminal_host(&self) -> Arc<Host> {
        let hosts = self.shared.hosts.read();
        hosts.iter().find(|h| h.terminal).cloned().expect("a terminal host always exists")
    }

    /// Installs a new registry (checked already) and tells the live processes about it: each
    /// process that opted in (`upgradable`) and runs an entry whose code changed gets one
    /// OUTDATED signal naming the changed entries. Hosts new in the registry start; a host whose
    /// settings changed keeps running as it is until the next start (its workers are threads
    /// with processes on their queues; see docs/semantics.md). Services are the supervisor's:
    /// see `Services::apply`.
    pub fn reload(&self, new: Arc<Registry>) -> Result<Reloaded, RuntimeError> {
        let old = self.registry();
        let diff = crate::registry::diff(&old, &new);
        let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let mut hosts_started = Vec::new();
        for e in new.entries() {
            if self.host(&e.id).is_some() {
                continue;
            }
            let spec = match &e.kind {
                EntryKind::ProcessHost(h) => HostSpec {
                    id: e.id.clone(),
                    workers: h.workers.unwrap_or(cpus),
                    terminal: false,
                    max_processes: h.max_processes,
                    memory_limit: h.memory_limit,
                    time_slice: h.time_slice,
                    hard_limit: h.hard_limit,
                    security: host_security(&new, &e.id, h.lifecycle.security.as_ref())?,
                },
                EntryKind::TerminalHost(t) => HostSpec {
                    security: host_security(&new, &e.id, t.lifecycle.security.as_ref())?,
                    ..HostSpec::terminal(e.id.clone())
                },
                _ => continue,
            };
            self.add_host(spec)?;
            hosts_started.push(e.id.clone());
        }
        *self.shared.registry.write() = new;
        let mut outdated = 0;
        if !diff.code_changed.is_empty() {
            for cell in self.shared.table.all() {
                if !cell.upgradable.load(std::sync::atomic::Ordering::Relaxed) {
                    continue;
                }
                let running = cell.code.lock().as_ref().map(|e| e.id.clone());
                if let Some(sources) = running.and_then(|id| diff.code_changed.get(&id)) {
                    if cell.deliver(Signal::Outdated { sources: sources.clone() }) {
                        outdated += 1;
                    }
                }
            }
        }
        Ok(Reloaded { diff, outdated, hosts_started })
    }

    /// Terminates every process, stops every host and the timers.
    pub fn shutdown(&self) {
        for cell in self.shared.table.all() {
            cell.deliver(Signal::Kill { reason: "terminated: runtime shutdown".into() });
        }
        let hosts: Vec<_> = self.shared.hosts.read().clone();
        for h in hosts {
            h.stop();
        }
        self.shared.timers.shutdown();
    }
}

impl Shared {
    pub fn registry(&self) -> Arc<Registry> {
        self.registry.read().clone()
    }

    pub fn host(&self, id: &EntryId) -> Option<Arc<Host>> {
        self.hosts.read().iter().find(|h| &h.id == id).cloned()
    }

    pub(crate) fn host_by_index(&self, index: usize) -> Option<Arc<Host>> {
        self.hosts.read().get(index).cloned()
    }

    pub fn default_process_host(&self) -> Arc<Host> {
        let hosts = self.hosts.read();
        let app = EntryId::new("app", "processes");
        hosts
            .iter()
            .find(|h| !h.terminal && h.id == app)
            .or_else(|| hosts.iter().find(|h| !h.terminal))
            .cloned()
            .expect("a process host always exists")
    }

    /// Finds a live process by printed PID or registered name.
    pub fn resolve(&self, dest: &str) -> Option<Arc<ProcessCell>> {
        let pid = Pid::parse(dest).or_else(|| self.table.lookup_name(dest))?;
        self.table.get(pid)
    }

    /// Starts `body` as a new process on `host`, tied to its spawner as asked. Links and
    /// monitors are in place before the process first runs, so not even an immediate crash
    /// goes unseen.
    pub fn spawn(
        &self,
        host: &Arc<Host>,
        body: Box<dyn Process>,
        ties: SpawnTies,
    ) -> Result<Arc<ProcessCell>, Arc<ErrorValue>> {
        if host.is_stopped() {
            return Err(Arc::new(ErrorValue::new("UNAVAILABLE", format!("host {} is stopped", host.id))));
        }
        if !host.try_admit() {
            return Err(Arc::new(ErrorValue::new(
                "UNAVAILABLE",
                format!("host {} is at its max_processes limit ({})", host.id, host.max_processes.unwrap_or(0)),
            )));
        }
        let pid = self.table.next_pid();
        let name: Arc<str> = Arc::from(pid.render(&host.name));
        let scheduler: Arc<dyn crate::process::Schedule> = host.scheduler.clone();
        let cell = ProcessCell::new(pid, name, host.index, body, scheduler);
        {
            let mut rel = cell.relations.lock();
            if let Some(watcher) = ties.monitored_by {
                rel.monitors.push(watcher);
            }
            if let Some(parent) = &ties.link_to {
                rel.links.push(parent.pid);
            }
            if let Some(o) = ties.observer {
                rel.observers.push(o);
            }
            if let Some(o) = ties.on_start {
                rel.start_observers.push(o);
            }
        }
        if let Some(parent) = &ties.link_to {
            parent.relations.lock().links.push(pid);
        }
        self.table.insert(cell.clone());
        cell.schedule_new();
        Ok(cell)
    }
}
