//! One YAML file → its namespace and raw entries (still untyped maps, with positions).
//!
//! A file is a definition file when its top level is a map with `namespace`; other YAML files
//! (CI configs, fixtures, data) share the source tree and are skipped. `version` and any other
//! top-level keys are ignored.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::registry::entry::EntryId;

use super::fields::wrong_type;
use super::report::{code, Report};
use super::yaml::{self, Key, Node, NodeKind, Pos, SyntaxErrorKind};

/// What a YAML file turned out to be.
#[derive(Debug)]
pub(crate) enum Parsed {
    Definitions(DefinitionFile),
    /// Not a definition file; nothing to load.
    Skipped,
    /// A definition file too broken to list its entries. Its namespace, when it can still be
    /// read, tells the resolver which missing references may just live in this file.
    Broken {
        namespace: Option<String>,
    },
}

#[derive(Debug)]
pub(crate) struct DefinitionFile {
    pub entries: Vec<RawEntry>,
}

/// An entry with a valid name, before its kind's fields are checked.
#[derive(Debug)]
pub(crate) struct RawEntry {
    pub id: EntryId,
    pub file: PathBuf,
    /// Where the entry's map starts.
    pub pos: Pos,
    /// `None` when `kind` is missing or not a string (already reported).
    pub kind: Option<(String, Pos)>,
    pub pairs: Vec<(Key, Node)>,
}

pub(crate) fn parse_file(path: &Path, text: &str, out: &mut Vec<Diagnostic>) -> Parsed {
    let mut r = Report::new(path, out);
    let doc = match yaml::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let help = match &e.kind {
                SyntaxErrorKind::DuplicateKey(key) => format!("a key may appear once per map: remove or rename one of the `{key}` keys"),
                SyntaxErrorKind::MultipleDocuments => "a definition file holds one YAML document: remove the `---` or move what follows it to another file".to_string(),
                SyntaxErrorKind::Other => "fix the YAML syntax (check indentation, quotes and `:` placement)".to_string(),
            };
            r.error(code::YAML_SYNTAX, e.pos, e.message, help);
            return Parsed::Broken { namespace: guess_namespace(text) };
        }
    };
    let Some(top) = doc.as_map() else {
        return Parsed::Skipped;
    };
    let Some(ns_node) = yaml::find(top, "namespace") else {
        if let Some((key, _)) = top.iter().find(|(k, _)| k.name == "entries") {
            r.warning(
                code::NOT_A_DEFINITION_FILE,
                key.pos,
                "this file has `entries` but no `namespace`, so it is not a definition file and is skipped",
                "add `namespace: <name>` at the top to load its entries",
            );
        }
        return Parsed::Skipped;
    };
    let namespace = match ns_node.as_str() {
        Some(ns) if valid_id_part(ns) => ns.to_string(),
        _ => {
            let help = "write a namespace such as `namespace: app.workers` (dots allowed, no `:` or spaces)";
            wrong_type(&mut r, "namespace", ns_node, "a namespace name", help);
            return Parsed::Broken { namespace: None };
        }
    };
    let items = match yaml::find(top, "entries").map(|n| (n, &n.kind)) {
        None | Some((_, NodeKind::Null)) => return Parsed::Definitions(DefinitionFile { entries: Vec::new() }),
        Some((_, NodeKind::Seq(items))) => items,
        Some((node, _)) => {
            wrong_type(
                &mut r,
                "entries",
                node,
                "a list of entries",
                "write each entry as a `- name: ...` item under `entries:`",
            );
            return Parsed::Broken { namespace: Some(namespace) };
        }
    };
    let entries = items.iter().filter_map(|item| raw_entry(&mut r, &namespace, item)).collect();
    Parsed::Definitions(DefinitionFile { entries })
}

fn raw_entry(r: &mut Report, namespace: &str, item: &Node) -> Option<RawEntry> {
    let Some(pairs) = item.as_map() else {
        wrong_type(
            r,
            "entries[]",
            item,
            "a map",
            "write the entry as `- name: ...` followed by `kind: ...` and its fields",
        );
        return None;
    };
    let name = match yaml::find(pairs, "name").filter(|n| n.kind != NodeKind::Null) {
        None => {
            r.error(
                code::MISSING_FIELD,
                item.pos,
                "this entry has no `name`",
                "add `name: <entry name>`; the entry's ID is `namespace:name`",
            );
            return None;
        }
        Some(node) => match node.as_str() {
            Some(name) if valid_id_part(name) => name,
            _ => {
                let help = "write a name such as `name: worker` (letters, digits, `.`, `_`, `-`; no `:` or spaces)";
                wrong_type(r, "name", node, "an entry name", help);
                return None;
            }
        },
    };
    let id = EntryId::new(namespace, name);
    r.set_entry(Some(id.to_string()));
    let kind = match yaml::find(pairs, "kind").filter(|n| n.kind != NodeKind::Null) {
        None => {
            r.error(
                code::MISSING_FIELD,
                item.pos,
                "this entry has no `kind`",
                "add a kind, e.g. `kind: process.lua` or `kind: registry.entry`",
            );
            None
        }
        Some(node) => match node.as_str() {
            Some(kind) if !kind.is_empty() => Some((kind.to_string(), node.pos)),
            _ => {
                wrong_type(r, "kind", node, "a kind name", "write a kind such as `kind: process.lua`");
                None
            }
        },
    };
    r.set_entry(None);
    Some(RawEntry { id, file: r.file().to_path_buf(), pos: item.pos, kind, pairs: pairs.to_vec() })
}

