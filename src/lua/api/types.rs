//! Run-time type values: the objects `type T = ...` declares (built by the hidden global
//! `__wippy_type`, see `typed/emit.rs`), the primitive type globals `Number`, `String`, `Integer`,
//! `Boolean`, and `typeof(v)`.
//!
//! A type object is a userdata holding a resolved type AST and its declared name. They are
//! interned per state by (name, type): a type met twice (`User.address` read twice, the same
//! declaration loaded by two chunks) is the same object, so `==` and table keys behave. `A <= B`
//! is structural subtyping, `A < B` strict subtyping.
//!
//! - `T(v)` validates and returns `v`, or raises an error object of kind INVALID whose message
//!   names the failing path (`user.address.zip: expected string, got nil`).
//! - `T:is(v)` returns `v, nil` or `nil, err` (the same error), never raising.
//! - Reflection: `:kind()`, `:name()` (the declared name, or the type written out), `:fields()` (a
//!   table field name → type), `T.field` (a field's type; methods win over fields of the same
//!   name), `:elem()` (arrays), `:key()`, `:val()` (maps), `:inner()` (optionals, and the type a
//!   validated type refines), `:variants()` (unions and intersections, a list), `:params()` (a
//!   list), `:ret()` (the return types, as values).

use std::sync::Arc;

use mlua::{AnyUserData, Lua, MetaMethod, Table, UserData, UserDataMethods, Value as LuaValue};

use super::errors::{new_error, LuaError};
use crate::typed::subtype::is_subtype;
use crate::typed::types::Type;
use crate::typed::validate::{self, Shape, View};

/// A type as Lua sees it.
pub struct TypeValue {
    pub name: Option<String>,
    pub ty: Arc<Type>,
}

const INTERNED: &str = "wippy.types.interned";

/// The one type object for (`name`, `ty`) in this state.
pub fn intern(lua: &Lua, name: Option<&str>, ty: Type) -> mlua::Result<AnyUserData> {
    let table: Table = match lua.named_registry_value::<Option<Table>>(INTERNED)? {
        Some(t) => t,
        None => {
            let t = lua.create_table()?;
            lua.set_named_registry_value(INTERNED, &t)?;
            t
        }
    };
    let key = serde_json::to_string(&(name, &ty)).map_err(mlua::Error::external)?;
    if let Some(ud) = table.raw_get::<Option<AnyUserData>>(key.as_str())? {
        return Ok(ud);
    }
    let ud = lua.create_userdata(TypeValue { name: name.map(str::to_string), ty: Arc::new(ty) })?;
    install_call(lua, &ud)?;
    table.raw_set(key, &ud)?;
    Ok(ud)
}

/// `T(v)` must raise an error *object*, which a Rust callback cannot: `__call` is a small Lua
/// function around `is`, set once on the type's shared metatable.
fn install_call(lua: &Lua, ud: &AnyUserData) -> mlua::Result<()> {
    let mt = ud.metatable()?;
    if mt.contains("__call")? {
        return Ok(());
    }
    let call: mlua::Function = lua
        .load("return function(t, v) local ok, err = t:is(v) if err ~= nil then error(err, 0) end return ok end")
        .set_name("=type")
        .call(())?;
    mt.set("__call", call)
}

/// `__wippy_type(json)`: the type value of a declaration compiled into a chunk.
pub fn from_declaration(lua: &Lua, json: mlua::LuaString) -> mlua::Result<AnyUserData> {
    #[derive(serde::Deserialize)]
    struct Declared {
        name: String,
        #[serde(rename = "type")]
        ty: Type,
    }
    let d: Declared = serde_json::from_slice(&json.as_bytes()).map_err(mlua::Error::external)?;
    intern(lua, Some(&d.name), d.ty)
}

/// The globals `Number`, `String`, `Integer`, `Boolean`.
pub fn primitive(lua: &Lua, global: &str) -> mlua::Result<LuaValue> {
    let ty = match global {
        "Number" => Type::Number,
        "String" => Type::String,
        "Integer" => Type::Integer,
        _ => Type::Boolean,
    };
    Ok(LuaValue::UserData(intern(lua, None, ty)?))
}

/// `typeof(v)`: the type object of a value's run-time type.
pub fn type_of(lua: &Lua, v: LuaValue) -> mlua::Result<AnyUserData> {
    let ty = match &v {
        LuaValue::Nil => Type::Nil,
        LuaValue::Boolean(_) => Type::Boolean,
        LuaValue::Integer(_) => Type::Integer,
        LuaValue::Number(_) => Type::Number,
        LuaValue::String(_) => Type::String,
        LuaValue::Table(_) => Type::Table,
        LuaValue::Function(_) => Type::AnyFunction,
        LuaValue::UserData(ud) if ud.is::<LuaError>() => Type::Error,
        _ => Type::Any,
    };
    intern(lua, None, ty)
}

fn wrap(lua: &Lua, ty: &Type) -> mlua::Result<LuaValue> {
    Ok(LuaValue::UserData(intern(lua, None, ty.clone())?))
}

fn list(lua: &Lua, types: &[Type]) -> mlua::Result<Table> {
    let t = lua.create_table_with_capacity(types.len(), 0)?;
    for ty in types {
        t.raw_push(wrap(lua, ty)?)?;
    }
    Ok(t)
}

/// The name used as the root of error paths: `User` → `user`.
fn root_name(name: Option<&str>) -> String {
    match name {
        Some(n) => {
            let mut chars = n.chars();
            chars.next().map_or_else(String::new, |c| c.to_lowercase().collect::<String>() + chars.as_str())
        }
        None => "value".to_string(),
    }
}

