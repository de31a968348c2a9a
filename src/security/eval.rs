//! Evaluating a scope's policies for one request: any matching deny wins, otherwise a matching
//! allow allows, otherwise nothing matched. Runs on every guarded call (every `process.send` of a
//! process with a scope), so it allocates nothing except for a `matches` condition whose pattern
//! comes from another field (`value_from`), which must be compiled at that moment.

use std::sync::Arc;

use super::actor::{Actor, Scope};
use super::policy::{Condition, Effect, Field, Operand, Operator, Policy};
use crate::value::Value;

/// The request's `meta.*` fields.
#[derive(Debug, Clone, Copy)]
pub enum Meta<'a> {
    None,
    /// Only `meta.host` (the target's host ID), as the process API's checks give it.
    Host(&'a str),
    /// A table (from `security.can(action, resource, meta)`).
    Value(&'a Value),
}

#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub actor: Option<&'a Actor>,
    pub action: &'a str,
    pub resource: &'a str,
    pub meta: Meta<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Allow,
    /// Denied by this policy.
    Deny(Arc<str>),
    /// No policy matched.
    NoMatch,
}

pub fn evaluate(scope: &Scope, req: &Request) -> Decision {
    let mut allowed = false;
    for p in &scope.policies {
        if applies(p, req) {
            match p.effect {
                Effect::Deny => return Decision::Deny(p.id.clone()),
                Effect::Allow => allowed = true,
            }
        }
    }
    if allowed {
        Decision::Allow
    } else {
        Decision::NoMatch
    }
}

pub fn applies(p: &Policy, req: &Request) -> bool {
    p.actions.iter().any(|a| a.matches(req.action))
        && p.resources.iter().any(|r| r.matches(req.resource))
        && p.conditions.iter().all(|c| holds(c, req))
}

/// A field's value as found: text from the request itself, or a value from a meta table.
#[derive(Debug, Clone, Copy)]
enum Got<'a> {
    Text(&'a str),
    Val(&'a Value),
}

impl<'a> Got<'a> {
    fn text(self) -> Option<&'a str> {
        match self {
            Got::Text(s) => Some(s),
            Got::Val(v) => v.as_str(),
        }
    }

    fn number(self) -> Option<f64> {
        match self {
            Got::Val(Value::Int(i)) => Some(*i as f64),
            Got::Val(Value::Float(x)) => Some(*x),
            _ => None,
        }
    }

    fn list(self) -> Option<&'a [Value]> {
        match self {
            Got::Val(Value::Table(t)) => Some(&t.array),
            _ => None,
        }
    }
}

fn lookup<'a>(field: &Field, req: &Request<'a>) -> Option<Got<'a>> {
    match field {
        Field::ActorId => req.actor.map(|a| Got::Text(&a.id)),
        Field::ActorMeta(path) => walk(&req.actor?.meta, path),
        Field::Action => Some(Got::Text(req.action)),
        Field::Resource => Some(Got::Text(req.resource)),
        Field::Meta(path) => match req.meta {
            Meta::None => None,
            Meta::Host(h) => (path.len() == 1 && &*path[0] == "host").then_some(Got::Text(h)),
            Meta::Value(v) => walk(v, path),
        },
    }
}

fn walk<'a>(mut v: &'a Value, path: &[Box<str>]) -> Option<Got<'a>> {
    for seg in path {
        v = v.get(seg)?;
    }
    (!v.is_nil()).then_some(Got::Val(v))
}

fn equal(a: Got, b: Got) -> bool {
    if let (Some(x), Some(y)) = (a.text(), b.text()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.number(), b.number()) {
        return x == y;
    }
    match (a, b) {
        (Got::Val(x), Got::Val(y)) => x == y,
        _ => false,
    }
}

fn order(a: Got, b: Got) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (a.number(), b.number()) {
        return x.partial_cmp(&y);
    }
    Some(a.text()?.cmp(b.text()?))
}

fn contains(hay: Got, needle: Got) -> bool {
    if let Some(list) = hay.list() {
        return list.iter().any(|x| equal(Got::Val(x), needle));
    }
    matches!((hay.text(), needle.text()), (Some(h), Some(n)) if h.contains(n))
}

fn regex_match(c: &Condition, value: Got, req: &Request) -> bool {
    let Some(text) = value.text() else { return false };
    match &c.operand {
        Operand::Regex(re) => re.is_match(text),
        Operand::From(f) => match lookup(f, req).and_then(Got::text).map(regex::Regex::new) {
            Some(Ok(re)) => re.is_match(text),
            _ => false,
        },
        _ => false,
    }
}

