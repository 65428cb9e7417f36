//! References in the TUI: a reference's value is fetched (an effect: the backend is the outside
//! world) the first time it is revealed or copied, and kept for the rest of the session only.

use std::collections::HashMap;

use super::{Effect, State, Tone};
use crate::tui::action::{AfterResolve, Command};
use home_secret_toml::entry::Entry;
use home_secret_toml::value::{Reference, SecretValue};

/// The values fetched this session, by reference.
#[derive(Default)]
pub(super) struct Fetched(HashMap<String, SecretValue>);

impl State {
    /// The fetched value of `entry`'s reference, once there is one.
    pub(super) fn fetched_value(&self, entry: &Entry) -> Option<&SecretValue> {
        let reference = entry.value.as_reference()?;
        self.fetched.0.get(reference.uri())
    }

    /// `true` when entry `entry_index` is a reference whose value must be fetched first: the
    /// fetch is asked for, to be followed by `then`.
    pub(super) fn fetch_first(
        &mut self,
        entry_index: usize,
        then: AfterResolve,
        effects: &mut Vec<Effect>,
    ) -> bool {
        let Some(entry) = self.entry(entry_index) else {
            return false;
        };
        let Some(reference) = entry.value.as_reference() else {
            return false;
        };
        if self.fetched.0.contains_key(reference.uri()) {
            return false;
        }
        let reference: Reference = reference.clone();
        effects.push(Effect::Resolve { reference, then });
        true
    }

    /// A fetch finished: keep the value and carry on with what was asked, or say why not.
    pub(super) fn resolved(
        &mut self,
        uri: String,
        then: AfterResolve,
        result: Result<SecretValue, String>,
        effects: &mut Vec<Effect>,
    ) {
        match result {
            Ok(value) => {
                self.fetched.0.insert(uri, value);
                match then {
                    AfterResolve::Reveal => self.toggle_reveal(effects),
                    AfterResolve::Copy => self.copy(Command::CopyValue, effects),
                }
            }
            Err(why) => {
                let key = self
                    .selected()
                    .map(|(_, e)| e.key.to_string())
                    .unwrap_or_default();
                self.say(Tone::Error, format!("{key}: {uri}: {why}"));
            }
        }
    }

    /// The value to copy of `entry`: its text, or its reference's fetched value.
    pub(super) fn copy_text(&self, entry: &Entry) -> SecretValue {
        match self.fetched_value(entry) {
            Some(value) => value.clone(),
            None => self.loaded.borrow_owner().toml_text(entry),
        }
    }
}
