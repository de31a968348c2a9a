//! Policies: what a `security.policy` entry (or a policy table given to `security.new_scope`)
//! says, compiled once into a form that evaluates without allocating: action and resource
//! patterns split at `*`, condition fields parsed into paths, `matches` regexes compiled.

use std::sync::Arc;

use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// An action or resource pattern: `*` matches any run of characters (including none).
#[derive(Debug, Clone)]
pub enum Pattern {
    Any,
    Exact(Box<str>),
    Prefix(Box<str>),
    Suffix(Box<str>),
    /// Several `*`: the literal pieces between them, in order.
    Glob(Box<[Box<str>]>),
}

impl Pattern {
    pub fn compile(text: &str) -> Pattern {
        if text == "*" {
            return Pattern::Any;
        }
        let pieces: Vec<&str> = text.split('*').collect();
        match pieces.as_slice() {
            [one] => Pattern::Exact((*one).into()),
            [pre, ""] => Pattern::Prefix((*pre).into()),
            ["", suf] => Pattern::Suffix((*suf).into()),
            _ => Pattern::Glob(pieces.iter().map(|p| Box::<str>::from(*p)).collect()),
        }
    }

    pub fn matches(&self, s: &str) -> bool {
        match self {
            Pattern::Any => true,
            Pattern::Exact(e) => s == &**e,
            Pattern::Prefix(p) => s.starts_with(&**p),
            Pattern::Suffix(p) => s.ends_with(&**p),
            Pattern::Glob(pieces) => glob(pieces, s),
        }
    }
}

/// `pieces` are the literals around each `*`: the first anchors the start, the last the end,
/// the ones between are found left to right (leftmost match is always safe for `*`).
fn glob(pieces: &[Box<str>], s: &str) -> bool {
    let (first, rest) = match pieces.split_first() {
        Some(x) => x,
        None => return s.is_empty(),
    };
    let Some(mut tail) = s.strip_prefix(&**first) else { return false };
    let Some((last, middle)) = rest.split_last() else { return tail.is_empty() };
    for piece in middle {
        match tail.find(&**piece) {
            Some(i) => tail = &tail[i + piece.len()..],
            None => return false,
        }
    }
    tail.len() >= last.len() && tail.ends_with(&**last)
}

/// A field a condition reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    ActorId,
    /// `actor.meta.a.b`: the path below the actor's meta.
    ActorMeta(Box<[Box<str>]>),
    Action,
    Resource,
    /// `meta.a.b`: the path below the request's meta.
    Meta(Box<[Box<str>]>),
}

