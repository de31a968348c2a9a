//! process-semantics.md, "Upgrade": `process.upgrade` swaps the code of a live process and keeps
//! its PID, mailbox, names, links, monitors and subscriptions (fixture `upgrade`); `wippy dev`
//! reloads changed code into live processes (see `dev.rs`).

mod common;

use common::assert_fixture_passes;

#[test]
fn upgrade() {
    assert_fixture_passes(
        "upgrade",
        &[
            "upgrade_keeps_pid_mailbox_names_links_and_monitors",
            "upgrade_with_nil_reruns_the_same_entry_with_new_arguments",
            "upgrade_from_a_spawned_coroutine_replaces_the_whole_process",
            "listen_subscriptions_and_their_queued_payloads_survive_an_upgrade",
            "uncopyable_upgrade_arguments_raise_in_the_caller",
            "failed_upgrade_ends_the_process_with_the_error",
        ],
    );
}

/// process-semantics.md, "Upgrade": processes running changed code that opted in get one
/// OUTDATED event; changes made before the process reads it are added to its `sources`.
/// Driven through the library: a registry reloaded twice under a live process.
mod outdated {
    use std::sync::atomic::Ordering;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use wippy::process::{Message, Signal};
    use wippy::registry::{EntryId, Registry};
    use wippy::runtime::{Runtime, SpawnTies};
    use wippy::value::Value;

    const INDEX: &str = r#"version: "1.0"
namespace: app
entries:
  - name: processes
    kind: process.host
    host: {workers: 1}
  - name: lib
    kind: library.lua
    source: file://lib.lua
  - name: watcher
    kind: process.lua
    source: file://watcher.lua
    method: main
    imports: {lib: app:lib}
  - name: bystander
    kind: process.lua
    source: file://watcher.lua
    method: bystander
    imports: {lib: app:lib}
"#;

    /// Opts in, waits for "go", then returns every event queued meanwhile.
    const WATCHER: &str = r#"
local lib = require("lib")
local function main()
  process.set_options({ upgradable = true })
  process.inbox():receive()
  local events = {}
  while true do
    local r = channel.select({ process.events():case_receive(), default = true })
    if r.default then break end
    events[#events + 1] = { kind = r.value.kind, sources = r.value.sources }
  end
  return events
end
-- Does not opt in: gets no OUTDATED.
local function bystander()
  process.inbox():receive()
  local r = channel.select({ process.events():case_receive(), default = true })
  return r.default == true
end
return { main = main, bystander = bystander, lib = lib }
"#;

    fn write(dir: &std::path::Path, name: &str, text: &str) {
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src").join(name), text).unwrap();
    }

    fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
        let Value::Table(t) = v else { panic!("not a table: {v:?}") };
        &t.map.iter().find(|(k, _)| k == &Value::str(key)).unwrap_or_else(|| panic!("no {key} in {v:?}")).1
    }

    #[test]
    fn changes_before_the_event_is_read_coalesce_into_one_outdated() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "_index.yaml", INDEX);
        write(dir.path(), "lib.lua", "return { v = 1 }\n");
        write(dir.path(), "watcher.lua", WATCHER);
        let rt = Runtime::start(Arc::new(Registry::load(dir.path()).unwrap()), None).unwrap();
        let host = rt.default_process_host();
        let spawn = |name: &str| {
            let (tx, rx) = crossbeam_channel::bounded(1);
            let ties = SpawnTies { observer: Some(tx), ..Default::default() };
            let cell = wippy::lua::spawn_entry(&rt, &EntryId::new("app", name), &host, vec![], ties).unwrap();
            (cell, rx)
        };
        let (watcher, watcher_exit) = spawn("watcher");
        let (bystander, bystander_exit) = spawn("bystander");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !watcher.upgradable.load(Ordering::Relaxed) {
            assert!(Instant::now() < deadline, "the watcher never opted in");
            std::thread::sleep(Duration::from_millis(5));
        }

        // Two reloads before the watcher looks: its own source, then the library it imports.
        write(dir.path(), "watcher.lua", &format!("{WATCHER}\n-- edited\n"));
        let first = rt.reload(Arc::new(Registry::load(dir.path()).unwrap())).unwrap();
        assert_eq!(first.outdated, 1, "{first:?}");
        write(dir.path(), "lib.lua", "return { v = 2 }\n");
        let second = rt.reload(Arc::new(Registry::load(dir.path()).unwrap())).unwrap();
        assert_eq!(second.outdated, 1, "{second:?}");

        let go = || Signal::Message(Message { from: None, topic: "go".into(), payload: vec![] });
        watcher.deliver(go());
        bystander.deliver(go());
        let events = watcher_exit.recv_timeout(Duration::from_secs(10)).unwrap().unwrap();
        let Value::Table(list) = &events else { panic!("{events:?}") };
        assert_eq!(list.array.len(), 1, "one OUTDATED for two changes: {events:?}");
        assert_eq!(field(&list.array[0], "kind"), &Value::str("pid.outdated"));
        let Value::Table(sources) = field(&list.array[0], "sources") else { panic!("{events:?}") };
        assert_eq!(sources.array, vec![Value::str("app:watcher"), Value::str("app:lib")], "{events:?}");
        let quiet = bystander_exit.recv_timeout(Duration::from_secs(10)).unwrap().unwrap();
        assert_eq!(quiet, Value::Bool(true), "a process that did not opt in got an event");
        rt.shutdown();
    }
}
