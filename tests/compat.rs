//! Valid Lua 5.4 loads and lints clean even where the typed-Lua front end's parser is stricter
//! than Lua itself (statements after `break`).

mod common;

use common::{fixture, serial, wippy};

#[test]
fn valid_lua_5_4_runs_where_the_typed_parser_is_stricter() {
    let _one = serial();
    let run = wippy(&["test", "-C", fixture("lua54").to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    assert_eq!(run.last_line(), "1 passed, 0 failed", "{}", run.dump());
}

#[test]
fn valid_lua_5_4_is_not_reported_as_a_syntax_error() {
    let _one = serial();
    let run = wippy(&["check", "-C", fixture("lua54").to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    assert!(!run.stdout.contains("P0001"), "{}", run.dump());
}
