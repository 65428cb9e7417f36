//! Everything pure about the secrets file. Never imports a UI or clipboard crate.

pub mod access;
pub mod codegen;
pub mod edit;
pub mod encrypted;
pub mod entry;
pub mod error;
pub mod file;
mod flat_scan;
pub mod flatten;
pub mod key_path;
pub mod manifest;
pub mod mask;
pub mod no_dumps;
pub mod path;
pub mod permissions;
pub mod pyrepr;
pub mod query;
pub mod scan;
pub mod small_file;
pub mod source;
pub mod store;
pub mod terminal_text;
pub mod tree;
pub mod value;
