//! Every registry diagnostic code, produced by loading a fixture project and asserted on its
//! rendered form (`file:line:col: severity[code]: message (entry id)` + help).

use crate::registry::Registry;

use super::write;

/// Loads a project that must fail and returns its diagnostics rendered, with the project's
/// path removed so they read `src/a.yaml:3:5: ...`.
fn failures(files: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let err = match Registry::load(dir.path()) {
        Ok(_) => panic!("the project loaded"),
        Err(err) => err,
    };
    assert!(err.errors().count() > 0);
    let prefix = format!("{}/", dir.path().display());
    let bare = dir.path().display().to_string();
    err.0.iter().map(|d| d.to_string().replace(&prefix, "").replace(&bare, "")).collect()
}

const P_LUA: (&str, &str) = ("src/p.lua", "return { main = function() end }\n");

#[test]
fn r0001_yaml_syntax() {
    let out = failures(&[(
        "src/a.yaml",
        "namespace: app\nentries:\n  - name: x\n    kind: registry.entry\n    note: a: b\n",
    )]);
    assert_eq!(
        out,
        ["src/a.yaml:5:12: error[R0001]: mapping values are not allowed in this context\n  help: fix the YAML syntax (check indentation, quotes and `:` placement)"]
    );
}

#[test]
fn r0001_duplicate_key() {
    let out = failures(&[(
        "src/a.yaml",
        "namespace: app\nentries:\n  - name: x\n    kind: registry.entry\n    kind: process.lua\n",
    )]);
    assert_eq!(
        out,
        ["src/a.yaml:5:5: error[R0001]: duplicate mapping key `kind` is not allowed here\n  help: a key may appear once per map: remove or rename one of the `kind` keys"]
    );
}

#[test]
fn r0002_unknown_field_names_the_valid_ones() {
    let out = failures(&[
        ("src/a.yaml", "namespace: app\nentries:\n  - name: main\n    kind: process.lua\n    source: file://p.lua\n    mehtod: main\n"),
        P_LUA,
    ]);
    assert_eq!(
        out,
        [
            "src/a.yaml:3:5: error[R0010]: a process.lua entry has no `method` (entry app:main)\n  help: add `method: <function>`, naming the function the source file returns in its table (e.g. `method: main` for `return { main = main }`)",
            "src/a.yaml:6:5: error[R0002]: unknown field `mehtod` in a process.lua entry (entry app:main)\n  help: did you mean `method`? The fields of a process.lua entry are: `name`, `kind`, `meta`, `source`, `method`, `modules`, `imports`, `memory_limit`",
        ]
    );
}

#[test]
fn r0002_in_nested_maps_and_library_method() {
    let yaml = "namespace: app\nentries:\n  - name: h\n    kind: process.host\n    host: {workers: 2, threads: 4}\n    lifecycle:\n      restart: {delay: 1s, initial_delay: 2s}\n  - name: lib\n    kind: library.lua\n    source: file://p.lua\n    method: main\n";
    let out = failures(&[("src/a.yaml", yaml), P_LUA]);
    assert_eq!(
        out,
        [
            "src/a.yaml:5:24: error[R0002]: unknown field `host.threads` in `host` (entry app:h)\n  help: remove it; the fields of `host` are: `workers`, `queue_size`, `local_queue_size`, `max_processes`, `memory_limit`, `time_slice`, `hard_limit`",
            "src/a.yaml:7:17: error[R0002]: `lifecycle.restart.delay` is an alias of `lifecycle.restart.initial_delay`, which is also set (entry app:h)\n  help: keep only one of `initial_delay` and `delay`",
            "src/a.yaml:11:5: error[R0002]: unknown field `method` in a library.lua entry (entry app:lib)\n  help: remove it; the fields of a library.lua entry are: `name`, `kind`, `meta`, `source`, `modules`, `imports`",
        ]
    );
}

#[test]
fn r0003_wrong_type() {
    let yaml = "namespace: app\nentries:\n  - name: svc\n    kind: process.service\n    process: p\n    host: h\n    lifecycle:\n      auto_start: yes please\n  - name: p\n    kind: process.lua\n    source: file://p.lua\n    method: main\n    modules: time\n  - name: h\n    kind: process.host\n    meta: {order: first}\n";
    let out = failures(&[("src/a.yaml", yaml), P_LUA]);
    assert_eq!(
        out,
        [
            "src/a.yaml:8:19: error[R0003]: `lifecycle.auto_start` must be a boolean, found a string (\"yes please\") (entry app:svc)\n  help: write `auto_start: true` or `auto_start: false`",
            "src/a.yaml:13:14: error[R0003]: `modules` must be a list of strings, found a string (\"time\") (entry app:p)\n  help: write a list, e.g. `modules: [a, b]`",
            "src/a.yaml:16:19: error[R0003]: `meta.order` must be an integer, found a string (\"first\") (entry app:h)\n  help: write a whole number, e.g. `order: 10`",
        ]
    );
}

