//! The programs `hst` and `hst-tui`, on the library `home_secret_toml`.
//!
//! `cli` is `hst` (one module per command, one `Failure` type printed in one place), `tui` is
//! `hst-tui` (a pure state, a keymap table, drawing as a function of the state, a synchronous
//! loop), `clipboard` the copy helper both use, `scan` and `manifest` the parts of `hst scan`
//! and `hst run` that are not argument handling, `terminal_text` how text from the file is shown
//! on a terminal. See ARCHITECTURE.md.

pub mod agent;
pub mod audit;
pub mod cli;
pub mod clipboard;
pub mod manifest;
pub mod resolve;
pub mod scan;
pub mod terminal_text;
pub mod tui;
