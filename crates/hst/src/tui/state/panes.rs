//! Moving in the panes and fitting them to the screen: the cursor keys, the tree selection the
//! list follows, the detail pane's scroll, and the layout after every change.

use ratatui::layout::Rect;

use super::{State, TreeView};
use crate::tui::action::{Command, Pane};
use crate::tui::layout;
use home_secret_toml::tree::Tree;

impl State {
    /// Moving in the panes.
    pub(super) fn navigate(&mut self, command: Command) {
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

    pub(super) fn scroll_detail(&mut self, delta: i32) {
        let Some(areas) = self.areas else { return };
        let rows = self.detail_rows(areas.detail.width.saturating_sub(2)).len();
        let shown = usize::from(areas.detail.height.saturating_sub(2));
        let max = u16::try_from(rows.saturating_sub(shown)).unwrap_or(u16::MAX);
        self.exposure.scroll_by(delta, max);
    }

    /// Moves in the tree; the list follows the selected node.
    pub(super) fn tree_move(&mut self, f: impl FnOnce(&mut TreeView, &Tree, usize)) {
        let before = self.tree_view.selected();
        let (tree_h, _) = self.heights();
        f(&mut self.tree_view, &self.tree, tree_h);
        if self.tree_view.selected() != before {
            self.refilter(None);
        }
    }

    pub(super) fn refilter(&mut self, keep: Option<usize>) {
        let range = self.tree.entry_range(self.tree_view.selected());
        let (_, list_h) = self.heights();
        self.list.refilter(
            self.loaded.borrow_dependent(),
            range,
            &self.search,
            keep,
            list_h,
        );
    }

    pub(super) fn heights(&self) -> (usize, usize) {
        self.areas
            .map_or((1, 1), |a| (a.tree_rows().max(1), a.list_rows().max(1)))
    }

    pub(super) fn resize(&mut self, screen: Rect) {
        self.screen = screen;
        self.relayout(true);
    }

    /// Places the panes again: the detail pane is as tall as the selected entry needs (a
    /// revealed value is shown whole). Cheap: it looks at one entry.
    pub(super) fn relayout(&mut self, always: bool) {
        let tree_focused = self.focus == Pane::Tree;
        let areas = layout::fitting(self.screen, self.shows_search(), tree_focused, |width| {
            self.detail_rows(width).len()
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
