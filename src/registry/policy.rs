//! Security in the registry: `security.policy` entries (compiled at load, so a bad operator or
//! regex is a located load error) and the `lifecycle.security` block of services and hosts.

use std::sync::Arc;

use crate::registry::entry::{EntryId, EntryKind, SecuritySpec};
use crate::security::policy::{ConditionSpec, Policy, PolicySpec};

use super::fields::{wrong_type, Fields};
use super::kinds::{with_common, Context};
use super::report::code;
use super::resolve::RefKind;
use super::yaml::{Node, NodeKind};

const POLICY_ENTRY_FIELDS: &[&str] = &["policy", "groups"];
const POLICY_FIELDS: &[&str] = &["actions", "resources", "effect", "conditions"];
const CONDITION_FIELDS: &[&str] = &["field", "operator", "value", "value_from"];
const SECURITY_FIELDS: &[&str] = &["actor", "policies", "groups"];
const ACTOR_FIELDS: &[&str] = &["id", "meta"];

pub(crate) fn convert(cx: &mut Context, f: &Fields) -> Option<EntryKind> {
    f.reject_unknown(&mut cx.r, &with_common(POLICY_ENTRY_FIELDS), "a security.policy entry");
    let groups = groups(cx, f);
    let Some(p) = f.map(&mut cx.r, "policy") else {
        if !f.has("policy") {
            f.report_missing(
                &mut cx.r,
                "policy",
                "a security.policy entry",
                "add `policy: {actions: [...], resources: [...], effect: allow}`",
            );
        }
        return None;
    };
    p.reject_unknown(&mut cx.r, POLICY_FIELDS, "`policy`");
    let mut spec = PolicySpec {
        id: cx.id.to_string(),
        actions: one_or_many(cx, &p, "actions"),
        resources: one_or_many(cx, &p, "resources"),
        groups,
        ..Default::default()
    };
    spec.effect = match p.required_string(&mut cx.r, "effect", "`policy`", "add `effect: allow` or `effect: deny`") {
        Some((e, _)) => e.to_string(),
        None => return None,
    };
    if let Some(node) = p.node("conditions") {
        let NodeKind::Seq(items) = &node.kind else {
            p.report_wrong_type(&mut cx.r, "conditions", node, "a list", "write a list of `{field, operator, value}`");
            return None;
        };
        for (i, item) in items.iter().enumerate() {
            spec.conditions.push(condition(cx, &p.path("conditions"), i, item)?);
        }
    }
    let pos = p.key_pos("effect").or_else(|| f.key_pos("policy"))?;
    match Policy::compile(&spec) {
        Ok(policy) => Some(EntryKind::Policy(Arc::new(policy))),
        Err(why) => {
            cx.r.error(
                code::WRONG_TYPE,
                pos,
                format!("invalid policy: {why}"),
                "see lua-api.md, Security, for actions, resources, effect and conditions",
            );
            None
        }
    }
}

fn condition(cx: &mut Context, path: &str, i: usize, node: &Node) -> Option<ConditionSpec> {
    let Some(pairs) = node.as_map() else {
        wrong_type(
            &mut cx.r,
            &format!("{path}[{i}]"),
            node,
            "a map",
            "write `{field: ..., operator: ..., value: ...}`",
        );
        return None;
    };
    let c = Fields::new(pairs, node.pos);
    c.reject_unknown(&mut cx.r, CONDITION_FIELDS, "a condition");
    let field = c.required_string(
        &mut cx.r,
        "field",
        "a condition",
        "add `field: actor.id` (or action, resource, meta.NAME, actor.meta.NAME)",
    )?;
    let operator =
        c.required_string(&mut cx.r, "operator", "a condition", "add `operator: eq` (or another operator)")?;
    let value_from = c.string(&mut cx.r, "value_from").map(|(s, _)| s.to_string());
    let spec = ConditionSpec {
        field: field.0.to_string(),
        operator: operator.0.to_string(),
        value: c.node("value").map(Node::to_value),
        value_from,
    };
    // Compiled here too, so the error points at this condition rather than the policy.
    if let Err(why) = crate::security::policy::Condition::compile(&spec) {
        cx.r.error(code::WRONG_TYPE, operator.1, format!("invalid condition: {why}"), "fix the condition");
        return None;
    }
    Some(spec)
}

/// A string or a list of strings.
fn one_or_many(cx: &mut Context, f: &Fields, name: &str) -> Vec<String> {
    match f.node(name) {
        Some(n) if n.as_str().is_some() => vec![n.as_str().unwrap_or_default().to_string()],
        Some(_) => f.string_list(&mut cx.r, name).unwrap_or_default().into_iter().map(|(s, _)| s.to_string()).collect(),
        None => Vec::new(),
    }
}

/// `groups:` as full IDs (a bare name is in the file's namespace).
fn groups(cx: &mut Context, f: &Fields) -> Vec<String> {
    let ns = cx.id.namespace.clone();
    one_or_many(cx, f, "groups").iter().map(|g| EntryId::resolve(g, &ns).to_string()).collect()
}

/// `lifecycle.security: {actor: {id, meta}, policies: [...], groups: [...]}`.
pub(crate) fn security_spec(cx: &mut Context, f: &Fields) -> SecuritySpec {
    f.reject_unknown(&mut cx.r, SECURITY_FIELDS, "`lifecycle.security`");
    let mut spec = SecuritySpec::default();
    if let Some(a) = f.map(&mut cx.r, "actor") {
        a.reject_unknown(&mut cx.r, ACTOR_FIELDS, "`actor`");
        if let Some((id, _)) = a.required_string(&mut cx.r, "id", "`actor`", "add `id: \"service:name\"`") {
            let meta = a.node("meta").map(Node::to_value).unwrap_or(crate::value::Value::Nil);
            spec.actor = Some((id.to_string(), meta));
        }
    }
    let field = f.path("policies");
    for (written, pos) in f.string_list(&mut cx.r, "policies").unwrap_or_default() {
        let id = cx.reference(RefKind::Policy, field.clone(), written, pos);
        spec.policies.push(id);
    }
    spec.groups = groups(cx, f);
    spec
}
