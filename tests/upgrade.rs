//! process-semantics.md, "Upgrade": `process.upgrade` swaps the code of a live process and keeps
//! its PID, mailbox, names, links, monitors and subscriptions (fixture `upgrade`); `wippy dev`
//! reloads changed code into live processes (see `dev.rs`).

mod common;

use common::assert_fixture_passes;

#[test]
fn upgrade() {
    assert_fixture_passes(
        "upgrade",
        &[
            "upgrade_keeps_pid_mailbox_names_links_and_monitors",
            "upgrade_with_nil_reruns_the_same_entry_with_new_arguments",
            "upgrade_from_a_spawned_coroutine_replaces_the_whole_process",
            "listen_subscriptions_and_their_queued_payloads_survive_an_upgrade",
            "uncopyable_upgrade_arguments_raise_in_the_caller",
            "failed_upgrade_ends_the_process_with_the_error",
        ],
    );
}
