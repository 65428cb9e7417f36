//! Everything the TUI shows, and how actions change it. Pure: no terminal, no clipboard, no clock
//! (the time comes with each action), so scripts of actions can test it.

mod changes;
mod copy;
mod exposure;
mod list_view;
mod mouse;
mod status;
mod tree_view;

use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use crate::core::entry::Entry;
use crate::core::file::SecretFile;
use crate::core::tree::Tree;
use crate::core::value::SecretValue;

use super::action::{Action, Command, CopyWhat, Pane};
use super::keymap::Scope;
use super::layout::{self, Areas};

pub use changes::{ENUM_DEFAULT, Editor, Prompt};
pub use copy::python_snippet;
pub use list_view::ListView;
pub use tree_view::{TreeRow, TreeView};

/// How long a revealed value stays visible, unless the user says otherwise.
pub const DEFAULT_REVEAL: Duration = Duration::from_secs(15);
/// How long a status message stays.
use status::STATUS_FOR;
/// How long a warning given at start stays (long enough to be read after the first look around).
const WARNING_FOR: Duration = Duration::from_secs(30);
/// Rows a mouse wheel step moves.
const WHEEL_STEP: isize = 3;

/// What the TUI was started with.
#[derive(Clone, Debug)]
pub struct Options {
    pub share: bool,
    pub read_only: bool,
    pub reveal_for: Duration,
    /// Shown in the title instead of the path (e.g. for `--demo`).
    pub title: Option<String>,
    /// A warning about the file to show at once (e.g. it is readable by others).
    pub warning: Option<String>,
    /// Attributes instead of colours (`NO_COLOR`, a terminal without colour).
    pub monochrome: bool,
    /// Where `E` offers to write the enum module (default `./home_secret_enum.py`).
    pub enum_default: Option<String>,
    /// The project's `hst.toml` (found from the current folder), to show which variable of
    /// `hst run` injects the selected key.
    pub manifest: Option<crate::core::manifest::Manifest>,
    /// `--pick`: a key picker (fzf-style). The search box stays open, Enter picks the selected
    /// key and quits, Esc on an empty search quits without one; nothing can be changed.
    pub pick: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            share: false,
            read_only: false,
            reveal_for: DEFAULT_REVEAL,
            title: None,
            warning: None,
            monochrome: false,
            enum_default: None,
            manifest: None,
            pick: false,
        }
    }
}

