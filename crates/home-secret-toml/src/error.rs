//! Typed errors of the core. None of them ever carries a secret value: TOML errors keep only the
//! parser's reason (never the offending line), and lookups name keys, which are aliases.

use std::path::PathBuf;

use crate::path::display;
use crate::python::repr_str;

#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The reference's wording, byte for byte.
    #[error("Secret file not found at {}", display(path))]
    NotFound { path: PathBuf },

    #[error("{}: is a directory, not a secrets file", display(path))]
    IsDirectory { path: PathBuf },

    /// FIFOs, sockets and devices are never opened.
    #[error(
        "{}: is {kind}, not a regular file; hst reads and writes regular files only",
        display(path)
    )]
    NotRegular { path: PathBuf, kind: &'static str },

    #[error(
        "{}: too large for a secrets file ({} MiB; hst reads files up to {} MiB)",
        display(path),
        size.div_ceil(1024 * 1024),
        crate::limits::MAX_FILE_SIZE / (1024 * 1024)
    )]
    TooLarge { path: PathBuf, size: u64 },

    /// Another program is rewriting the file; reading it now could see half of it.
    #[error(
        "{}: is being changed by another program right now ({why}); try again in a moment",
        display(path)
    )]
    Busy { path: PathBuf, why: &'static str },

    #[error("{}: {source}", display(path))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}:{line}:{column}: invalid UTF-8", display(path))]
    InvalidUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },

    #[error("{}:{line}:{column}: {reason}", display(path))]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },

    /// An encrypted file that cannot be opened or saved (no plaintext in the message).
    #[error("{}: {problem}", display(path))]
    Age {
        path: PathBuf,
        problem: crate::encrypted::Problem,
    },

    /// Both the plain and the encrypted default file exist: hst does not guess.
    #[error(
        "both {} and {} exist; hst does not guess which one holds your secrets: remove the one \
         you no longer use, or choose one with --path or HST_PATH",
        display(plain),
        display(sealed)
    )]
    BothFiles { plain: PathBuf, sealed: PathBuf },

    /// `prefix` is the dotted key up to and including the first segment that was not found.
    /// Shown as the reference's `KeyError` message.
    #[error("Key {} not found in the provided data.", repr_str(prefix))]
    KeyNotFound { prefix: String },
}

impl Error {
    /// An encrypted file's problem, with the file's path.
    pub fn age(path: &std::path::Path, problem: crate::encrypted::Problem) -> Self {
        Error::Age {
            path: path.to_path_buf(),
            problem,
        }
    }

    /// Whether this is the "file does not exist" case, which the reference reports on stdout for
    /// `ls` and `gen-enum` (every other error goes to stderr).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
