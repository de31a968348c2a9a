//! Security: every process runs as an actor with a scope of policies, and the process API asks
//! `check` before each guarded action. `policy` compiles policies, `eval` evaluates a scope,
//! `actor` holds the actor and scope types. Decision rules (docs/semantics.md, "Security"):
//!
//! 1. A process with no scope: allowed, unless `security.strict_mode` is on (then denied).
//!    In strict mode a process with a scope but no actor is denied too.
//! 2. A process with a scope: a matching `deny` policy denies; otherwise a matching `allow`
//!    allows; otherwise denied (an empty scope allows nothing).
//!
//! Children inherit their parent's actor and scope (unless the spawner gives its own); a host with
//! `lifecycle.security` adds its policies to the scope of every process spawned on it (and gives
//! its actor to those that have none), so a host can restrict what its processes do.

pub mod actor;
pub mod eval;
pub mod policy;

use std::sync::Arc;

pub use actor::{Actor, Scope};
pub use eval::{Decision, Meta, Request};

use crate::registry::{EntryKind, Registry, SecuritySpec};
use crate::value::ErrorValue;

/// What a process runs as. Cheap to clone (two `Arc`s).
#[derive(Debug, Clone, Default)]
pub struct Security {
    pub actor: Option<Arc<Actor>>,
    pub scope: Option<Arc<Scope>>,
}

impl Security {
    /// What a child process runs with (spawn, `funcs.call`): the spawner's own actor and scope
    /// when given, else this process's. The target host's security is added when the child
    /// starts (`LuaProcess::with_security`, `apply_host`).
    pub fn for_child(&self, actor: Option<Arc<Actor>>, scope: Option<Arc<Scope>>) -> Security {
        Security { actor: actor.or_else(|| self.actor.clone()), scope: scope.or_else(|| self.scope.clone()) }
    }

    /// Adds a host's policies (and its actor where there is none).
    pub fn apply_host(&mut self, host: &Security) {
        if self.actor.is_none() {
            self.actor = host.actor.clone();
        }
        if let Some(hs) = &host.scope {
            self.scope = Some(match &self.scope {
                None => hs.clone(),
                Some(s) if hs.policies.iter().all(|p| s.policies.iter().any(|q| Arc::ptr_eq(p, q))) => s.clone(),
                Some(s) => Arc::new(s.with(&hs.policies)),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.actor.is_none() && self.scope.is_none()
    }
}

/// A refused action: PERMISSION_DENIED naming the action, the resource and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("permission denied: {action} on {resource} ({why})")]
pub struct Denied {
    pub action: String,
    pub resource: String,
    pub why: String,
}

impl Denied {
    pub fn into_error(self) -> Arc<ErrorValue> {
        Arc::new(ErrorValue::new("PERMISSION_DENIED", self.to_string()))
    }
}

/// Decides one guarded action. The common case (no scope, strict mode off) is one branch.
#[inline]
pub fn check(strict: bool, sec: &Security, action: &str, resource: &str, meta: Meta) -> Result<(), Denied> {
    match &sec.scope {
        None if !strict => Ok(()),
        None => Err(denied(action, resource, "strict mode: the process has no scope")),
        Some(_) if strict && sec.actor.is_none() => {
            Err(denied(action, resource, "strict mode: the process has no actor"))
        }
        Some(scope) => {
            let req = Request { actor: sec.actor.as_deref(), action, resource, meta };
            match eval::evaluate(scope, &req) {
                Decision::Allow => Ok(()),
                Decision::Deny(id) => Err(denied(action, resource, &format!("denied by policy {id}"))),
                Decision::NoMatch => Err(denied(action, resource, "no policy allows it")),
            }
        }
    }
}

fn denied(action: &str, resource: &str, why: &str) -> Denied {
    Denied { action: action.to_string(), resource: resource.to_string(), why: why.to_string() }
}

/// `check` for the runtime: reads strict mode from the runtime's config; a denial as an error.
#[inline]
pub fn guard(
    rt: &crate::runtime::Shared,
    sec: &Security,
    action: &str,
    resource: &str,
    meta: Meta,
) -> Result<(), Arc<ErrorValue>> {
    check(rt.config.security.strict_mode, sec, action, resource, meta).map_err(Denied::into_error)
}

/// The host part of a printed PID (`{app:system|0x2a}` → `app:system`), for `meta.host`.
pub fn host_of_pid(pid: &str) -> &str {
    pid.strip_prefix('{').and_then(|p| p.split_once('|')).map_or("", |(h, _)| h)
}

/// The policies of `ids` and of every policy in `groups`, from the registry.
pub fn policies(
    registry: &Registry,
    ids: &[crate::registry::EntryId],
    groups: &[String],
) -> Result<Vec<Arc<policy::Policy>>, String> {
    let mut out: Vec<Arc<policy::Policy>> = Vec::new();
    for id in ids {
        match registry.get(id).map(|e| &e.kind) {
            Some(EntryKind::Policy(p)) => out.push(p.clone()),
            Some(_) => return Err(format!("{id} is not a security.policy entry")),
            None => return Err(format!("no policy {id}")),
        }
    }
    for group in groups {
        let before = out.len();
        for e in registry.entries() {
            if let EntryKind::Policy(p) = &e.kind {
                if p.groups.iter().any(|g| &**g == group.as_str()) && !out.iter().any(|q| Arc::ptr_eq(p, q)) {
                    out.push(p.clone());
                }
            }
        }
        if out.len() == before && !out.iter().any(|p| p.groups.iter().any(|g| &**g == group.as_str())) {
            return Err(format!("no policy is in group {group}"));
        }
    }
    Ok(out)
}

/// The security a `lifecycle.security` block describes.
pub fn from_spec(registry: &Registry, spec: &SecuritySpec) -> Result<Security, String> {
    let actor = spec.actor.as_ref().map(|(id, meta)| Arc::new(Actor::new(id, meta.clone())));
    let scope = if spec.policies.is_empty() && spec.groups.is_empty() {
        None
    } else {
        Some(Arc::new(Scope::new(policies(registry, &spec.policies, &spec.groups)?)))
    };
    Ok(Security { actor, scope })
}
