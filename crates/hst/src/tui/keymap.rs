//! The one keymap table. Key lookup, the status-line hints and the `?` help overlay all read it,
//! so they cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Command, Pane};

/// Where a binding applies. `Global` bindings work in both panes when no box or overlay is open;
/// pane bindings are looked up first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    Tree,
    List,
    Search,
    Help,
    Confirm,
    Editor,
}

impl Scope {
    pub const ALL: [Scope; 7] = [
        Scope::Global,
        Scope::Tree,
        Scope::List,
        Scope::Search,
        Scope::Help,
        Scope::Confirm,
        Scope::Editor,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::Tree => "Tree pane",
            Scope::List => "Key list",
            Scope::Search => "Search box",
            Scope::Help => "This help",
            Scope::Confirm => "Confirmation",
            Scope::Editor => "Editor",
        }
    }

    /// The scopes consulted, in order, for a key pressed in this situation.
    pub fn lookup_order(self) -> &'static [Scope] {
        match self {
            Scope::Tree => &[Scope::Tree, Scope::Global],
            Scope::List => &[Scope::List, Scope::Global],
            Scope::Global => &[Scope::Global],
            Scope::Search => &[Scope::Search],
            Scope::Help => &[Scope::Help],
            Scope::Confirm => &[Scope::Confirm],
            Scope::Editor => &[Scope::Editor],
        }
    }

    pub fn for_pane(pane: Pane) -> Scope {
        match pane {
            Pane::Tree => Scope::Tree,
            Pane::List => Scope::List,
        }
    }
}

/// One row of the keymap.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub scope: Scope,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub command: Command,
    /// What the help overlay says.
    pub label: &'static str,
    /// The short word in the status-line hints, for the bindings worth a hint.
    pub hint: Option<&'static str>,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn bind(
    scope: Scope,
    code: KeyCode,
    mods: KeyModifiers,
    command: Command,
    label: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        scope,
        code,
        mods,
        command,
        label,
        hint,
    }
}

use Command as C;
use KeyCode as K;
use Scope as S;

