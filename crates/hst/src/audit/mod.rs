//! The audit log: one record per value handed out and per write, in
//! `$XDG_STATE_HOME/hst/audit.log` (0600), as hasp keeps one. A record says when, what, which
//! key paths (never a value, never a mask), which file, from which folder, and which programs
//! (the process and its ancestors, so an agent, an editor or a CI runner shows), and how it
//! ended. Records are chained with HMAC-SHA256 under a key kept beside the log (0600):
//! `hst audit verify` finds a record removed, reordered or edited. Appends hold an exclusive
//! lock on the log, so concurrent processes each add one whole record to one valid chain.
//! Failing to write the log is a warning, never a lost save.

mod chain;
pub mod clock;
pub mod processes;

use std::path::{Path, PathBuf};

pub use chain::{Record, read_all, verify};

/// The log and its key.
/// A private random key kept at `path` (32 bytes as hex, mode 0600), made once by whichever
/// process comes first: the chain's key, and `hst git-textconv`'s fingerprint key for a user
/// without an identity.
pub fn private_key(path: &Path) -> Result<Vec<u8>, String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    chain::key(path)
}

pub fn log_path() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local/state")))
        .map(|d| d.join("hst").join("audit.log"))
}

/// What one command did, for the log.
pub struct Event<'a> {
    pub action: &'a str,
    pub keys: Vec<String>,
    pub file: Option<&'a Path>,
    pub outcome: String,
}

/// Appends `event`; on failure, one warning on stderr (the command's own work stands).
pub fn record(event: Event<'_>) {
    let Some(log) = log_path() else {
        return;
    };
    if let Err(e) = chain::append(&log, &event) {
        eprintln!(
            "Warning: the audit log {} was not written: {e}",
            home_secret_toml::path::display(&log)
        );
    }
}

/// Shorthand: `action` on `keys` of `file`, with its outcome.
pub fn note(action: &str, keys: &[&str], file: Option<&Path>, outcome: Result<(), String>) {
    record(Event {
        action,
        keys: keys.iter().map(|k| (*k).to_string()).collect(),
        file,
        outcome: match outcome {
            Ok(()) => "ok".to_string(),
            Err(why) => why,
        },
    });
}
