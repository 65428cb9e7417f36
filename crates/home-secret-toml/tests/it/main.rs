//! The library's integration tests, one binary: the public API as a Rust user calls it.
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

mod api;
mod edit;
mod layering;
mod toml10_python;
mod toml11_python;
