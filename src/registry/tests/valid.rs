//! A valid project with every supported kind, loaded end to end through `Registry::load`.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::registry::{EntryId, EntryKind, LuaKind, Registry};
use crate::value::Value;

use super::write;

fn id(s: &str) -> EntryId {
    EntryId::parse(s).unwrap()
}

const APP: &str = r#"version: "1.0"
namespace: app
entries:
  - name: main
    kind: process.lua
    meta:
      comment: The CLI entry point
      title: Main
      command: {name: hello, short: Say hello, main: true, use_case: test}
      default_host: terminal
      order: 3
      custom: {anything: [1, 2]}
    source: file://main.lua
    method: main
    modules: [io, time]
    imports:
      util: app.lib:util
      helper: helper

  - name: helper
    kind: function.lua
    meta: {type: test, suite: core, order: -1}
    source: file://lib/helper.lua
    method: run

  - name: terminal
    kind: terminal.host
    hide_logs: true

  - name: processes
    kind: process.host
    host: {workers: 4, queue_size: 1024, local_queue_size: 256, max_processes: 0}
    lifecycle: {auto_start: true}

  - name: worker
    kind: process.service
    process: worker_proc
    host: processes
    input: ["--port", 8080, {verbose: true}, [1, 2.5], ~]
    lifecycle:
      auto_start: true
      start_timeout: 2s
      stop_timeout: 1m30s
      stable_threshold: 500ms
      depends_on: [db, app.lib:config]
      restart:
        delay: 250ms
        max_delay: 1h
        backoff_factor: 1.5
        jitter: 0
        max_attempts: 5
      security:
        actor: {id: "service:worker", meta: {role: worker}}
        policies: [app:worker_policy]

  - name: db
    kind: process.service
    process: worker_proc
    host: app:processes

  - name: settings
    kind: registry.entry
    port: 8080
    nested: {list: [a, b], ratio: 0.5, on: false, none: ~}

  - name: worker_policy
    kind: security.policy
    policy: {actions: "*", resources: "*", effect: allow}

  - name: api_key
    kind: env.variable
    variable: API_KEY
    default: dev

  - name: gateway
    kind: http.service
    addr: ":8080"
"#;

const LIB: &str = r#"namespace: app.lib
entries:
  - name: util
    kind: library.lua
    source: file://util.lua
    modules: [json]
  - name: helper_again
    kind: library.lua
    source: file://helper.lua
  - name: config
    kind: registry.entry
"#;

const WORKERS: &str = r#"namespace: app
entries:
  - name: worker_proc
    kind: process.lua
    source: file://workers/worker.lua
    method: loop
"#;

fn valid_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("wippy.lock", "directories:\n  modules: .wippy\n  src: ./src\nmodules: []\n"),
            ("src/_index.yaml", APP),
            ("src/lib/_index.yaml", LIB),
            ("src/workers.yml", WORKERS),
            ("src/main.lua", "return { main = function() return 0 end }\n"),
            ("src/lib/helper.lua", "return { run = function() end }\n"),
            ("src/lib/util.lua", "return {}\n"),
            ("src/workers/worker.lua", "return { loop = function() end }\n"),
            // Not definition files: skipped without a word.
            ("src/fixtures/data.yaml", "rows: [1, 2, 3]\n"),
            ("src/.hidden/_index.yaml", "namespace: hidden\nentries: [{name: x, kind: nope}]\n"),
        ],
    );
    dir
}

