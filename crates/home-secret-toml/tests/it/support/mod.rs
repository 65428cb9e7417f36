//! Shared by the library's tests: fixtures and synthetic files.
#![allow(dead_code)]

use std::path::PathBuf;

/// The repository's root (fixtures, expected outputs and assets live there).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

pub fn expected(name: &str) -> String {
    let path = root().join("tests/expected").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[path = "../../../../../tests/generate.rs"]
mod generate;
#[allow(unused_imports)]
pub use generate::{real_like, synthetic};
