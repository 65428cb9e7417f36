//! The search box's commands: opening it, editing and clearing the filter, and picking a key in
//! pick mode (typed characters arrive as `Action::Input`, in `State::apply`).

use super::State;
use crate::tui::action::{Command, Pane};

impl State {
    /// The search box (and, in pick mode, picking).
    pub(super) fn search_command(&mut self, command: Command) {
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
                let (_, list_h) = self.heights();
                self.list.rank_now(self.loaded.borrow_dependent(), list_h);
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

    fn clear_search(&mut self) {
        self.search.clear();
        let keep = self.list.selected();
        self.refilter(keep);
        self.resize(self.screen);
    }
}