#[test]
fn every_supported_kind_loads_with_its_fields() {
    let dir = valid_project();
    let registry = Registry::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(registry.project_dir(), dir.path());
    assert_eq!(registry.source_dirs(), [dir.path().join("src")]);

    // Order: file path order (src/_index.yaml, src/lib/_index.yaml, src/workers.yml), then file order.
    let ids: Vec<String> = registry.entries().map(|e| e.id.to_string()).collect();
    assert_eq!(
        ids,
        [
            "app:main",
            "app:helper",
            "app:terminal",
            "app:processes",
            "app:worker",
            "app:db",
            "app:settings",
            "app:worker_policy",
            "app:api_key",
            "app:gateway",
            "app.lib:util",
            "app.lib:helper_again",
            "app.lib:config",
            "app:worker_proc",
        ]
    );

    // process.lua with meta.
    let main = registry.get(&id("app:main")).unwrap();
    assert_eq!(main.kind_name, "process.lua");
    assert_eq!(main.location.file, dir.path().join("src/_index.yaml"));
    assert_eq!((main.location.line, main.location.column), (4, 5));
    let EntryKind::Lua(lua) = &main.kind else { panic!("{:?}", main.kind) };
    assert_eq!(lua.lua_kind, LuaKind::Process);
    assert!(lua.source_path.is_absolute());
    assert_eq!(lua.source_path, std::path::absolute(dir.path().join("src/main.lua")).unwrap());
    assert_eq!(&*lua.source, "return { main = function() return 0 end }\n");
    assert_eq!(lua.method.as_deref(), Some("main"));
    assert_eq!(lua.modules, ["io", "time"]);
    assert_eq!(lua.imports, [("util".to_string(), id("app.lib:util")), ("helper".to_string(), id("app:helper"))]);
    assert_eq!(main.meta.comment.as_deref(), Some("The CLI entry point"));
    assert_eq!(main.meta.title.as_deref(), Some("Main"));
    assert_eq!(main.meta.order, Some(3));
    assert_eq!(main.meta.default_host, Some(id("app:terminal")));
    let command = main.meta.command.as_ref().unwrap();
    assert_eq!(
        (command.name.as_str(), command.short.as_deref(), command.use_case.as_deref()),
        ("hello", Some("Say hello"), Some("test"))
    );
    // Free-form meta stays in the data.
    assert_eq!(main.data.get("meta").unwrap().get("custom").unwrap().to_string(), "{anything = {1, 2}}");

    // function.lua marked as a test.
    let helper = registry.get(&id("app:helper")).unwrap();
    let EntryKind::Lua(helper_lua) = &helper.kind else { panic!() };
    assert_eq!(helper_lua.lua_kind, LuaKind::Function);
    assert_eq!(helper_lua.method.as_deref(), Some("run"));
    assert!(helper_lua.imports.is_empty() && helper_lua.modules.is_empty());
    assert_eq!(
        (helper.meta.type_.as_deref(), helper.meta.suite.as_deref(), helper.meta.order),
        (Some("test"), Some("core"), Some(-1))
    );

    // library.lua; the same source file named twice is read once.
    let EntryKind::Lua(util) = &registry.get(&id("app.lib:util")).unwrap().kind else { panic!() };
    assert_eq!((util.lua_kind, util.method.as_deref()), (LuaKind::Library, None));
    assert_eq!(util.modules, ["json"]);
    let EntryKind::Lua(again) = &registry.get(&id("app.lib:helper_again")).unwrap().kind else { panic!() };
    assert!(Arc::ptr_eq(&again.source, &helper_lua.source));

    // Hosts.
    let EntryKind::TerminalHost(terminal) = &registry.get(&id("app:terminal")).unwrap().kind else { panic!() };
    assert!(terminal.hide_logs);
    assert!(!terminal.lifecycle.auto_start);
    let EntryKind::ProcessHost(host) = &registry.get(&id("app:processes")).unwrap().kind else { panic!() };
    assert_eq!(
        (host.workers, host.queue_size, host.local_queue_size, host.max_processes),
        (Some(4), Some(1024), Some(256), None)
    );
    assert!(host.lifecycle.auto_start);
    assert_eq!(host.lifecycle.stop_timeout, Duration::from_secs(10));

    // A service with every lifecycle field, aliases included.
    let EntryKind::Service(worker) = &registry.get(&id("app:worker")).unwrap().kind else { panic!() };
    assert_eq!((&worker.process, &worker.host), (&id("app:worker_proc"), &id("app:processes")));
    let input: Vec<String> = worker.input.iter().map(Value::to_string).collect();
    assert_eq!(input, ["--port", "8080", "{verbose = true}", "{1, 2.5}", "nil"]);
    assert_eq!(worker.input[1], Value::Int(8080));
    let life = &worker.lifecycle;
    assert!(life.auto_start);
    assert_eq!(life.start_timeout, Duration::from_secs(2));
    assert_eq!(life.stop_timeout, Duration::from_secs(90));
    assert_eq!(life.stable_threshold, Duration::from_millis(500));
    assert_eq!(life.requires, [id("app:db"), id("app.lib:config")]);
    assert_eq!(life.restart.initial_delay, Duration::from_millis(250));
    assert_eq!(life.restart.max_delay, Duration::from_secs(3600));
    assert_eq!((life.restart.backoff_factor, life.restart.jitter, life.restart.max_attempts), (1.5, 0.0, 5));
    let security = life.security.as_ref().unwrap();
    let (actor, meta) = security.actor.as_ref().unwrap();
    assert_eq!((actor.as_str(), meta.get("role")), ("service:worker", Some(&Value::str("worker"))));
    assert_eq!(security.policies, [id("app:worker_policy")]);

    // Defaults where nothing is written.
    let EntryKind::Service(db) = &registry.get(&id("app:db")).unwrap().kind else { panic!() };
    assert!(db.input.is_empty());
    assert!(!db.lifecycle.auto_start);
    assert_eq!(db.lifecycle.start_timeout, Duration::from_secs(10));
    assert_eq!(db.lifecycle.stable_threshold, Duration::from_secs(5));
    assert_eq!(db.lifecycle.restart.initial_delay, Duration::from_secs(1));
    assert_eq!(db.lifecycle.restart.max_delay, Duration::from_secs(90));
    assert_eq!(
        (db.lifecycle.restart.backoff_factor, db.lifecycle.restart.jitter, db.lifecycle.restart.max_attempts),
        (2.0, 0.1, 0)
    );
    assert!(db.lifecycle.security.is_none() && db.lifecycle.requires.is_empty());

    // Data kinds keep the whole entry map, in document order.
    let settings = registry.get(&id("app:settings")).unwrap();
    assert!(matches!(settings.kind, EntryKind::Data));
    assert_eq!(
        settings.data.to_string(),
        "{name = settings, kind = registry.entry, port = 8080, nested = {list = {a, b}, ratio = 0.5, on = false, none = nil}}"
    );
    assert!(matches!(registry.get(&id("app:worker_policy")).unwrap().kind, EntryKind::Policy(_)));
    let api_key = registry.get(&id("app:api_key")).unwrap();
    assert!(matches!(api_key.kind, EntryKind::Data));
    assert_eq!(api_key.data.get("variable"), Some(&Value::str("API_KEY")));

    // An unsupported kind is data plus one warning at its `kind`.
    let gateway = registry.get(&id("app:gateway")).unwrap();
    assert!(matches!(gateway.kind, EntryKind::Unsupported));
    assert_eq!(gateway.kind_name, "http.service");
    assert_eq!(gateway.data.get("addr"), Some(&Value::str(":8080")));
    let warnings: Vec<String> = registry.warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [format!(
            "{}:76:11: warning[R0101]: kind http.service is not supported by this runtime; it is loaded as data (entry app:gateway)\n  help: the entry can be read through the `registry` module, but nothing runs it; anything that uses it at run time gets an error naming the kind",
            dir.path().join("src/_index.yaml").display()
        )]
    );

    assert!(registry.get(&id("hidden:x")).is_none());
    assert!(registry.get(&id("app:nope")).is_none());
}

