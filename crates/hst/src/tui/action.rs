//! What can happen to the TUI: commands a key can be bound to, and the other inputs (typed
//! characters, the clock, the terminal size, the mouse, results of effects).

use tui_input::InputRequest;

use crate::clipboard::Copied;
use home_secret_toml::store::{Saved, Snapshot};

/// A command a key can be bound to in the keymap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    FocusNext,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Tree: collapse, or go to the parent.
    Collapse,
    /// Tree: expand, or go to the first child.
    Expand,
    /// Tree: expand or collapse.
    Toggle,
    Search,
    ClearFilter,
    Reveal,
    /// Scroll the detail pane (a long revealed value).
    DetailDown,
    DetailUp,
    CopyValue,
    CopyKey,
    CopySnippet,
    ToggleShare,
    // Changing the file
    Edit,
    /// Open the editor on the next `"..."` placeholder of the file.
    FillPlaceholder,
    Rename,
    Add,
    Delete,
    Undo,
    GenEnum,
    Reload,
    // Search box
    SearchAccept,
    SearchCancel,
    SearchBackspace,
    SearchDeleteWord,
    SearchClearLine,
    /// Search every key, not only those under the selected tree node.
    SearchAll,
    // Overlays
    CloseHelp,
    Confirm,
    Cancel,
    // The one-line editor
    EditorSubmit,
    EditorCancel,
    /// Read the typed value as the next type.
    EditorType,
}

impl Command {
    /// Every command, for the tests that check the keymap and the help overlay.
    pub const ALL: [Command; 41] = [
        Command::Quit,
        Command::Help,
        Command::FocusNext,
        Command::Up,
        Command::Down,
        Command::PageUp,
        Command::PageDown,
        Command::Top,
        Command::Bottom,
        Command::Collapse,
        Command::Expand,
        Command::Toggle,
        Command::Search,
        Command::ClearFilter,
        Command::Reveal,
        Command::DetailDown,
        Command::DetailUp,
        Command::CopyValue,
        Command::CopyKey,
        Command::CopySnippet,
        Command::ToggleShare,
        Command::Edit,
        Command::FillPlaceholder,
        Command::Rename,
        Command::Add,
        Command::Delete,
        Command::Undo,
        Command::GenEnum,
        Command::Reload,
        Command::SearchAccept,
        Command::SearchCancel,
        Command::SearchBackspace,
        Command::SearchDeleteWord,
        Command::SearchClearLine,
        Command::SearchAll,
        Command::CloseHelp,
        Command::Confirm,
        Command::Cancel,
        Command::EditorSubmit,
        Command::EditorCancel,
        Command::EditorType,
    ];
}

/// Which pane has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Tree,
    List,
}

/// What the clipboard is asked to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyWhat {
    Value,
    KeyPath,
    Snippet,
}

impl CopyWhat {
    pub fn label(self) -> &'static str {
        match self {
            CopyWhat::Value => "value",
            CopyWhat::KeyPath => "key path",
            CopyWhat::Snippet => "Python snippet",
        }
    }
}

/// A mouse event reduced to what the TUI uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mouse {
    Click { column: u16, row: u16 },
    ScrollUp { column: u16, row: u16 },
    ScrollDown { column: u16, row: u16 },
}

/// Everything `State::apply` reacts to. `Debug` hides what is typed into the editor, which may
/// be a secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Action {
    Command(Command),
    /// A character typed into the search box.
    Input(char),
    /// The clock moved on (reveal and status timeouts).
    Tick,
    Resize {
        width: u16,
        height: u16,
    },
    Mouse(Mouse),
    /// A copy finished: where it went, or why not (a message without the value).
    Copied {
        what: CopyWhat,
        result: Result<Copied, String>,
    },
    /// A reference's value was fetched (kept for the session), or why not (the backend's
    /// reason, never a value).
    Resolved {
        uri: String,
        then: AfterResolve,
        result: Result<home_secret_toml::value::SecretValue, String>,
    },
    /// A key for the one-line editor.
    EditInput(InputRequest),
    /// A save finished (with warnings to show, if any), or why not.
    Saved(Result<Saved, SaveFailure>),
    /// The file as it is on disk now, read again (after a reload request, or because it
    /// changed there).
    Reloaded {
        snapshot: Result<Snapshot, String>,
        external: bool,
    },
    /// The enum module was written (`Ok(path shown)`), or not.
    EnumWritten(Result<String, EnumFailure>),
    /// The file is no longer on disk (deleted or moved away).
    FileGone,
    /// A search's matches in their order by score.
    Ranked(crate::tui::ranking::Ranked),
}

/// What was asked for when a reference's value had to be fetched first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterResolve {
    Reveal,
    Copy,
}

/// Why a save did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveFailure {
    /// The file changed on disk since it was loaded.
    Conflict,
    Other(String),
}

/// Why the enum module was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumFailure {
    /// The output exists; ask before overwriting.
    Exists(String),
    Other(String),
}

impl From<Command> for Action {
    fn from(c: Command) -> Self {
        Action::Command(c)
    }
}

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Command(c) => f.debug_tuple("Command").field(c).finish(),
            Action::Input(c) => f.debug_tuple("Input").field(c).finish(),
            Action::Tick => f.write_str("Tick"),
            Action::Resize { width, height } => write!(f, "Resize({width}x{height})"),
            Action::Mouse(m) => f.debug_tuple("Mouse").field(m).finish(),
            Action::Copied { what, result } => f
                .debug_struct("Copied")
                .field("what", what)
                .field("ok", &result.is_ok())
                .finish(),
            Action::Resolved { uri, then, result } => f
                .debug_struct("Resolved")
                .field("uri", uri)
                .field("then", then)
                .field("ok", &result.is_ok())
                .finish(),
            Action::EditInput(InputRequest::InsertChar(_)) => {
                f.write_str("EditInput(InsertChar(<redacted>))")
            }
            Action::EditInput(r) => f.debug_tuple("EditInput").field(r).finish(),
            Action::Saved(r) => f.debug_tuple("Saved").field(&r.is_ok()).finish(),
            Action::Reloaded { external, .. } => f
                .debug_struct("Reloaded")
                .field("external", external)
                .finish_non_exhaustive(),
            Action::EnumWritten(r) => f.debug_tuple("EnumWritten").field(r).finish(),
            Action::FileGone => f.write_str("FileGone"),
            Action::Ranked(ranked) => ranked.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_typed_characters() {
        let typed = format!("{:?}", Action::EditInput(InputRequest::InsertChar('Z')));
        assert!(!typed.contains('Z'), "{typed}");
    }
}
