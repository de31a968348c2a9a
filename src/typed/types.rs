//! The type AST shared by the runtime (type values, validation) and the checker: what a type
//! annotation or a `type T = ...` declaration means, with names already resolved.
//!
//! Types are plain data: `Eq` and `Hash` are structural, so equal types intern to one run-time
//! object. A type declaration's name is not part of its type (it travels beside it, see
//! `lua/api/types.rs`); a reference to a declared type is replaced by the declared type.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Type {
    Any,
    Unknown,
    Never,
    Nil,
    Boolean,
    Number,
    Integer,
    String,
    /// An error object (or any value used as an error).
    Error,
    /// `table` without more detail.
    Table,
    /// `function` without a signature.
    AnyFunction,
    /// `"done"`, `3`, `true`.
    Literal(Literal),
    Optional(Box<Type>),
    Union(Vec<Type>),
    Intersection(Vec<Type>),
    Array(Box<Type>),
    Map(Box<Type>, Box<Type>),
    Record(Vec<Field>),
    Function(FunctionType),
    /// A type whose values must also pass the validators: `number @min(0)`.
    Validated(Box<Type>, Vec<Validator>),
    /// A generic parameter `T` inside a generic declaration (behaves as `any` at run time).
    Param(String),
    /// A name the front end could not resolve (another module's type): `any` for every purpose.
    Opaque(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Literal {
    String(String),
    /// The bits of an `f64`, so the type stays `Eq`/`Hash`.
    Number(u64),
    Boolean(bool),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub ty: Type,
    pub optional: bool,
    pub readonly: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FunctionType {
    pub params: Vec<Type>,
    /// The type of `...`, when the function takes varargs.
    pub variadic: Option<Box<Type>>,
    pub returns: Vec<Type>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Validator {
    /// Numbers: at least; strings and arrays: see `MinLen`.
    Min(u64),
    Max(u64),
    MinLen(u64),
    MaxLen(u64),
    /// A Lua pattern the whole string must match somewhere (`string.find`).
    Pattern(String),
    /// An integral number (`@int`).
    Int,
    /// A validator this runtime does not know: accepted, never checked (reported by the checker).
    Other(String),
}

impl Literal {
    pub fn number(n: f64) -> Literal {
        Literal::Number(n.to_bits())
    }
}

impl Validator {
    pub fn min(n: f64) -> Validator {
        Validator::Min(n.to_bits())
    }

    pub fn max(n: f64) -> Validator {
        Validator::Max(n.to_bits())
    }
}

impl Type {
    /// The name `T:kind()` returns.
    pub fn kind(&self) -> &'static str {
        match self {
            Type::Any | Type::Opaque(_) | Type::Param(_) => "any",
            Type::Unknown => "unknown",
            Type::Never => "never",
            Type::Nil => "nil",
            Type::Boolean => "boolean",
            Type::Number => "number",
            Type::Integer => "integer",
            Type::String => "string",
            Type::Error => "error",
            Type::Table => "table",
            Type::AnyFunction | Type::Function(_) => "function",
            Type::Literal(_) => "literal",
            Type::Optional(_) => "optional",
            Type::Union(_) => "union",
            Type::Intersection(_) => "intersection",
            Type::Array(_) => "array",
            Type::Map(..) => "map",
            Type::Record(_) => "record",
            Type::Validated(inner, _) => inner.kind(),
        }
    }

    /// Whether the type says nothing (gradual typing: never reported).
    pub fn is_any(&self) -> bool {
        matches!(self, Type::Any | Type::Opaque(_) | Type::Param(_) | Type::Unknown)
    }

    /// Whether `nil` is a value of this type.
    pub fn admits_nil(&self) -> bool {
        match self {
            Type::Nil | Type::Optional(_) => true,
            Type::Union(vs) => vs.iter().any(Type::admits_nil),
            Type::Validated(inner, _) => inner.admits_nil(),
            t => t.is_any(),
        }
    }

    /// The type without `nil` (after `x ~= nil` or `x!`).
    pub fn without_nil(&self) -> Type {
        match self {
            Type::Optional(inner) => inner.without_nil(),
            Type::Union(vs) => union(vs.iter().filter(|v| **v != Type::Nil).map(Type::without_nil).collect()),
            t => t.clone(),
        }
    }

    /// A field of a record (looking through optional, validated and intersections).
    pub fn field(&self, name: &str) -> Option<&Field> {
        match self {
            Type::Record(fields) => fields.iter().find(|f| f.name == name),
            Type::Validated(inner, _) => inner.field(name),
            Type::Intersection(parts) => parts.iter().find_map(|p| p.field(name)),
            _ => None,
        }
    }

    /// Replaces generic parameters (and unresolved names, which is what a function's own generic
    /// parameters are) by `args`, by name.
    pub fn substitute(&self, args: &[(String, Type)]) -> Type {
        let sub = |t: &Type| t.substitute(args);
        let subs = |ts: &[Type]| ts.iter().map(sub).collect::<Vec<_>>();
        match self {
            Type::Param(name) | Type::Opaque(name) => {
                args.iter().find(|(n, _)| n == name).map_or_else(|| self.clone(), |(_, t)| t.clone())
            }
            Type::Optional(t) => Type::Optional(Box::new(sub(t))),
            Type::Union(ts) => Type::Union(subs(ts)),
            Type::Intersection(ts) => Type::Intersection(subs(ts)),
            Type::Array(t) => Type::Array(Box::new(sub(t))),
            Type::Map(k, v) => Type::Map(Box::new(sub(k)), Box::new(sub(v))),
            Type::Record(fields) => {
                Type::Record(fields.iter().map(|f| Field { ty: sub(&f.ty), ..f.clone() }).collect())
            }
            Type::Function(f) => Type::Function(FunctionType {
                params: subs(&f.params),
                variadic: f.variadic.as_ref().map(|v| Box::new(sub(v))),
                returns: subs(&f.returns),
            }),
            Type::Validated(t, vs) => Type::Validated(Box::new(sub(t)), vs.clone()),
            t => t.clone(),
        }
    }
}

/// A union of `variants`, flattened; one variant is itself, none is `never`.
pub fn union(variants: Vec<Type>) -> Type {
    let mut flat: Vec<Type> = Vec::with_capacity(variants.len());
    for v in variants {
        let parts = match v {
            Type::Union(inner) => inner,
            v => vec![v],
        };
        for p in parts {
            if !flat.contains(&p) {
                flat.push(p);
            }
        }
    }
    match flat.len() {
        0 => Type::Never,
        1 => flat.pop().unwrap_or(Type::Never),
        _ => Type::Union(flat),
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(s) => write!(f, "{s:?}"),
            Literal::Number(bits) => write!(f, "{}", f64::from_bits(*bits)),
            Literal::Boolean(b) => write!(f, "{b}"),
        }
    }
}

fn list(f: &mut fmt::Formatter<'_>, items: &[Type], sep: &str) -> fmt::Result {
    for (i, t) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{t}")?;
    }
    Ok(())
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::AnyFunction => f.write_str("function"),
            Type::Literal(l) => write!(f, "{l}"),
            Type::Optional(t) => match **t {
                Type::Union(_) | Type::Function(_) | Type::Intersection(_) => write!(f, "({t})?"),
                _ => write!(f, "{t}?"),
            },
            Type::Union(ts) => list(f, ts, " | "),
            Type::Intersection(ts) => list(f, ts, " & "),
            Type::Array(t) => write!(f, "{{{t}}}"),
            Type::Map(k, v) => write!(f, "{{[{k}]: {v}}}"),
            Type::Record(fields) => {
                f.write_str("{")?;
                for (i, field) in fields.iter().enumerate() {
                    let sep = if i > 0 { ", " } else { "" };
                    let opt = if field.optional { "?" } else { "" };
                    write!(f, "{sep}{}{opt}: {}", field.name, field.ty)?;
                }
                f.write_str("}")
            }
            Type::Function(func) => {
                f.write_str("(")?;
                list(f, &func.params, ", ")?;
                if let Some(v) = &func.variadic {
                    let sep = if func.params.is_empty() { "" } else { ", " };
                    write!(f, "{sep}...{v}")?;
                }
                f.write_str(") -> ")?;
                match func.returns.len() {
                    1 => write!(f, "{}", func.returns[0]),
                    _ => {
                        f.write_str("(")?;
                        list(f, &func.returns, ", ")?;
                        f.write_str(")")
                    }
                }
            }
            Type::Validated(t, _) => write!(f, "{t}"),
            Type::Param(name) | Type::Opaque(name) => f.write_str(name),
            t => f.write_str(t.kind()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unions_flatten_and_dedupe() {
        let u = union(vec![Type::Number, union(vec![Type::String, Type::Number]), Type::Nil]);
        assert_eq!(u, Type::Union(vec![Type::Number, Type::String, Type::Nil]));
        assert_eq!(u.without_nil(), Type::Union(vec![Type::Number, Type::String]));
        assert!(u.admits_nil());
    }

    #[test]
    fn display_reads_like_source() {
        let rec = Type::Record(vec![Field { name: "port".into(), ty: Type::Number, optional: true, readonly: false }]);
        assert_eq!(rec.to_string(), "{port?: number}");
        assert_eq!(Type::Optional(Box::new(Type::Array(Box::new(Type::String)))).to_string(), "{string}?");
    }
}
