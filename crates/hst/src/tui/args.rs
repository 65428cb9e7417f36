//! `hst-tui`'s command line.

use std::ffi::OsString;
use std::time::Duration;

use clap::Parser;

use crate::clipboard::Overrides;

#[derive(Debug, Parser)]
#[command(
    name = "hst-tui",
    version,
    about = "Browse, search and copy the secrets in ~/home_secret.toml, values masked",
    infer_long_args = true
)]
pub struct TuiArgs {
    /// Path to the TOML secrets file (a name ending in .age is an age-encrypted one). Defaults
    /// to $HST_PATH, else ~/home_secret.toml or ~/home_secret.toml.age
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub path: Option<OsString>,
    /// The age identity (key file) that opens an encrypted secrets file. Defaults to
    /// $HST_AGE_IDENTITY, else identity under [age] in the config file
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath, conflicts_with = "demo")]
    pub identity: Option<OsString>,
    /// Start in share mode: every value shows as •••••••• and cannot be revealed (also $HST_SHARE=1)
    #[arg(long)]
    pub share: bool,
    /// Never write to the file
    #[arg(long)]
    pub read_only: bool,
    /// Open a temporary copy of a demo file with fake values
    #[arg(long, conflicts_with = "path")]
    pub demo: bool,
    /// Seconds a revealed value stays visible, 1 to 3600 (also $HST_REVEAL_SECONDS)
    #[arg(
        long,
        value_name = "SECONDS",
        env = "HST_REVEAL_SECONDS",
        default_value_t = 15,
        value_parser = clap::value_parser!(u64).range(1..=MAX_REVEAL_SECS)
    )]
    pub reveal_seconds: u64,
    /// How to copy: auto, native (the system clipboard) or osc52 (through the terminal)
    #[arg(long, value_name = "BACKEND", value_enum)]
    pub clipboard: Option<crate::clipboard::BackendSetting>,
    /// Seconds until a copied value is cleared from the clipboard, up to 86400 (0 = never;
    /// default 45)
    #[arg(long, value_name = "SECONDS")]
    pub clipboard_timeout: Option<u64>,
    /// Pick a key and exit, like fzf: the screen is drawn on stderr, Enter prints the key path
    /// on stdout (`key`, the default), prints `hs.v("…")` (`snippet`), or copies the value to
    /// the clipboard without printing it (`value`). Esc on an empty search exits with 130
    #[arg(
        long,
        value_name = "WHAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "key",
        conflicts_with = "demo"
    )]
    pub pick: Option<PickWhat>,
}

/// What `--pick` gives back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PickWhat {
    /// The key path, on stdout.
    Key,
    /// The value, to the clipboard (never printed).
    Value,
    /// `hs.v("…")` for Python, on stdout.
    Snippet,
}

/// A revealed value stays at most an hour: the point of revealing is a glance.
pub const MAX_REVEAL_SECS: u64 = 3600;

impl TuiArgs {
    /// `--share`, or `$HST_SHARE` set to a true value (`1`, `true`, `yes`, `on`). A privacy
    /// switch fails closed: a value that is neither true nor false (`Y`, `enabled`) is an
    /// error, never "off".
    pub fn share(&self) -> Result<bool, String> {
        let env = match std::env::var_os("HST_SHARE") {
            None => false,
            Some(v) => match v.to_str().and_then(switch) {
                Some(on) => on,
                None => {
                    return Err(format!(
                        "HST_SHARE={} is not understood: use 1 or 0 (also true/false, yes/no, on/off)",
                        v.to_string_lossy()
                    ));
                }
            },
        };
        Ok(self.share || env)
    }

    pub fn clipboard_overrides(&self) -> anyhow::Result<Overrides> {
        let backend = self.clipboard;
        Ok(Overrides {
            backend,
            timeout_secs: self.clipboard_timeout,
        })
    }

    pub fn reveal_for(&self) -> Duration {
        Duration::from_secs(self.reveal_seconds.clamp(1, MAX_REVEAL_SECS))
    }
}

/// `Some(true)` / `Some(false)` for the usual spellings of on and off (an empty value is off),
/// `None` for anything else.
fn switch(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "" | "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_env_values_fail_closed() {
        for v in ["1", "true", "YES", " on "] {
            assert_eq!(switch(v), Some(true), "{v}");
        }
        for v in ["", "0", "false", "no", "OFF"] {
            assert_eq!(switch(v), Some(false), "{v}");
        }
        for v in ["Y", "enabled", "2", "disable"] {
            assert_eq!(switch(v), None, "{v}");
        }
    }
}
