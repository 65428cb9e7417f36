//! Everything the TUI shows, and how actions change it. Pure: no terminal, no clipboard, no clock
//! (the time comes with each action), so scripts of actions can test it.

mod changes;
mod commands;
mod copy;
pub mod detail;
mod exposure;
mod list_view;
mod mouse;
mod panes;
mod prompt;
mod references;
mod search;
mod status;
mod tree_ops;
mod tree_view;
#[cfg(test)]
mod undo_tests;
mod view;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use home_secret_toml::file::SecretFile;
use home_secret_toml::tree::Tree;
use home_secret_toml::value::SecretValue;

use super::action::{Action, Command, CopyWhat, Pane};
use super::layout::Areas;
use super::ranking::{Loaded, RankJob};

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
    pub manifest: Option<crate::manifest::Manifest>,
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
        expected: home_secret_toml::store::Revision,
        new: SecretValue,
    },
    /// Read the file again (asked for: waiting a moment for another program is fine).
    Reload {
        path: std::path::PathBuf,
    },
    /// Fetch the value `reference` points at, then go on with `then`.
    Resolve {
        reference: home_secret_toml::value::Reference,
        then: crate::tui::action::AfterResolve,
    },
    /// Order a search's matches by score (off the UI thread when it can): the list shows them
    /// in a provisional order until `Action::Ranked` comes.
    Rank(RankJob),
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
    /// A key (`count` 1) or a folder with `count` keys under it.
    Delete {
        key: home_secret_toml::key_path::KeyPath,
        count: usize,
    },
    /// A folder's `count` keys to another path.
    Move {
        from: home_secret_toml::key_path::KeyPath,
        to: home_secret_toml::key_path::KeyPath,
        count: usize,
    },
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
            Confirm::Delete { key, count: 1 } => {
                format!("Delete {key}? Its line goes; comments above it stay. (u undoes)")
            }
            Confirm::Delete { key, count } => format!(
                "Delete the {count} keys under {key}? Their lines go; comments stay. (u undoes)"
            ),
            Confirm::Move { from, to, count: 1 } => format!("Move {from} to {to}? (u undoes)"),
            Confirm::Move { from, to, count } => {
                format!("Move the {count} keys under {from} to {to}? (u undoes)")
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
    /// The file and its keys' texts, shared with a ranking in progress.
    loaded: Arc<Loaded>,
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
    manifest: Option<crate::manifest::Manifest>,
    /// The key chosen in pick mode.
    picked: Option<home_secret_toml::key_path::KeyPath>,
    now: Instant,
    quit: bool,
    /// The editor, saves on their way, undo.
    edits: changes::Session,
    /// The values of references fetched this session.
    fetched: references::Fetched,
}

impl State {
    pub fn new(file: SecretFile, options: Options, now: Instant) -> Self {
        let tree = Tree::build(&file);
        let tree_view = TreeView::new(&tree);
        let mut state = Self {
            loaded: Arc::new(Loaded::of(file)),
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
            fetched: references::Fetched::default(),
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

    // ---- changes -------------------------------------------------------------------------

    pub fn apply(&mut self, action: Action, now: Instant) -> Vec<Effect> {
        self.now = now;
        let before = self.list.selected();
        let mut effects = Vec::new();
        match action {
            // Nothing of the file is on screen: a key would act unseen (a `d` on a key that
            // cannot be read). Only quitting, and a larger screen, do anything.
            Action::Command(command) if self.too_small() && command != Command::Quit => {}
            Action::Input(_) | Action::EditInput(_) if self.too_small() => {}
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
            Action::Resolved { uri, then, result } => {
                self.resolved(uri, then, result, &mut effects);
            }
            Action::EditInput(request) => self.editor_input(request),
            Action::Saved(result) => self.saved(result),
            Action::Reloaded { snapshot, external } => self.reloaded(snapshot, external),
            Action::EnumWritten(result) => self.enum_written(result),
            Action::Ranked(ranked) => {
                let (_, list_h) = self.heights();
                self.list.ranked(&ranked.what, ranked.rows, list_h);
            }
            Action::FileGone => self.say_for(
                Tone::Warning,
                "File deleted or moved away on disk: saves fail until it is back",
                Duration::from_secs(30),
            ),
        }
        if let Some((what, candidates)) = self.list.take_job() {
            effects.push(Effect::Rank(RankJob {
                what,
                candidates,
                keys: Arc::clone(&self.loaded),
            }));
        }
        if self.list.selected() != before {
            self.exposure.hide();
        }
        self.expire();
        self.relayout(false);
        effects
    }

    /// The screen's size is known and too small for the panes (the notice is drawn instead).
    fn too_small(&self) -> bool {
        self.screen != Rect::default() && self.areas.is_none()
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
}
