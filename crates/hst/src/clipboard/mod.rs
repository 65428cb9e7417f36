//! Copying to the clipboard the way a good password manager does, for `hst get -c` and
//! `hst-tui`:
//! - the system clipboard (arboard) with the value marked as a password for history managers,
//!   served by a helper process ([`keeper`]) so it survives the program's exit on X11/Wayland;
//! - OSC 52 through the terminal when there is no display or over SSH (tmux passthrough too);
//! - auto-clear after a timeout (default 45 s), only if the clipboard still holds the value.
//!
//! Nothing here ever puts the value in an error message.

pub mod choose;
pub mod keeper;
mod native;
pub mod osc52;
pub mod settings;

use std::io::Write;
use std::time::Duration;

pub use choose::{Backend, BackendSetting, Facts, NO_CLIPBOARD};
pub use settings::{Overrides, Settings};

use home_secret_toml::value::SecretValue;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ClipboardError(pub String);

/// Where a copy went, and when it will be cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Copied {
    pub backend: Backend,
    /// `None`: not cleared automatically (timeout 0, not a secret, or OSC 52, whose clipboard
    /// cannot be read back to check it still holds the value).
    pub clears_after: Option<Duration>,
}

impl Copied {
    /// `system clipboard, cleared in 45 s` — for status lines.
    pub fn describe(&self) -> String {
        match self.clears_after {
            Some(d) => format!("{}, cleared in {} s", self.backend, d.as_secs()),
            None => self.backend.to_string(),
        }
    }
}

/// The clipboard as configured for this run.
#[derive(Clone, Copy, Debug)]
pub struct Clipboard {
    settings: Settings,
    facts: Facts,
}

impl Clipboard {
    pub fn new(settings: Settings, facts: Facts) -> Self {
        Self { settings, facts }
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// Copies `value`; `secret` values get the auto-clear timeout. `terminal` receives OSC 52.
    pub fn copy(
        &self,
        value: &SecretValue,
        secret: bool,
        terminal: Option<&mut dyn Write>,
    ) -> Result<Copied, ClipboardError> {
        let plan = choose::choose(self.settings.backend, self.facts).map_err(ClipboardError)?;
        let clear_after = self.settings.timeout.filter(|_| secret);
        let mut terminal = terminal;
        let mut failures = Vec::new();
        for backend in plan {
            let result = match backend {
                Backend::Native => keeper::spawn(value, clear_after).map(|()| clear_after),
                Backend::Osc52 { tmux } => match terminal.as_deref_mut() {
                    Some(out) => osc52::send(out, value.expose(), tmux).map(|()| None),
                    None => Err("no terminal for OSC 52".to_string()),
                },
            };
            match result {
                Ok(clears_after) => {
                    return Ok(Copied {
                        backend,
                        clears_after,
                    });
                }
                Err(e) => failures.push(e),
            }
        }
        Err(ClipboardError(failures.join("; ")))
    }
}
