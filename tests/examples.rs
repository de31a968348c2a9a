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
fn mass_spawn_tests_pass() {
    assert_tests_pass("mass-spawn", "1 passed, 0 failed");
}

#[test]
fn hot_upgrade_tests_pass() {
    assert_tests_pass("hot-upgrade", "1 passed, 0 failed");
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
fn upgrade_loses_no_message_of_the_stream() {
    let f = bench(&["upgrade", "200", "10"]);
    assert_eq!(keys(&f), ["n", "elapsed_ms", "lost"]);
    assert_eq!(number(&f, "lost"), 0.0);
}

#[test]
fn bench_tests_pass() {
    assert_tests_pass("bench", "1 passed, 0 failed");
}

#[test]
fn restart_restarts_the_child_every_time() {
    let f = bench(&["restart", "200"]);
    assert_eq!(keys(&f), ["n", "elapsed_ms", "restarts_per_s"]);
    assert_eq!(number(&f, "n"), 200.0);
}

#[test]
fn preempt_answers_every_ping_next_to_a_spinner() {
    let f = bench(&["preempt", "50"]);
    assert_eq!(keys(&f), ["pings", "max_latency_ms"]);
    assert_eq!(number(&f, "pings"), 50.0);
}

#[test]
fn worker_pool_tests_pass() {
    assert_tests_pass("worker-pool", "4 passed, 0 failed");
}

#[test]
fn supervision_tests_pass_with_its_service_running() {
    assert_tests_pass("supervision", "4 passed, 0 failed");
}

#[test]
fn pipeline_tests_pass() {
    assert_tests_pass("pipeline", "2 passed, 0 failed");
}

#[test]
fn chat_room_tests_pass_with_its_room_running() {
    assert_tests_pass("chat-room", "4 passed, 0 failed");
}

/// Runs a command of an example; its exit code and stdout lines.
fn command(name: &str, args: &[&str]) -> (Option<i32>, Vec<String>, String) {
    let _one = serial();
    let dir = example(name);
    let mut all = vec!["run", "-C", dir.as_str()];
    all.extend_from_slice(args);
    let run = wippy(&all);
    (run.code, run.stdout.lines().map(str::to_string).collect(), run.dump())
}

#[test]
fn examples_pass_check_with_rules() {
    for name in ["worker-pool", "supervision", "pipeline", "chat-room"] {
        let run = wippy(&["check", "--rules", "-C", &example(name)]);
        assert_eq!(run.code, Some(0), "{name}\n{}", run.dump());
        assert!(run.last_line().ends_with("no problems"), "{name}\n{}", run.dump());
    }
}

#[test]
fn worker_pool_command_does_every_job() {
    let (code, lines, dump) = command("worker-pool", &["pool", "6", "2", "10"]);
    assert_eq!(code, Some(0), "{dump}");
    let jobs: Vec<&String> = lines.iter().filter(|l| l.starts_with("job ")).collect();
    assert_eq!(jobs.len(), 6, "{dump}");
    assert!(jobs[0].starts_with("job  1: collatz(21) =   7 steps"), "{dump}");
    assert!(jobs[5].starts_with("job  6: collatz(26) =  10 steps"), "{dump}");
    let per_worker = lines.iter().find(|l| l.starts_with("jobs per worker: ")).unwrap_or_else(|| panic!("{dump}"));
    let total: u32 = per_worker
        .trim_start_matches("jobs per worker: ")
        .split(' ')
        .map(|w| w.split_once('=').and_then(|(_, n)| n.parse::<u32>().ok()).unwrap_or_else(|| panic!("{dump}")))
        .sum();
    assert_eq!(total, 6, "{dump}");
}

#[test]
fn worker_pool_fanin_command_gets_every_message_once() {
    let (code, lines, dump) = command("worker-pool", &["fanin", "2000"]);
    assert_eq!(code, Some(0), "{dump}");
    let want = "received 2000 of 2000 messages (0 duplicates, 0 out of order), producer returned 2000";
    assert!(lines.iter().any(|l| l == want), "{dump}");
}

#[test]
fn supervision_demo_restarts_then_gives_up() {
    let (code, lines, dump) = command("supervision", &["demo"]);
    assert_eq!(code, Some(0), "{dump}");
    assert!(lines.iter().any(|l| l.starts_with("beta: 4 squared is 16, from the new process")), "{dump}");
    assert!(lines.iter().any(|l| l.starts_with("the runtime restarted flaky as {")), "{dump}");
    assert!(lines.iter().any(|l| l.starts_with("supervisor exited: too many restarts (3 within 5000 ms)")), "{dump}");
    assert_eq!(
        &lines[lines.len() - 3..],
        [
            "alpha stays down: not registered",
            "beta is gone: its link to the supervisor took it down",
            "gamma is gone: its link to the supervisor took it down"
        ],
        "{dump}"
    );
}

#[test]
fn pipeline_command_sums_squares_or_reports_the_cascade() {
    let (code, lines, dump) = command("pipeline", &["pipeline", "1", "2", "3", "4"]);
    assert_eq!(code, Some(0), "{dump}");
    assert_eq!(lines[1], "sink: 4 items, sum of squares 30", "{dump}");
    assert_eq!(lines.iter().filter(|l| l.ends_with("ended normally")).count(), 4, "{dump}");

    let (code, lines, dump) = command("pipeline", &["pipeline", "1", "x"]);
    assert_eq!(code, Some(1), "{dump}");
    assert!(lines[1].starts_with("sink: upstream {"), "{dump}");
    assert!(lines.iter().any(|l| l.starts_with("parse  {") && l.ends_with(r#"not a number: "x""#)), "{dump}");
    assert!(lines.iter().any(|l| l.starts_with("source {") && l.contains("failed: linked process {")), "{dump}");
    assert!(lines.iter().any(|l| l.starts_with("sink   {") && l.ends_with("ended normally")), "{dump}");
}

#[test]
fn chat_command_delivers_every_line_to_every_bot() {
    let (code, lines, dump) = command("chat-room", &["chat", "10", "2"]);
    assert_eq!(code, Some(0), "{dump}");
    assert_eq!(lines[0], "10 bots joined the room", "{dump}");
    assert!(lines.iter().any(|l| l == "10 of 10 bots heard all 20 lines, each sender's lines in order"), "{dump}");
}