/// The keymap. Order matters only for display: the first key of a command is the one shown in
/// hints.
#[rustfmt::skip]
pub const KEYMAP: &[Binding] = &[
    // Everywhere (no box or overlay open)
    bind(S::Global, K::Char('k'), NONE, C::Up, "up", None),
    bind(S::Global, K::Up, NONE, C::Up, "up", None),
    bind(S::Global, K::Char('j'), NONE, C::Down, "down", None),
    bind(S::Global, K::Down, NONE, C::Down, "down", None),
    bind(S::Global, K::PageUp, NONE, C::PageUp, "page up", None),
    bind(S::Global, K::Char('b'), CTRL, C::PageUp, "page up", None),
    bind(S::Global, K::PageDown, NONE, C::PageDown, "page down", None),
    bind(S::Global, K::Char('f'), CTRL, C::PageDown, "page down", None),
    bind(S::Global, K::Char('g'), NONE, C::Top, "first row", None),
    bind(S::Global, K::Home, NONE, C::Top, "first row", None),
    bind(S::Global, K::Char('G'), NONE, C::Bottom, "last row", None),
    bind(S::Global, K::End, NONE, C::Bottom, "last row", None),
    bind(S::Global, K::Tab, NONE, C::FocusNext, "switch pane", Some("pane")),
    bind(S::Global, K::BackTab, NONE, C::FocusNext, "switch pane", None),
    bind(S::Global, K::Char('/'), NONE, C::Search, "fuzzy search keys", Some("search")),
    bind(S::Global, K::Esc, NONE, C::ClearFilter, "clear the search filter", None),
    bind(S::Global, K::Char('r'), NONE, C::Reveal, "reveal / hide the value", Some("reveal")),
    bind(S::Global, K::Char('J'), NONE, C::DetailDown, "scroll a long revealed value down", None),
    bind(S::Global, K::Char('K'), NONE, C::DetailUp, "scroll a long revealed value up", None),
    bind(S::Global, K::Char('c'), NONE, C::CopyValue, "copy the value", Some("copy")),
    bind(S::Global, K::Char('y'), NONE, C::CopyKey, "copy the key path", Some("key")),
    bind(S::Global, K::Char('p'), NONE, C::CopySnippet, "copy hs.v(\"…\") for Python", None),
    bind(S::Global, K::Char('S'), NONE, C::ToggleShare, "share mode on / off", Some("share")),
    bind(S::Global, K::Char('e'), NONE, C::Edit, "edit the value", Some("edit")),
    bind(S::Global, K::Char('F'), NONE, C::FillPlaceholder, "fill the next \"...\" placeholder", None),
    bind(S::Global, K::Char('R'), NONE, C::Rename, "rename the key's last part", None),
    bind(S::Global, K::Char('a'), NONE, C::Add, "add a key under the tree node", None),
    bind(S::Global, K::Char('d'), NONE, C::Delete, "delete the key (asks first)", None),
    bind(S::Global, K::Char('u'), NONE, C::Undo, "undo the last change", None),
    bind(S::Global, K::Char('E'), NONE, C::GenEnum, "write the Python enum module", None),
    bind(S::Global, K::Char('r'), CTRL, C::Reload, "reload the file from disk", None),
    bind(S::Global, K::Char('?'), NONE, C::Help, "help", Some("help")),
    bind(S::Global, K::Char('q'), NONE, C::Quit, "quit", Some("quit")),
    bind(S::Global, K::Char('c'), CTRL, C::Quit, "quit", None),
    // Tree pane
    bind(S::Tree, K::Char('h'), NONE, C::Collapse, "collapse / parent", Some("fold")),
    bind(S::Tree, K::Left, NONE, C::Collapse, "collapse / parent", None),
    bind(S::Tree, K::Char('l'), NONE, C::Expand, "expand / first child", Some("open")),
    bind(S::Tree, K::Right, NONE, C::Expand, "expand / first child", None),
    bind(S::Tree, K::Enter, NONE, C::Toggle, "expand / collapse", None),
    bind(S::Tree, K::Char(' '), NONE, C::Toggle, "expand / collapse", None),
    // Key list
    bind(S::List, K::Char('h'), NONE, C::FocusNext, "back to the tree", None),
    bind(S::List, K::Left, NONE, C::FocusNext, "back to the tree", None),
    bind(S::List, K::Enter, NONE, C::Reveal, "reveal / hide the value", None),
    // Search box
    bind(S::Search, K::Enter, NONE, C::SearchAccept, "keep the filter", Some("keep")),
    bind(S::Search, K::Esc, NONE, C::SearchCancel, "clear the filter", Some("clear")),
    bind(S::Search, K::Backspace, NONE, C::SearchBackspace, "delete a character", None),
    bind(S::Search, K::Char('w'), CTRL, C::SearchDeleteWord, "delete a word", None),
    bind(S::Search, K::Char('u'), CTRL, C::SearchClearLine, "delete the line", None),
    bind(S::Search, K::Char('a'), CTRL, C::SearchAll, "search all keys, not just the tree node's", None),
    bind(S::Search, K::Up, NONE, C::Up, "up", None),
    bind(S::Search, K::Char('p'), CTRL, C::Up, "up", None),
    bind(S::Search, K::Down, NONE, C::Down, "down", None),
    bind(S::Search, K::Char('n'), CTRL, C::Down, "down", None),
    bind(S::Search, K::PageUp, NONE, C::PageUp, "page up", None),
    bind(S::Search, K::PageDown, NONE, C::PageDown, "page down", None),
    bind(S::Search, K::Char('c'), CTRL, C::Quit, "quit", None),
    // Help overlay
    bind(S::Help, K::Esc, NONE, C::CloseHelp, "close", Some("close")),
    bind(S::Help, K::Char('?'), NONE, C::CloseHelp, "close", None),
    bind(S::Help, K::Char('q'), NONE, C::CloseHelp, "close", None),
    bind(S::Help, K::Char('k'), NONE, C::Up, "scroll up", None),
    bind(S::Help, K::Up, NONE, C::Up, "scroll up", None),
    bind(S::Help, K::Char('j'), NONE, C::Down, "scroll down", None),
    bind(S::Help, K::Down, NONE, C::Down, "scroll down", None),
    bind(S::Help, K::PageUp, NONE, C::PageUp, "scroll up a page", None),
    bind(S::Help, K::PageDown, NONE, C::PageDown, "scroll down a page", None),
    bind(S::Help, K::Char('c'), CTRL, C::Quit, "quit", None),
    // Confirmation
    bind(S::Confirm, K::Char('y'), NONE, C::Confirm, "yes", Some("yes")),
    bind(S::Confirm, K::Enter, NONE, C::Confirm, "yes", None),
    bind(S::Confirm, K::Char('n'), NONE, C::Cancel, "no", Some("no")),
    bind(S::Confirm, K::Esc, NONE, C::Cancel, "no", None),
    bind(S::Confirm, K::Char('c'), CTRL, C::Quit, "quit", None),
    // The one-line editor (other keys edit the text)
    bind(S::Editor, K::Enter, NONE, C::EditorSubmit, "save", Some("save")),
    bind(S::Editor, K::Esc, NONE, C::EditorCancel, "cancel", Some("cancel")),
    bind(S::Editor, K::Char('c'), CTRL, C::EditorCancel, "cancel", None),
    bind(S::Editor, K::Char('t'), CTRL, C::EditorType, "read the value as another type", Some("type")),
];

/// The command bound to `key` in `scope` (pane bindings before global ones).
pub fn lookup(scope: Scope, key: &KeyEvent) -> Option<Command> {
    let (code, mods) = normalize(key);
    scope.lookup_order().iter().find_map(|&s| {
        KEYMAP
            .iter()
            .find(|b| b.scope == s && b.code == code && b.mods == mods)
            .map(|b| b.command)
    })
}

/// Shift is part of the character (`G`, `?`, `S`); terminals disagree on whether they also
/// report it as a modifier, so it is dropped for characters.
fn normalize(key: &KeyEvent) -> (KeyCode, KeyModifiers) {
    let mut mods =
        key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    if matches!(key.code, KeyCode::Char(_)) || key.code == KeyCode::BackTab {
        mods -= KeyModifiers::SHIFT;
    }
    (key.code, mods)
}

