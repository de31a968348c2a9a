//! Security guarantees (lua-api.md "Security"): scopes, policies, inheritance, host sandboxes.
//! Evaluation itself (every operator, deny wins) is unit-tested in src/security.

mod common;

use common::assert_fixture_passes;

#[test]
fn security_policies_scopes_and_sandboxed_hosts() {
    assert_fixture_passes(
        "security",
        &[
            "deny_wins_and_a_scope_needs_an_allow",
            "value_from_compares_two_fields_of_a_request",
            "with_scope_restricts_the_child_and_its_children",
            "a_sandboxed_host_cannot_send_to_the_system_host",
            "every_condition_operator_decides_through_a_policy",
            "funcs_call_and_registry_reads_are_guarded_and_callees_inherit",
            "a_service_runs_as_its_lifecycle_security",
            "strict_mode_off_lets_a_process_without_a_scope_act",
        ],
    );
}

/// `.wippy.yaml` `security.strict_mode: true` (the fixture above runs with it off).
#[test]
fn strict_mode_denies_a_process_without_actor_or_scope() {
    assert_fixture_passes(
        "security_strict",
        &[
            "a_process_without_actor_or_scope_is_denied_everything_guarded",
            "a_process_with_actor_and_scope_acts_as_its_policies_allow",
        ],
    );
}
