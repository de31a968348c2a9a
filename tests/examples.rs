//! The projects under `examples/` work as their READMEs say: their test suites pass, their
//! commands run, and every bench workload prints exactly the result line `benchmarks.md` gives
//! (at small sizes: these check behaviour and output format, never speed).

mod common;

use std::path::PathBuf;

use common::{serial, wippy};

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples").join(name).display().to_string()
}

fn assert_tests_pass(name: &str, expected: &str) {
    let _one = serial();
    let run = wippy(&["test", "-C", &example(name)]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    assert_eq!(run.last_line(), expected, "{}", run.dump());
}

#[test]
fn hello_tests_pass() {
    assert_tests_pass("hello", "1 passed, 0 failed");
}

#[test]
fn ping_pong_tests_pass_with_its_services_running() {
    assert_tests_pass("ping-pong", "1 passed, 0 failed");
}

#[test]
fn hello_command_prints_a_greeting_from_another_process() {
    let _one = serial();
    let run = wippy(&["run", "-C", &example("hello"), "hello", "Ada"]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    let line = run.stdout.trim();
    assert!(line.starts_with("Hello, Ada! (from {app:processes|0x"), "{}", run.dump());
}

/// Runs a bench command and returns its single output line split into `key=value` fields.
fn bench(args: &[&str]) -> Vec<(String, String)> {
    let _one = serial();
    let dir = example("bench");
    let mut all = vec!["run", "-C", dir.as_str()];
    all.extend_from_slice(args);
    let run = wippy(&all);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one result line expected\n{}", run.dump());
    let mut words = lines[0].split(' ');
    assert_eq!(words.next(), Some(args[0]), "{}", run.dump());
    words
        .map(|w| {
            let (k, v) = w.split_once('=').unwrap_or_else(|| panic!("not key=value: {w}\n{}", run.dump()));
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn keys(fields: &[(String, String)]) -> Vec<&str> {
    fields.iter().map(|(k, _)| k.as_str()).collect()
}

fn number(fields: &[(String, String)], key: &str) -> f64 {
    let v = &fields.iter().find(|(k, _)| k == key).unwrap_or_else(|| panic!("no {key}")).1;
    v.parse().unwrap_or_else(|_| panic!("{key}={v} is not a number"))
}

#[test]
fn skynet_sums_every_leaf() {
    let f = bench(&["skynet", "10000"]);
    assert_eq!(keys(&f), ["N", "sum", "elapsed_ms"]);
    assert_eq!(number(&f, "sum"), 49995000.0);
}

#[test]
fn spawn_idle_reports_rate_and_memory() {
    let f = bench(&["spawn_idle", "2000"]);
    assert_eq!(keys(&f), ["N", "spawn_per_s", "rss_bytes_per_proc"]);
    assert!(number(&f, "spawn_per_s") > 0.0);
}

#[test]
fn ring_passes_the_token_every_hop() {
    let f = bench(&["ring", "100", "10000"]);
    assert_eq!(keys(&f), ["N", "hops", "elapsed_ms", "hops_per_s"]);
    assert_eq!(number(&f, "hops"), 10000.0);
}

#[test]
fn pingpong_counts_every_message() {
    let f = bench(&["pingpong", "10", "100"]);
    assert_eq!(keys(&f), ["pairs", "msgs", "elapsed_ms", "msgs_per_s"]);
    assert_eq!(number(&f, "msgs"), 2000.0);
}

#[test]
fn preempt_answers_every_ping_next_to_a_spinner() {
    let f = bench(&["preempt", "50"]);
    assert_eq!(keys(&f), ["pings", "max_latency_ms"]);
    assert_eq!(number(&f, "pings"), 50.0);
}
