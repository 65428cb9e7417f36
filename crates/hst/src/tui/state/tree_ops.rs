//! Changes made from the tree pane: a whole folder (a table) moved to another path or deleted,
//! each confirmed with the number of keys it touches, through the same edit pipeline and save
//! as every other change. With the tree focused, the keys act on the folder the tree shows
//! selected, never on a list row the user cannot see is meant.

use super::changes::{NewContent, Prompt};
use super::{Confirm, Effect, Overlay, State, Tone};
use crate::tui::action::Pane;
use home_secret_toml::edit::{self, Edit};
use home_secret_toml::key_path::KeyPath;
use home_secret_toml::tree::ROOT;
use home_secret_toml::value::SecretValue;

impl State {
    /// The folder selected in the tree, when the tree has the keyboard (`None` for the root:
    /// the whole file is not a folder to move).
    pub(super) fn tree_target(&self) -> Option<KeyPath> {
        if self.focus != Pane::Tree {
            return None;
        }
        let node = self.tree_view.selected();
        (node != ROOT).then(|| self.node_prefix(node))
    }

    /// Every key at or under `prefix`, listed or not (descriptions and placeholders go too).
    pub(super) fn keys_under(&self, prefix: &KeyPath) -> usize {
        self.loaded.borrow_owner().leaves_under(prefix)
    }

    /// `R` on a folder: its whole path, to edit in any part.
    pub(super) fn start_move_tree(&mut self, from: KeyPath) {
        let current = from.dotted().to_string();
        self.open(Prompt::Move { from }, &current);
    }

    /// `d` on a folder: asks first, saying how many keys go.
    pub(super) fn start_delete_tree(&mut self, key: KeyPath) {
        let count = self.keys_under(&key);
        self.overlay = Overlay::Confirm(Confirm::Delete { key, count });
    }

    /// Enter in the move editor: the new path is checked, then confirmed with the count.
    pub(super) fn submit_move(&mut self, from: KeyPath, typed: &str) {
        let typed = typed.trim().trim_matches('.');
        if typed.is_empty() {
            self.set_editor_error("type the new path".to_string());
            return;
        }
        let to = KeyPath::new(typed.split('.'));
        self.edits.editor = None;
        if to == from {
            return;
        }
        let count = self.keys_under(&from);
        self.overlay = Overlay::Confirm(Confirm::Move { from, to, count });
    }

    pub(super) fn confirmed_move(&mut self, from: KeyPath, to: KeyPath, effects: &mut Vec<Effect>) {
        let count = self.keys_under(&from);
        let edit = Edit::Move {
            from: from.clone(),
            to: to.clone(),
        };
        match edit::apply(self.loaded.borrow_owner(), &edit) {
            Ok(edited) => {
                let before = SecretValue::new(self.loaded.borrow_owner().text());
                let done = match count {
                    1 => format!("Moved {from} to {to}"),
                    n => format!("Moved {n} keys from {from} to {to}"),
                };
                self.save(
                    NewContent::Checked(Box::new(edited)),
                    None,
                    Some(before),
                    done,
                    effects,
                );
            }
            Err(e) => self.say(Tone::Error, e.to_string()),
        }
    }
}
