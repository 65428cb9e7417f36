//! Copying a value to the system clipboard.
//!
//! For now: the native clipboard through arboard, marked as sensitive so clipboard history
//! managers skip it (`x-kde-passwordManagerHint` on Linux, the concealed type on macOS).
//! The clipboard issue adds OSC 52, auto-clear and keeping the selection alive after exit.

use crate::core::value::SecretValue;

#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    /// Never includes the value: arboard's own errors describe the clipboard, not the content.
    #[error("no clipboard available ({0})")]
    Unavailable(String),
    #[error("could not copy to the clipboard ({0})")]
    Failed(String),
}

/// One clipboard handle, kept for as long as the program may copy (arboard's advice: on X11 and
/// Wayland the handle owns the selection).
pub struct Clipboard {
    inner: arboard::Clipboard,
}

impl Clipboard {
    pub fn open() -> Result<Self, ClipboardError> {
        arboard::Clipboard::new()
            .map(|inner| Self { inner })
            .map_err(|e| ClipboardError::Unavailable(e.to_string()))
    }

    /// Puts `value` on the clipboard, flagged so history managers do not keep it.
    pub fn copy(&mut self, value: &SecretValue) -> Result<(), ClipboardError> {
        sensitive(self.inner.set())
            .text(value.expose().to_string())
            .map_err(|e| ClipboardError::Failed(e.to_string()))
    }
}

/// Marks what is about to be set as a password, the way each platform's history managers expect.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
))]
fn sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtLinux;
    set.exclude_from_history()
}

#[cfg(target_os = "macos")]
fn sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtApple;
    set.exclude_from_history()
}

#[cfg(windows)]
fn sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtWindows;
    set.exclude_from_history()
}

#[cfg(not(any(unix, windows)))]
fn sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    set
}
