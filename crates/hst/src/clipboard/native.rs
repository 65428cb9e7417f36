//! The system clipboard through arboard, with the content marked as a password so history
//! managers skip it: `x-kde-passwordManagerHint` on Linux, the concealed type on macOS, the
//! history-exclusion format on Windows.

use home_secret_toml::value::SecretValue;

/// Opens the system clipboard; the error describes the clipboard, never the content.
pub fn open() -> Result<arboard::Clipboard, String> {
    arboard::Clipboard::new().map_err(|e| format!("no system clipboard ({e})"))
}

/// Puts `value` on the clipboard, flagged as sensitive. arboard keeps its own copy.
pub fn set(clipboard: &mut arboard::Clipboard, value: &SecretValue) -> Result<(), String> {
    sensitive(clipboard.set())
        .text(value.expose())
        .map_err(|e| format!("could not copy to the system clipboard ({e})"))
}

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