impl Field {
    pub fn parse(text: &str) -> Result<Field, String> {
        let path = |rest: &str| -> Result<Box<[Box<str>]>, String> {
            if rest.is_empty() || rest.split('.').any(str::is_empty) {
                return Err(format!("condition field `{text}` has an empty path segment"));
            }
            Ok(rest.split('.').map(Box::from).collect())
        };
        match text {
            "actor.id" => Ok(Field::ActorId),
            "action" => Ok(Field::Action),
            "resource" => Ok(Field::Resource),
            _ => {
                if let Some(rest) = text.strip_prefix("actor.meta.") {
                    Ok(Field::ActorMeta(path(rest)?))
                } else if let Some(rest) = text.strip_prefix("meta.") {
                    Ok(Field::Meta(path(rest)?))
                } else {
                    Err(format!(
                        "unknown condition field `{text}` (fields: actor.id, actor.meta.NAME, action, resource, meta.NAME)"
                    ))
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Eq,
    Ne,
    Lt,
    Gt,
    Lte,
    Gte,
    In,
    Nin,
    Exists,
    NExists,
    Contains,
    NContains,
    Matches,
    NMatches,
}

pub const OPERATORS: &str =
    "eq, ne, lt, gt, lte, gte, in, nin, exists, nexists, contains, ncontains, matches, nmatches";

impl Operator {
    pub fn parse(text: &str) -> Result<Operator, String> {
        Ok(match text {
            "eq" => Operator::Eq,
            "ne" => Operator::Ne,
            "lt" => Operator::Lt,
            "gt" => Operator::Gt,
            "lte" => Operator::Lte,
            "gte" => Operator::Gte,
            "in" => Operator::In,
            "nin" => Operator::Nin,
            "exists" => Operator::Exists,
            "nexists" => Operator::NExists,
            "contains" => Operator::Contains,
            "ncontains" => Operator::NContains,
            "matches" => Operator::Matches,
            "nmatches" => Operator::NMatches,
            other => return Err(format!("unknown condition operator `{other}` (operators: {OPERATORS})")),
        })
    }

    fn needs_operand(self) -> bool {
        !matches!(self, Operator::Exists | Operator::NExists)
    }
}

/// What a condition compares its field with.
#[derive(Debug, Clone)]
pub enum Operand {
    None,
    Value(Value),
    /// A literal `matches`/`nmatches` pattern, compiled once.
    Regex(regex::Regex),
    /// `value_from`: the value of another field of the same request.
    From(Field),
}

#[derive(Debug, Clone)]
pub struct Condition {
    pub field: Field,
    pub op: Operator,
    pub operand: Operand,
}

/// A condition as written, before compiling.
#[derive(Debug, Clone)]
pub struct ConditionSpec {
    pub field: String,
    pub operator: String,
    pub value: Option<Value>,
    pub value_from: Option<String>,
}

impl Condition {
    pub fn compile(spec: &ConditionSpec) -> Result<Condition, String> {
        let field = Field::parse(&spec.field)?;
        let op = Operator::parse(&spec.operator)?;
        let operand = match (&spec.value, &spec.value_from, op.needs_operand()) {
            (Some(_), Some(_), _) => {
                return Err(format!("condition on `{}` has both `value` and `value_from`; keep one", spec.field))
            }
            (_, _, false) => Operand::None,
            (None, Some(from), true) => Operand::From(Field::parse(from)?),
            (Some(v), None, true) if matches!(op, Operator::Matches | Operator::NMatches) => {
                let Some(text) = v.as_str() else {
                    return Err(format!("`{}` needs a regular expression as text", spec.operator));
                };
                Operand::Regex(
                    regex::Regex::new(text).map_err(|e| format!("invalid regular expression {text:?}: {e}"))?,
                )
            }
            (Some(Value::Table(t)), None, true) if matches!(op, Operator::In | Operator::Nin) && !t.map.is_empty() => {
                return Err(format!("`{}` needs a list of values", spec.operator))
            }
            (Some(v), None, true) if matches!(op, Operator::In | Operator::Nin) && !matches!(v, Value::Table(_)) => {
                return Err(format!("`{}` needs a list of values, got {}", spec.operator, type_name(v)))
            }
            (Some(v), None, true) => Operand::Value(v.clone()),
            (None, None, true) => {
                return Err(format!(
                    "condition on `{}` with operator `{}` needs `value` or `value_from`",
                    spec.field, spec.operator
                ))
            }
        };
        Ok(Condition { field, op, operand })
    }
}

/// A compiled policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The entry ID, or a name given in Lua (`inline` when none).
    pub id: Arc<str>,
    pub actions: Box<[Pattern]>,
    pub resources: Box<[Pattern]>,
    pub effect: Effect,
    pub conditions: Box<[Condition]>,
    /// Groups this policy belongs to (full IDs).
    pub groups: Box<[Arc<str>]>,
}

/// A policy as written, before compiling.
#[derive(Debug, Clone, Default)]
pub struct PolicySpec {
    pub id: String,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub effect: String,
    pub conditions: Vec<ConditionSpec>,
    pub groups: Vec<String>,
}

impl Policy {
    pub fn compile(spec: &PolicySpec) -> Result<Policy, String> {
        let effect = match spec.effect.as_str() {
            "allow" => Effect::Allow,
            "deny" => Effect::Deny,
            other => return Err(format!("policy effect must be `allow` or `deny`, got `{other}`")),
        };
        if spec.actions.is_empty() {
            return Err("policy has no `actions` (use `*` for every action)".into());
        }
        if spec.resources.is_empty() {
            return Err("policy has no `resources` (use `*` for every resource)".into());
        }
        let conditions = spec.conditions.iter().map(Condition::compile).collect::<Result<Vec<_>, _>>()?;
        Ok(Policy {
            id: Arc::from(spec.id.as_str()),
            actions: spec.actions.iter().map(|a| Pattern::compile(a)).collect(),
            resources: spec.resources.iter().map(|r| Pattern::compile(r)).collect(),
            effect,
            conditions: conditions.into(),
            groups: spec.groups.iter().map(|g| Arc::from(g.as_str())).collect(),
        })
    }

    /// A policy table from Lua (`{actions=, resources=, effect=, conditions={...}}`); strings
    /// are accepted where lists are expected.
    pub fn from_value(id: &str, v: &Value) -> Result<Policy, String> {
        let Value::Table(_) = v else { return Err(format!("a policy must be a table, got {}", type_name(v))) };
        let strings = |name: &str| -> Result<Vec<String>, String> {
            match v.get(name) {
                None => Ok(Vec::new()),
                Some(Value::Str(_)) => Ok(vec![v.get(name).and_then(Value::as_str).unwrap_or_default().to_string()]),
                Some(Value::Table(t)) => t
                    .array
                    .iter()
                    .map(|x| x.as_str().map(str::to_string).ok_or_else(|| format!("`{name}` must hold strings")))
                    .collect(),
                Some(other) => Err(format!("`{name}` must be a list of strings, got {}", type_name(other))),
            }
        };
        let mut spec = PolicySpec {
            id: id.to_string(),
            actions: strings("actions")?,
            resources: strings("resources")?,
            effect: v.get("effect").and_then(Value::as_str).unwrap_or_default().to_string(),
            ..Default::default()
        };
        if let Some(Value::Table(conds)) = v.get("conditions") {
            for c in &conds.array {
                let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
                spec.conditions.push(ConditionSpec {
                    field: text("field").ok_or("a condition needs a `field`")?,
                    operator: text("operator").ok_or("a condition needs an `operator`")?,
                    value: c.get("value").cloned(),
                    value_from: text("value_from"),
                });
            }
        }
        Policy::compile(&spec)
    }
}

pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "nil",
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::Str(_) => "a string",
        Value::Table(_) => "a table",
        Value::Error(_) => "an error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_with_stars_anywhere() {
        let cases = [
            ("*", "anything", true),
            ("process.send", "process.send", true),
            ("process.send", "process.spawn", false),
            ("process.*", "process.spawn", true),
            ("process.*", "funcs.call", false),
            ("*.send", "process.send", true),
            ("app:*:x", "app:a:b:x", true),
            ("app:*:x", "app:x", false),
            ("a*b*c", "abc", true),
            ("a*b*c", "a__b__c", true),
            ("a*b*c", "a__c__b", false),
            ("{app:sys|*}", "{app:sys|0x1}", true),
        ];
        for (pat, s, want) in cases {
            assert_eq!(Pattern::compile(pat).matches(s), want, "{pat} ~ {s}");
        }
    }

    #[test]
    fn bad_policies_say_what_is_wrong() {
        let mut spec = PolicySpec {
            id: "x".into(),
            actions: vec!["*".into()],
            resources: vec!["*".into()],
            effect: "maybe".into(),
            ..Default::default()
        };
        assert!(Policy::compile(&spec).unwrap_err().contains("allow"));
        spec.effect = "allow".into();
        spec.conditions.push(ConditionSpec {
            field: "actor.nope".into(),
            operator: "eq".into(),
            value: Some(Value::Int(1)),
            value_from: None,
        });
        assert!(Policy::compile(&spec).unwrap_err().contains("unknown condition field"));
        spec.conditions[0].field = "actor.id".into();
        spec.conditions[0].operator = "like".into();
        assert!(Policy::compile(&spec).unwrap_err().contains("operators: eq"));
        spec.conditions[0].operator = "matches".into();
        spec.conditions[0].value = Some(Value::str("("));
        assert!(Policy::compile(&spec).unwrap_err().contains("regular expression"));
        spec.conditions[0].operator = "eq".into();
        spec.conditions[0].value = None;
        assert!(Policy::compile(&spec).unwrap_err().contains("needs `value`"));
    }
}
