//! The sandbox-escape corpus (issue 5): every known way out of a Lua sandbox, each failing with a
//! clear error while another process keeps answering. See tests/fixtures/escape.

mod common;

use common::assert_fixture_passes;

#[test]
fn sandbox_escapes_fail_and_leave_other_processes_untouched() {
    assert_fixture_passes(
        "escape",
        &[
            "a_memory_bomb_ends_only_its_process_while_1000_others_answer",
            "load_refuses_binary_chunks",
            "load_refuses_binary_chunks_from_a_reader",
            "string_dump_is_absent",
            "debug_is_absent",
            "string_metatable_tampering_stays_in_the_process",
            "collectgarbage_only_counts",
            "os_has_only_time_functions",
            "io_is_absent_outside_the_terminal",
            "package_and_loadlib_are_absent",
            "require_of_paths_and_std_names_fails",
            "dofile_and_loadfile_are_absent",
            "env_games_cannot_reach_hidden_libraries",
            "setmetatable_of_globals_is_refused",
            "gc_metamethods_are_refused",
            "a_module_cannot_leave_a_finalizer_behind",
            "resuming_the_main_task_from_a_child_is_refused",
            "resuming_a_spawned_task_is_refused",
            "closing_a_task_coroutine_is_refused",
            "a_coroutine_waiting_for_a_blocking_call_cannot_be_resumed_by_others",
            "the_suspend_marker_never_reaches_user_code",
            "a_bare_yield_at_the_top_of_a_task_is_harmless",
            "blocking_inside_a_c_callback_is_a_clear_error",
            "error_objects_with_looping_tostring_end_only_their_process",
            "error_objects_with_raising_tostring_end_only_their_process",
            "string_rep_beyond_memory_fails",
            "deep_lua_recursion_is_a_stack_overflow",
            "deep_c_recursion_is_a_stack_overflow",
            "raw_access_to_runtime_tables_finds_nothing_to_break",
            "next_on_lazy_tables_is_finite",
            "an_endless_loop_at_a_module_top_level_is_ended",
            "blocking_at_a_module_top_level_is_a_clear_error",
            "a_gsub_callback_loop_is_ended_after_the_hard_limit",
        ],
    );
}
