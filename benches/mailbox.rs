//! `mailbox [send]`: put one message (a small payload) into a process's mailbox and take it out
//! again, as a send and the receiver's next drain do. The process is never run: its cell stays
//! queued (state `Scheduled`), so no wake-up is measured here (`scheduler [wake]` does that).

use std::collections::VecDeque;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use wippy::process::{Message, Pid, Process, ProcessCell, Schedule, Signal, Step};
use wippy::value::Value;

struct Inert;

impl Process for Inert {
    fn step(&mut self, _: &Arc<ProcessCell>) -> Step {
        Step::Wait
    }
}

struct Nowhere;

impl Schedule for Nowhere {
    fn schedule(&self, _: Arc<ProcessCell>) {}
}

fn send(c: &mut Criterion) {
    let cell = ProcessCell::new(Pid(1), Arc::from("{bench|0x1}"), 0, Box::new(Inert), Arc::new(Nowhere));
    let from: (Pid, Arc<str>) = (Pid(2), Arc::from("{bench|0x2}"));
    let topic: Arc<str> = Arc::from("ping");
    let mut drained = VecDeque::new();

    c.bench_function("mailbox [send]", |b| {
        b.iter(|| {
            let msg = Message { from: Some(from.clone()), topic: topic.clone(), payload: vec![Value::Int(42)] };
            cell.deliver(Signal::Message(msg));
            cell.drain_mailbox(&mut drained);
            drained.clear();
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = send
}
criterion_main!(benches);
