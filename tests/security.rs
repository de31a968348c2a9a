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
        ],
    );
}
