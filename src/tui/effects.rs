//! The outside world the TUI touches, behind a trait so state tests can use a fake.

use crate::clipboard::Clipboard;
use crate::core::value::SecretValue;

use super::action::CopyWhat;

pub trait Effects {
    /// Puts `text` on the clipboard. `Ok` names where it went; `Err` says why not, without `text`.
    fn copy(&mut self, what: CopyWhat, text: &SecretValue) -> Result<String, String>;
}

/// The real effects: one clipboard handle, opened on first use and kept for the session (on X11
/// and Wayland the handle owns the selection, so dropping it would drop the copy).
#[derive(Default)]
pub struct System {
    clipboard: Option<Clipboard>,
}

impl Effects for System {
    fn copy(&mut self, _what: CopyWhat, text: &SecretValue) -> Result<String, String> {
        if self.clipboard.is_none() {
            self.clipboard = Some(Clipboard::open().map_err(|e| e.to_string())?);
        }
        let clipboard = self
            .clipboard
            .as_mut()
            .ok_or_else(|| "no clipboard".to_string())?;
        clipboard
            .copy(text)
            .map(|()| "system clipboard".to_string())
            .map_err(|e| e.to_string())
    }
}
