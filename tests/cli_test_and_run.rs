//! What `wippy test` prints for failing tests, and the exit codes of `wippy run NAME` (cli.md).

mod common;

use common::{fixture, serial, wippy, Run};

/// The indented lines `wippy test` prints under the `FAIL <id>` line of `id`.
fn failure_report<'a>(run: &'a Run, id: &str) -> Vec<&'a str> {
    let head = format!("FAIL {id} (");
    let mut lines = run.stdout.lines().skip_while(|l| !l.starts_with(&head));
    assert!(lines.next().is_some(), "no `FAIL {id}` line\n{}", run.dump());
    lines.take_while(|l| l.starts_with("     ")).map(str::trim).collect()
}

/// The 1-based number of the only line of `file` that contains `needle`.
fn line_of(file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(file).expect("read fixture source");
    let found: Vec<usize> = text.lines().enumerate().filter(|(_, l)| l.contains(needle)).map(|(i, _)| i + 1).collect();
    assert_eq!(found.len(), 1, "{needle:?} should be on exactly one line of {file}");
    found[0]
}

#[test]
fn failing_tests_are_reported_with_their_error_and_lua_stack() {
    let _serial = serial();
    let dir = fixture("failing");
    let run = wippy(&["test", "-C", dir.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "exit code\n{}", run.dump());
    assert_eq!(run.last_line(), "1 passed, 3 failed", "summary line\n{}", run.dump());
    assert!(run.stdout.lines().any(|l| l.starts_with("ok   app:passes (")), "the passing test\n{}", run.dump());

    let source = dir.join("src/failing.lua");
    let source = source.to_str().unwrap();
    let raised_at = line_of(source, r#"error(string.format("expected %d, got %d""#);
    let called_at = line_of(source, "expect_equal(1 + 1, 1)");
    let report = failure_report(&run, "app:fails_with_an_error");
    let has = |text: &str| report.iter().any(|l| l.contains(text));
    assert!(has(&format!("src/failing.lua:{raised_at}: expected 1, got 2")), "error with its location: {report:#?}");
    assert!(has("stack traceback:"), "a Lua stack: {report:#?}");
    let raising_frame = format!("src/failing.lua:{raised_at}: in ");
    assert!(
        report.iter().any(|l| l.starts_with(&raising_frame) && l.contains("'expect_equal'")),
        "the raising frame, with its function's name: {report:#?}"
    );
    assert!(has(&format!("src/failing.lua:{called_at}:")), "the calling frame: {report:#?}");

    let report = failure_report(&run, "app:fails_by_returning_false");
    assert!(report.iter().any(|l| l.contains("returned false")), "{report:#?}");

    let report = failure_report(&run, "app:fails_by_returning_nil_and_an_error");
    assert!(report.iter().any(|l| l.contains("returned an error on purpose")), "{report:#?}");
}

fn run_command(name: &str) -> Run {
    let _serial = serial();
    let dir = fixture("commands");
    wippy(&["run", "-C", dir.to_str().unwrap(), name])
}

#[test]
fn run_exits_0_when_the_command_returns_normally() {
    let run = run_command("returns-normally");
    assert_eq!(run.code, Some(0), "{}", run.dump());
}

#[test]
fn run_exits_1_and_prints_the_error_when_the_command_raises() {
    let run = run_command("raises");
    assert_eq!(run.code, Some(1), "{}", run.dump());
    assert!(run.stderr.contains("command failed on purpose"), "the error on stderr\n{}", run.dump());
    assert!(run.stderr.contains("src/commands.lua:"), "the error's location on stderr\n{}", run.dump());
}

#[test]
fn run_exits_1_when_the_command_returns_nil_and_an_error() {
    let run = run_command("returns-nil-and-error");
    assert_eq!(run.code, Some(1), "{}", run.dump());
    assert!(run.stderr.contains("command returned an error on purpose"), "the error on stderr\n{}", run.dump());
}

#[test]
fn run_exits_with_the_integer_the_command_returns() {
    let run = run_command("returns-seven");
    assert_eq!(run.code, Some(7), "{}", run.dump());
}

#[test]
fn run_command_on_the_implicit_terminal_host_can_exec_on_the_process_host() {
    let run = run_command("returns-childs-code");
    assert_eq!(run.code, Some(3), "{}", run.dump());
}

#[test]
fn run_of_an_unknown_command_is_a_usage_error() {
    let run = run_command("no-such-command");
    assert_eq!(run.code, Some(2), "{}", run.dump());
    assert!(run.stderr.contains("no-such-command"), "the error names the command\n{}", run.dump());
}
