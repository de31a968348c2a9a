//! A YAML document as a tree of located nodes; the only place that talks to serde-saphyr.
//!
//! Definition files are schemaless until we know an entry's kind, and every diagnostic must
//! point at the offending node, so instead of deserializing into typed structs we read the whole
//! document into `Node`s that carry their line and column, then check fields by hand.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{MessageFormatter, Spanned, UserMessageFormatter};

use crate::value::Value;

/// A 1-based line and column (in characters) inside the file being parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub(crate) const START: Pos = Pos { line: 1, column: 1 };
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub kind: NodeKind,
    /// Where the node starts; for a block map, its first key.
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Pairs in document order; merged (`<<`) keys come after the explicit ones.
    Map(Vec<(Key, Node)>),
}

/// A mapping key. Scalar keys of any type are kept in their string form, which is how Lua code
/// will look them up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key {
    pub name: String,
    pub pos: Pos,
}

/// A document that is not well-formed YAML.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    pub kind: SyntaxErrorKind,
}

/// The syntax errors that deserve their own advice.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SyntaxErrorKind {
    /// A key repeated in one map (the second one is located).
    DuplicateKey(String),
    /// A `---` starting a second document.
    MultipleDocuments,
    Other,
}

/// Parses one YAML document. An empty document is `Null`.
pub(crate) fn parse(text: &str) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        // `yes`/`on` stay strings: a schemaless reader must not guess (`auto_start: yes please`).
        strict_booleans: true,
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options::<Node>(text, options).map_err(|err| {
        let err = err.without_snippet();
        let pos = err.location().map(|l| pos_of(&l)).filter(|p| p.line > 0).unwrap_or(Pos::START);
        let kind = match err {
            serde_saphyr::Error::DuplicateMappingKey { key, .. } => {
                SyntaxErrorKind::DuplicateKey(key.clone().unwrap_or_default())
            }
            serde_saphyr::Error::MultipleDocuments { .. } => SyntaxErrorKind::MultipleDocuments,
            _ => SyntaxErrorKind::Other,
        };
        SyntaxError { pos, message: UserMessageFormatter.format_message(err).into_owned(), kind }
    })
}

fn pos_of(loc: &serde_saphyr::Location) -> Pos {
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Pos { line: clamp(loc.line()), column: clamp(loc.column()) }
}

impl Node {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.kind {
            NodeKind::Map(pairs) => Some(pairs),
            _ => None,
        }
    }

    /// The value under `key` when this node is a map.
    #[cfg(test)]
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.as_map().and_then(|pairs| find(pairs, key))
    }

    /// "a string", "a list", ... for "expected X, found Y" messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "nothing (null)",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Int(_) => "an integer",
            NodeKind::Float(_) => "a number",
            NodeKind::Str(_) => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a map",
        }
    }

    /// The type plus, for scalars, the value itself: `a string ("yes please")`.
    pub(crate) fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Bool(b) => format!("a boolean ({b})"),
            NodeKind::Int(i) => format!("an integer ({i})"),
            NodeKind::Float(x) => format!("a number ({x})"),
            NodeKind::Str(s) if s.chars().count() <= 40 => format!("a string ({s:?})"),
            _ => self.type_name().to_string(),
        }
    }

    /// The state-independent data form: maps keep document order, sequences become the array
    /// part, null becomes `nil`.
    pub(crate) fn to_value(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Nil,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => Value::Int(*i),
            NodeKind::Float(x) => Value::Float(*x),
            NodeKind::Str(s) => Value::str(s),
            NodeKind::Seq(items) => Value::table(items.iter().map(Node::to_value).collect(), Vec::new()),
            NodeKind::Map(pairs) => map_value(pairs),
        }
    }
}

/// A map's pairs as a `Value` table.
pub(crate) fn map_value(pairs: &[(Key, Node)]) -> Value {
    Value::table(Vec::new(), pairs.iter().map(|(k, v)| (Value::str(&k.name), v.to_value())).collect())
}

pub(crate) fn find<'a>(pairs: &'a [(Key, Node)], key: &str) -> Option<&'a Node> {
    pairs.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<NodeKind>::deserialize(d)?;
        Ok(Node { kind: spanned.value, pos: pos_of(&spanned.referenced) })
    }
}

