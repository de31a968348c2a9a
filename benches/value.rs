//! `value [copy table]`: copy a nested table (a message-sized record: strings, numbers, a list
//! of records) out of one Lua state and into another, as every message between processes is.

use criterion::{criterion_group, criterion_main, Criterion};
use mlua::Lua;
use wippy::lua::convert::{from_value, to_value};

const TABLE: &str = r#"
local items = {}
for i = 1, 10 do
  items[i] = {id = i, name = "item " .. i, price = i * 1.5, tags = {"a", "b"}}
end
return {user = {id = 42, name = "Ada", admin = false}, items = items, note = "a nested table"}
"#;

fn copy_table(c: &mut Criterion) {
    let src = Lua::new();
    let dst = Lua::new();
    let table: mlua::Value = src.load(TABLE).eval().expect("table");

    c.bench_function("value [copy table]", |b| {
        b.iter(|| {
            let detached = to_value(&table).expect("detach");
            from_value(&dst, &detached).expect("attach")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = copy_table
}
criterion_main!(benches);
