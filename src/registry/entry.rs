//! The loaded form of registry entries: IDs, kinds and the typed fields the runtime uses.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::diagnostic::Location;
use crate::value::Value;

/// `namespace:name`. Names may contain dots and underscores; the namespace is everything before
/// the last `:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId {
    pub namespace: String,
    pub name: String,
}

impl EntryId {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        EntryId { namespace: namespace.into(), name: name.into() }
    }

    /// Parses a full ID `ns:name`; `None` when there is no `:` or a side is empty.
    pub fn parse(full: &str) -> Option<EntryId> {
        let (ns, name) = full.rsplit_once(':')?;
        (!ns.is_empty() && !name.is_empty()).then(|| EntryId::new(ns, name))
    }

    /// Resolves a reference written in a file of namespace `ns`: a full ID, or a bare name in `ns`.
    pub fn resolve(reference: &str, ns: &str) -> EntryId {
        EntryId::parse(reference).unwrap_or_else(|| EntryId::new(ns, reference))
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.namespace, self.name)
    }
}

/// One registry entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: EntryId,
    /// The kind as written (`process.lua`, `http.service`, ...).
    pub kind_name: String,
    pub kind: EntryKind,
    pub meta: Meta,
    /// Where the entry's map starts in its definition file.
    pub location: Location,
    /// The whole entry as data (name, kind, meta and every field), for `registry.get`/`find`.
    pub data: Value,
}

#[derive(Debug, Clone)]
pub enum EntryKind {
    Lua(LuaEntry),
    ProcessHost(HostConfig),
    TerminalHost(TerminalHostConfig),
    Service(ServiceConfig),
    /// `registry.entry`: free data, see `Entry::data`.
    Data,
    /// `security.policy`: compiled once at load.
    Policy(Arc<crate::security::policy::Policy>),
    /// A kind this runtime does not implement; kept as data, warned about once at load.
    Unsupported,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LuaKind {
    Process,
    Function,
    Library,
}

#[derive(Debug, Clone)]
pub struct LuaEntry {
    pub lua_kind: LuaKind,
    /// Absolute path of the source file.
    pub source_path: PathBuf,
    /// The file's text, read once at load time.
    pub source: Arc<str>,
    /// The exported function that is the body (`process.lua`, `function.lua`); `None` for libraries.
    pub method: Option<String>,
    /// Built-in modules this entry may `require` (`time`, `json`, ...).
    pub modules: Vec<String>,
    /// `require(alias)` → the entry with this ID, resolved against the file's namespace.
    pub imports: Vec<(String, EntryId)>,
    /// Lua heap limit of a process running this entry, in bytes (overrides the host's).
    pub memory_limit: Option<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct HostConfig {
    /// Worker threads; `None` = number of CPUs.
    pub workers: Option<usize>,
    pub queue_size: Option<usize>,
    pub local_queue_size: Option<usize>,
    /// `None` = unlimited.
    pub max_processes: Option<usize>,
    /// Default Lua heap limit of each process on this host, in bytes; `None` = unlimited.
    pub memory_limit: Option<u64>,
    /// How long a process runs Lua before it is requeued; `None` = the runtime's 10ms.
    pub time_slice: Option<Duration>,
    /// How long Lua may run inside a C callback before the process is ended; `None` = 1s.
    pub hard_limit: Option<Duration>,
    pub lifecycle: Lifecycle,
}

#[derive(Debug, Clone, Default)]
pub struct TerminalHostConfig {
    pub hide_logs: bool,
    pub lifecycle: Lifecycle,
}

#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// The `process.lua` entry to run.
    pub process: EntryId,
    /// The `process.host` to run it on.
    pub host: EntryId,
    /// Arguments passed to the body.
    pub input: Vec<Value>,
    pub lifecycle: Lifecycle,
}

/// `lifecycle:` of hosts and services, with the documented defaults filled in.
#[derive(Debug, Clone)]
pub struct Lifecycle {
    pub auto_start: bool,
    pub start_timeout: Duration,
    pub stop_timeout: Duration,
    pub stable_threshold: Duration,
    /// `requires` (alias `depends_on`), resolved.
    pub requires: Vec<EntryId>,
    pub restart: RestartPolicy,
    /// `lifecycle.security`: the actor and policies of the service's (or host's) processes.
    pub security: Option<SecuritySpec>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            auto_start: false,
            start_timeout: Duration::from_secs(10),
            stop_timeout: Duration::from_secs(10),
            stable_threshold: Duration::from_secs(5),
            requires: Vec::new(),
            restart: RestartPolicy::default(),
            security: None,
        }
    }
}

/// `lifecycle.security`, with references resolved (policies are checked to be `security.policy`
/// entries; groups are names that policies list in their `groups:`).
#[derive(Debug, Clone, Default)]
pub struct SecuritySpec {
    /// `actor: {id, meta}`.
    pub actor: Option<(String, Value)>,
    pub policies: Vec<EntryId>,
    /// Full group IDs.
    pub groups: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RestartPolicy {
    pub initial_delay: Duration,
    pub max_delay: Duration,
    pub backoff_factor: f64,
    pub jitter: f64,
    /// 0 = unlimited.
    pub max_attempts: u32,
}

impl Default for RestartPolicy {
    fn default() -> Self {
        RestartPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(90),
            backoff_factor: 2.0,
            jitter: 0.1,
            max_attempts: 0,
        }
    }
}

/// The `meta` fields with a meaning to the runtime; the whole map stays in `Entry::data`.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub comment: Option<String>,
    pub title: Option<String>,
    /// `meta.type` (`test` marks a test entry).
    pub type_: Option<String>,
    pub suite: Option<String>,
    pub order: Option<i64>,
    pub command: Option<Command>,
    pub default_host: Option<EntryId>,
}

/// `meta.command`: makes a `process.lua` runnable as `wippy run NAME`.
#[derive(Debug, Clone, Default)]
pub struct Command {
    pub name: String,
    pub short: Option<String>,
    pub use_case: Option<String>,
}
