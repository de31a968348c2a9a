//! Recycled process states (src/lua/pool.rs): a process that ends leaves its Lua state to the
//! next one, and the next one finds nothing of it: not its globals, its changes to the standard
//! libraries or to required modules, its module's locals, its `_ENV`.

use std::sync::Arc;

use wippy::registry::{EntryId, Registry};
use wippy::runtime::{Runtime, SpawnTies};
use wippy::value::Value;

/// Runs `app:probe` to its end and returns the report it returned.
fn probe(rt: &Runtime, pollute: bool) -> String {
    let host = rt.host(&EntryId::new("app", "processes")).expect("the fixture's host");
    let (done, ended) = crossbeam_channel::bounded(1);
    let ties = SpawnTies { observer: Some(done), ..SpawnTies::default() };
    wippy::lua::spawn_entry(rt, &EntryId::new("app", "probe"), &host, vec![Value::Bool(pollute)], ties)
        .expect("spawn the probe");
    let exit = ended.recv_timeout(std::time::Duration::from_secs(10)).expect("the probe's exit");
    match exit.expect("the probe ends normally") {
        Value::Str(s) => String::from_utf8_lossy(&s).into_owned(),
        other => panic!("the probe returned {other:?}"),
    }
}

#[test]
fn a_recycled_state_keeps_nothing_of_its_last_process() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recycle");
    let registry = Registry::load(&root).unwrap_or_else(|e| panic!("fixture: {e:?}"));
    let rt = Runtime::start(Arc::new(registry), None).expect("runtime");
    let pristine = "runs=1 leaked=nil upper=A string_mt=true insert=function pi=false wrap=function lib=pristine";
    assert_eq!(probe(&rt, true), pristine, "the first probe, in a new state");
    let before = wippy::lua::pool::reused();
    for round in 2..=4 {
        assert_eq!(probe(&rt, true), pristine, "probe #{round}, after a probe that changed everything");
    }
    // Other tests in this binary run no processes: every later probe started in a recycled state.
    assert_eq!(wippy::lua::pool::reused() - before, 3, "each later probe started in the state the last one left");
    rt.shutdown();
}
