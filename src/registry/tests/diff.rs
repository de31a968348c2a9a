//! `registry::diff` between two loads of a project edited in between.

use super::write;
use crate::registry::{diff, EntryId, Registry};

const INDEX: &str = r#"version: "1.0"
namespace: app
entries:
  - name: lib
    kind: library.lua
    source: file://lib.lua
  - name: worker
    kind: process.lua
    source: file://worker.lua
    method: main
    imports: {lib: app:lib}
  - name: other
    kind: process.lua
    source: file://other.lua
    method: main
  - name: config
    kind: registry.entry
    data: {port: 1}
"#;

fn id(name: &str) -> EntryId {
    EntryId::new("app", name)
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("src/_index.yaml", INDEX),
            ("src/lib.lua", "return {}\n"),
            ("src/worker.lua", "return { main = function() end }\n"),
            ("src/other.lua", "return { main = function() end }\n"),
        ],
    );
    dir
}

#[test]
fn an_unchanged_project_has_an_empty_diff() {
    let dir = project();
    let a = Registry::load(dir.path()).unwrap();
    let b = Registry::load(dir.path()).unwrap();
    let d = diff(&a, &b);
    assert!(d.is_empty(), "{d:?}");
    assert!(d.code_changed.is_empty());
}

#[test]
fn a_changed_library_marks_its_importers_code_changed() {
    let dir = project();
    let a = Registry::load(dir.path()).unwrap();
    write(dir.path(), &[("src/lib.lua", "return { v = 2 }\n")]);
    let b = Registry::load(dir.path()).unwrap();
    let d = diff(&a, &b);
    assert_eq!(d.changed, vec![id("lib")]);
    assert_eq!(d.code_changed.get(&id("worker")), Some(&vec![id("lib")]));
    assert_eq!(d.code_changed.get(&id("lib")), Some(&vec![id("lib")]));
    assert!(!d.code_changed.contains_key(&id("other")));
}

#[test]
fn added_removed_and_changed_definitions_are_told_apart() {
    let dir = project();
    let a = Registry::load(dir.path()).unwrap();
    let edited = INDEX.replace("data: {port: 1}", "data: {port: 2}").replace(
        "  - name: other\n    kind: process.lua\n    source: file://other.lua\n    method: main\n",
        "  - name: fresh\n    kind: process.lua\n    source: file://other.lua\n    method: main\n",
    );
    write(dir.path(), &[("src/_index.yaml", &edited)]);
    let b = Registry::load(dir.path()).unwrap();
    let d = diff(&a, &b);
    assert_eq!(d.added, vec![id("fresh")]);
    assert_eq!(d.removed, vec![id("other")]);
    assert_eq!(d.changed, vec![id("config")]);
    assert!(d.code_changed.is_empty(), "{:?}", d.code_changed);
}
