//! The declared types of one file: every `type T = ...` resolved to a type AST, and every
//! annotation `: T` read into types, keyed by where it starts. The runtime builds type values from
//! the first (`emit`), the checker reads both.
//!
//! Names resolve within the file, whatever the order of declarations (a signature may name a type
//! declared below it). A generic declaration `type Result<T, E> = ...` is instantiated where it is
//! used (`Result<User, string>` substitutes its parameters); a generic used bare, and a function's
//! own generic parameters (`function id<T>(x: T): T`, even where a type `T` is declared), stay
//! parameters: `any` at run time, bound per call by the checker. A
//! recursive type refers to itself as an opaque name (`any`) below its first level. Names of
//! other modules' types (`json.Value`) are opaque too.

use std::cell::RefCell;

use rustc_hash::{FxHashMap, FxHashSet};

use super::scan;
use super::type_parse::{self, builtin, Resolve};
use super::types::Type;

/// A `type` declaration, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    pub name: String,
    pub params: Vec<String>,
    pub exported: bool,
    pub ty: Type,
    /// Byte range of the statement in the compiled text (without its `;`).
    pub start: usize,
    pub end: usize,
}

/// All the types of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Declared {
    pub declarations: Vec<Declaration>,
    /// Each annotation's types (a return annotation `: (A, B)` has several), by the byte offset of
    /// its `:` in the compiled text.
    pub annotations: FxHashMap<usize, Vec<Type>>,
    /// Each cast's type, by the byte offset where its `::` (or `as`) starts.
    pub casts: FxHashMap<usize, Type>,
    /// Byte offsets of the non-nil assertions `x!` (where the `!` was).
    pub non_nil: FxHashSet<usize>,
}

impl Declared {
    /// The declaration named `name` (the last one, when a name is declared twice).
    pub fn get(&self, name: &str) -> Option<&Declaration> {
        self.declarations.iter().rev().find(|d| d.name == name)
    }
}

/// Reads the declarations and annotations. `decls` and `annotations` are byte ranges of `text`
/// (what was parsed); `to_source` maps an offset of `text` to `source`, where the type syntax
/// that was blanked for the parser (`T[]`, `@min(0)`) is still written.
pub(crate) fn read(
    source: &str,
    text: &str,
    to_source: &dyn Fn(usize) -> usize,
    decls: &[(usize, usize)],
    annotations: &[(usize, usize)],
    casts: &[(usize, usize)],
    generic_functions: &[(usize, usize, Vec<String>)],
) -> Declared {
    let mut heads = Vec::new();
    for &(start, end) in decls {
        let src = &source[to_source(start)..to_source(extend(text, end))];
        if let Some(head) = type_parse::declaration(src) {
            heads.push((head, src, start, end));
        }
    }
    let names = Names {
        heads: heads.iter().map(|(h, src, ..)| (h.name.as_str(), h.params.as_slice(), &src[h.body..])).collect(),
        params: RefCell::new(Vec::new()),
        resolving: RefCell::new(Vec::new()),
        cache: RefCell::new(FxHashMap::default()),
    };
    let mut out = Declared::default();
    for (head, _, start, end) in &heads {
        let ty = names.declared(&head.name, None).unwrap_or(Type::Any);
        out.declarations.push(Declaration {
            name: head.name.clone(),
            params: head.params.clone(),
            exported: head.exported,
            ty,
            start: *start,
            end: *end,
        });
    }
    // Inside a generic function, its parameters' names are parameters, not declared types.
    let in_scope = |at: usize| -> Vec<String> {
        generic_functions.iter().filter(|(s, e, _)| *s <= at && at < *e).flat_map(|(_, _, n)| n.clone()).collect()
    };
    for &(start, end) in annotations {
        let src = &source[to_source(start)..to_source(extend(text, end))];
        *names.params.borrow_mut() = in_scope(start);
        out.annotations.insert(start, type_parse::annotation(src, &names));
    }
    for &(start, end) in casts {
        let src = &source[to_source(start)..to_source(extend(text, end))];
        *names.params.borrow_mut() = in_scope(start);
        out.casts.insert(start, type_parse::cast(src, &names));
    }
    out
}