/// Work for the outside world, asked for by `State::apply`.
#[derive(Debug)]
pub enum Effect {
    Copy {
        what: CopyWhat,
        text: SecretValue,
    },
    /// Write `new` to `path` if it still holds what `expected` was read from (see
    /// `core::store`).
    Save {
        path: std::path::PathBuf,
        expected: crate::core::store::Revision,
        new: SecretValue,
    },
    /// Read the file again (asked for: waiting a moment for another program is fine).
    Reload {
        path: std::path::PathBuf,
    },
    /// Write the enum module (only key names in it, never values).
    WriteEnum {
        path: std::path::PathBuf,
        code: String,
        overwrite: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Success,
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub tone: Tone,
    until: Instant,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub entry: usize,
    pub until: Instant,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirm {
    ShareOff,
    Delete(crate::core::key_path::KeyPath),
    /// The file changed on disk and a save was refused; `keeps_edit`: what was typed comes
    /// back in the editor after the reload.
    Reload {
        keeps_edit: bool,
    },
    /// The enum module's file exists.
    Overwrite(String),
}

impl Confirm {
    pub fn question(&self) -> String {
        match self {
            Confirm::ShareOff => {
                "Turn share mode off? Values will show their masked form again.".to_string()
            }
            Confirm::Delete(key) => {
                format!("Delete {key}? Its line goes; comments above it stay. (u undoes)")
            }
            Confirm::Reload { keeps_edit: true } => "The file changed on disk since it was \
                loaded, so nothing was saved. Reload it? What you typed comes back in the editor \
                to save again."
                .to_string(),
            Confirm::Reload { keeps_edit: false } => "The file changed on disk since it was \
                loaded, so nothing was saved. Reload it? (your change is dropped)"
                .to_string(),
            Confirm::Overwrite(path) => format!("{path} exists. Overwrite it?"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help { scroll: u16 },
    Confirm(Confirm),
}

pub struct State {
    file: SecretFile,
    tree: Tree,
    tree_view: TreeView,
    list: ListView,
    search: String,
    searching: bool,
    focus: Pane,
    overlay: Overlay,
    /// Share mode, the revealed value, the clipboard countdown.
    exposure: exposure::Exposure,
    read_only: bool,
    status: status::StatusLine,
    title: Option<String>,
    screen: Rect,
    areas: Option<Areas>,
    monochrome: bool,
    pick: bool,
    manifest: Option<crate::core::manifest::Manifest>,
    /// The key chosen in pick mode.
    picked: Option<crate::core::key_path::KeyPath>,
    now: Instant,
    quit: bool,
    /// The editor, saves on their way, undo.
    edits: changes::Session,
}

impl State {
    pub fn new(file: SecretFile, options: Options, now: Instant) -> Self {
        let tree = Tree::build(file.entries());
        let tree_view = TreeView::new(&tree);
        let mut state = Self {
            file,
            tree,
            tree_view,
            list: ListView::default(),
            search: String::new(),
            searching: options.pick,
            focus: Pane::List,
            overlay: Overlay::None,
            exposure: exposure::Exposure::new(options.share, options.reveal_for),
            read_only: options.read_only || options.pick,
            status: status::StatusLine::default(),
            title: options.title,
            screen: Rect::default(),
            areas: None,
            monochrome: options.monochrome,
            pick: options.pick,
            manifest: options.manifest,
            picked: None,
            now,
            quit: false,
            edits: changes::Session::new(
                options
                    .enum_default
                    .unwrap_or_else(|| ENUM_DEFAULT.to_string()),
            ),
        };
        state.refilter(None);
        let placeholders = state.placeholders().len();
        if let Some(warning) = options.warning {
            state.say_for(Tone::Warning, warning, WARNING_FOR);
        } else if placeholders > 0 && !state.read_only {
            state.say_for(
                Tone::Info,
                format!(
                    "{placeholders} placeholder{} (\"...\") wait{} for a value: F fills {}",
                    if placeholders == 1 { "" } else { "s" },
                    if placeholders == 1 { "s" } else { "" },
                    if placeholders == 1 { "it" } else { "them" },
                ),
                WARNING_FOR,
            );
        }
        state
    }

    // ---- what the view reads -------------------------------------------------------------

    pub fn file(&self) -> &SecretFile {
        &self.file
    }
    pub fn entries(&self) -> &[Entry] {
        self.file.entries()
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
    pub fn manifest(&self) -> Option<&crate::core::manifest::Manifest> {
        self.manifest.as_ref()
    }

    /// Pick mode (`--pick`).
    pub fn is_picking(&self) -> bool {
        self.pick
    }

    /// The key picked in pick mode, once Enter chose one.
    pub fn picked(&self) -> Option<&crate::core::key_path::KeyPath> {
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

    fn scroll_detail(&mut self, delta: i32) {
        let Some(areas) = self.areas else { return };
        let rows = crate::tui::ui::detail::rows(self, areas.detail.width.saturating_sub(2));
        let shown = usize::from(areas.detail.height.saturating_sub(2));
        let max = u16::try_from(rows.saturating_sub(shown)).unwrap_or(u16::MAX);
        self.exposure.scroll_by(delta, max);
    }

    pub fn areas(&self) -> Option<Areas> {
        self.areas
    }

    /// The selected entry, if the list has any rows.
    pub fn selected(&self) -> Option<(usize, &Entry)> {
        self.list
            .selected()
            .and_then(|i| self.entries().get(i).map(|e| (i, e)))
    }

    /// Whether `entry` is the one value currently shown in full.
    pub fn is_revealed(&self, entry: usize) -> bool {
        self.exposure.is_revealed(entry)
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
        self.exposure
            .deadlines()
            .chain(self.status.deadline())
            .min()
    }

    // ---- changes -------------------------------------------------------------------------

    pub fn apply(&mut self, action: Action, now: Instant) -> Vec<Effect> {
        self.now = now;
        let before = self.list.selected();
        let mut effects = Vec::new();
        match action {
            Action::Command(command) => {
                self.status.clear_info();
                self.command(command, &mut effects);
            }
            Action::Input(c) => {
                if self.searching && !c.is_control() {
                    self.search.push(c);
                    self.refilter(None);
                }
            }
            Action::Tick => {}
            Action::Resize { width, height } => self.resize(Rect::new(0, 0, width, height)),
            Action::Mouse(mouse) => self.mouse(mouse),
            Action::Copied { what, result } => self.copied(what, result),
            Action::EditInput(request) => self.editor_input(request),
            Action::Saved(result) => self.saved(result),
            Action::Reloaded { snapshot, external } => self.reloaded(snapshot, external),
            Action::EnumWritten(result) => self.enum_written(result),
            Action::FileGone => self.say_for(
                Tone::Warning,
                "File deleted or moved away on disk: saves fail until it is back",
                Duration::from_secs(30),
            ),
        }
        if self.list.selected() != before {
            self.exposure.hide();
        }
        self.expire();
        self.relayout(false);
        effects
    }

    fn expire(&mut self) {
        self.status.expire(self.now);
        if self.exposure.expire(self.now) {
            self.say(
                Tone::Info,
                "Clipboard cleared (unless something else was copied since)",
            );
        }
    }

    fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.say_for(tone, text, STATUS_FOR);
    }

    fn say_for(&mut self, tone: Tone, text: impl Into<String>, how_long: Duration) {
        self.status.say(tone, text.into(), self.now + how_long);
    }

    /// One handler per scope: the editor, the overlays, then the panes' commands by concern.
    fn command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        if self.edits.editor.is_some() {
            return self.editor_command(command, effects);
        }
        match self.overlay.clone() {
            Overlay::Help { scroll } => return self.help_command(command, scroll),
            Overlay::Confirm(what) => return self.confirm_command(command, what, effects),
            Overlay::None => {}
        }
        match command {
            Command::Quit => self.quit = true,
            Command::Help => self.overlay = Overlay::Help { scroll: 0 },
            Command::FocusNext
            | Command::Up
            | Command::Down
            | Command::PageUp
            | Command::PageDown
            | Command::Top
            | Command::Bottom
            | Command::Collapse
            | Command::Expand
            | Command::Toggle => self.navigate(command),
            Command::Search
            | Command::ClearFilter
            | Command::SearchAccept
            | Command::SearchCancel
            | Command::SearchBackspace
            | Command::SearchDeleteWord
            | Command::SearchClearLine
            | Command::SearchAll => self.search_command(command),
            Command::Reveal
            | Command::DetailDown
            | Command::DetailUp
            | Command::ToggleShare
            | Command::CopyValue
            | Command::CopyKey
            | Command::CopySnippet => self.exposure_command(command, effects),
            Command::Edit
            | Command::FillPlaceholder
            | Command::Rename
            | Command::Add
            | Command::Delete
            | Command::Undo
            | Command::GenEnum
            | Command::Reload => self.change_command(command, effects),
            Command::CloseHelp
            | Command::Confirm
            | Command::Cancel
            | Command::EditorSubmit
            | Command::EditorType
            | Command::EditorCancel => {}
        }
    }

    fn editor_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        match command {
            Command::EditorSubmit => self.editor_submit(effects),
            Command::EditorCancel => self.editor_cancel(),
            Command::EditorType => self.editor_next_type(),
            Command::Quit => self.quit = true,
            _ => {}
        }
    }

    /// Moving in the panes.
    fn navigate(&mut self, command: Command) {
        let (tree_h, list_h) = self.heights();
        let in_tree = self.focus == Pane::Tree && !self.searching;
        match command {
            Command::FocusNext => {
                self.focus = match self.focus {
                    Pane::Tree => Pane::List,
                    Pane::List => Pane::Tree,
                }
            }
            Command::Up | Command::Down | Command::PageUp | Command::PageDown => {
                let page = if in_tree { tree_h } else { list_h }.max(1) as isize;
                let delta = match command {
                    Command::Up => -1,
                    Command::Down => 1,
                    Command::PageUp => -page,
                    _ => page,
                };
                if in_tree {
                    self.tree_move(|v, _, h| v.move_by(delta, h));
                } else {
                    self.list.move_by(delta, list_h);
                }
            }
            Command::Top | Command::Bottom => {
                let to = if command == Command::Top {
                    0
                } else {
                    usize::MAX
                };
                if in_tree {
                    self.tree_move(|v, _, h| v.move_to(to, h));
                } else {
                    self.list.move_to(to, list_h);
                }
            }
            Command::Collapse => self.tree_move(|v, t, h| v.collapse(t, h)),
            Command::Expand => self.tree_move(|v, t, h| v.expand(t, h)),
            Command::Toggle => self.tree_move(|v, t, h| v.toggle(t, h)),
            _ => {}
        }
    }

    /// The search box (and, in pick mode, picking).
    fn search_command(&mut self, command: Command) {
        match command {
            Command::Search => {
                self.searching = true;
                self.focus = Pane::List;
                self.resize(self.screen);
            }
            Command::ClearFilter => {
                if !self.search.is_empty() {
                    self.clear_search();
                } else {
                    self.exposure.hide();
                }
            }
            Command::SearchAccept if self.pick => {
                self.picked = self.selected().map(|(_, e)| e.key.clone());
                self.quit = self.picked.is_some();
            }
            Command::SearchCancel if self.pick && self.search.is_empty() => self.quit = true,
            Command::SearchCancel if self.pick => self.clear_search(),
            Command::SearchAccept => {
                self.searching = false;
                self.resize(self.screen);
            }
            Command::SearchCancel => {
                self.searching = false;
                self.clear_search();
            }
            Command::SearchBackspace => {
                self.search.pop();
                self.refilter(None);
            }
            Command::SearchDeleteWord => {
                let trimmed = self.search.trim_end_matches([' ', ',']).len();
                let cut = self.search[..trimmed]
                    .rfind([' ', ',', '.'])
                    .map_or(0, |i| i + 1);
                self.search.truncate(cut);
                self.refilter(None);
            }
            Command::SearchClearLine => {
                self.search.clear();
                self.refilter(None);
            }
            Command::SearchAll => self.tree_move(|v, _, h| v.move_to(0, h)),
            _ => {}
        }
    }

    /// What is shown or copied of the values.
    fn exposure_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        match command {
            Command::Reveal => self.toggle_reveal(),
            Command::DetailDown => self.scroll_detail(1),
            Command::DetailUp => self.scroll_detail(-1),
            Command::CopyValue | Command::CopyKey | Command::CopySnippet => {
                self.copy(command, effects);
            }
            Command::ToggleShare if self.is_share() => {
                self.overlay = Overlay::Confirm(Confirm::ShareOff);
            }
            Command::ToggleShare => {
                self.exposure.share_on();
                self.say(Tone::Info, "Share mode on: every value is hidden");
            }
            _ => {}
        }
    }

    /// Changes to the file (each one a safe save) and the enum module.
    fn change_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        match command {
            Command::Edit => self.start_edit(),
            Command::FillPlaceholder => self.start_fill(),
            Command::Rename => self.start_rename(),
            Command::Add => self.start_add(),
            Command::Delete => self.start_delete(),
            Command::Undo => self.undo(effects),
            Command::GenEnum => self.start_enum(),
            Command::Reload => self.reload(effects),
            _ => {}
        }
    }

    fn help_command(&mut self, command: Command, scroll: u16) {
        self.overlay = match command {
            Command::Up => Overlay::Help {
                scroll: scroll.saturating_sub(1),
            },
            Command::Down => Overlay::Help {
                scroll: scroll.saturating_add(1),
            },
            Command::PageUp => Overlay::Help {
                scroll: scroll.saturating_sub(10),
            },
            Command::PageDown => Overlay::Help {
                scroll: scroll.saturating_add(10),
            },
            Command::Quit => {
                self.quit = true;
                Overlay::None
            }
            Command::CloseHelp => Overlay::None,
            _ => Overlay::Help { scroll },
        };
    }

    fn confirm_command(&mut self, command: Command, what: Confirm, effects: &mut Vec<Effect>) {
        match command {
            Command::Confirm => {
                self.overlay = Overlay::None;
                match what {
                    Confirm::ShareOff => {
                        self.exposure.share_off();
                        self.say(Tone::Warning, "Share mode off: masked values are shown");
                    }
                    Confirm::Delete(key) => self.confirmed_delete(key, effects),
                    Confirm::Reload { .. } => self.reload(effects),
                    Confirm::Overwrite(path) => self.write_enum(&path, true, effects),
                }
            }
            Command::Cancel => {
                self.overlay = Overlay::None;
                // No reload: what was typed goes back into the editor (Esc drops it there).
                if let Some(retry) = self.edits.retry.take() {
                    self.reopen(retry);
                }
            }
            Command::Quit => self.quit = true,
            _ => {}
        }
    }

    fn toggle_reveal(&mut self) {
        let Some((index, _)) = self.selected() else {
            return;
        };
        match self.exposure.toggle(index, self.now) {
            Err(exposure::ShareModeOn) => self.say(
                Tone::Warning,
                "Share mode is on: values stay hidden (S turns it off)",
            ),
            // The countdown takes the status line: what was there before is old news.
            Ok(true) => self.status.clear(),
            Ok(false) => {}
        }
    }

    fn clear_search(&mut self) {
        self.search.clear();
        let keep = self.list.selected();
        self.refilter(keep);
        self.resize(self.screen);
    }

    /// Moves in the tree; the list follows the selected node.
    fn tree_move(&mut self, f: impl FnOnce(&mut TreeView, &Tree, usize)) {
        let before = self.tree_view.selected();
        let (tree_h, _) = self.heights();
        f(&mut self.tree_view, &self.tree, tree_h);
        if self.tree_view.selected() != before {
            self.refilter(None);
        }
    }

    fn refilter(&mut self, keep: Option<usize>) {
        let range = self.tree.entry_range(self.tree_view.selected());
        let (_, list_h) = self.heights();
        self.list
            .refilter(self.file.entries(), range, &self.search, keep, list_h);
    }

    fn heights(&self) -> (usize, usize) {
        self.areas
            .map_or((1, 1), |a| (a.tree_rows().max(1), a.list_rows().max(1)))
    }

    fn resize(&mut self, screen: Rect) {
        self.screen = screen;
        self.relayout(true);
    }

    /// Places the panes again: the detail pane is as tall as the selected entry needs (a
    /// revealed value is shown whole). Cheap: it looks at one entry.
    fn relayout(&mut self, always: bool) {
        let areas = layout::fitting(self.screen, self.shows_search(), |width| {
            crate::tui::ui::detail::rows(self, width)
        });
        if !always && areas == self.areas {
            return;
        }
        self.areas = areas;
        let (tree_h, list_h) = self.heights();
        self.tree_view.fit(tree_h);
        let cursor = self.list.cursor();
        self.list.move_to(cursor, list_h);
    }
}
