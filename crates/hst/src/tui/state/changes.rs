//! Changing the file from the TUI: the one-line editor, confirmations, saves, undo, reloads
//! (asked for, or because the file changed on disk) and the Python enum module. Still pure:
//! writing and reading are effects; their results come back as actions.

use std::path::PathBuf;

use tui_input::{Input, InputRequest};

use super::{Confirm, Effect, Overlay, State, Tone};
use crate::tui::action::{EnumFailure, Pane, SaveFailure};
use home_secret_toml::codegen;
use home_secret_toml::edit::{self, Edit, InputType};
use home_secret_toml::file::SecretFile;
use home_secret_toml::key_path::KeyPath;
use home_secret_toml::store::{Saved, Snapshot};
use home_secret_toml::tree::Tree;
use home_secret_toml::value::SecretValue;

use super::TreeView;
pub use super::prompt::Prompt;

/// The one-line editor. Its text is never pre-filled with a value: editing must not reveal it.
pub struct Editor {
    pub prompt: Prompt,
    pub input: Input,
    pub error: Option<String>,
}

/// The edit session: the editor, the save on its way, the edit to retry after a reload, the
/// undo steps, and the enum module's defaults.
pub(super) struct Session {
    pub(super) editor: Option<Editor>,
    pub(super) pending: Option<Pending>,
    /// An edit refused because the file changed on disk: reopened after the reload.
    pub(super) retry: Option<Retry>,
    /// The text before each change, and what the change was ("Saved KEY").
    pub(super) undo: Vec<(SecretValue, String)>,
    pub(super) enum_count: usize,
    pub(super) enum_default: String,
}

/// The undo steps keep whole texts: the oldest go once they hold more than this (a file of a
/// million keys, 130 MB, keeps its last step; a file of a few kilobytes, thousands).
pub(super) const UNDO_BYTES: usize = 64 << 20;

impl Session {
    /// An undo step: the text before a change, and what the change was. The newest step is
    /// always kept.
    pub(super) fn remember(&mut self, before: SecretValue, done: String) {
        self.undo.push((before, done));
        let mut kept = 0;
        let keep_from = self
            .undo
            .iter()
            .rposition(|(text, _)| {
                kept += text.expose().len();
                kept > UNDO_BYTES
            })
            .map_or(0, |over| (over + 1).min(self.undo.len() - 1));
        self.undo.drain(..keep_from);
    }

    pub(super) fn new(enum_default: String) -> Self {
        Self {
            editor: None,
            pending: None,
            retry: None,
            undo: Vec::new(),
            enum_count: 0,
            enum_default,
        }
    }
}

/// What was typed in the editor, kept while a conflicting save waits for a reload.
pub(super) struct Retry {
    prompt: Prompt,
    text: SecretValue,
}

/// What a save writes: a file the edit pipeline produced (parsed and checked already), or the
/// text an undo goes back to (parsed once it is saved).
pub(super) enum NewContent {
    Checked(Box<SecretFile>),
    Text(SecretValue),
}

/// A save on its way to disk.
pub(super) struct Pending {
    /// The editor's prompt and text, to offer again if the file changed on disk.
    retry: Option<Retry>,
    new: NewContent,
    select: Option<KeyPath>,
    /// The text before, for undo (`None` when this save is itself an undo).
    undo: Option<SecretValue>,
    done: String,
}

pub const ENUM_DEFAULT: &str = "home_secret_enum.py";

/// With the tree focused on its root, nothing is visibly selected to act on.
const NO_FOLDER: &str = "Select a folder in the tree, or a key in the list (Tab), first";
/// `e`, `R` or `d` with no key in the list (a search that matches nothing, an empty folder).
const NO_KEY: &str = "No key selected: the list is empty (Esc clears the search)";

/// `Saved x` → `saved x`, for "Undone: saved x".
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

impl State {
    pub fn editor(&self) -> Option<&Editor> {
        self.edits.editor.as_ref()
    }

    pub fn can_undo(&self) -> bool {
        !self.edits.undo.is_empty()
    }

    /// Whether an edit is in progress (the file is then not reloaded behind the user's back).
    pub fn has_pending_edit(&self) -> bool {
        self.edits.editor.is_some()
            || self.edits.pending.is_some()
            || matches!(self.overlay, Overlay::Confirm(_))
    }

    pub(super) fn open(&mut self, prompt: Prompt, text: &str) {
        self.edits.editor = Some(Editor {
            prompt,
            input: Input::new(text.to_string()),
            error: None,
        });
    }

    fn refuse_read_only(&mut self) -> bool {
        if self.read_only {
            self.say(
                Tone::Warning,
                "Read-only: hst-tui was started with --read-only",
            );
        }
        self.read_only
    }