fn holds(c: &Condition, req: &Request) -> bool {
    let value = lookup(&c.field, req);
    let operand = match &c.operand {
        Operand::Value(v) => Some(Got::Val(v)),
        Operand::From(f) => lookup(f, req),
        Operand::None | Operand::Regex(_) => None,
    };
    let both = value.zip(operand);
    match c.op {
        Operator::Exists => value.is_some(),
        Operator::NExists => value.is_none(),
        Operator::Eq => both.is_some_and(|(a, b)| equal(a, b)),
        Operator::Ne => !both.is_some_and(|(a, b)| equal(a, b)),
        Operator::Lt => both.and_then(|(a, b)| order(a, b)).is_some_and(|o| o.is_lt()),
        Operator::Gt => both.and_then(|(a, b)| order(a, b)).is_some_and(|o| o.is_gt()),
        Operator::Lte => both.and_then(|(a, b)| order(a, b)).is_some_and(|o| o.is_le()),
        Operator::Gte => both.and_then(|(a, b)| order(a, b)).is_some_and(|o| o.is_ge()),
        Operator::In => both.is_some_and(|(a, b)| b.list().is_some_and(|l| l.iter().any(|x| equal(a, Got::Val(x))))),
        Operator::Nin => !both.is_some_and(|(a, b)| b.list().is_some_and(|l| l.iter().any(|x| equal(a, Got::Val(x))))),
        Operator::Contains => both.is_some_and(|(a, b)| contains(a, b)),
        Operator::NContains => !both.is_some_and(|(a, b)| contains(a, b)),
        Operator::Matches => value.is_some_and(|v| regex_match(c, v, req)),
        Operator::NMatches => !value.is_some_and(|v| regex_match(c, v, req)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::security::policy::{ConditionSpec, PolicySpec};

    fn policy(
        effect: &str,
        actions: &[&str],
        resources: &[&str],
        conds: &[(&str, &str, Option<Value>)],
    ) -> Arc<Policy> {
        let spec = PolicySpec {
            id: format!("p{}", conds.len()),
            actions: actions.iter().map(|s| s.to_string()).collect(),
            resources: resources.iter().map(|s| s.to_string()).collect(),
            effect: effect.into(),
            conditions: conds
                .iter()
                .map(|(f, o, v)| {
                    let (value, value_from) = match v {
                        Some(Value::Str(s)) if s.starts_with(b"from:") => {
                            (None, Some(String::from_utf8_lossy(&s[5..]).into_owned()))
                        }
                        other => (other.clone(), None),
                    };
                    ConditionSpec { field: f.to_string(), operator: o.to_string(), value, value_from }
                })
                .collect(),
            groups: vec![],
        };
        Arc::new(Policy::compile(&spec).expect("valid policy"))
    }

    fn meta() -> Value {
        Value::table(
            vec![],
            vec![
                (Value::str("level"), Value::Int(5)),
                (Value::str("role"), Value::str("admin")),
                (Value::str("tags"), Value::table(vec![Value::str("a"), Value::str("b")], vec![])),
                (Value::str("same"), Value::str("admin")),
            ],
        )
    }

    fn check(conds: &[(&str, &str, Option<Value>)]) -> bool {
        let scope = Scope::new(vec![policy("allow", &["*"], &["*"], conds)]);
        let actor = Actor::new("user:1", meta());
        let m = meta();
        let req = Request { actor: Some(&actor), action: "x.y", resource: "r:1", meta: Meta::Value(&m) };
        evaluate(&scope, &req) == Decision::Allow
    }

    fn s(x: &str) -> Option<Value> {
        Some(Value::str(x))
    }

    #[test]
    fn every_operator() {
        let list = |xs: &[&str]| Some(Value::table(xs.iter().map(|x| Value::str(x)).collect(), vec![]));
        assert!(check(&[("actor.id", "eq", s("user:1"))]));
        assert!(!check(&[("actor.id", "eq", s("user:2"))]));
        assert!(check(&[("actor.id", "ne", s("user:2"))]));
        assert!(check(&[("meta.level", "lt", Some(Value::Int(6)))]));
        assert!(!check(&[("meta.level", "lt", Some(Value::Int(5)))]));
        assert!(check(&[("meta.level", "lte", Some(Value::Int(5)))]));
        assert!(check(&[("meta.level", "gt", Some(Value::Float(4.5)))]));
        assert!(check(&[("meta.level", "gte", Some(Value::Int(5)))]));
        assert!(check(&[("meta.role", "in", list(&["user", "admin"]))]));
        assert!(check(&[("meta.role", "nin", list(&["user"]))]));
        assert!(check(&[("actor.meta.role", "exists", None)]));
        assert!(check(&[("actor.meta.nope", "nexists", None)]));
        assert!(!check(&[("actor.meta.nope", "exists", None)]));
        assert!(check(&[("meta.tags", "contains", s("b"))]));
        assert!(check(&[("resource", "contains", s(":1"))]));
        assert!(check(&[("meta.tags", "ncontains", s("c"))]));
        assert!(check(&[("action", "matches", s("^x\\.[a-z]$"))]));
        assert!(check(&[("action", "nmatches", s("^z"))]));
        assert!(check(&[("meta.role", "eq", s("from:actor.meta.role"))]));
        assert!(!check(&[("meta.role", "eq", s("from:actor.id"))]));
        assert!(check(&[("meta.same", "eq", s("from:meta.role"))]));
    }

    #[test]
    fn deny_wins_and_no_match_is_reported() {
        let allow = policy("allow", &["process.*"], &["*"], &[]);
        let deny = policy("deny", &["process.send"], &["{app:system|*"], &[]);
        let scope = Scope::new(vec![allow.clone(), deny]);
        let req = |action, resource| Request { actor: None, action, resource, meta: Meta::None };
        assert_eq!(evaluate(&scope, &req("process.send", "{app:user|0x1}")), Decision::Allow);
        assert!(matches!(evaluate(&scope, &req("process.send", "{app:system|0x1}")), Decision::Deny(_)));
        assert_eq!(evaluate(&scope, &req("funcs.call", "x")), Decision::NoMatch);
        let host = policy("deny", &["process.send"], &["*"], &[("meta.host", "eq", s("app:system"))]);
        let scope = Scope::new(vec![allow, host]);
        let send = |h| Request { actor: None, action: "process.send", resource: "p", meta: Meta::Host(h) };
        assert!(matches!(evaluate(&scope, &send("app:system")), Decision::Deny(_)));
        assert_eq!(evaluate(&scope, &send("app:user")), Decision::Allow);
    }
}
