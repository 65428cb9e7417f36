//! What the view and the loop read of the state: accessors, the keymap's scope, what the mode
//! allows, and when the state next changes by itself.

use std::borrow::Cow;
use std::time::Instant;

use super::{ListView, Overlay, Reveal, State, Status, TreeView};
use crate::tui::action::{Command, Pane};
use crate::tui::keymap::Scope;
use crate::tui::layout::Areas;
use home_secret_toml::entry::Entry;
use home_secret_toml::file::SecretFile;
use home_secret_toml::key_path::KeyPath;
use home_secret_toml::tree::Tree;

impl State {
    pub fn file(&self) -> &SecretFile {
        self.loaded.borrow_owner()
    }
    /// How many keys the list can show.
    pub fn entry_count(&self) -> usize {
        self.loaded.borrow_owner().listed_len()
    }
    /// Key `i` of the list, built alone (a file of a million keys has no entry per key).
    pub fn entry(&self, i: usize) -> Option<Cow<'_, Entry>> {
        self.loaded.borrow_owner().listed_entry(i)
    }
    /// The key segments tree node `id` stands for.
    pub fn node_prefix(&self, id: usize) -> KeyPath {
        self.tree.prefix(id, self.loaded.borrow_owner())
    }
    /// Tree node `id`'s name (the last segment of its prefix).
    pub fn node_name(&self, id: usize) -> String {
        self.tree.name(id, self.loaded.borrow_owner())
    }
    pub fn tree(&self) -> &Tree {
        &self.tree
    }
    pub fn tree_view(&self) -> &TreeView {
        &self.tree_view
    }
    pub fn list(&self) -> &ListView {
        &self.list
    }
    pub fn search_text(&self) -> &str {
        &self.search
    }
    pub fn is_searching(&self) -> bool {
        self.searching
    }
    pub fn focus(&self) -> Pane {
        self.focus
    }
    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }
    pub fn is_share(&self) -> bool {
        self.exposure.is_share()
    }
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }
    pub fn status(&self) -> Option<&Status> {
        self.status.get()
    }
    pub fn reveal(&self) -> Option<Reveal> {
        self.exposure.reveal()
    }
    /// When the copied value will be cleared from the clipboard, while that is still ahead.
    pub fn clipboard_clears(&self) -> Option<Instant> {
        self.exposure.clipboard_clears()
    }
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
    pub fn now(&self) -> Instant {
        self.now
    }
    /// The project's manifest, if one was found.
    pub fn manifest(&self) -> Option<&crate::manifest::Manifest> {
        self.manifest.as_ref()
    }

    /// Pick mode (`--pick`).
    pub fn is_picking(&self) -> bool {
        self.pick
    }

    /// The key picked in pick mode, once Enter chose one.
    pub fn picked(&self) -> Option<&home_secret_toml::key_path::KeyPath> {
        self.picked.as_ref()
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }
    /// Whether the mode lets `command` do anything (hints leave out what it forbids: reveal in
    /// share mode, changes with `--read-only`).
    pub fn allows(&self, command: Command) -> bool {
        match command {
            Command::Reveal | Command::DetailDown | Command::DetailUp => !self.is_share(),
            // Only a value has a type to change.
            Command::EditorType => self
                .edits
                .editor
                .as_ref()
                .is_some_and(|e| e.prompt.with_next_type().is_some()),
            Command::Edit
            | Command::FillPlaceholder
            | Command::Rename
            | Command::Add
            | Command::Delete
            | Command::Undo => !self.read_only,
            _ => true,
        }
    }

    pub fn theme(&self) -> &'static crate::tui::theme::Theme {
        if self.monochrome {
            &crate::tui::theme::MONOCHROME
        } else {
            &crate::tui::theme::THEME
        }
    }

    /// Rows the detail pane is scrolled down by (only ever for a revealed value).
    pub fn detail_scroll(&self) -> u16 {
        self.exposure.scroll()
    }

    pub fn areas(&self) -> Option<Areas> {
        self.areas
    }

    /// The selected entry, if the list has any rows.
    pub fn selected(&self) -> Option<(usize, Cow<'_, Entry>)> {
        self.list
            .selected()
            .and_then(|i| self.entry(i).map(|e| (i, e)))
    }

    /// Whether `entry` is the one value currently shown in full.
    pub fn is_revealed(&self, entry: usize) -> bool {
        self.exposure.is_revealed(entry)
    }

    /// What the empty key list says, naming the key that helps; `None` while it shows keys.
    pub fn empty_list_text(&self) -> Option<String> {
        if !self.list.is_empty() {
            return None;
        }
        let node = self.node_prefix(self.tree_view.selected());
        Some(if self.entry_count() == 0 {
            if self.read_only {
                "This file has no secrets yet. It is open read-only: add one with hst set KEY."
                    .to_string()
            } else {
                "This file has no secrets yet: press a to add one (a dotted path like \
                 github.accounts.me.secrets.token.value)."
                    .to_string()
            }
        } else if !self.search.is_empty() && !node.is_empty() {
            format!(
                "No key under {node} matches the search. Ctrl-a searches all keys; Esc clears \
                 the search."
            )
        } else if !self.search.is_empty() {
            "No key matches the search. Esc clears it.".to_string()
        } else if self.read_only {
            format!("No secrets under {node}. Select the top of the tree for all keys.")
        } else {
            format!(
                "No secrets under {node}: press a to add one here, or select the top of the \
                 tree for all keys."
            )
        })
    }

    /// The search line is drawn while typing and while a filter is kept.
    pub fn shows_search(&self) -> bool {
        self.searching || !self.search.is_empty()
    }

    /// Which part of the keymap applies now.
    pub fn scope(&self) -> Scope {
        if self.edits.editor.is_some() {
            return Scope::Editor;
        }
        match self.overlay {
            Overlay::Help { .. } => Scope::Help,
            Overlay::Confirm(_) => Scope::Confirm,
            Overlay::None if self.searching => Scope::Search,
            Overlay::None => Scope::for_pane(self.focus),
        }
    }

    /// When the state next changes by itself (a reveal or a status message ending).
    pub fn next_deadline(&self) -> Option<Instant> {
        // A one-time code's countdown: the next whole second of the clock.
        let code_tick = self.shows_code().then(|| {
            let into_second = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_millis());
            Instant::now() + std::time::Duration::from_millis(u64::from(1000 - into_second))
        });
        self.exposure
            .deadlines()
            .chain(self.status.deadline())
            .chain(code_tick)
            .min()
    }
}