    pub(super) fn start_edit(&mut self) {
        if self.refuse_read_only() {
            return;
        }
        let Some((_, entry)) = self.selected() else {
            return self.say(Tone::Info, NO_KEY);
        };
        // A reference is not a secret: the editor starts from it, to change a path or field.
        let initial = entry
            .value
            .as_reference()
            .map(|r| r.uri().to_string())
            .unwrap_or_default();
        let prompt = Prompt::Value {
            key: entry.key.clone(),
            input: InputType::for_kind(entry.value.kind()),
        };
        self.open(prompt, &initial);
    }

    /// The keys whose value is the `"..."` placeholder, in file order.
    pub fn placeholders(&self) -> Vec<KeyPath> {
        self.loaded.borrow_owner().placeholders()
    }

    /// `F`: the editor on the first placeholder (each fill removes one from the list).
    pub(super) fn start_fill(&mut self) {
        if self.refuse_read_only() {
            return;
        }
        let all = self.placeholders();
        match all.first() {
            Some(key) => {
                let prompt = Prompt::Fill {
                    key: key.clone(),
                    left: all.len(),
                };
                self.open(prompt, "");
            }
            None => self.say(Tone::Info, "No placeholders (\"...\") to fill"),
        }
    }

    pub(super) fn start_rename(&mut self) {
        if self.refuse_read_only() {
            return;
        }
        if self.focus == Pane::Tree {
            match self.tree_target() {
                Some(folder) => self.start_move_tree(folder),
                None => self.say(Tone::Info, NO_FOLDER),
            }
            return;
        }
        let Some((_, entry)) = self.selected() else {
            return self.say(Tone::Info, NO_KEY);
        };
        let (key, last) = (entry.key.clone(), entry.key.last().to_string());
        self.open(Prompt::Rename { key }, &last);
    }

    pub(super) fn start_add(&mut self) {
        if self.refuse_read_only() {
            return;
        }
        let prefix = self.node_prefix(self.tree_view.selected());
        self.open(Prompt::AddPath { prefix }, "");
    }

    pub(super) fn start_delete(&mut self) {
        if self.refuse_read_only() {
            return;
        }
        if self.focus == Pane::Tree {
            match self.tree_target() {
                Some(folder) => self.start_delete_tree(folder),
                None => self.say(Tone::Info, NO_FOLDER),
            }
            return;
        }
        match self.selected() {
            Some((_, entry)) => {
                self.overlay = Overlay::Confirm(Confirm::Delete {
                    key: entry.key.clone(),
                    count: 1,
                });
            }
            None => self.say(Tone::Info, NO_KEY),
        }
    }

    pub(super) fn start_enum(&mut self) {
        if self.refuse_read_only() {
            return;
        }
        let default = self.edits.enum_default.clone();
        self.open(Prompt::EnumPath, &default);
    }

    pub(super) fn undo(&mut self, effects: &mut Vec<Effect>) {
        if self.refuse_read_only() {
            return;
        }
        match self.edits.undo.pop() {
            Some((before, what)) => {
                let done = format!("Undone: {}", lowercase_first(&what));
                self.save(NewContent::Text(before), None, None, done, effects);
            }
            None => self.say(Tone::Info, "Nothing to undo"),
        }
    }

    pub(super) fn editor_input(&mut self, request: InputRequest) {
        if let Some(editor) = self.edits.editor.as_mut() {
            editor.input.handle(request);
            editor.error = None;
        }
    }

    /// The editor again, with what was typed before a save was refused.
    pub(super) fn reopen(&mut self, retry: Retry) {
        self.open(retry.prompt, retry.text.expose());
    }

    /// Ctrl-t: read the value as the next type (text, integer, float, boolean, date, TOML).
    pub(super) fn editor_next_type(&mut self) {
        if let Some(editor) = self.edits.editor.as_mut()
            && let Some(prompt) = editor.prompt.with_next_type()
        {
            editor.prompt = prompt;
            editor.error = None;
        }
    }

    pub(super) fn editor_cancel(&mut self) {
        self.edits.editor = None;
    }

