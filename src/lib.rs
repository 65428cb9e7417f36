//! `home_secret_toml`: read the secrets a developer keeps in `$HOME/home_secret.toml`.
//!
//! The file holds one secret per line with its full path in the key:
//!
//! ```toml
//! github.accounts.personal.users.dev.secrets.api_token.value = "ghp_…"
//! ```
//!
//! This crate is the core shared by the `hst` CLI and the `hst-tui` browser. It reads the file
//! the way the Python `home-secret-toml` 0.2.1 does (same order, filters, masking and lookups),
//! keeps each value's place in the file, and never prints a secret through `Debug` or `Display`.
//!
//! The default features build the programs: `cli` (the `cli` and `clipboard` modules, with
//! clap and arboard) and `tui` (the `tui` module, with ratatui and frizbee). With
//! `default-features = false` only [`core`] remains, which needs the parsing crates alone:
//!
//! ```toml
//! [dependencies]
//! home-secret-toml = { version = "0.3", default-features = false }
//! ```
//!
//! ```no_run
//! use home_secret_toml::{SecretFile, mask};
//!
//! let file = SecretFile::load(std::path::Path::new("home_secret.toml"))?;
//! for entry in file.entries() {
//!     println!("{} = {}", entry.key, mask(&entry.value));
//! }
//! # Ok::<(), home_secret_toml::Error>(())
//! ```

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod clipboard;
pub mod core;
#[cfg(feature = "tui")]
pub mod tui;

pub use crate::core::access::{HomeSecretToml, Token, hs};
pub use crate::core::codegen::{Generated, Renamed, generate};
pub use crate::core::entry::Entry;
pub use crate::core::error::{Error, Result};
pub use crate::core::file::{SecretFile, lookup};
pub use crate::core::key_path::KeyPath;
pub use crate::core::mask::{SHARE_MASK, mask};
pub use crate::core::query::Query;
pub use crate::core::tree::{Node, NodeKind, Tree};
pub use crate::core::value::{SecretValue, Table, Value, ValueKind};
