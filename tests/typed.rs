//! typed-lua.md through `wippy test`: run-time type values, and typed programs that load and run
//! with run-time errors located in the source. Each Lua test entry is named after what it shows.

mod common;

use common::assert_fixture_passes;

#[test]
fn typed_programs_load_run_and_validate() {
    assert_fixture_passes(
        "typed",
        &[
            "validates_every_type_form",
            "is_never_raises",
            "validators_run",
            "casts_follow_the_spec",
            "reflection_and_comparison",
            "every_syntax_row_loads_and_runs",
            "runtime_errors_point_at_the_source_line",
        ],
    );
}