    /// Enter in the editor: validate, then save (or ask the next question).
    pub(super) fn editor_submit(&mut self, effects: &mut Vec<Effect>) {
        let Some(editor) = self.edits.editor.as_ref() else {
            return;
        };
        let text = SecretValue::new(editor.input.value());
        let prompt = editor.prompt.clone();
        let retry_prompt = prompt.clone();
        // One pipeline with `hst set`: `edit::set_value` reads the text as the type, refuses
        // what the CLI refuses, with the same messages.
        let result = match prompt {
            Prompt::Value { key, input } => {
                edit::set_value(self.loaded.borrow_owner(), &key, text.expose(), Some(input))
                    .map(|(e, t)| (e, t, "Saved"))
            }
            Prompt::Fill { key, .. } => {
                if text.expose().is_empty() {
                    self.set_editor_error(
                        "type the value (Esc leaves the placeholder)".to_string(),
                    );
                    return;
                }
                edit::set_value(
                    self.loaded.borrow_owner(),
                    &key,
                    text.expose(),
                    Some(InputType::String),
                )
                .map(|(e, t)| (e, t, "Filled"))
            }
            Prompt::Move { from } => {
                self.submit_move(from, text.expose());
                return;
            }
            Prompt::Rename { key } => {
                let rename = Edit::Rename {
                    key,
                    last: text.expose().trim().to_string(),
                };
                edit::apply(self.loaded.borrow_owner(), &rename).map(|t| (rename, t, "Renamed"))
            }
            Prompt::AddPath { prefix } => {
                let rest = text.expose().trim().trim_matches('.');
                if rest.is_empty() {
                    self.set_editor_error("type the rest of the key's path".to_string());
                    return;
                }
                let key = KeyPath::new(prefix.segments().chain(rest.split('.')));
                // Checked before the value is typed: a secret typed for nothing is a bad trade.
                if let Err(e) = edit::check_new_key(self.loaded.borrow_owner(), &key) {
                    self.set_editor_error(e.to_string());
                    return;
                }
                let input = InputType::String;
                self.open(Prompt::AddValue { key, input }, "");
                return;
            }
            Prompt::AddValue { key, input } => {
                edit::set_value(self.loaded.borrow_owner(), &key, text.expose(), Some(input))
                    .map(|(e, t)| (e, t, "Added"))
            }
            Prompt::EnumPath => {
                self.edits.editor = None;
                self.write_enum(text.expose().trim(), false, effects);
                return;
            }
        };
        match result {
            Ok((edit, new_text, verb)) => {
                let retry = Retry {
                    prompt: retry_prompt,
                    text,
                };
                self.save_edit(edit, new_text, verb, retry, effects);
            }
            Err(e) => self.set_editor_error(e.to_string()),
        }
    }

    /// An edit the editor produced, on its way to disk (kept for a retry after a conflict).
    fn save_edit(
        &mut self,
        edit: Edit,
        edited: SecretFile,
        verb: &str,
        retry: Retry,
        effects: &mut Vec<Effect>,
    ) {
        self.edits.editor = None;
        let select = edit.result_key();
        let what = select.as_ref().map_or_else(String::new, |k| k.to_string());
        let done = match &edit {
            Edit::Delete { key } => format!("Deleted {key}"),
            _ => format!("{verb} {what}"),
        };
        let before = SecretValue::new(self.loaded.borrow_owner().text());
        self.save(
            NewContent::Checked(Box::new(edited)),
            select,
            Some(before),
            done,
            effects,
        );
        if let Some(pending) = self.edits.pending.as_mut() {
            pending.retry = Some(retry);
        }
    }

    pub(super) fn set_editor_error(&mut self, message: String) {
        if let Some(editor) = self.edits.editor.as_mut() {
            editor.error = Some(message);
        }
    }

