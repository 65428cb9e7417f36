//! The outside world the TUI touches, behind a trait so state tests can use a fake.

use std::io::Write;

use crate::clipboard::{Clipboard, Copied};
use crate::core::value::SecretValue;

use super::action::CopyWhat;

pub trait Effects {
    /// Puts `text` on the clipboard. `Err` says why not, never with `text` in it.
    fn copy(&mut self, what: CopyWhat, text: &SecretValue) -> Result<Copied, String>;
}

/// The real effects. Values are copied as secrets (cleared after the timeout); key paths and
/// snippets are not secrets and stay.
pub struct System {
    clipboard: Clipboard,
}

impl System {
    pub fn new(clipboard: Clipboard) -> Self {
        Self { clipboard }
    }
}

impl Effects for System {
    fn copy(&mut self, what: CopyWhat, text: &SecretValue) -> Result<Copied, String> {
        let mut stdout = std::io::stdout();
        let terminal: &mut dyn Write = &mut stdout;
        self.clipboard
            .copy(text, what == CopyWhat::Value, Some(terminal))
            .map_err(|e| e.to_string())
    }
}
