//! The Rust API of seed 003 §4: `HomeSecretToml::v` / `t` and lazy `Token`s.
//!
//! ```
//! use home_secret_toml::HomeSecretToml;
//!
//! # let dir = tempfile::tempdir()?;
//! # let path = dir.path().join("home_secret.toml");
//! # std::fs::write(&path, "aws.accounts.prod.account_id = \"123456789012\"\n")?;
//! // `hs()` is the default file, `$HOME/home_secret.toml`; this is another one.
//! let secrets = HomeSecretToml::new(&path);
//! // `t` defers the lookup until `.v()` is called (the file is read then, once).
//! let later = secrets.t("aws.accounts.prod.account_id");
//! let id = later.v()?;
//! assert_eq!(id.as_secret().map(|s| s.expose()), Some("123456789012"));
//! assert!(secrets.v("aws.accounts.dev").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::Result;
use crate::file::SecretFile;
use crate::locate::default_path;
use crate::value::Value;

/// A secrets file, read on first use and then kept (like the reference's `cached_property`).
/// Cheap to clone: clones share the loaded file and the cache.
#[derive(Clone)]
pub struct HomeSecretToml {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    file: Mutex<Option<Arc<SecretFile>>>,
    values: Mutex<HashMap<String, Value>>,
}

impl HomeSecretToml {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            inner: Arc::new(Inner {
                path: path.into(),
                file: Mutex::new(None),
                values: Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The loaded file, reading it on the first call. A failed read is not remembered, so a
    /// later call tries again (e.g. after the user creates the file).
    pub fn file(&self) -> Result<Arc<SecretFile>> {
        let mut slot = self
            .inner
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(file) = slot.as_ref() {
            return Ok(Arc::clone(file));
        }
        let file = Arc::new(SecretFile::load(&self.inner.path)?);
        *slot = Some(Arc::clone(&file));
        Ok(file)
    }

    /// The value at a dotted path (`"github.accounts.personal.account_id"`), cached per path.
    /// Tables come back whole; a missing key is [`crate::Error::KeyNotFound`] with the
    /// reference's message.
    pub fn v(&self, path: &str) -> Result<Value> {
        let cached = self
            .inner
            .values
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(path)
            .cloned();
        if let Some(value) = cached {
            return Ok(value);
        }
        let value = self.file()?.lookup(path)?.clone();
        self.inner
            .values
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path.to_string(), value.clone());
        Ok(value)
    }

    /// A reference to a value that is looked up only when [`Token::v`] is called. Creating a
    /// token never reads the file, so tokens can be declared before the file exists.
    pub fn t(&self, path: impl Into<String>) -> Token {
        Token {
            hs: self.clone(),
            path: path.into(),
        }
    }
}

impl Default for HomeSecretToml {
    /// `$HOME/home_secret.toml`.
    fn default() -> Self {
        Self::new(default_path())
    }
}

impl fmt::Debug for HomeSecretToml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HomeSecretToml")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

/// The process-wide instance for `$HOME/home_secret.toml`, like the reference's `hs`.
pub fn hs() -> &'static HomeSecretToml {
    static HS: OnceLock<HomeSecretToml> = OnceLock::new();
    HS.get_or_init(HomeSecretToml::default)
}

/// A deferred lookup: the path now, the value when asked for.
#[derive(Clone)]
pub struct Token {
    hs: HomeSecretToml,
    path: String,
}

impl Token {
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Resolves the value now (through the owner's per-path cache).
    pub fn v(&self) -> Result<Value> {
        self.hs.v(&self.path)
    }
}

/// Shows the path only (the reference's repr prints the whole secrets dict).
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token").field("path", &self.path).finish()
    }
}
