//! Reads type syntax into the type AST, from the *source* text (before the pre-pass), so that
//! what full_moon never sees (`T[]`, `@min(0)`, `port?:`, `readonly`, numeric literal types) is
//! read too. full_moon has already judged the syntax (`compile`), and this parser only runs on
//! spans it accepted as types; anything it still cannot read becomes `any` rather than an error.
//!
//! Grammar (lowest precedence first):
//! ```text
//! type    = ['|'] inter {'|' inter}          inter = ['&'] postfix {'&' postfix}
//! postfix = primary {'?' | '[' ']' | '@' name ['(' args ')']}
//! primary = 'readonly' primary | name {'.' name} ['<' type {',' type} '>'] | string | number
//!         | '-' number | 'true' | 'false' | 'nil' | '{' table '}' | '(' list ')' ['->' returns]
//! table   = '[' type ']' ':' type | type | field {(','|';') field}
//! field   = ['readonly'] name ['?'] ':' type
//! ```

use super::scan::{self, Kind, Tok};
use super::types::{union, Field, FunctionType, Literal, Type, Validator};

/// How names in types are resolved: `name` with generic `args` (`Result<T, E>`).
pub(crate) trait Resolve {
    fn resolve(&self, name: &str, args: Vec<Type>) -> Type;
}

/// The built-in type names; `None` for any other name.
pub(crate) fn builtin(name: &str) -> Option<Type> {
    Some(match name {
        "any" => Type::Any,
        "unknown" => Type::Unknown,
        "never" => Type::Never,
        "nil" => Type::Nil,
        "boolean" => Type::Boolean,
        "number" => Type::Number,
        "integer" => Type::Integer,
        "string" => Type::String,
        "error" => Type::Error,
        "table" => Type::Table,
        "function" => Type::AnyFunction,
        "thread" | "userdata" | "buffer" => Type::Any,
        _ => return None,
    })
}

/// A `type Name<P, Q> = body` statement, read up to the start of its body.
pub(crate) struct Declaration {
    pub name: String,
    pub params: Vec<String>,
    pub exported: bool,
    /// Byte offset of the body in the declaration's text.
    pub body: usize,
}

pub(crate) fn declaration(text: &str) -> Option<Declaration> {
    let toks = scan::tokens(text);
    let mut p = Parser { src: text, toks: &toks, i: 0, resolve: &NoNames };
    let exported = p.eat_word("export");
    if !p.eat_word("type") {
        return None;
    }
    let name = p.name()?;
    let mut params = Vec::new();
    if p.eat(b'<') {
        loop {
            params.push(p.name()?);
            if p.eat(b':') {
                p.ty();
            }
            if p.eat(b'=') {
                p.ty();
            }
            if !p.eat(b',') {
                break;
            }
        }
        p.eat(b'>');
    }
    if !p.eat(b'=') {
        return None;
    }
    let body = p.toks.get(p.i).map_or(text.len(), |t| t.start);
    Some(Declaration { name, params, exported, body })
}

/// The type written in `text` (`any` where it cannot be read).
pub(crate) fn parse(text: &str, resolve: &dyn Resolve) -> Type {
    let toks = scan::tokens(text);
    let mut p = Parser { src: text, toks: &toks, i: 0, resolve };
    p.ty()
}

/// An annotation's types: `: T` is one, a return `: (A, B)` is a list; the leading `:` is skipped.
pub(crate) fn annotation(text: &str, resolve: &dyn Resolve) -> Vec<Type> {
    let toks = scan::tokens(text);
    let mut p = Parser { src: text, toks: &toks, i: 0, resolve };
    p.eat(b':');
    let start = p.i;
    if p.is(b'(') && !p.function_type_ahead() {
        p.i += 1;
        let items = p.list(b')');
        // `(A | B)?` is one type in parentheses, not a list of results.
        let continues = [b'?', b'[', b'|', b'&', b'@'].iter().any(|&s| p.is(s));
        if !continues {
            return items.into_iter().map(|(_, t)| t).collect();
        }
        p.i = start;
    }
    vec![p.ty()]
}

/// A cast's type: `:: T` or `as T`.
pub(crate) fn cast(text: &str, resolve: &dyn Resolve) -> Type {
    let toks = scan::tokens(text);
    let mut p = Parser { src: text, toks: &toks, i: 0, resolve };
    if !p.eat_word("as") {
        p.eat(b':');
        p.eat(b':');
    }
    p.ty()
}

