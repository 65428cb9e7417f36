//! Commands, each sent to the handler of the scope it arrives in: the editor, the help and confirm
//! overlays, or the panes' handlers by concern (moving is in `panes.rs`, the search box in
//! `search.rs`, changes to the file in `changes.rs`).

use super::{Confirm, Effect, Overlay, State, Tone, exposure};
use crate::tui::action::Command;

impl State {
    /// One handler per scope: the editor, the overlays, then the panes' commands by concern.
    pub(super) fn command(&mut self, command: Command, effects: &mut Vec<Effect>) {
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

    /// What is shown or copied of the values.
    fn exposure_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        match command {
            Command::Reveal => self.toggle_reveal(effects),
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
                    Confirm::Delete { key, .. } => self.confirmed_delete(key, effects),
                    Confirm::Move { from, to, .. } => self.confirmed_move(from, to, effects),
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

    pub(super) fn toggle_reveal(&mut self, effects: &mut Vec<Effect>) {
        let Some((index, _)) = self.selected() else {
            return;
        };
        // A reference's value is fetched before it is shown (not in share mode, where nothing
        // is shown, nor to hide it again).
        if !self.is_share()
            && !self.is_revealed(index)
            && self.fetch_first(index, crate::tui::action::AfterResolve::Reveal, effects)
        {
            return;
        }
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
}