#[test]
fn r0003_source_must_be_a_file_url() {
    let out = failures(&[
        (
            "src/a.yaml",
            "namespace: app\nentries:\n  - name: p\n    kind: process.lua\n    source: p.lua\n    method: main\n",
        ),
        P_LUA,
    ]);
    assert_eq!(
        out,
        ["src/a.yaml:5:13: error[R0003]: `source` must be a file:// URL, found \"p.lua\" (entry app:p)\n  help: write the source as a file URL relative to this YAML file's folder, e.g. `source: file://p.lua`"]
    );
}

#[test]
fn r0004_bad_duration() {
    let yaml = "namespace: app\nentries:\n  - name: h\n    kind: process.host\n    lifecycle:\n      stop_timeout: 10 minutes\n      start_timeout: -1s\n";
    let out = failures(&[("src/a.yaml", yaml)]);
    assert_eq!(
        out,
        [
            "src/a.yaml:6:21: error[R0004]: invalid duration \"10 minutes\" for `lifecycle.stop_timeout`: unknown unit ` minutes`; use one of ns, us, ms, s, m, h (entry app:h)\n  help: write a duration such as `stop_timeout: 10s`, `500ms` or `1m30s` (units: ns, us, ms, s, m, h)",
            "src/a.yaml:7:22: error[R0004]: invalid duration \"-1s\" for `lifecycle.start_timeout`: negative durations are not allowed (entry app:h)\n  help: write a duration such as `start_timeout: 10s`, `500ms` or `1m30s` (units: ns, us, ms, s, m, h)",
        ]
    );
}

#[test]
fn r0005_duplicate_id_names_both_places() {
    let out = failures(&[
        ("src/a.yaml", "namespace: app\nentries:\n  - name: x\n    kind: registry.entry\n"),
        (
            "src/b.yaml",
            "namespace: app\nentries:\n  - name: y\n    kind: registry.entry\n  - name: x\n    kind: registry.entry\n",
        ),
    ]);
    assert_eq!(
        out,
        ["src/b.yaml:5:5: error[R0005]: entry `app:x` is defined twice: here and at src/a.yaml:3:5 (entry app:x)\n  help: entry IDs must be unique across the project: rename or remove one of the two"]
    );
}

#[test]
fn r0006_unresolved_references() {
    let yaml = "namespace: app\nentries:\n  - name: main\n    kind: process.lua\n    meta: {default_host: nohost}\n    source: file://p.lua\n    method: main\n    imports:\n      util: app.lib:utill\n  - name: svc\n    kind: process.service\n    process: mian\n    host: app:h\n    lifecycle:\n      requires: [app.db:pool]\n  - name: h\n    kind: process.host\n";
    let lib = "namespace: app.lib\nentries:\n  - {name: util, kind: library.lua, source: file://p.lua}\n";
    let out = failures(&[("src/a.yaml", yaml), ("src/lib.yaml", lib), ("src/p.lua", "return {}\n")]);
    assert_eq!(
        out,
        [
            "src/a.yaml:5:26: error[R0006]: `meta.default_host` refers to `app:nohost`, which is not defined (entry app:main)\n  help: define an entry `nohost` in namespace `app`, or fix the reference (a bare name is looked up in the referring file's namespace; elsewhere write `namespace:name`)",
            "src/a.yaml:9:13: error[R0006]: `imports.util` refers to `app.lib:utill`, which is not defined (entry app:main)\n  help: did you mean `app.lib:util`?",
            "src/a.yaml:12:14: error[R0006]: `process` refers to `app:mian`, which is not defined (entry app:svc)\n  help: did you mean `app:main`?",
            "src/a.yaml:15:18: error[R0006]: `lifecycle.requires` refers to `app.db:pool`, which is not defined (entry app:svc)\n  help: define an entry `pool` in namespace `app.db`, or fix the reference (a bare name is looked up in the referring file's namespace; elsewhere write `namespace:name`)",
        ]
    );
}

#[test]
fn r0007_missing_source_file() {
    let out = failures(&[("src/a.yaml", "namespace: app\nentries:\n  - name: main\n    kind: process.lua\n    source: file://missing.lua\n    method: main\n")]);
    assert_eq!(
        out,
        ["src/a.yaml:5:13: error[R0007]: source file file://missing.lua not found (src/missing.lua does not exist) (entry app:main)\n  help: create the file, or fix the path: it is relative to the folder of this YAML file (src)"]
    );
}

#[test]
fn r0007_missing_source_directory() {
    let out = failures(&[("README.md", "")]);
    assert_eq!(
        out,
        ["src:1:1: error[R0007]: source directory src does not exist\n  help: create the directory and put the definition files (`_index.yaml`) there, or set `directories.src` in wippy.lock"]
    );
    let out = failures(&[("wippy.lock", "directories:\n  src: ./defs\n")]);
    assert_eq!(
        out,
        ["wippy.lock:2:8: error[R0007]: source directory defs does not exist\n  help: create the directory, or fix `directories.src` in wippy.lock"]
    );
}

