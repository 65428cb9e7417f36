//! Prints a synthetic secrets file with N entries (fake values), for trying `hst` and `hst-tui`
//! on a large file: `cargo run --example synthetic -- 10000 > /tmp/big.toml`.

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    print!("{}", support::synthetic(n));
}
