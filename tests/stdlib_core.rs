//! The core modules of lua-api.md (time, errors, funcs, ctx, payload, channel and
//! coroutine.spawn), each call and its error cases checked by a Lua test entry in
//! `tests/fixtures/stdlib_core/`, plus the two programs (a worker pool and a fan-in loop).

mod common;

use common::assert_fixture_passes;

#[test]
fn stdlib_core() {
    assert_fixture_passes(
        "stdlib_core",
        &[
            "time_constants_are_go_values",
            "time_unix_and_date_give_the_fields",
            "time_arithmetic_and_comparison",
            "go_layouts_round_trip_with_zones",
            "time_parse_errors_are_invalid",
            "time_zones_load_and_convert",
            "timer_stopped_before_firing_never_fires",
            "thousands_of_timers_all_fire",
            "ticker_ticks_until_stopped",
            "errors_new_and_methods",
            "errors_wrap_keeps_kind_retryable_details",
            "errors_call_stack_lists_frames",
            "errors_kind_constants_are_their_names",
            "runtime_errors_are_error_objects_with_kinds",
            "funcs_call_returns_the_result",
            "funcs_call_returns_nil_and_error",
            "funcs_async_future",
            "funcs_future_cancel_terminates_the_callee",
            "funcs_executor_timeout_terminates_the_callee",
            "funcs_executors_are_immutable",
            "ctx_flows_from_caller_to_callee",
            "ctx_get_and_all",
            "payload_new_and_transcode",
            "json_payload_crosses_as_its_text",
            "select_is_fair_between_ready_channels",
            "unbuffered_send_waits_for_a_receiver",
            "buffered_channel_holds_values_up_to_its_size",
            "close_keeps_buffered_values_receivable",
            "close_wakes_all_receivers",
            "close_makes_blocked_senders_raise",
            "select_default_and_send_cases",
            "channels_cannot_be_sent_to_other_processes",
            "worker_pool_loses_and_duplicates_no_job",
            "fan_in_loses_and_duplicates_no_message",
        ],
    );
}