#[test]
fn r0008_requires_cycle() {
    let yaml = "namespace: app\nentries:\n  - name: a\n    kind: process.service\n    process: p\n    host: h\n    lifecycle: {requires: [b]}\n  - name: b\n    kind: process.service\n    process: p\n    host: h\n    lifecycle:\n      depends_on: [a]\n  - name: p\n    kind: process.lua\n    source: file://p.lua\n    method: main\n  - name: h\n    kind: process.host\n";
    let out = failures(&[("src/a.yaml", yaml), P_LUA]);
    assert_eq!(
        out,
        ["src/a.yaml:13:20: error[R0008]: `requires` cycle: app:a -> app:b -> app:a (entry app:b)\n  help: entries in a cycle can never start, since each waits for the next; remove one of these `requires`"]
    );
}

#[test]
fn r0009_reference_of_the_wrong_kind() {
    let yaml = "namespace: app\nentries:\n  - name: svc\n    kind: process.service\n    process: f\n    host: t\n  - name: f\n    kind: function.lua\n    source: file://p.lua\n    method: main\n    imports:\n      cfg: settings\n  - name: t\n    kind: terminal.host\n  - name: settings\n    kind: registry.entry\n";
    let out = failures(&[("src/a.yaml", yaml), P_LUA]);
    assert_eq!(
        out,
        [
            "src/a.yaml:5:14: error[R0009]: `process` must name a process.lua entry, but `app:f` is a function.lua (entry app:svc)\n  help: point `process` at a process.lua entry",
            "src/a.yaml:6:11: error[R0009]: `host` must name a process.host entry, but `app:t` is a terminal.host (entry app:svc)\n  help: point `host` at a process.host entry",
            "src/a.yaml:12:12: error[R0009]: `imports.cfg` must name a Lua entry (library.lua, function.lua or process.lua), but `app:settings` is a registry.entry (entry app:f)\n  help: point `imports.cfg` at a Lua entry (library.lua, function.lua or process.lua)",
        ]
    );
}

#[test]
fn r0010_missing_required_fields() {
    let yaml = "namespace: app\nentries:\n  - name: lib\n    kind: library.lua\n  - name: svc\n    kind: process.service\n  - kind: registry.entry\n";
    let out = failures(&[("src/a.yaml", yaml)]);
    assert_eq!(
        out,
        [
            "src/a.yaml:3:5: error[R0010]: a library.lua entry has no `source` (entry app:lib)\n  help: add `source: file://<file>.lua`, a path relative to this YAML file's folder",
            "src/a.yaml:5:5: error[R0010]: a process.service entry has no `process` (entry app:svc)\n  help: add `process: <entry>`, the process.lua entry this service runs",
            "src/a.yaml:5:5: error[R0010]: a process.service entry has no `host` (entry app:svc)\n  help: add `host: <entry>`, the process.host the service runs on",
            "src/a.yaml:7:5: error[R0010]: this entry has no `name`\n  help: add `name: <entry name>`; the entry's ID is `namespace:name`",
        ]
    );
}

#[test]
fn r0102_entries_without_namespace_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("src/a.yaml", "entries:\n  - name: x\n    kind: registry.entry\n"),
            ("src/b.yaml", "namespace: b\nentries: []\n"),
        ],
    );
    let registry = Registry::load(dir.path()).unwrap();
    assert_eq!(registry.entries().count(), 0);
    let warnings: Vec<String> =
        registry.warnings().iter().map(|w| w.to_string().replace(&format!("{}/", dir.path().display()), "")).collect();
    assert_eq!(
        warnings,
        ["src/a.yaml:1:1: warning[R0102]: this file has `entries` but no `namespace`, so it is not a definition file and is skipped\n  help: add `namespace: <name>` at the top to load its entries"]
    );
}

#[test]
fn errors_from_every_file_are_collected_sorted_with_the_warnings() {
    let out = failures(&[
        ("src/z.yaml", "namespace: z\nentries:\n  - {name: h, kind: terminal.host, hide_logs: maybe}\n"),
        ("src/a.yaml", "namespace: a\nentries:\n  - {name: g, kind: http.service}\n  - {name: h, kind: terminal.host, lifecycle: {auto_start: 1}}\n"),
    ]);
    let locations: Vec<String> = out.iter().map(|d| d.split(" ").take(2).collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(
        locations,
        ["src/a.yaml:3:21: warning[R0101]:", "src/a.yaml:4:60: error[R0003]:", "src/z.yaml:3:47: error[R0003]:"]
    );
}

#[test]
fn references_into_a_file_that_does_not_parse_are_not_reported() {
    let out = failures(&[
        ("src/db.yaml", "namespace: app.db\nentries:\n  - name: pool\n    kind: [process.host\n"),
        ("src/svc.yaml", "namespace: app\nentries:\n  - name: h\n    kind: process.host\n    lifecycle: {requires: [app.db:pool, app:nope]}\n"),
    ]);
    assert_eq!(out.len(), 2, "{out:#?}");
    assert!(out[0].starts_with("src/db.yaml:") && out[0].contains("error[R0001]"), "{}", out[0]);
    assert!(
        out[1].starts_with("src/svc.yaml:5:41: error[R0006]: `lifecycle.requires` refers to `app:nope`"),
        "{}",
        out[1]
    );
}
