//! The `security` module (`modules: [security]`): the process's actor and scope, making new ones
//! for spawners (`with_actor`/`with_scope`), and `security.can`. Also the guards the process API
//! calls before each guarded action (`guard`, `guard_pid`).

use std::sync::Arc;

use mlua::{Lua, Table, UserData, UserDataMethods, Value as LuaValue};

use crate::lua::convert::{from_value, to_value};
use crate::lua::process_state::{with_state, ProcState};
use crate::registry::EntryId;
use crate::security::policy::Policy;
use crate::security::{self, Actor, Meta, Scope};
use crate::value::{ErrorValue, Value};

/// Decides `action` on `resource` for the running process (no `meta`).
#[inline]
pub fn guard(st: &ProcState, action: &str, resource: &str) -> Result<(), Arc<ErrorValue>> {
    security::guard(&st.rt, &st.security, action, resource, Meta::None)
}

/// Decides `action` on the process `pid`, with `meta.host` = the host in the PID.
#[inline]
pub fn guard_pid(st: &ProcState, action: &str, pid: &str) -> Result<(), Arc<ErrorValue>> {
    security::guard(&st.rt, &st.security, action, pid, Meta::Host(security::host_of_pid(pid)))
}

/// An actor as a Lua value: `:id()`, `:meta()`.
#[derive(Clone)]
pub struct LuaActor(pub Arc<Actor>);

impl UserData for LuaActor {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("id", |_, a, ()| Ok(a.0.id.to_string()));
        m.add_method("meta", |lua, a, ()| match &a.0.meta {
            Value::Nil => Ok(LuaValue::Table(lua.create_table()?)),
            v => from_value(lua, v),
        });
        m.add_meta_method("__tostring", |_, a, ()| Ok(format!("actor {}", a.0.id)));
    }
}

/// A scope as a Lua value: `:policies()` (IDs), `:contains(id)`, `:with(policy)`, `:without(id)`.
#[derive(Clone)]
pub struct LuaScope(pub Arc<Scope>);

impl UserData for LuaScope {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("policies", |_, s, ()| Ok(s.0.policies.iter().map(|p| p.id.to_string()).collect::<Vec<_>>()));
        m.add_method("contains", |_, s, id: String| Ok(s.0.contains(&id)));
        m.add_method("with", |lua, s, p: LuaValue| {
            let more = with_state(lua, |_, st| Ok(policies_of(st, &p)))?;
            match more {
                Ok(more) => {
                    Ok((LuaValue::UserData(lua.create_userdata(LuaScope(Arc::new(s.0.with(&more))))?), LuaValue::Nil))
                }
                Err(e) => super::errors::fail(lua, "INVALID", e),
            }
        });
        m.add_method("without", |_, s, id: String| {
            let policies = s.0.policies.iter().filter(|p| *p.id != *id).cloned().collect();
            Ok(LuaScope(Arc::new(Scope::new(policies))))
        });
        m.add_meta_method("__tostring", |_, s, ()| Ok(format!("scope ({} policies)", s.0.policies.len())));
    }
}

/// Policies named by a Lua value: a policy or group ID (in the caller's namespace), a policy
/// table, or a list of those.
fn policies_of(st: &ProcState, v: &LuaValue) -> Result<Vec<Arc<Policy>>, String> {
    let value = to_value(v).map_err(|e| e.0)?;
    let items = match &value {
        Value::Table(t) if t.map.is_empty() || !t.array.is_empty() => t.array.clone(),
        other => vec![other.clone()],
    };
    let registry = st.rt.registry();
    let mut out = Vec::new();
    for item in &items {
        match item {
            Value::Str(_) => {
                let id = EntryId::resolve(item.as_str().unwrap_or_default(), &st.entry.id.namespace);
                let found = match registry.get(&id) {
                    Some(_) => security::policies(&registry, std::slice::from_ref(&id), &[]),
                    None => security::policies(&registry, &[], &[id.to_string()]),
                };
                out.extend(found.map_err(|_| format!("no security.policy entry or policy group {id}"))?);
            }
            Value::Table(_) => out.push(Arc::new(Policy::from_value("inline", item)?)),
            other => return Err(format!("a policy is an ID or a table, got {other}")),
        }
    }
    Ok(out)
}

pub fn register(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "actor",
        lua.create_function(|lua, ()| {
            with_state(lua, |lua, st| match &st.security.actor {
                Some(a) => Ok(LuaValue::UserData(lua.create_userdata(LuaActor(a.clone()))?)),
                None => Ok(LuaValue::Nil),
            })
        })?,
    )?;
    t.raw_set(
        "scope",
        lua.create_function(|lua, ()| {
            with_state(lua, |lua, st| match &st.security.scope {
                Some(s) => Ok(LuaValue::UserData(lua.create_userdata(LuaScope(s.clone()))?)),
                None => Ok(LuaValue::Nil),
            })
        })?,
    )?;
    t.raw_set(
        "new_actor",
        lua.create_function(|_, (id, meta): (String, LuaValue)| {
            let meta =
                to_value(&meta).map_err(|e| mlua::Error::runtime(format!("security.new_actor: meta: {}", e.0)))?;
            Ok(LuaActor(Arc::new(Actor::new(&id, meta))))
        })?,
    )?;
    t.raw_set(
        "new_scope",
        lua.create_function(|lua, policies: LuaValue| {
            if policies.is_nil() {
                return Ok((
                    LuaValue::UserData(lua.create_userdata(LuaScope(Arc::new(Scope::default())))?),
                    LuaValue::Nil,
                ));
            }
            match with_state(lua, |_, st| Ok(policies_of(st, &policies)))? {
                Ok(p) => {
                    Ok((LuaValue::UserData(lua.create_userdata(LuaScope(Arc::new(Scope::new(p))))?), LuaValue::Nil))
                }
                Err(e) => super::errors::fail(lua, "INVALID", format!("security.new_scope: {e}")),
            }
        })?,
    )?;
    t.raw_set(
        "can",
        lua.create_function(|lua, (action, resource, meta): (String, String, LuaValue)| {
            let meta = to_value(&meta).map_err(|e| mlua::Error::runtime(format!("security.can: meta: {}", e.0)))?;
            let meta = if meta.is_nil() { Meta::None } else { Meta::Value(&meta) };
            with_state(lua, |_, st| {
                Ok(security::check(st.rt.config.security.strict_mode, &st.security, &action, &resource, meta).is_ok())
            })
        })?,
    )?;
    Ok(t)
}
