//! Which clipboard to use: the decision alone, from facts about the environment, so it can be
//! tested without a display or a terminal.

use std::fmt;
use std::str::FromStr;

/// What the user asked for (`--clipboard`, `HST_CLIPBOARD`, the config file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendSetting {
    /// Native when there is a display and no SSH session, else OSC 52 when on a terminal.
    #[default]
    Auto,
    /// The system clipboard.
    Native,
    /// The terminal's clipboard, through the OSC 52 escape sequence.
    Osc52,
}

impl FromStr for BackendSetting {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "native" => Ok(Self::Native),
            "osc52" => Ok(Self::Osc52),
            other => Err(format!(
                "unknown clipboard backend '{other}' (use auto, native or osc52)"
            )),
        }
    }
}

/// The clipboard actually used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The system clipboard (X11, Wayland, macOS, Windows) through arboard.
    Native,
    /// The terminal's clipboard through the OSC 52 escape sequence.
    Osc52 {
        /// Wrapped for tmux (`ESC P tmux; … ESC \`), which passes it on to the outer terminal.
        tmux: bool,
    },
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Backend::Native => f.write_str("system clipboard"),
            Backend::Osc52 { tmux: false } => f.write_str("terminal clipboard, OSC 52"),
            Backend::Osc52 { tmux: true } => f.write_str("terminal clipboard, OSC 52 via tmux"),
        }
    }
}

/// What the environment says, read once by [`Facts::from_env`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// `DISPLAY` or `WAYLAND_DISPLAY` is set (always true on macOS and Windows).
    pub display: bool,
    /// `SSH_TTY` or `SSH_CONNECTION` is set: a native clipboard would be the remote machine's.
    pub ssh: bool,
    /// `TMUX` is set.
    pub tmux: bool,
    /// There is a terminal to send OSC 52 to.
    pub terminal: bool,
}

impl Facts {
    pub fn from_env(terminal: bool) -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let display = if cfg!(any(target_os = "macos", windows)) {
            true
        } else {
            set("DISPLAY") || set("WAYLAND_DISPLAY")
        };
        Self {
            display,
            ssh: set("SSH_TTY") || set("SSH_CONNECTION"),
            tmux: set("TMUX"),
            terminal,
        }
    }
}

/// The message when nothing can be used; it never contains the value.
/// It suggests only what can work there: printing the value.
pub const NO_CLIPBOARD: &str = "no clipboard available: no display (DISPLAY and WAYLAND_DISPLAY are unset) and no terminal to send OSC 52 to; print the value instead (hst get KEY)";

/// The backends to try, in order: `Auto` over SSH prefers OSC 52 (the native clipboard there is
/// the server's), locally the native one with OSC 52 as the fallback when it fails.
pub fn choose(setting: BackendSetting, facts: Facts) -> Result<Vec<Backend>, String> {
    let osc52 = Backend::Osc52 { tmux: facts.tmux };
    let plan = match setting {
        BackendSetting::Native => vec![Backend::Native],
        BackendSetting::Osc52 if facts.terminal => vec![osc52],
        BackendSetting::Osc52 => {
            return Err("OSC 52 needs a terminal, and there is none".to_string());
        }
        BackendSetting::Auto => {
            let mut plan = Vec::new();
            if facts.ssh && facts.terminal {
                plan.push(osc52);
            }
            if facts.display && !facts.ssh {
                plan.push(Backend::Native);
            }
            if facts.terminal && !plan.contains(&osc52) {
                plan.push(osc52);
            }
            if facts.display && facts.ssh && !facts.terminal {
                plan.push(Backend::Native);
            }
            plan
        }
    };
    if plan.is_empty() {
        Err(NO_CLIPBOARD.to_string())
    } else {
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(display: bool, ssh: bool, tmux: bool, terminal: bool) -> Facts {
        Facts {
            display,
            ssh,
            tmux,
            terminal,
        }
    }

    const OSC: Backend = Backend::Osc52 { tmux: false };
    const OSC_TMUX: Backend = Backend::Osc52 { tmux: true };
    const NATIVE: Backend = Backend::Native;

    #[test]
    fn auto_uses_the_desktop_clipboard_locally_with_osc52_as_fallback() {
        let got = choose(BackendSetting::Auto, facts(true, false, false, true));
        assert_eq!(got, Ok(vec![NATIVE, OSC]));
        let got = choose(BackendSetting::Auto, facts(true, false, false, false));
        assert_eq!(got, Ok(vec![NATIVE]));
    }

    #[test]
    fn auto_over_ssh_or_without_display_uses_osc52() {
        let got = choose(BackendSetting::Auto, facts(true, true, false, true));
        assert_eq!(got, Ok(vec![OSC]), "X forwarding would copy on the server");
        let got = choose(BackendSetting::Auto, facts(false, false, false, true));
        assert_eq!(got, Ok(vec![OSC]));
        let got = choose(BackendSetting::Auto, facts(false, true, true, true));
        assert_eq!(got, Ok(vec![OSC_TMUX]), "tmux gets the passthrough form");
    }

    #[test]
    fn nothing_to_use_is_a_clear_error() {
        let got = choose(BackendSetting::Auto, facts(false, false, false, false));
        assert_eq!(got, Err(NO_CLIPBOARD.to_string()));
        assert!(choose(BackendSetting::Osc52, facts(true, false, false, false)).is_err());
    }

    #[test]
    fn a_forced_backend_is_the_only_one_tried() {
        let all = facts(true, true, true, true);
        assert_eq!(choose(BackendSetting::Native, all), Ok(vec![NATIVE]));
        assert_eq!(choose(BackendSetting::Osc52, all), Ok(vec![OSC_TMUX]));
    }

    #[test]
    fn settings_parse() {
        assert_eq!("OSC52".parse(), Ok(BackendSetting::Osc52));
        assert_eq!(" native".parse(), Ok(BackendSetting::Native));
        assert!("xclip".parse::<BackendSetting>().is_err());
    }
}
