//! The data modules of the standard library (lua-api.md, "Modules by name"): json, yaml, base64,
//! hash, uuid, env, registry, logger and events, each checked by Lua test entries in
//! `tests/fixtures/stdlib_data` and, for the `.wippy.yaml` settings (JSON logs, no OS
//! environment), `tests/fixtures/stdlib_data_json`. Log lines are checked on stderr here.

mod common;

use common::{fixture, serial, wippy, Run};

/// `wippy test` on the fixture must pass exactly `tests`; returns the run for further checks.
fn passes(name: &str, tests: &[&str]) -> Run {
    let _serial = serial();
    let dir = fixture(name);
    let run = wippy(&["test", "-C", dir.to_str().expect("utf-8 path")]);
    let failed: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert!(failed.is_empty(), "failing tests in {name}:\n  {}\n\n{}", failed.join("\n  "), run.dump());
    for t in tests {
        let ok = format!("ok   app:{t} (");
        assert!(run.stdout.lines().any(|l| l.starts_with(&ok)), "test app:{t} was not reported ok\n{}", run.dump());
    }
    assert_eq!(run.last_line(), format!("{} passed, 0 failed", tests.len()), "summary line\n{}", run.dump());
    assert_eq!(run.code, Some(0), "exit code\n{}", run.dump());
    run
}

#[test]
fn data_modules() {
    let run = passes(
        "stdlib_data",
        &[
            "json_encodes_and_decodes_with_sorted_keys",
            "json_tables_are_arrays_only_when_keyed_one_to_n",
            "json_refuses_values_without_a_json_form",
            "json_decode_errors_say_where",
            "json_validates_against_a_schema",
            "yaml_encodes_and_decodes",
            "base64_round_trips_and_refuses_bad_input",
            "hash_gives_known_hex_digests",
            "uuid_makes_and_validates_ids",
            "env_reads_declared_variables_then_the_os",
            "registry_get_returns_the_entry_as_a_table",
            "registry_find_matches_every_filter",
            "logger_logs_with_names_and_fields",
            "events_reach_subscribers_in_other_processes",
            "events_kind_patterns_use_wildcards",
            "events_close_ends_the_subscription",
            "events_subscriptions_end_with_their_process",
        ],
    );
    // Console encoding: the logger's name, the message, then its fields, then pid and entry.
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("stdlib-data-logger-marker"))
        .unwrap_or_else(|| panic!("no log line with the marker on stderr\n{}", run.dump()));
    for part in ["INFO", "app.db: stdlib-data-logger-marker", "n=3", "user=ann", "pid={", "entry=app:logger_logs"] {
        assert!(line.contains(part), "log line {line:?} lacks {part:?}");
    }
    let untagged = run.stderr.lines().find(|l| l.contains("stdlib-data-untagged-marker")).expect("error line");
    assert!(
        untagged.contains("ERROR") && !untagged.contains("user=ann"),
        "`with` changed only the new logger: {untagged:?}"
    );
    assert!(run.stderr.contains(r#"note="two words""#), "a field with spaces is quoted\n{}", run.stderr);
    assert!(!run.stderr.contains("not shown at the info level"), "debug lines are filtered at info");
}

#[test]
fn wippy_yaml_settings_json_logs_and_no_os_environment() {
    let run = passes("stdlib_data_json", &["env_without_the_os_uses_defaults_only", "logger_writes_json_lines"]);
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("stdlib-data-json-marker"))
        .unwrap_or_else(|| panic!("no log line with the marker on stderr\n{}", run.dump()));
    let v: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("log line {line:?} is not JSON: {e}"));
    assert_eq!(v["level"], "info", "{line}");
    assert_eq!(v["msg"], "stdlib-data-json-marker", "{line}");
    assert_eq!(v["logger"], "svc", "{line}");
    assert_eq!(v["user"], "ann", "{line}");
    assert_eq!(v["n"], 3, "{line}");
    assert_eq!(v["tags"], serde_json::json!(["a", "b"]), "{line}");
    assert_eq!(v["entry"], "app:logger_writes_json_lines", "{line}");
    assert!(v["pid"].as_str().is_some_and(|p| p.starts_with('{')), "{line}");
}
