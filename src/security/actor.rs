//! Actors and scopes: who a process acts as (`{id, meta}`) and the policies that decide what it
//! may do. Both are immutable and shared (`Arc`) between a process, its children and the Lua
//! objects that name them.

use std::sync::Arc;

use super::policy::Policy;
use crate::value::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: Arc<str>,
    /// A table value (or nil): read by `actor.meta.*` conditions.
    pub meta: Value,
}

impl Actor {
    pub fn new(id: &str, meta: Value) -> Actor {
        Actor { id: Arc::from(id), meta }
    }
}

/// A set of policies. An empty scope allows nothing (see `super::decide`).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub policies: Vec<Arc<Policy>>,
}

impl Scope {
    pub fn new(policies: Vec<Arc<Policy>>) -> Scope {
        Scope { policies }
    }

    /// This scope plus `more` (policies already present, by pointer or ID, are not repeated).
    pub fn with(&self, more: &[Arc<Policy>]) -> Scope {
        let mut policies = self.policies.clone();
        for p in more {
            if !policies.iter().any(|q| Arc::ptr_eq(p, q) || p.id == q.id) {
                policies.push(p.clone());
            }
        }
        Scope { policies }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.policies.iter().any(|p| &*p.id == id)
    }
}
