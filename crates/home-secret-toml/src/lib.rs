//! `home_secret_toml`: read, query and safely edit the secrets a developer keeps in
//! `$HOME/home_secret.toml`.
//!
//! The file holds one secret per line with its full path in the key:
//!
//! ```toml
//! github.accounts.personal.users.dev.secrets.api_token.value = "ghp_…"
//! ```
//!
//! This crate is the library under the `hst` and `hst-tui` programs (crate `hst`), and has
//! none of their dependencies (no terminal, clipboard or argument crate). It reads the file the
//! way the Python `home-secret-toml` 0.2.1 does (same order, filters, masking and lookups),
//! keeps each value's place in the file so that an edit changes only that value's bytes, reads
//! and writes only through [`store`] (regular files, untorn reads, a writers' lock, atomic
//! conflict-checked replacement), opens age-encrypted files ([`encrypted`]), and never prints a
//! secret through `Debug` or `Display`.
//!
//! ```
//! use home_secret_toml::{SecretFile, mask};
//!
//! # let dir = tempfile::tempdir()?;
//! # let path = dir.path().join("home_secret.toml");
//! # std::fs::write(&path, "github.token.value = \"ghp_fake_0123456789\"\nport = 5432\n")?;
//! let file = SecretFile::load(&path)?;
//! let listed: Vec<String> = file
//!     .entries()
//!     .iter()
//!     .map(|entry| format!("{} = {}", entry.key, mask(&entry.value)))
//!     .collect();
//! assert_eq!(listed, ["github.token.value = gh***89", "port = *"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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
pub mod limits;
pub mod locate;
pub mod mask;
pub mod merge;
pub mod no_dumps;
pub mod otp;
pub mod path;
pub mod permissions;
pub mod python;
pub mod query;
pub mod small_file;
pub mod source;
pub mod store;
pub mod toml11;
pub mod tree;
pub mod value;

pub use crate::access::{HomeSecretToml, Token, hs};
pub use crate::codegen::{Generated, Renamed, generate};
pub use crate::entry::Entry;
pub use crate::error::{Error, Result};
pub use crate::file::{SecretFile, lookup};
pub use crate::key_path::KeyPath;
pub use crate::mask::{SHARE_MASK, mask};
pub use crate::query::Query;
pub use crate::tree::{Node, NodeKind, Tree};
pub use crate::value::{SecretValue, Table, TextForm, Textual, Value, ValueKind};
