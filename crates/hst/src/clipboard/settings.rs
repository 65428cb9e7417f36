//! Clipboard settings: defaults, then `$XDG_CONFIG_HOME/hst/config.toml`, then environment
//! variables, then command-line flags, each overriding the one before.
//!
//! ```toml
//! [clipboard]
//! timeout = 45        # seconds until a copied value is cleared; 0 = never
//! backend = "auto"    # auto | native | osc52
//! ```

use std::path::Path;
use std::time::Duration;

use super::choose::BackendSetting;

/// How long a copied value stays, like pass and gopass.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(45);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub backend: BackendSetting,
    /// `None`: never cleared.
    pub timeout: Option<Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            backend: BackendSetting::Auto,
            timeout: Some(DEFAULT_TIMEOUT),
        }
    }
}

/// What flags said; `None` leaves the setting to the layers below.
#[derive(Clone, Copy, Debug, Default)]
pub struct Overrides {
    pub backend: Option<BackendSetting>,
    pub timeout_secs: Option<u64>,
}

/// `$XDG_CONFIG_HOME/hst/config.toml`: one file for every section (the core reads `[age]`).
pub use home_secret_toml::encrypted::config_path;

impl Settings {
    /// All layers: config file (missing is fine), `HST_CLIPBOARD` / `HST_CLIPBOARD_TIMEOUT`, flags.
    /// Errors are one line, naming the file or variable.
    pub fn resolve(flags: Overrides) -> Result<Self, String> {
        let mut settings = Settings::default();
        if let Some(path) = config_path() {
            settings.apply_file(&path)?;
        }
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let Some(v) = env("HST_CLIPBOARD") {
            settings.backend = v.parse().map_err(|e| format!("HST_CLIPBOARD: {e}"))?;
        }
        if let Some(v) = env("HST_CLIPBOARD_TIMEOUT") {
            let secs = v.trim().parse::<u64>().map_err(|_| {
                format!("HST_CLIPBOARD_TIMEOUT: '{v}' is not a whole number of seconds (0 = never clear)")
            })?;
            settings.timeout = timeout(secs, "HST_CLIPBOARD_TIMEOUT")?;
        }
        if let Some(backend) = flags.backend {
            settings.backend = backend;
        }
        if let Some(secs) = flags.timeout_secs {
            settings.timeout = timeout(secs, "--clipboard-timeout")?;
        }
        Ok(settings)
    }

    /// Reads the `[clipboard]` table of a config file; a missing file changes nothing.
    pub fn apply_file(&mut self, path: &Path) -> Result<(), String> {
        let text = match home_secret_toml::small_file::read_text(
            path,
            home_secret_toml::limits::MAX_CONFIG_FILE,
        ) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        self.apply_text(path, &text)
    }

    /// Reads the settings in `text` (the file `path`), with serde: unknown sections and
    /// settings are errors that name them, every error has the file's line and column.
    pub fn apply_text(&mut self, path: &Path, text: &str) -> Result<(), String> {
        let at = |offset: usize| {
            let before = &text[..offset.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
                .chars()
                .count()
                + 1;
            format!("{}:{line}:{column}", path.display())
        };
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            format!("{}: {}", at(offset), e.message().trim())
        })?;
        let Some(clipboard) = file.clipboard else {
            return Ok(());
        };
        if let Some(secs) = clipboard.timeout {
            self.timeout = timeout(secs.0, &format!("{}: clipboard.timeout", path.display()))?;
        }
        if let Some(backend) = clipboard.backend {
            self.backend = backend.0;
        }
        Ok(())
    }
}

/// `$XDG_CONFIG_HOME/hst/config.toml`. Other sections (the encrypted file's `[age]`) join here.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    clipboard: Option<ClipboardSection>,
    /// The encrypted file's keys: read and checked by `core::encrypted::keys`.
    #[allow(dead_code)]
    age: Option<serde::de::IgnoredAny>,
    /// Named backends for references: read and checked by `resolve::config`.
    #[allow(dead_code)]
    backends: Option<serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ClipboardSection {
    timeout: Option<Seconds>,
    backend: Option<Backend>,
}

/// A whole number of seconds, with a message that says so.
struct Seconds(u64);

impl<'de> serde::Deserialize<'de> for Seconds {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <u64 as serde::Deserialize>::deserialize(d)
            .map(Seconds)
            .map_err(|_| {
                serde::de::Error::custom(
                    "clipboard.timeout must be a whole number of seconds (0 = never clear)",
                )
            })
    }
}

struct Backend(BackendSetting);

impl<'de> serde::Deserialize<'de> for Backend {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <String as serde::Deserialize>::deserialize(d).map_err(|_| {
            serde::de::Error::custom("clipboard.backend must be \"auto\", \"native\" or \"osc52\"")
        })?;
        name.parse().map(Backend).map_err(serde::de::Error::custom)
    }
}

/// The longest clipboard timeout: a day. Longer is a typo (and would overflow a deadline).
pub const MAX_TIMEOUT_SECS: u64 = 86_400;

fn timeout(secs: u64, source: &str) -> Result<Option<Duration>, String> {
    if secs > MAX_TIMEOUT_SECS {
        return Err(format!(
            "{source}: {secs} seconds is more than a day (at most {MAX_TIMEOUT_SECS}; 0 = never clear)"
        ));
    }
    Ok((secs > 0).then(|| Duration::from_secs(secs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(text: &str) -> Result<Settings, String> {
        let mut s = Settings::default();
        s.apply_text(Path::new("config.toml"), text).map(|()| s)
    }

    #[test]
    fn defaults_are_auto_and_45_seconds() {
        assert_eq!(from(""), Ok(Settings::default()));
        assert_eq!(Settings::default().timeout, Some(Duration::from_secs(45)));
    }

    #[test]
    fn the_file_sets_both() {
        let s = from("[clipboard]\ntimeout = 10\nbackend = \"osc52\"\n");
        assert_eq!(
            s,
            Ok(Settings {
                backend: BackendSetting::Osc52,
                timeout: Some(Duration::from_secs(10)),
            })
        );
        assert_eq!(
            from("[clipboard]\ntimeout = 0\n").map(|s| s.timeout),
            Ok(None)
        );
    }

    #[test]
    fn bad_files_give_one_line_with_the_place() {
        assert_eq!(
            from("[clipboard]\ntimeout = \"soon\"\n"),
            Err("config.toml:2:11: clipboard.timeout must be a whole number of seconds (0 = never clear)".into())
        );
        assert_eq!(
            from("[clipboard]\ntimout = 3\n"),
            Err("config.toml:2:1: unknown field `timout`, expected `timeout` or `backend`".into())
        );
        assert_eq!(
            from("[clipboard]\nbackend = \"xclip\"\n"),
            Err(
                "config.toml:2:11: unknown clipboard backend 'xclip' (use auto, native or osc52)"
                    .into()
            )
        );
        assert!(from("[clipboard\n").is_err_and(|e| e.starts_with("config.toml:1:")));
        assert!(
            from("[other]\n").is_err_and(|e| e.starts_with("config.toml:1:")
                && e.contains(
                    "unknown field `other`, expected one of `clipboard`, `age`, `backends`"
                ))
        );
        assert!(from("[clipboard]\ntimeout = -1\n").is_err());
        assert!(
            from("[clipboard]\ntimeout = 86401\n").is_err_and(|e| e.contains("more than a day"))
        );
        assert!(from("[clipboard]\ntimeout = 86400\n").is_ok());
    }
}
