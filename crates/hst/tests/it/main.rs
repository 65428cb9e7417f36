//! The programs' integration tests, one binary (as ripgrep and jj do: one link of the crate
//! instead of one per file). Every test that runs a program runs it in a hermetic environment
//! (`support::env`).
// A test fails by panicking, and a test script may be long: the product's lints do not apply.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::cognitive_complexity,
    unsafe_code
)]

mod support;

mod agent_audit;
mod cli;
mod clipboard_osc52;
mod clipboard_x11;
mod completion_bash;
mod completions;
mod edit_cli;
mod encrypted;
mod encrypted_age_cli;
mod formats_cli;
mod get_one_value;
mod git_textconv;
mod hostile_input;
mod init_and_errors;
mod keys_cli;
mod layering;
mod mcp_server;
mod no_leak;
mod otp_cli;
mod recipients_cli;
mod references;
mod references_hostile;
mod references_servers;
mod run;
mod run_rules;
mod scan;
mod scan_hostile;
mod set_cli;
mod set_one_line;
mod sync_git;
mod toml10_writes;
mod transfer_cli;
mod tui_edit;
mod tui_pty;
mod tui_render;
mod tui_scrollback;
mod tui_state;
mod tui_tree;
mod tui_words;
mod write_safety;