/// Namespaces and names: non-empty, no `:` (it separates them in IDs) and no whitespace.
fn valid_id_part(s: &str) -> bool {
    !s.is_empty() && !s.contains(':') && !s.contains(char::is_whitespace)
}

/// `namespace: x` read line by line from a file that does not parse.
fn guess_namespace(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix("namespace:")?.split(" #").next()?.trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        valid_id_part(value).then(|| value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Parsed, Vec<String>) {
        let mut out = Vec::new();
        let parsed = parse_file(Path::new("d.yaml"), text, &mut out);
        (parsed, out.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn reads_namespace_and_entries_with_positions() {
        let (parsed, diags) = parse("version: \"1.0\"\nnamespace: app.workers\nentries:\n  - name: a.b_c\n    kind: process.lua\n  - {name: d, kind: registry.entry}\n");
        assert!(diags.is_empty(), "{diags:?}");
        let Parsed::Definitions(file) = parsed else { panic!("{parsed:?}") };
        assert_eq!(file.entries.len(), 2);
        assert_eq!(file.entries[0].id, EntryId::new("app.workers", "a.b_c"));
        assert_eq!(file.entries[0].pos, Pos { line: 4, column: 5 });
        assert_eq!(file.entries[0].kind, Some(("process.lua".to_string(), Pos { line: 5, column: 11 })));
        assert_eq!(file.entries[1].id.name, "d");
    }

    #[test]
    fn files_without_namespace_are_skipped_and_warned_about_when_they_look_like_definitions() {
        let (parsed, diags) = parse("jobs:\n  build: {}\n");
        assert!(matches!(parsed, Parsed::Skipped));
        assert!(diags.is_empty());
        let (parsed, diags) = parse("# defs\nentries:\n  - name: a\n");
        assert!(matches!(parsed, Parsed::Skipped));
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].starts_with("d.yaml:2:1: warning[R0102]: this file has `entries` but no `namespace`"),
            "{}",
            diags[0]
        );
        let (parsed, _) = parse("- a\n- b\n");
        assert!(matches!(parsed, Parsed::Skipped));
    }

    #[test]
    fn entries_without_name_or_kind_are_reported() {
        let (parsed, diags) = parse("namespace: app\nentries:\n  - kind: process.lua\n  - name: x\n  - name: \"a:b\"\n    kind: registry.entry\n  - just text\n");
        assert_eq!(diags.len(), 4, "{diags:?}");
        assert!(diags[0].starts_with("d.yaml:3:5: error[R0010]: this entry has no `name`"), "{}", diags[0]);
        assert!(
            diags[1].starts_with("d.yaml:4:5: error[R0010]: this entry has no `kind` (entry app:x)"),
            "{}",
            diags[1]
        );
        assert!(
            diags[2].starts_with("d.yaml:5:11: error[R0003]: `name` must be an entry name, found a string (\"a:b\")"),
            "{}",
            diags[2]
        );
        assert!(diags[3].starts_with("d.yaml:7:5: error[R0003]: `entries[]` must be a map"), "{}", diags[3]);
        // The kind-less entry is still known by ID, so references to it are not reported twice.
        let Parsed::Definitions(file) = parsed else { panic!() };
        assert_eq!(file.entries.len(), 1);
        assert_eq!(file.entries[0].kind, None);
    }

    #[test]
    fn syntax_errors_keep_the_namespace_when_it_can_be_read() {
        let (parsed, diags) = parse("namespace: app.db # the database\nentries:\n  - name: [x\n");
        assert!(matches!(parsed, Parsed::Broken { namespace: Some(ref ns) } if ns == "app.db"), "{parsed:?}");
        assert!(diags[0].contains("error[R0001]"), "{diags:?}");
    }

    #[test]
    fn duplicate_keys_get_specific_help() {
        let (_, diags) = parse("namespace: app\nentries:\n  - name: a\n    kind: registry.entry\n    name: b\n");
        assert_eq!(diags.len(), 1);
        assert!(diags[0].starts_with("d.yaml:5:5: error[R0001]: duplicate mapping key `name`"), "{}", diags[0]);
        assert!(
            diags[0].ends_with("help: a key may appear once per map: remove or rename one of the `name` keys"),
            "{}",
            diags[0]
        );
    }

    #[test]
    fn bad_namespace_or_entries_are_reported() {
        let (parsed, diags) = parse("namespace: 12\nentries: []\n");
        assert!(matches!(parsed, Parsed::Broken { namespace: None }));
        assert!(
            diags[0]
                .starts_with("d.yaml:1:12: error[R0003]: `namespace` must be a namespace name, found an integer (12)"),
            "{}",
            diags[0]
        );
        let (parsed, diags) = parse("namespace: app\nentries: {a: 1}\n");
        assert!(matches!(parsed, Parsed::Broken { namespace: Some(_) }));
        assert!(
            diags[0].starts_with("d.yaml:2:10: error[R0003]: `entries` must be a list of entries, found a map"),
            "{}",
            diags[0]
        );
    }
}
