//! `scheduler [wake]`: wake an idle process from another thread and wait until a worker has
//! stepped it and it is idle again: the queueing, unparking and stepping of one wake-up, on a
//! one-worker scheduler whose worker is parked between wakes.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use wippy::process::{ExitResult, Pid, Process, ProcessCell, RunState, Schedule, Step};
use wippy::runtime::scheduler::{ExitHandler, Scheduler};

/// Tells the bench every time it is stepped, then waits again.
struct Stepped(crossbeam_channel::Sender<()>);

impl Process for Stepped {
    fn step(&mut self, _: &Arc<ProcessCell>) -> Step {
        let _ = self.0.send(());
        Step::Wait
    }
}

struct NoExits;

impl ExitHandler for NoExits {
    fn exited(&self, _: &Arc<ProcessCell>, _: ExitResult) {}
}

fn until_idle(cell: &ProcessCell) {
    while cell.run_state() != RunState::Idle {
        std::hint::spin_loop();
    }
}

fn wake(c: &mut Criterion) {
    let scheduler = Scheduler::start("bench", 1, Arc::new(NoExits)).expect("scheduler");
    let (stepped, steps) = crossbeam_channel::unbounded();
    let on: Arc<dyn Schedule> = scheduler.clone();
    let cell = ProcessCell::new(Pid(1), Arc::from("{bench|0x1}"), 0, Box::new(Stepped(stepped)), on);
    cell.schedule_new();
    steps.recv().expect("first step");
    until_idle(&cell);

    c.bench_function("scheduler [wake]", |b| {
        b.iter(|| {
            cell.wake();
            steps.recv().expect("step");
            until_idle(&cell);
        })
    });
    scheduler.shutdown();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = wake
}
criterion_main!(benches);