#[test]
fn without_a_lock_file_the_project_loads_from_src() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("src/a.yaml", "namespace: a\nentries:\n  - {name: x, kind: registry.entry}\n")]);
    let registry = Registry::load(dir.path()).unwrap();
    assert_eq!(registry.entries().count(), 1);
    assert!(registry.warnings().is_empty());
}

#[test]
fn the_lock_file_can_move_the_source_directory() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("wippy.lock", "directories: {src: defs}\n"),
            ("defs/a.yaml", "namespace: a\nentries:\n  - {name: x, kind: registry.entry}\n"),
            ("src/b.yaml", "namespace: b\nentries:\n  - {name: y, kind: registry.entry}\n"),
        ],
    );
    let registry = Registry::load(dir.path()).unwrap();
    assert_eq!(registry.source_dirs(), [dir.path().join("defs")]);
    let ids: Vec<String> = registry.entries().map(|e| e.id.to_string()).collect();
    assert_eq!(ids, ["a:x"]);
}

#[test]
fn from_entries_indexes_given_entries() {
    let dir = valid_project();
    let loaded = Registry::load(dir.path()).unwrap();
    let entries: Vec<_> = loaded.entries().cloned().collect();
    let registry = Registry::from_entries("/p".into(), entries);
    assert_eq!(registry.entries().count(), 14);
    assert_eq!(registry.source_dirs(), [Path::new("/p/src")]);
    assert!(registry.warnings().is_empty());
    assert_eq!(registry.get(&id("app.lib:util")).unwrap().kind_name, "library.lua");
    let shared = registry.get_shared(&id("app:main")).unwrap();
    drop(registry);
    assert_eq!(shared.id, id("app:main"));
}