/// `end` moved over the blanks that follow it in `text`: blanked `[]` and validators belong to the
/// type before them.
fn extend(text: &str, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut k = end;
    while k < bytes.len() && bytes[k] == b' ' {
        k += 1;
    }
    // Stop at a line end: a type never continues on the next line after blanks only.
    let line_end = scan::line_end(bytes, end);
    k.min(line_end)
}

struct Names<'a> {
    /// (name, generic parameters, body text) of every declaration.
    heads: Vec<(&'a str, &'a [String], &'a str)>,
    /// Generic parameters in scope while a body is read.
    params: RefCell<Vec<String>>,
    /// Declarations being resolved (a name met again is recursive).
    resolving: RefCell<Vec<String>>,
    cache: RefCell<FxHashMap<String, Type>>,
}

impl Names<'_> {
    /// The declared type `name` with its parameters still parameters, or bound to `args`.
    fn declared(&self, name: &str, args: Option<Vec<Type>>) -> Option<Type> {
        let &(_, params, body) = self.heads.iter().rev().find(|(n, ..)| *n == name)?;
        let generic = self.cache.borrow().get(name).cloned();
        let generic = match generic {
            Some(t) => t,
            None => {
                if self.resolving.borrow().iter().any(|n| n == name) {
                    return Some(Type::Opaque(name.to_string()));
                }
                self.resolving.borrow_mut().push(name.to_string());
                let saved = std::mem::replace(&mut *self.params.borrow_mut(), params.to_vec());
                let t = type_parse::parse(body, self);
                *self.params.borrow_mut() = saved;
                self.resolving.borrow_mut().pop();
                self.cache.borrow_mut().insert(name.to_string(), t.clone());
                t
            }
        };
        Some(match args {
            Some(args) if !params.is_empty() => {
                let bound: Vec<(String, Type)> =
                    params.iter().cloned().zip(args.into_iter().chain(std::iter::repeat(Type::Any))).collect();
                generic.substitute(&bound)
            }
            _ => generic,
        })
    }
}

impl Resolve for Names<'_> {
    fn resolve(&self, name: &str, args: Vec<Type>) -> Type {
        if self.params.borrow().iter().any(|p| p == name) {
            return Type::Param(name.to_string());
        }
        if let Some(t) = builtin(name) {
            return t;
        }
        self.declared(name, Some(args)).unwrap_or_else(|| Type::Opaque(name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typed::types::Field;

    fn read_all(src: &str) -> Declared {
        let mut decls = Vec::new();
        let mut at = 0;
        for line in src.split_inclusive('\n') {
            if line.trim_start().starts_with("type") || line.trim_start().starts_with("export") {
                decls.push((at, at + line.trim_end().len()));
            }
            at += line.len();
        }
        read(src, src, &|o| o, &decls, &[], &[], &[])
    }

    #[test]
    fn names_resolve_in_any_order_and_generics_instantiate() {
        let d = read_all(
            "type A = {b: B}\ntype B = string[]\ntype Result<T, E> = {ok: T?, err: E?}\ntype R = Result<A, string>\n",
        );
        let b = Type::Array(Box::new(Type::String));
        let a = Type::Record(vec![Field { name: "b".into(), ty: b.clone(), optional: false, readonly: false }]);
        assert_eq!(d.get("A").map(|d| &d.ty), Some(&a));
        let Type::Record(r) = &d.get("R").expect("R").ty else { panic!("R is a record") };
        assert_eq!(r[0].ty, Type::Optional(Box::new(a)));
        assert_eq!(r[1].ty, Type::Optional(Box::new(Type::String)));
    }

    #[test]
    fn recursive_types_end_in_an_opaque_name() {
        let d = read_all("type Node = {next: Node?}\n");
        let Type::Record(f) = &d.get("Node").expect("Node").ty else { panic!("record") };
        assert_eq!(f[0].ty, Type::Optional(Box::new(Type::Opaque("Node".into()))));
    }
}