/// How a key is written in hints and help: `j`, `↓`, `Ctrl-c`, `PgDn`.
pub fn key_name(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        K::Char(' ') => "Space".to_string(),
        K::Char(c) => c.to_string(),
        K::Up => "↑".into(),
        K::Down => "↓".into(),
        K::Left => "←".into(),
        K::Right => "→".into(),
        K::PageUp => "PgUp".into(),
        K::PageDown => "PgDn".into(),
        K::Home => "Home".into(),
        K::End => "End".into(),
        K::Enter => "Enter".into(),
        K::Esc => "Esc".into(),
        K::Tab => "Tab".into(),
        K::BackTab => "S-Tab".into(),
        K::Backspace => "Bksp".into(),
        other => format!("{other:?}"),
    };
    if mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

/// The status-line hints for a scope: `key word` pairs, pane bindings first.
pub fn hints(scope: Scope, allowed: impl Fn(Command) -> bool) -> Vec<(String, &'static str)> {
    scope
        .lookup_order()
        .iter()
        .flat_map(|&s| KEYMAP.iter().filter(move |b| b.scope == s))
        .filter(|b| allowed(b.command))
        .filter_map(|b| b.hint.map(|h| (key_name(b.code, b.mods), h)))
        .collect()
}

/// Keys the table above does not route (the editor's text keys are handled by `tui-input`, the
/// mouse by the state), listed in the help all the same: (section, keys, what).
pub const EXTRA_HELP: &[(&str, &str, &str)] = &[
    ("Editor", "← → Home End", "move in the text"),
    (
        "Editor",
        "Backspace Del Ctrl-w Ctrl-u",
        "delete a character, a word, the line",
    ),
    (
        "Mouse",
        "click",
        "select a row (click a selected tree node to open it)",
    ),
    (
        "Mouse",
        "wheel",
        "scroll the tree, the list or the detail pane",
    ),
];

/// One help row: every key of a command in a scope, and its label.
pub struct HelpRow {
    pub keys: String,
    pub label: &'static str,
}

/// The help overlay's content: per scope, the commands in keymap order with all their keys.
pub fn help_sections() -> Vec<(Scope, Vec<HelpRow>)> {
    Scope::ALL
        .iter()
        .map(|&scope| {
            let mut rows: Vec<(Command, HelpRow)> = Vec::new();
            for b in KEYMAP.iter().filter(|b| b.scope == scope) {
                let name = key_name(b.code, b.mods);
                match rows
                    .iter_mut()
                    .find(|(c, r)| *c == b.command && r.label == b.label)
                {
                    Some((_, row)) => {
                        row.keys.push(' ');
                        row.keys.push_str(&name);
                    }
                    None => rows.push((
                        b.command,
                        HelpRow {
                            keys: name,
                            label: b.label,
                        },
                    )),
                }
            }
            (scope, rows.into_iter().map(|(_, r)| r).collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_key_is_bound_twice_where_it_can_be_pressed() {
        for scope in Scope::ALL {
            let mut seen = HashSet::new();
            for &s in scope.lookup_order() {
                for b in KEYMAP.iter().filter(|b| b.scope == s) {
                    assert!(
                        seen.insert((b.code, b.mods)),
                        "{} is bound twice for {:?}",
                        key_name(b.code, b.mods),
                        scope
                    );
                }
            }
        }
    }

    #[test]
    fn every_command_has_a_key_and_a_help_row() {
        let sections = help_sections();
        for command in Command::ALL {
            let binding = KEYMAP.iter().find(|b| b.command == command);
            let Some(binding) = binding else {
                panic!("{command:?} has no key");
            };
            let in_help = sections
                .iter()
                .any(|(_, rows)| rows.iter().any(|r| r.label == binding.label));
            assert!(in_help, "{command:?} is missing from the help");
        }
    }

    #[test]
    fn pane_bindings_come_before_global_ones() {
        let h = KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::Tree, &h), Some(Command::Collapse));
        assert_eq!(lookup(Scope::List, &h), Some(Command::FocusNext));
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::Tree, &q), Some(Command::Quit));
        assert_eq!(
            lookup(Scope::Search, &q),
            None,
            "q is typed in the search box"
        );
    }

    #[test]
    fn shift_is_ignored_for_characters() {
        let g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Scope::List, &g), Some(Command::Bottom));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Scope::Search, &ctrl_c), Some(Command::Quit));
    }

    #[test]
    fn hints_follow_the_scope() {
        let words: Vec<&str> = hints(Scope::Search, |_| true)
            .iter()
            .map(|(_, w)| *w)
            .collect();
        assert_eq!(words, ["keep", "clear"]);
        let tree: Vec<&str> = hints(Scope::Tree, |_| true)
            .iter()
            .map(|(_, w)| *w)
            .collect();
        assert!(tree.starts_with(&["fold", "open", "pane"]));
    }
}
