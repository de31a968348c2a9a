//! Run-time validation of a value against a type: what calling a type object (`User(data)`) and
//! `T:is(v)` check. Values are seen through [`View`], so this runs on Lua values (the binding in
//! `lua/api/types.rs`) and on plain test values alike.
//!
//! The error names the path of the failing part from the root (`user.address.zip: expected
//! string, got nil`); the root is the type's name with a lower-case first letter, or `value`.
//! Functions are checked to be functions, not their signatures. Generic parameters and opaque
//! names accept anything.

use super::types::{Literal, Type, Validator};

/// A value's shape, as validation needs it.
pub enum Shape {
    Nil,
    Boolean(bool),
    Integer(i64),
    Float(f64),
    String(Vec<u8>),
    Table,
    Function,
    /// Anything else, by its Lua type name (an error object is `Other("error")`).
    Other(&'static str),
}

pub trait View: Sized {
    fn shape(&self) -> Shape;
    /// `t[name]` of a table (nil for non-tables).
    fn field(&self, name: &str) -> Self;
    /// The key/value pairs of a table.
    fn pairs(&self) -> Vec<(Self, Self)>;
    /// Whether the string matches the Lua pattern.
    fn matches(&self, pattern: &str) -> bool;
}

/// Checks `value` against `ty`; `root` names the value in the error.
pub fn validate<V: View>(ty: &Type, value: &V, root: &str) -> Result<(), String> {
    let mut path = root.to_string();
    check(ty, value, &mut path)
}

fn got(shape: &Shape) -> String {
    match shape {
        Shape::Nil => "nil".into(),
        Shape::Boolean(b) => b.to_string(),
        Shape::Integer(_) | Shape::Float(_) => "number".into(),
        Shape::String(_) => "string".into(),
        Shape::Table => "table".into(),
        Shape::Function => "function".into(),
        Shape::Other(name) => (*name).into(),
    }
}

fn fail(path: &str, expected: &Type, shape: &Shape) -> Result<(), String> {
    Err(format!("{path}: expected {expected}, got {}", got(shape)))
}

fn number(shape: &Shape) -> Option<f64> {
    match shape {
        Shape::Integer(i) => Some(*i as f64),
        Shape::Float(f) => Some(*f),
        _ => None,
    }
}

fn check<V: View>(ty: &Type, value: &V, path: &mut String) -> Result<(), String> {
    let shape = value.shape();
    let ok = match ty {
        Type::Any | Type::Unknown | Type::Param(_) | Type::Opaque(_) => true,
        Type::Never => false,
        Type::Nil => matches!(shape, Shape::Nil),
        Type::Boolean => matches!(shape, Shape::Boolean(_)),
        Type::Number => number(&shape).is_some(),
        Type::Integer => match shape {
            Shape::Integer(_) => true,
            Shape::Float(f) => f.fract() == 0.0 && f.is_finite(),
            _ => false,
        },
        Type::String => matches!(shape, Shape::String(_)),
        Type::Error => !matches!(shape, Shape::Nil),
        Type::Table => matches!(shape, Shape::Table),
        Type::AnyFunction | Type::Function(_) => matches!(shape, Shape::Function),
        Type::Literal(lit) => match (lit, &shape) {
            (Literal::String(s), Shape::String(b)) => s.as_bytes() == b.as_slice(),
            (Literal::Boolean(a), Shape::Boolean(b)) => a == b,
            (Literal::Number(bits), _) => number(&shape) == Some(f64::from_bits(*bits)),
            _ => false,
        },
        Type::Optional(inner) => return if matches!(shape, Shape::Nil) { Ok(()) } else { check(inner, value, path) },
        Type::Union(variants) => {
            let mut first_error = None;
            for v in variants {
                match check(v, value, path) {
                    Ok(()) => return Ok(()),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            // A record variant that matched the kind but not a field tells more than "expected A | B".
            let deeper = first_error.filter(|e| !e.starts_with(&format!("{path}:")));
            return match deeper {
                Some(e) if variants.iter().filter(|v| v.kind() == "record").count() == 1 => Err(e),
                _ => fail(path, ty, &shape),
            };
        }
        Type::Intersection(parts) => {
            for p in parts {
                check(p, value, path)?;
            }
            return Ok(());
        }
        Type::Validated(inner, validators) => {
            check(inner, value, path)?;
            return validators.iter().try_for_each(|v| run_validator(v, value, &shape, path));
        }
        Type::Array(elem) => {
            if !matches!(shape, Shape::Table) {
                return fail(path, ty, &shape);
            }
            let mut items: Vec<(i64, V)> = Vec::new();
            for (k, v) in value.pairs() {
                match k.shape() {
                    Shape::Integer(i) if i >= 1 => items.push((i, v)),
                    other => {
                        return Err(format!("{path}: expected an array, got a table with key {}", key_text(&other)))
                    }
                }
            }
            items.sort_by_key(|(i, _)| *i);
            for (i, v) in &items {
                let mark = path.len();
                path.push_str(&format!("[{i}]"));
                check(elem, v, path)?;
                path.truncate(mark);
            }
            return Ok(());
        }
        Type::Map(key, val) => {
            if !matches!(shape, Shape::Table) {
                return fail(path, ty, &shape);
            }
            for (k, v) in value.pairs() {
                let mark = path.len();
                let shown = key_text(&k.shape());
                path.push_str(&format!("[{shown}]"));
                let key_check = check(key, &k, path);
                if key_check.is_err() {
                    path.truncate(mark);
                    return Err(format!("{path}: key {shown}: expected {key}, got {}", got(&k.shape())));
                }
                check(val, &v, path)?;
                path.truncate(mark);
            }
            return Ok(());
        }
        Type::Record(fields) => {
            if !matches!(shape, Shape::Table) {
                return fail(path, ty, &shape);
            }
            for f in fields {
                let v = value.field(&f.name);
                let mark = path.len();
                path.push('.');
                path.push_str(&f.name);
                if !(f.optional && matches!(v.shape(), Shape::Nil)) {
                    check(&f.ty, &v, path)?;
                }
                path.truncate(mark);
            }
            return Ok(());
        }
    };
    if ok {
        Ok(())
    } else {
        fail(path, ty, &shape)
    }
}

fn key_text(shape: &Shape) -> String {
    match shape {
        Shape::String(s) => format!("{:?}", String::from_utf8_lossy(s)),
        Shape::Integer(i) => i.to_string(),
        Shape::Float(f) => f.to_string(),
        other => got(other),
    }
}

fn length<V: View>(value: &V, shape: &Shape) -> Option<usize> {
    match shape {
        Shape::String(s) => Some(String::from_utf8_lossy(s).chars().count()),
        Shape::Table => Some(value.pairs().len()),
        _ => None,
    }
}

fn run_validator<V: View>(v: &Validator, value: &V, shape: &Shape, path: &str) -> Result<(), String> {
    let broken = match v {
        Validator::Min(bits) => {
            let min = f64::from_bits(*bits);
            match number(shape) {
                Some(n) => (n < min).then(|| format!("{n} is less than the minimum {min}")),
                None => {
                    length(value, shape).filter(|&l| (l as f64) < min).map(|l| format!("length {l} is less than {min}"))
                }
            }
        }
        Validator::Max(bits) => {
            let max = f64::from_bits(*bits);
            match number(shape) {
                Some(n) => (n > max).then(|| format!("{n} is more than the maximum {max}")),
                None => {
                    length(value, shape).filter(|&l| (l as f64) > max).map(|l| format!("length {l} is more than {max}"))
                }
            }
        }
        Validator::MinLen(min) => length(value, shape)
            .filter(|&l| (l as u64) < *min)
            .map(|l| format!("length {l} is less than the minimum length {min}")),
        Validator::MaxLen(max) => length(value, shape)
            .filter(|&l| (l as u64) > *max)
            .map(|l| format!("length {l} is more than the maximum length {max}")),
        Validator::Pattern(p) => (matches!(shape, Shape::String(_)) && !value.matches(p))
            .then(|| format!("does not match the pattern {p:?}")),
        Validator::Int => number(shape).filter(|n| n.fract() != 0.0).map(|n| format!("{n} is not an integer")),
        Validator::Other(_) => None,
    };
    match broken {
        Some(why) => Err(format!("{path}: {why}")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typed::type_parse::{self, builtin, Resolve};

    /// A test value: a tree of plain data.
    #[derive(Clone)]
    enum V {
        Nil,
        B(bool),
        I(i64),
        F(f64),
        S(&'static str),
        T(Vec<(V, V)>),
        Fun,
    }

    impl View for V {
        fn shape(&self) -> Shape {
            match self {
                V::Nil => Shape::Nil,
                V::B(b) => Shape::Boolean(*b),
                V::I(i) => Shape::Integer(*i),
                V::F(f) => Shape::Float(*f),
                V::S(s) => Shape::String(s.as_bytes().to_vec()),
                V::T(_) => Shape::Table,
                V::Fun => Shape::Function,
            }
        }
        fn field(&self, name: &str) -> V {
            match self {
                V::T(kv) => {
                    kv.iter().find(|(k, _)| matches!(k, V::S(s) if *s == name)).map_or(V::Nil, |(_, v)| v.clone())
                }
                _ => V::Nil,
            }
        }
        fn pairs(&self) -> Vec<(V, V)> {
            match self {
                V::T(kv) => kv.clone(),
                _ => vec![],
            }
        }
        fn matches(&self, pattern: &str) -> bool {
            // Enough for the tests: `^` prefix or substring.
            match (self, pattern.strip_prefix('^')) {
                (V::S(s), Some(p)) => s.starts_with(p),
                (V::S(s), None) => s.contains(pattern),
                _ => false,
            }
        }
    }

    struct Named;
    impl Resolve for Named {
        fn resolve(&self, name: &str, _: Vec<Type>) -> Type {
            match name {
                "Address" => type_parse::parse("{zip: string, city?: string}", &Named),
                _ => builtin(name).unwrap_or(Type::Any),
            }
        }
    }

    fn ok(ty: &str, v: V) -> Result<(), String> {
        validate(&type_parse::parse(ty, &Named), &v, "value")
    }

    fn rec(kv: &[(&'static str, V)]) -> V {
        V::T(kv.iter().map(|(k, v)| (V::S(k), v.clone())).collect())
    }

    fn arr(items: &[V]) -> V {
        V::T(items.iter().enumerate().map(|(i, v)| (V::I(i as i64 + 1), v.clone())).collect())
    }

    #[test]
    fn primitives() {
        assert!(ok("number", V::F(1.5)).is_ok());
        assert!(ok("integer", V::F(2.0)).is_ok());
        assert_eq!(ok("integer", V::F(2.5)).unwrap_err(), "value: expected integer, got number");
        assert_eq!(ok("string", V::I(1)).unwrap_err(), "value: expected string, got number");
        assert!(ok("boolean", V::B(false)).is_ok());
        assert!(ok("nil", V::Nil).is_ok());
        assert!(ok("any", V::Fun).is_ok());
        assert!(ok("function", V::Fun).is_ok());
        assert!(ok("never", V::Nil).is_err());
    }

    #[test]
    fn records_report_the_path() {
        let user = "{name: string, address: Address, age?: number}";
        let good = rec(&[("name", V::S("a")), ("address", rec(&[("zip", V::S("1"))]))]);
        assert!(validate(&type_parse::parse(user, &Named), &good, "user").is_ok());
        let bad = rec(&[("name", V::S("a")), ("address", rec(&[]))]);
        assert_eq!(
            validate(&type_parse::parse(user, &Named), &bad, "user").unwrap_err(),
            "user.address.zip: expected string, got nil"
        );
        assert_eq!(
            ok(user, V::S("x")).unwrap_err(),
            format!("value: expected {}, got string", type_parse::parse(user, &Named))
        );
    }

    #[test]
    fn arrays_maps_unions_optionals_intersections() {
        assert!(ok("{number}", arr(&[V::I(1), V::F(2.0)])).is_ok());
        assert_eq!(ok("number[]", arr(&[V::I(1), V::S("x")])).unwrap_err(), "value[2]: expected number, got string");
        assert!(ok("{[string]: number}", rec(&[("a", V::I(1))])).is_ok());
        assert_eq!(
            ok("{[string]: number}", rec(&[("a", V::B(true))])).unwrap_err(),
            "value[\"a\"]: expected number, got true"
        );
        assert!(ok("\"a\" | \"b\"", V::S("b")).is_ok());
        assert_eq!(ok("\"a\" | \"b\"", V::S("c")).unwrap_err(), "value: expected \"a\" | \"b\", got string");
        assert!(ok("200 | 404", V::I(404)).is_ok());
        assert!(ok("number?", V::Nil).is_ok());
        assert!(ok("{a: number} & {b: string}", rec(&[("a", V::I(1)), ("b", V::S("x"))])).is_ok());
        assert_eq!(
            ok("{a: number} & {b: string}", rec(&[("a", V::I(1))])).unwrap_err(),
            "value.b: expected string, got nil"
        );
    }

    #[test]
    fn validators() {
        assert!(ok("number @min(0) @max(100)", V::I(50)).is_ok());
        assert_eq!(ok("number @min(0) @max(100)", V::I(101)).unwrap_err(), "value: 101 is more than the maximum 100");
        assert!(ok("string @min_len(2)", V::S("a")).is_err());
        assert!(ok("string @max_len(2)", V::S("abc")).is_err());
        assert!(ok("string @pattern(\"^a\")", V::S("abc")).is_ok());
        assert!(ok("string @pattern(\"^a\")", V::S("bc")).is_err());
        assert!(ok("{number @min(1)}", arr(&[V::I(0)])).is_err());
        assert!(ok("{port?: number @max(10)}", rec(&[])).is_ok());
    }
}
