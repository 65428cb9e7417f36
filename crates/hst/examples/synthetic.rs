//! Prints a synthetic secrets file with N entries (fake values), for trying `hst` and `hst-tui`
//! on a large file: `cargo run --example synthetic -- 10000 > /tmp/big.toml`. With `--real`, the
//! file is shaped like real ones (inline-table credentials, arrays, unicode, banners).
// A test fails by panicking, and a test script may be long: the product's lints do not apply.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::cognitive_complexity,
    unsafe_code
)]

#[path = "../../../tests/generate.rs"]
mod support;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = args.iter().find_map(|a| a.parse().ok()).unwrap_or(10_000);
    if args.iter().any(|a| a == "--real") {
        print!("{}", support::real_like(n));
    } else {
        print!("{}", support::synthetic(n));
    }
}