    pub(super) fn confirmed_delete(&mut self, key: KeyPath, effects: &mut Vec<Effect>) {
        match edit::apply(
            self.loaded.borrow_owner(),
            &Edit::Delete { key: key.clone() },
        ) {
            Ok(edited) => {
                let before = SecretValue::new(self.loaded.borrow_owner().text());
                let done = match self.keys_under(&key) {
                    1 => format!("Deleted {key}"),
                    n => format!("Deleted {n} keys under {key}"),
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

    pub(super) fn save(
        &mut self,
        new: NewContent,
        select: Option<KeyPath>,
        undo: Option<SecretValue>,
        done: String,
        effects: &mut Vec<Effect>,
    ) {
        let text = match &new {
            NewContent::Checked(file) => SecretValue::new(file.text()),
            NewContent::Text(text) => text.clone(),
        };
        effects.push(Effect::Save {
            path: self.loaded.borrow_owner().path().to_path_buf(),
            expected: self.loaded.borrow_owner().revision(),
            new: text,
        });
        self.edits.pending = Some(Pending {
            retry: None,
            new,
            select,
            undo,
            done,
        });
    }

    pub(super) fn saved(&mut self, result: Result<Saved, SaveFailure>) {
        let Some(pending) = self.edits.pending.take() else {
            return;
        };
        match result {
            Ok(saved) => {
                let path = self.loaded.borrow_owner().path().to_path_buf();
                let parsed = match pending.new {
                    // The edit pipeline parsed and checked it already.
                    NewContent::Checked(file) => Ok(*file),
                    NewContent::Text(text) => {
                        SecretFile::from_text(&path, text.expose().to_string())
                    }
                };
                match parsed {
                    Ok(file) => {
                        let file = file.with_revision(saved.revision);
                        let select = pending
                            .select
                            .or_else(|| self.selected().map(|(_, e)| e.key.clone()));
                        self.rebuild(file, select);
                        if let Some(before) = pending.undo {
                            self.edits.remember(before, pending.done.clone());
                        }
                        if saved.warnings.is_empty() {
                            self.say(Tone::Success, pending.done);
                        } else {
                            let warnings = saved.warnings.join("; ");
                            self.say(
                                Tone::Warning,
                                format!("{}. Warning: {warnings}", pending.done),
                            );
                        }
                    }
                    Err(e) => self.say(Tone::Error, e.to_string()),
                }
            }
            Err(SaveFailure::Conflict) => {
                self.edits.retry = pending.retry;
                self.overlay = Overlay::Confirm(Confirm::Reload {
                    keeps_edit: self.edits.retry.is_some(),
                });
            }
            Err(SaveFailure::Other(message)) => self.say(Tone::Error, message),
        }
    }

    pub(super) fn reload(&mut self, effects: &mut Vec<Effect>) {
        effects.push(Effect::Reload {
            path: self.loaded.borrow_owner().path().to_path_buf(),
        });
    }

    pub(super) fn reloaded(&mut self, snapshot: Result<Snapshot, String>, external: bool) {
        let snapshot = match snapshot {
            Ok(s) => s,
            Err(e) => return self.say(Tone::Error, e),
        };
        if external && self.has_pending_edit() {
            return;
        }
        let path = self.loaded.borrow_owner().path().to_path_buf();
        match SecretFile::from_snapshot(&path, snapshot) {
            Ok(file) => {
                let select = self.selected().map(|(_, e)| e.key.clone());
                self.rebuild(file, select);
                // Undo steps were made against the old text; they no longer apply.
                self.edits.undo.clear();
                let msg = if external {
                    "The file changed on disk: reloaded"
                } else {
                    "Reloaded from disk"
                };
                self.say(Tone::Info, msg);
                if !external && let Some(retry) = self.edits.retry.take() {
                    self.reopen(retry);
                    self.say(
                        Tone::Info,
                        "Reloaded from disk; your edit is back: Enter saves it, Esc drops it",
                    );
                }
            }
            Err(e) => self.say(Tone::Error, format!("Not reloaded: {e}")),
        }
    }

    /// Replaces the file, keeping the search and, where possible, the selected key.
    fn rebuild(&mut self, file: SecretFile, select: Option<KeyPath>) {
        let (open, node) = self
            .tree_view
            .snapshot(&self.tree, self.loaded.borrow_owner());
        self.tree = Tree::build(&file);
        let (tree_h, _) = self.heights();
        self.tree_view = TreeView::restored(&self.tree, &file, &open, &node, tree_h);
        self.loaded = std::sync::Arc::new(super::Loaded::of(file));
        self.list.forget();
        self.exposure.hide();
        let keep = select.and_then(|k| self.loaded.borrow_owner().listed_position(&k));
        self.refilter(keep);
        // The edited key no longer matches the search (a rename): rather than leave the cursor
        // on some other key (where the next `d` would land), show every key and select it.
        if keep.is_some() && self.list.selected() != keep && !self.search.is_empty() {
            self.search.clear();
            self.searching = false;
            self.refilter(keep);
            self.resize(self.screen);
        }
    }

    pub(super) fn write_enum(&mut self, path: &str, overwrite: bool, effects: &mut Vec<Effect>) {
        let default = self.edits.enum_default.clone();
        let path = if path.is_empty() { &default } else { path };
        // From the keys' text: no entry is built for each of a million keys.
        let keys: Vec<_> = (0..self.loaded.borrow_owner().listed_len())
            .filter_map(|i| self.loaded.borrow_owner().listed_key(i))
            .collect();
        let generated = codegen::generate_for_keys(&keys);
        self.edits.enum_count = generated.entries;
        effects.push(Effect::WriteEnum {
            path: PathBuf::from(path),
            code: generated.code,
            overwrite,
        });
    }

    pub(super) fn enum_written(&mut self, result: Result<String, EnumFailure>) {
        match result {
            Ok(path) => self.say(
                Tone::Success,
                format!("Wrote {} entries to {path}", self.edits.enum_count),
            ),
            Err(EnumFailure::Exists(path)) => {
                self.overlay = Overlay::Confirm(Confirm::Overwrite(path));
            }
            Err(EnumFailure::Other(message)) => self.say(Tone::Error, message),
        }
    }
}