struct NoNames;
impl Resolve for NoNames {
    fn resolve(&self, name: &str, _: Vec<Type>) -> Type {
        builtin(name).unwrap_or_else(|| Type::Opaque(name.to_string()))
    }
}

struct Parser<'a> {
    src: &'a str,
    toks: &'a [Tok],
    i: usize,
    resolve: &'a dyn Resolve,
}

impl Parser<'_> {
    fn peek(&self) -> Option<Tok> {
        self.toks.get(self.i).copied()
    }

    fn is(&self, symbol: u8) -> bool {
        self.peek().is_some_and(|t| t.is_symbol(self.src, symbol))
    }

    fn is_at(&self, k: usize, symbol: u8) -> bool {
        self.toks.get(k).is_some_and(|t| t.is_symbol(self.src, symbol))
    }

    fn eat(&mut self, symbol: u8) -> bool {
        let yes = self.is(symbol);
        if yes {
            self.i += 1;
        }
        yes
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let yes = self.peek().is_some_and(|t| t.kind == Kind::Name && t.text(self.src) == word);
        if yes {
            self.i += 1;
        }
        yes
    }

    fn name(&mut self) -> Option<String> {
        let t = self.peek().filter(|t| t.kind == Kind::Name)?;
        self.i += 1;
        Some(t.text(self.src).to_string())
    }

    fn ty(&mut self) -> Type {
        self.eat(b'|');
        let mut variants = vec![self.intersection()];
        while self.eat(b'|') {
            variants.push(self.intersection());
        }
        if variants.len() == 1 {
            return variants.pop().unwrap_or(Type::Any);
        }
        union(variants)
    }

    fn intersection(&mut self) -> Type {
        self.eat(b'&');
        let mut parts = vec![self.postfix()];
        while self.eat(b'&') {
            parts.push(self.postfix());
        }
        if parts.len() == 1 {
            return parts.pop().unwrap_or(Type::Any);
        }
        Type::Intersection(parts)
    }

    fn postfix(&mut self) -> Type {
        let mut t = self.primary();
        loop {
            if self.eat(b'?') {
                t = match t {
                    Type::Optional(_) => t,
                    t => Type::Optional(Box::new(t)),
                };
            } else if self.is(b'[') && self.is_at(self.i + 1, b']') {
                self.i += 2;
                t = Type::Array(Box::new(t));
            } else if self.is(b'@') {
                self.i += 1;
                let v = self.validator();
                t = match t {
                    Type::Validated(inner, mut vs) => {
                        vs.push(v);
                        Type::Validated(inner, vs)
                    }
                    t => Type::Validated(Box::new(t), vec![v]),
                };
            } else {
                return t;
            }
        }
    }

    fn validator(&mut self) -> Validator {
        let name = self.name().unwrap_or_default();
        let mut args: Vec<Tok> = Vec::new();
        if self.eat(b'(') {
            while let Some(t) = self.peek() {
                self.i += 1;
                if t.is_symbol(self.src, b')') {
                    break;
                }
                if !t.is_symbol(self.src, b',') {
                    args.push(t);
                }
            }
        }
        let number = || {
            let negative = args.first().is_some_and(|t| t.is_symbol(self.src, b'-'));
            let t = args.iter().find(|t| t.kind == Kind::Number)?;
            number_value(t.text(self.src)).map(|n| if negative { -n } else { n })
        };
        let string = || args.iter().find(|t| t.kind == Kind::String).map(|t| string_value(t.text(self.src)));
        match (name.as_str(), number(), string()) {
            ("min", Some(n), _) => Validator::min(n),
            ("max", Some(n), _) => Validator::max(n),
            ("min_len", Some(n), _) => Validator::MinLen(n.max(0.0) as u64),
            ("max_len", Some(n), _) => Validator::MaxLen(n.max(0.0) as u64),
            ("pattern", _, Some(s)) => Validator::Pattern(s),
            ("int" | "integer", _, _) => Validator::Int,
            _ => Validator::Other(name),
        }
    }

    fn primary(&mut self) -> Type {
        let Some(t) = self.peek() else { return Type::Any };
        match t.kind {
            Kind::String => {
                self.i += 1;
                Type::Literal(Literal::String(string_value(t.text(self.src))))
            }
            Kind::Number => {
                self.i += 1;
                number_value(t.text(self.src)).map_or(Type::Number, |n| Type::Literal(Literal::number(n)))
            }
            Kind::Symbol if t.is_symbol(self.src, b'-') => {
                self.i += 1;
                match self.primary() {
                    Type::Literal(Literal::Number(bits)) => Type::Literal(Literal::number(-f64::from_bits(bits))),
                    other => other,
                }
            }
            Kind::Symbol if t.is_symbol(self.src, b'{') => {
                self.i += 1;
                self.table()
            }
            Kind::Symbol if t.is_symbol(self.src, b'(') => {
                self.i += 1;
                let items = self.list(b')');
                if self.is(b'-') && self.is_at(self.i + 1, b'>') {
                    self.i += 2;
                    let returns = if self.is(b'(') && !self.function_type_ahead() {
                        self.i += 1;
                        self.list(b')').into_iter().map(|(_, t)| t).collect()
                    } else {
                        vec![self.ty()]
                    };
                    let (mut params, mut variadic) = (Vec::new(), None);
                    for (vararg, t) in items {
                        if vararg {
                            variadic = Some(Box::new(t));
                        } else {
                            params.push(t);
                        }
                    }
                    return Type::Function(FunctionType { params, variadic, returns });
                }
                items.into_iter().next().map_or(Type::Any, |(_, t)| t)
            }
            Kind::Name => {
                self.i += 1;
                let word = t.text(self.src);
                match word {
                    "true" => Type::Literal(Literal::Boolean(true)),
                    "false" => Type::Literal(Literal::Boolean(false)),
                    "readonly" if self.peek().is_some_and(|n| n.kind == Kind::Name || n.is_symbol(self.src, b'{')) => {
                        self.primary()
                    }
                    "typeof" if self.is(b'(') => {
                        self.skip_balanced(b'(', b')');
                        Type::Any
                    }
                    _ => {
                        let mut name = word.to_string();
                        while self.is(b'.') && self.toks.get(self.i + 1).is_some_and(|n| n.kind == Kind::Name) {
                            name.push('.');
                            name.push_str(self.toks[self.i + 1].text(self.src));
                            self.i += 2;
                        }
                        let mut args = Vec::new();
                        if self.eat(b'<') {
                            loop {
                                args.push(self.ty());
                                if !self.eat(b',') {
                                    break;
                                }
                            }
                            self.eat(b'>');
                        }
                        self.resolve.resolve(&name, args)
                    }
                }
            }
            _ => {
                self.i += 1;
                Type::Any
            }
        }
    }

    /// Whether the `(` at the cursor opens a function type `(..) -> T`.
    fn function_type_ahead(&self) -> bool {
        let mut depth = 0usize;
        for k in self.i..self.toks.len() {
            let t = self.toks[k];
            if t.is_symbol(self.src, b'(') {
                depth += 1;
            } else if t.is_symbol(self.src, b')') {
                depth -= 1;
                if depth == 0 {
                    return self.is_at(k + 1, b'-') && self.is_at(k + 2, b'>');
                }
            }
        }
        false
    }

    fn skip_balanced(&mut self, open: u8, close: u8) {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            self.i += 1;
            if t.is_symbol(self.src, open) {
                depth += 1;
            } else if t.is_symbol(self.src, close) {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return;
                }
            }
        }
    }

    /// `a: T, U, ...: V` up to `close`: each item as (is the vararg, type). Names are dropped.
    fn list(&mut self, close: u8) -> Vec<(bool, Type)> {
        let mut items = Vec::new();
        while !self.eat(close) {
            let Some(_) = self.peek() else { break };
            let vararg = self.is(b'.') && self.is_at(self.i + 1, b'.') && self.is_at(self.i + 2, b'.');
            if vararg {
                self.i += 3;
                self.eat(b':');
            } else if self.peek().is_some_and(|t| t.kind == Kind::Name) && self.is_at(self.i + 1, b':') {
                self.i += 2;
            }
            let t = if vararg && (self.is(b',') || self.is(close)) { Type::Any } else { self.ty() };
            items.push((vararg, t));
            if !self.eat(b',') && !self.is(close) {
                // Unreadable: skip to the closer.
                while self.peek().is_some() && !self.eat(close) {
                    self.i += 1;
                }
                break;
            }
        }
        items
    }

    fn table(&mut self) -> Type {
        if self.eat(b'}') {
            return Type::Table;
        }
        if self.is(b'[') {
            self.i += 1;
            let key = self.ty();
            self.eat(b']');
            self.eat(b':');
            let val = self.ty();
            self.eat(b',');
            self.eat(b';');
            self.eat(b'}');
            return Type::Map(Box::new(key), Box::new(val));
        }
        let is_field = |p: &Parser<'_>, k: usize| {
            p.toks.get(k).is_some_and(|t| t.kind == Kind::Name)
                && (p.is_at(k + 1, b':') || (p.is_at(k + 1, b'?') && p.is_at(k + 2, b':')))
        };
        let field_start = |p: &Parser<'_>| {
            is_field(p, p.i)
                || (p.peek().is_some_and(|t| t.text(p.src) == "readonly" && t.kind == Kind::Name)
                    && is_field(p, p.i + 1))
        };
        if !field_start(self) {
            let elem = self.ty();
            self.eat(b'}');
            return Type::Array(Box::new(elem));
        }
        let mut fields = Vec::new();
        while field_start(self) {
            let readonly = !is_field(self, self.i) && self.eat_word("readonly");
            let name = self.name().unwrap_or_default();
            let optional = self.eat(b'?');
            self.eat(b':');
            let ty = self.ty();
            fields.push(Field { name, ty, optional, readonly });
            if !self.eat(b',') && !self.eat(b';') {
                break;
            }
        }
        while self.peek().is_some() && !self.eat(b'}') {
            self.i += 1;
        }
        Type::Record(fields)
    }
}

