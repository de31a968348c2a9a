//! Structural subtyping: whether every value of one type is a value of another. The run-time
//! `A <= B` and the checker's "can this be assigned" both ask it. `any` (and what stands for it:
//! generic parameters, unresolved names) is compatible both ways: gradual typing never reports it.
//! Validators (`@min(0)`) are run-time checks and play no part here.

use super::types::{Literal, Type};

/// Whether `a` is a subtype of `b`.
pub fn is_subtype(a: &Type, b: &Type) -> bool {
    if a == b || a.is_any() || b.is_any() {
        return true;
    }
    match (a, b) {
        (Type::Never, _) => true,
        (Type::Validated(a, _), b) => is_subtype(a, b),
        // Validators are checked at run time only: statically `number @min(0)` is `number`.
        (a, Type::Validated(b, _)) => is_subtype(a, b),
        (Type::Union(vs), b) => vs.iter().all(|v| is_subtype(v, b)),
        (a, Type::Union(vs)) => vs.iter().any(|v| is_subtype(a, v)),
        (Type::Optional(a), b) => b.admits_nil() && is_subtype(a, &b.without_nil()),
        (Type::Nil, b) => b.admits_nil(),
        (a, Type::Optional(b)) => is_subtype(a, b),
        (a, Type::Intersection(parts)) => parts.iter().all(|p| is_subtype(a, p)),
        (Type::Intersection(parts), b) => {
            parts.iter().any(|p| is_subtype(p, b)) || merged_record(parts).is_some_and(|r| is_subtype(&r, b))
        }
        (Type::Integer, Type::Number) => true,
        (Type::Literal(l), b) => match (l, b) {
            (Literal::String(_), Type::String) => true,
            (Literal::Boolean(_), Type::Boolean) => true,
            (Literal::Number(bits), Type::Number) => f64::from_bits(*bits).is_finite(),
            (Literal::Number(bits), Type::Integer) => f64::from_bits(*bits).fract() == 0.0,
            _ => false,
        },
        (Type::Array(_) | Type::Map(..) | Type::Record(_), Type::Table) => true,
        (Type::Array(a), Type::Array(b)) => is_subtype(a, b),
        (Type::Array(a), Type::Map(k, v)) => is_subtype(&Type::Integer, k) && is_subtype(a, v),
        (Type::Map(ka, va), Type::Map(kb, vb)) => is_subtype(ka, kb) && is_subtype(va, vb),
        (Type::Record(fa), Type::Record(fb)) => fb.iter().all(|want| match fa.iter().find(|f| f.name == want.name) {
            Some(have) => (want.optional || !have.optional) && is_subtype(&have.ty, &want.ty),
            None => want.optional || want.ty.admits_nil(),
        }),
        (Type::Record(fa), Type::Map(k, v)) => is_subtype(&Type::String, k) && fa.iter().all(|f| is_subtype(&f.ty, v)),
        (Type::Function(_), Type::AnyFunction) => true,
        (Type::Function(fa), Type::Function(fb)) => {
            // Parameters are contravariant, results covariant.
            let extra_admit_nil = fa.params.iter().skip(fb.params.len()).all(Type::admits_nil);
            (fb.variadic.is_some() || extra_admit_nil)
                && fa.params.iter().zip(&fb.params).all(|(pa, pb)| is_subtype(pb, pa))
                && fa.returns.iter().zip(&fb.returns).all(|(ra, rb)| is_subtype(ra, rb))
        }
        _ => false,
    }
}

/// The fields of an intersection of records, as one record.
fn merged_record(parts: &[Type]) -> Option<Type> {
    let mut fields = Vec::new();
    for p in parts {
        match p {
            Type::Record(fs) => fields.extend(fs.iter().cloned()),
            _ => return None,
        }
    }
    Some(Type::Record(fields))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typed::type_parse::{self, builtin, Resolve};

    struct Builtins;
    impl Resolve for Builtins {
        fn resolve(&self, name: &str, _: Vec<Type>) -> Type {
            builtin(name).unwrap_or(Type::Any)
        }
    }

    fn sub(a: &str, b: &str) -> bool {
        is_subtype(&type_parse::parse(a, &Builtins), &type_parse::parse(b, &Builtins))
    }

    #[test]
    fn primitives_and_literals() {
        assert!(sub("integer", "number") && !sub("number", "integer"));
        assert!(sub("\"a\"", "string") && sub("\"a\"", "\"a\" | \"b\"") && !sub("string", "\"a\""));
        assert!(sub("3", "integer") && sub("true", "boolean"));
        assert!(sub("any", "number") && sub("number", "any"));
    }

    #[test]
    fn optionals_and_unions() {
        assert!(sub("number", "number?") && !sub("number?", "number"));
        assert!(sub("nil", "string?") && !sub("nil", "string"));
        assert!(sub("number | string", "number | string | boolean"));
        assert!(!sub("number | string", "number"));
    }

    #[test]
    fn tables_and_functions() {
        assert!(sub("{name: string, age: number}", "{name: string}"));
        assert!(!sub("{name: string}", "{name: string, age: number}"));
        assert!(sub("{name: string}", "{name: string, age?: number}"));
        assert!(sub("{integer}", "{number}") && !sub("{number}", "{string}"));
        assert!(sub("{a: number} & {b: string}", "{a: number, b: string}"));
        assert!(sub("(number) -> integer", "(integer) -> number"));
        assert!(!sub("(integer) -> number", "(number) -> integer"));
        assert!(sub("(number) -> string", "function"));
    }
}
