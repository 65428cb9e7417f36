//! Copy requests (the clipboard itself is an effect) and their outcome on the status line.

use super::{Effect, State, Tone};
use crate::clipboard::Copied;
use crate::tui::action::{Command, CopyWhat};
use home_secret_toml::value::SecretValue;

impl State {
    pub(super) fn copy(&mut self, command: Command, effects: &mut Vec<Effect>) {
        // With the tree focused, `y` copies the path of the folder it shows selected.
        if command == Command::CopyKey
            && let Some(folder) = self.tree_target()
        {
            let text = SecretValue::new(folder.dotted());
            effects.push(Effect::Copy {
                what: CopyWhat::KeyPath,
                text,
            });
            return;
        }
        let Some((index, _)) = self.selected() else {
            self.say(Tone::Warning, "Nothing selected to copy");
            return;
        };
        if command == Command::CopyValue
            && self.fetch_first(index, crate::tui::action::AfterResolve::Copy, effects)
        {
            return;
        }
        let Some((_, entry)) = self.selected() else {
            return;
        };
        let key = entry.key.dotted();
        let (what, text) = match command {
            Command::CopyKey => (CopyWhat::KeyPath, SecretValue::new(key)),
            Command::CopySnippet => (CopyWhat::Snippet, SecretValue::new(python_snippet(key))),
            _ => (CopyWhat::Value, self.copy_text(&entry)),
        };
        effects.push(Effect::Copy { what, text });
    }

    pub(super) fn copied(&mut self, what: CopyWhat, result: Result<Copied, String>) {
        let key = self
            .selected()
            .map(|(_, e)| e.key.to_string())
            .unwrap_or_default();
        match result {
            Ok(copied) => {
                // A new copy replaces the old one on the clipboard, and with it its countdown.
                self.exposure
                    .copied(copied.clears_after.map(|d| self.now + d));
                self.say(
                    Tone::Success,
                    format!(
                        "Copied ({}): the {} of {key}",
                        copied.describe(),
                        what.label()
                    ),
                );
            }
            Err(message) => self.say(Tone::Error, message),
        }
    }
}

/// `hs.v("…")`, the line a Python user pastes (seed 003's accessor).
pub fn python_snippet(key: &str) -> String {
    format!(
        "hs.v({})",
        home_secret_toml::python::python_double_quoted(key)
    )
}