/// A Lua numeric literal's value (decimal, hexadecimal, with exponent).
pub(crate) fn number_value(text: &str) -> Option<f64> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok().map(|n| n as f64);
    }
    text.parse().ok()
}

/// A quoted string literal's text, with the common escapes decoded.
pub(crate) fn string_value(text: &str) -> String {
    let inner = if text.starts_with('[') {
        let open = text.find('[').and_then(|a| text[a + 1..].find('[').map(|b| a + b + 2)).unwrap_or(0);
        let close = text.len().saturating_sub(open);
        text.get(open..close).unwrap_or("")
    } else {
        text.get(1..text.len().saturating_sub(1)).unwrap_or("")
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> Type {
        parse(text, &NoNames)
    }

    fn field(name: &str, ty: Type, optional: bool) -> Field {
        Field { name: name.into(), ty, optional, readonly: false }
    }

    #[test]
    fn primitives_optionals_unions_literals() {
        assert_eq!(ty("number?"), Type::Optional(Box::new(Type::Number)));
        assert_eq!(ty("number | string"), Type::Union(vec![Type::Number, Type::String]));
        assert_eq!(
            ty("\"a\" | 200 | -1 | true"),
            Type::Union(vec![
                Type::Literal(Literal::String("a".into())),
                Type::Literal(Literal::number(200.0)),
                Type::Literal(Literal::number(-1.0)),
                Type::Literal(Literal::Boolean(true)),
            ])
        );
    }

    #[test]
    fn tables() {
        assert_eq!(ty("{number}"), Type::Array(Box::new(Type::Number)));
        assert_eq!(ty("string[][]"), Type::Array(Box::new(Type::Array(Box::new(Type::String)))));
        assert_eq!(ty("{[string]: number}"), Type::Map(Box::new(Type::String), Box::new(Type::Number)));
        assert_eq!(
            ty("readonly {name: string, readonly port?: number}"),
            Type::Record(vec![field("name", Type::String, false), {
                let mut f = field("port", Type::Number, true);
                f.readonly = true;
                f
            }])
        );
    }

    #[test]
    fn functions_and_validators() {
        let f = ty("(a: number, ...string) -> (boolean, error?)");
        let Type::Function(f) = f else { panic!("not a function: {f:?}") };
        assert_eq!(f.params, [Type::Number]);
        assert_eq!(f.variadic.as_deref(), Some(&Type::String));
        assert_eq!(f.returns.len(), 2);
        assert_eq!(
            ty("number @min(0) @max(100)"),
            Type::Validated(Box::new(Type::Number), vec![Validator::min(0.0), Validator::max(100.0)])
        );
        assert_eq!(
            ty("string @pattern(\"^a\")"),
            Type::Validated(Box::new(Type::String), vec![Validator::Pattern("^a".into())])
        );
    }

    #[test]
    fn declarations_and_annotations() {
        let d = declaration("export type Result<T, E: Err> = {ok: T}").expect("declaration");
        assert_eq!((d.name.as_str(), d.params.len(), d.exported), ("Result", 2, true));
        assert_eq!(&"export type Result<T, E: Err> = {ok: T}"[d.body..], "{ok: T}");
        assert_eq!(annotation(": (string?, error?)", &NoNames).len(), 2);
        assert_eq!(annotation(": (number) -> string", &NoNames).len(), 1);
    }
}