impl<'de> Deserialize<'de> for NodeKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = NodeKind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<NodeKind, E> {
        Ok(NodeKind::Null)
    }

    fn visit_none<E>(self) -> Result<NodeKind, E> {
        Ok(NodeKind::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeKind, D::Error> {
        NodeKind::deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<NodeKind, E> {
        Ok(NodeKind::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<NodeKind, E> {
        Ok(NodeKind::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeKind, E> {
        // Lua integers are 64-bit signed; a larger literal would silently change meaning.
        i64::try_from(v).map(NodeKind::Int).map_err(|_| E::custom(format!("integer {v} is too large")))
    }

    fn visit_f64<E>(self, v: f64) -> Result<NodeKind, E> {
        Ok(NodeKind::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeKind, A::Error> {
        let mut items = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            items.push(node);
        }
        Ok(NodeKind::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeKind, A::Error> {
        let mut pairs = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            let name = match key.kind {
                NodeKind::Str(s) => s,
                NodeKind::Int(i) => i.to_string(),
                NodeKind::Bool(b) => b.to_string(),
                NodeKind::Float(x) => x.to_string(),
                NodeKind::Null => "null".to_string(),
                NodeKind::Seq(_) | NodeKind::Map(_) => {
                    return Err(de::Error::custom("a list or a map cannot be used as a key"));
                }
            };
            pairs.push((Key { name, pos: key.pos }, value));
        }
        Ok(NodeKind::Map(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }

    #[test]
    fn nodes_carry_their_position_and_type() {
        let doc = parse("a: 1\nb:\n  - x\n  - 2.5\nc: {d: true, e: ~}\n\"é\": 'ü'\n").unwrap();
        let map = doc.as_map().unwrap();
        let names: Vec<_> = map.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "é"]);
        assert_eq!(map[1].0.pos, pos(2, 1));
        assert_eq!(doc.get("a").unwrap().kind, NodeKind::Int(1));
        let NodeKind::Seq(items) = &doc.get("b").unwrap().kind else { panic!() };
        assert_eq!(items[0].pos, pos(3, 5));
        assert_eq!(items[1].kind, NodeKind::Float(2.5));
        let c = doc.get("c").unwrap();
        assert_eq!(c.get("d").unwrap().kind, NodeKind::Bool(true));
        assert_eq!(c.get("e").unwrap().kind, NodeKind::Null);
        assert_eq!(c.get("e").unwrap().pos, pos(5, 17));
        // Columns count characters, not bytes.
        assert_eq!(doc.get("é").unwrap().pos, pos(6, 6));
    }

    #[test]
    fn yaml_one_one_booleans_stay_strings() {
        let doc = parse("a: yes\nb: on\nc: True\n").unwrap();
        assert_eq!(doc.get("a").unwrap().kind, NodeKind::Str("yes".into()));
        assert_eq!(doc.get("b").unwrap().kind, NodeKind::Str("on".into()));
        assert_eq!(doc.get("c").unwrap().kind, NodeKind::Bool(true));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(err.pos, pos(2, 2));
        assert!(!err.message.contains("line"), "location belongs in the diagnostic: {}", err.message);
        assert_eq!(err.kind, SyntaxErrorKind::Other);
    }

    #[test]
    fn duplicate_keys_are_rejected_at_the_second_key() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.pos, pos(3, 1));
        assert_eq!(err.kind, SyntaxErrorKind::DuplicateKey("a".into()));
    }

    #[test]
    fn a_second_document_is_an_error() {
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!((err.pos, err.kind), (pos(3, 1), SyntaxErrorKind::MultipleDocuments));
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("").unwrap().kind, NodeKind::Null);
        assert_eq!(parse("# only a comment\n").unwrap().kind, NodeKind::Null);
    }

    #[test]
    fn converts_to_value_in_document_order() {
        let doc = parse("z: 1\na: [x, {k: v}]\nn: ~\n").unwrap();
        let v = doc.to_value();
        assert_eq!(v.to_string(), "{z = 1, a = {x, {k = v}}, n = nil}");
        assert_eq!(v.get("z"), Some(&Value::Int(1)));
    }

    #[test]
    fn anchors_and_merge_keys_are_expanded() {
        let doc = parse("base: &b {k: 1}\nuse:\n  <<: *b\n  d: 2\n").unwrap();
        let used = doc.get("use").unwrap();
        assert_eq!(used.get("k").unwrap().kind, NodeKind::Int(1));
        assert_eq!(used.get("d").unwrap().kind, NodeKind::Int(2));
    }
}
