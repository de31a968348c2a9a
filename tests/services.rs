//! Services and hosts through the CLI (issue 4): dependency order at start and the reverse at
//! stop under `wippy run` and Ctrl-C, supervision seen from Lua, and a terminal program driven
//! over stdin/stdout.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_fixture_passes, fixture, serial};

#[test]
fn supervision_as_seen_from_lua() {
    assert_fixture_passes(
        "services",
        &[
            "a_failing_service_is_given_up_after_max_attempts_and_others_keep_running",
            "services_report_their_state_to_lua",
            "a_canceled_service_is_not_restarted",
            "a_terminated_service_is_not_restarted",
            "io_is_only_available_on_the_terminal_host",
            "spawning_onto_an_unknown_host_is_an_error_naming_it",
        ],
    );
}

/// The position of the first stderr line containing `needle`.
fn position(lines: &[String], needle: &str) -> usize {
    lines
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}:\n{}", lines.join("\n")))
}

#[test]
fn services_start_in_dependency_order_and_stop_in_reverse_on_ctrl_c() {
    let _one = serial();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wippy"))
        .args(["run", "-C", fixture("services").to_str().unwrap()])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start wippy");
    let stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !lines.iter().any(|l: &String| l.contains("service app:third started")) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => lines.push(line),
            Err(_) => {
                let _ = child.kill();
                panic!("app:third did not start within 30s:\n{}", lines.join("\n"));
            }
        }
    }
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill -INT");
    assert!(status.success());
    let exit = child.wait().expect("wait for wippy");
    lines.extend(rx.iter());
    assert_eq!(exit.code(), Some(0), "{}", lines.join("\n"));
    let started: Vec<usize> =
        ["first", "second", "third"].iter().map(|s| position(&lines, &format!("service app:{s} started"))).collect();
    assert!(started[0] < started[1] && started[1] < started[2], "start order:\n{}", lines.join("\n"));
    let stopped: Vec<usize> =
        ["third", "second", "first"].iter().map(|s| position(&lines, &format!("service app:{s} stopped"))).collect();
    assert!(stopped[0] < stopped[1] && stopped[1] < stopped[2], "stop order:\n{}", lines.join("\n"));
}

#[test]
fn a_terminal_program_reads_stdin_and_writes_stdout() {
    let _one = serial();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wippy"))
        .args(["run", "-C", fixture("terminal").to_str().unwrap(), "upper", "> "])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start wippy");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    // One line at a time, reading each answer before the next line: the program really is
    // driven interactively, not fed a file.
    for (input, want) in [("hello", "> HELLO"), ("wippy", "> WIPPY")] {
        writeln!(stdin, "{input}").expect("write stdin");
        stdin.flush().expect("flush stdin");
        let mut answer = String::new();
        stdout.read_line(&mut answer).expect("read stdout");
        assert_eq!(answer.trim_end(), want);
    }
    drop(stdin);
    let mut rest = String::new();
    stdout.read_line(&mut rest).expect("read stdout");
    assert_eq!(rest.trim_end(), "lines: 2");
    let exit = child.wait().expect("wait for wippy");
    assert_eq!(exit.code(), Some(0));
}
