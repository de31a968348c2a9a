//! Running the built `wippy` binary on the fixture projects under `tests/fixtures/`.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Longest a single `wippy` run may take before the test fails (and the run is killed).
const RUN_LIMIT: Duration = Duration::from_secs(90);

/// One `wippy` at a time: the guarantee fixtures measure scheduling under load and use time
/// bounds, so runs in parallel on a small machine would only add noise.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

pub fn serial() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

pub struct Run {
    /// None when the process was killed by a signal (a crash) or by the time limit.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn last_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or("")
    }

    /// Everything, for assertion messages.
    pub fn dump(&self) -> String {
        format!("exit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs `wippy ARGS...`, killing it if it outlives `RUN_LIMIT`.
pub fn wippy(args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wippy"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start wippy");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for wippy") {
            break Some(status);
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.and_then(|s| s.code()),
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    };
    assert!(status.is_some(), "wippy {args:?} did not finish within {RUN_LIMIT:?}\n{}", run.dump());
    run
}

/// `wippy test -C tests/fixtures/<name>` must pass exactly `tests`, each reported `ok`, and
/// nothing else: a test that silently did not run fails this as surely as one that failed.
pub fn assert_fixture_passes(name: &str, tests: &[&str]) {
    let _serial = serial();
    let dir = fixture(name);
    let run = wippy(&["test", "-C", dir.to_str().expect("utf-8 path")]);
    assert!(
        run.code.is_some(),
        "wippy crashed (killed by a signal) during the test after the one reported last ({:?})\n{}",
        run.last_line(),
        run.dump()
    );
    let failed: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert!(failed.is_empty(), "failing guarantee tests in {name}:\n  {}\n\n{}", failed.join("\n  "), run.dump());
    for t in tests {
        let ok = format!("ok   app:{t} (");
        assert!(run.stdout.lines().any(|l| l.starts_with(&ok)), "test app:{t} was not reported ok\n{}", run.dump());
    }
    assert_eq!(run.last_line(), format!("{} passed, 0 failed", tests.len()), "summary line\n{}", run.dump());
    assert_eq!(run.code, Some(0), "exit code\n{}", run.dump());
}