impl UserData for TypeValue {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("is", |lua, t, v: LuaValue| {
            let view = Lv { lua, v: v.clone() };
            match validate::validate(&t.ty, &view, &root_name(t.name.as_deref())) {
                Ok(()) => Ok((v, LuaValue::Nil)),
                Err(message) => Ok((LuaValue::Nil, new_error(lua, "INVALID", message)?)),
            }
        });
        m.add_method("kind", |_, t, ()| Ok(t.ty.kind()));
        m.add_method("name", |_, t, ()| Ok(t.name.clone().unwrap_or_else(|| t.ty.to_string())));
        m.add_method("fields", |lua, t, ()| {
            let out = lua.create_table()?;
            if let Type::Record(fields) = strip(&t.ty) {
                for f in fields {
                    out.raw_set(f.name.as_str(), wrap(lua, &f.ty)?)?;
                }
            }
            Ok(out)
        });
        m.add_method("elem", |lua, t, ()| match strip(&t.ty) {
            Type::Array(e) => wrap(lua, e),
            _ => Ok(LuaValue::Nil),
        });
        m.add_method("key", |lua, t, ()| match strip(&t.ty) {
            Type::Map(k, _) => wrap(lua, k),
            _ => Ok(LuaValue::Nil),
        });
        m.add_method("val", |lua, t, ()| match strip(&t.ty) {
            Type::Map(_, v) => wrap(lua, v),
            _ => Ok(LuaValue::Nil),
        });
        m.add_method("inner", |lua, t, ()| match &*t.ty {
            Type::Optional(inner) | Type::Validated(inner, _) => wrap(lua, inner),
            _ => Ok(LuaValue::Nil),
        });
        m.add_method("variants", |lua, t, ()| match strip(&t.ty) {
            Type::Union(vs) | Type::Intersection(vs) => Ok(LuaValue::Table(list(lua, vs)?)),
            _ => Ok(LuaValue::Nil),
        });
        m.add_method("params", |lua, t, ()| match strip(&t.ty) {
            Type::Function(f) => Ok(LuaValue::Table(list(lua, &f.params)?)),
            _ => Ok(LuaValue::Nil),
        });
        m.add_method("ret", |lua, t, ()| match strip(&t.ty) {
            Type::Function(f) => f.returns.iter().map(|r| wrap(lua, r)).collect::<mlua::Result<mlua::MultiValue>>(),
            _ => Ok(mlua::MultiValue::new()),
        });
        m.add_meta_method(MetaMethod::Index, |lua, t, key: LuaValue| {
            let LuaValue::String(key) = key else { return Ok(LuaValue::Nil) };
            match strip(&t.ty).field(&key.to_str()?) {
                Some(f) => wrap(lua, &f.ty),
                None => Ok(LuaValue::Nil),
            }
        });
        m.add_meta_method(MetaMethod::Eq, |_, a, b: LuaValue| Ok(other(&b).is_some_and(|b| *a.ty == *b)));
        m.add_meta_method(MetaMethod::Le, |_, a, b: LuaValue| Ok(other(&b).is_some_and(|b| is_subtype(&a.ty, &b))));
        m.add_meta_method(MetaMethod::Lt, |_, a, b: LuaValue| {
            Ok(other(&b).is_some_and(|b| *a.ty != *b && is_subtype(&a.ty, &b) && !is_subtype(&b, &a.ty)))
        });
        m.add_meta_method(MetaMethod::ToString, |_, t, ()| {
            Ok(match &t.name {
                Some(n) => format!("type {n}"),
                None => format!("type {}", t.ty),
            })
        });
    }
}

/// Validators do not change what a type is made of.
fn strip(ty: &Type) -> &Type {
    match ty {
        Type::Validated(inner, _) => strip(inner),
        t => t,
    }
}

fn other(v: &LuaValue) -> Option<Arc<Type>> {
    match v {
        LuaValue::UserData(ud) => ud.borrow::<TypeValue>().ok().map(|t| Arc::clone(&t.ty)),
        _ => None,
    }
}

/// A Lua value seen by validation.
struct Lv<'a> {
    lua: &'a Lua,
    v: LuaValue,
}

impl View for Lv<'_> {
    fn shape(&self) -> Shape {
        match &self.v {
            LuaValue::Nil => Shape::Nil,
            LuaValue::Boolean(b) => Shape::Boolean(*b),
            LuaValue::Integer(i) => Shape::Integer(*i),
            LuaValue::Number(n) => Shape::Float(*n),
            LuaValue::String(s) => Shape::String(s.as_bytes().to_vec()),
            LuaValue::Table(_) => Shape::Table,
            LuaValue::Function(_) => Shape::Function,
            LuaValue::UserData(ud) if ud.is::<LuaError>() => Shape::Other("error"),
            other => Shape::Other(other.type_name()),
        }
    }

    fn field(&self, name: &str) -> Self {
        let v = match &self.v {
            LuaValue::Table(t) => t.raw_get(name).unwrap_or(LuaValue::Nil),
            _ => LuaValue::Nil,
        };
        Lv { lua: self.lua, v }
    }

    fn pairs(&self) -> Vec<(Self, Self)> {
        let LuaValue::Table(t) = &self.v else { return Vec::new() };
        t.pairs::<LuaValue, LuaValue>()
            .filter_map(Result::ok)
            .map(|(k, v)| (Lv { lua: self.lua, v: k }, Lv { lua: self.lua, v }))
            .collect()
    }

    fn matches(&self, pattern: &str) -> bool {
        let find = || -> mlua::Result<bool> {
            // `get`, not `raw_get`: the string library is loaded on first use (sandbox.rs).
            let string: Table = self.lua.globals().get("string")?;
            let find: mlua::Function = string.raw_get("find")?;
            let at: LuaValue = find.call((self.v.clone(), pattern))?;
            Ok(!at.is_nil())
        };
        find().unwrap_or(false)
    }
}
