//! `process [spawn]`: start one trivial Lua process through the library API and wait for its end
//! (state creation, first step, exit notification), on a runtime with a two-worker host.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use wippy::registry::{EntryId, Registry};
use wippy::runtime::{Runtime, SpawnTies};

const INDEX: &str = r#"version: "1.0"
namespace: bench

entries:
  - name: processes
    kind: process.host
    host:
      workers: 2

  - name: noop
    kind: process.lua
    source: file://noop.lua
    method: main
"#;

const NOOP: &str = "local function main()\n  return 1\nend\n\nreturn { main = main }\n";

fn spawn(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("src")).expect("src dir");
    std::fs::write(dir.path().join("src/_index.yaml"), INDEX).expect("write _index.yaml");
    std::fs::write(dir.path().join("src/noop.lua"), NOOP).expect("write noop.lua");
    let registry = Registry::load(dir.path()).unwrap_or_else(|e| panic!("bench project: {e:?}"));
    let rt = Runtime::start(Arc::new(registry), None).expect("runtime");
    let host = rt.host(&EntryId::new("bench", "processes")).expect("host");
    let noop = EntryId::new("bench", "noop");

    c.bench_function("process [spawn]", |b| {
        b.iter(|| {
            let (done, ended) = crossbeam_channel::bounded(1);
            let ties = SpawnTies { observer: Some(done), ..SpawnTies::default() };
            wippy::lua::spawn_entry(&rt, &noop, &host, Vec::new(), ties).expect("spawn");
            ended.recv().expect("exit").expect("normal exit");
        })
    });
    rt.shutdown();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = spawn
}
criterion_main!(benches);
