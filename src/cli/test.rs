//! `wippy test`: runs every `meta.type: test` entry as a process of its own and reports.

use std::path::Path;
use std::time::{Duration, Instant};

use clap::Args;

use super::{project, EXIT_FAILED, EXIT_OK};
use crate::process::Signal;
use crate::registry::{Entry, EntryKind};
use crate::runtime::SpawnTies;
use crate::value::Value;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Only tests whose ID contains one of these.
    pub patterns: Vec<String>,
    /// Only tests of this `meta.suite`.
    #[arg(long)]
    pub suite: Option<String>,
    /// Print results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Stop at the first failure.
    #[arg(long)]
    pub fail_fast: bool,
    /// Per-test timeout (Go duration).
    #[arg(long, default_value = "30s")]
    pub timeout: String,
}

struct Outcome {
    id: String,
    suite: Option<String>,
    passed: bool,
    elapsed: Duration,
    error: Option<String>,
}

pub fn run(project_dir: &Path, config: &[std::path::PathBuf], args: &TestArgs) -> i32 {
    let timeout = match crate::registry::parse_go_duration(&args.timeout) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: --timeout: {e}");
            return super::EXIT_USAGE;
        }
    };
    let rt = match project::start(project_dir, config) {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let registry = rt.registry();
    let mut tests: Vec<&Entry> = registry
        .entries()
        .filter(|e| e.meta.type_.as_deref() == Some("test") && matches!(e.kind, EntryKind::Lua(_)))
        .filter(|e| args.patterns.is_empty() || args.patterns.iter().any(|p| e.id.to_string().contains(p.as_str())))
        .filter(|e| args.suite.is_none() || e.meta.suite == args.suite)
        .collect();
    tests.sort_by(|a, b| {
        (&a.meta.suite, a.meta.order.unwrap_or(i64::MAX), a.id.to_string()).cmp(&(
            &b.meta.suite,
            b.meta.order.unwrap_or(i64::MAX),
            b.id.to_string(),
        ))
    });
    // Tests run inside the project as it runs: its auto_start services are up (as in Wippy).
    let services = crate::supervisor::start_services(&rt);
    let host = rt.default_process_host();
    let mut outcomes = Vec::new();
    let mut suite: Option<&Option<String>> = None;
    for t in tests {
        if !args.json && suite != Some(&t.meta.suite) {
            if let Some(s) = &t.meta.suite {
                println!("suite {s}");
            }
            suite = Some(&t.meta.suite);
        }
        let started = Instant::now();
        let (tx, rx) = crossbeam_channel::bounded(1);
        let ties = SpawnTies { observer: Some(tx), ..Default::default() };
        let result = match crate::lua::spawn_entry(&rt, &t.id, &host, Vec::new(), ties) {
            Ok(cell) => match rx.recv_timeout(timeout) {
                Ok(r) => Some(r),
                Err(_) => {
                    cell.deliver(Signal::Kill { reason: "terminated: test timed out".into() });
                    None
                }
            },
            Err(e) => Some(Err(e)),
        };
        let elapsed = started.elapsed();
        let (passed, error) = match result {
            None => (false, Some(format!("timed out after {}", args.timeout))),
            Some(Ok(Value::Bool(false))) => (false, Some("returned false".to_string())),
            Some(Ok(_)) => (true, None),
            Some(Err(e)) => {
                let mut msg = e.message.clone();
                if let Some(stack) = &e.stack {
                    msg.push('\n');
                    msg.push_str(stack);
                }
                (false, Some(msg))
            }
        };
        if !args.json {
            let mark = if passed { "ok  " } else { "FAIL" };
            println!("{mark} {} ({})", t.id, fmt_elapsed(elapsed));
            if let Some(e) = &error {
                for line in e.lines() {
                    println!("     {line}");
                }
            }
        }
        outcomes.push(Outcome { id: t.id.to_string(), suite: t.meta.suite.clone(), passed, elapsed, error });
        if args.fail_fast && !passed {
            break;
        }
    }
    services.stop();
    rt.shutdown();
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let failed = outcomes.len() - passed;
    if args.json {
        let tests: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|o| {
                serde_json::json!({
                    "id": o.id, "suite": o.suite, "passed": o.passed,
                    "elapsed_ms": o.elapsed.as_secs_f64() * 1000.0, "error": o.error,
                })
            })
            .collect();
        println!("{}", serde_json::json!({ "tests": tests, "passed": passed, "failed": failed }));
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn fmt_elapsed(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{}µs", d.as_micros())
    } else if d < Duration::from_secs(1) {
        format!("{:.1}ms", d.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2}s", d.as_secs_f64())
    }
}
