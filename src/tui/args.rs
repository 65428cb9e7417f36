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
    /// Path to the TOML secrets file. Defaults to $HST_PATH, else ~/home_secret.toml
    #[arg(long, value_name = "PATH")]
    pub path: Option<OsString>,
    /// Start in share mode: every value shows as •••••••• and cannot be revealed (also $HST_SHARE=1)
    #[arg(long)]
    pub share: bool,
    /// Never write to the file
    #[arg(long)]
    pub read_only: bool,
    /// Open a temporary copy of a demo file with fake values
    #[arg(long, conflicts_with = "path")]
    pub demo: bool,
    /// Seconds a revealed value stays visible (also $HST_REVEAL_SECONDS)
    #[arg(
        long,
        value_name = "SECONDS",
        env = "HST_REVEAL_SECONDS",
        default_value_t = 15
    )]
    pub reveal_seconds: u64,
    /// How to copy: auto, native (the system clipboard) or osc52 (through the terminal)
    #[arg(long, value_name = "BACKEND")]
    pub clipboard: Option<String>,
    /// Seconds until a copied value is cleared from the clipboard (0 = never; default 45)
    #[arg(long, value_name = "SECONDS")]
    pub clipboard_timeout: Option<u64>,
}

impl TuiArgs {
    /// `--share`, or `$HST_SHARE` set to a true value (`1`, `true`, `yes`, `on`).
    pub fn share(&self) -> bool {
        self.share || std::env::var("HST_SHARE").is_ok_and(|v| is_truthy(&v))
    }

    pub fn clipboard_overrides(&self) -> anyhow::Result<Overrides> {
        let backend = match &self.clipboard {
            Some(name) => Some(name.parse().map_err(anyhow::Error::msg)?),
            None => None,
        };
        Ok(Overrides {
            backend,
            timeout_secs: self.clipboard_timeout,
        })
    }

    pub fn reveal_for(&self) -> Duration {
        Duration::from_secs(self.reveal_seconds.max(1))
    }
}

fn is_truthy(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_env_values() {
        for v in ["1", "true", "YES", " on "] {
            assert!(is_truthy(v), "{v}");
        }
        for v in ["", "0", "false", "no", "off", "2"] {
            assert!(!is_truthy(v), "{v}");
        }
    }
}
