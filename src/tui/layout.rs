//! Where each part of the screen goes. One function, used for drawing, for the scroll viewports
//! in the state, and for mouse hit-testing, so the three always agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the layout would be unreadable; a one-line notice is drawn instead.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// Lines of the detail pane, borders included.
const DETAIL_HEIGHT: u16 = 8;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub tree: Rect,
    pub list: Rect,
    pub detail: Rect,
    /// The search line (zero height when there is no search).
    pub search: Rect,
    pub status: Rect,
}

impl Areas {
    /// Rows of entries the list shows at once (inside its border).
    pub fn list_rows(&self) -> usize {
        self.list.height.saturating_sub(2) as usize
    }

    pub fn tree_rows(&self) -> usize {
        self.tree.height.saturating_sub(2) as usize
    }
}

/// `None` when the terminal is too small for the layout.
pub fn areas(screen: Rect, show_search: bool) -> Option<Areas> {
    if screen.width < MIN_WIDTH || screen.height < MIN_HEIGHT {
        return None;
    }
    let [title, body, search, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(u16::from(show_search)),
        Constraint::Length(1),
    ])
    .areas(screen);
    let tree_width = (screen.width * 3 / 10).clamp(22, 44);
    let [tree, right] =
        Layout::horizontal([Constraint::Length(tree_width), Constraint::Fill(1)]).areas(body);
    let [list, detail] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(DETAIL_HEIGHT)]).areas(right);
    Some(Areas {
        title,
        tree,
        list,
        detail,
        search,
        status,
    })
}

/// The row inside a bordered pane that a screen position falls on.
pub fn row_in(pane: Rect, column: u16, row: u16) -> Option<usize> {
    let inner = Rect {
        x: pane.x + 1,
        y: pane.y + 1,
        width: pane.width.saturating_sub(2),
        height: pane.height.saturating_sub(2),
    };
    inner
        .contains(ratatui::layout::Position { x: column, y: row })
        .then(|| (row - inner.y) as usize)
}

pub fn contains(pane: Rect, column: u16, row: u16) -> bool {
    pane.contains(ratatui::layout::Position { x: column, y: row })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_small_gives_no_layout() {
        assert!(areas(Rect::new(0, 0, 49, 30), false).is_none());
        assert!(areas(Rect::new(0, 0, 120, 11), false).is_none());
        assert!(areas(Rect::new(0, 0, 50, 12), true).is_some());
    }

    #[test]
    fn areas_tile_the_screen() {
        let screen = Rect::new(0, 0, 100, 30);
        let a = areas(screen, true).unwrap_or_default();
        assert_eq!(
            a.title.height + a.tree.height + a.search.height + a.status.height,
            30
        );
        assert_eq!(a.tree.width + a.list.width, 100);
        assert_eq!(a.list.height + a.detail.height, a.tree.height);
        assert_eq!(row_in(a.list, a.list.x + 3, a.list.y + 1), Some(0));
        assert_eq!(row_in(a.list, a.list.x, a.list.y + 1), None, "border");
    }
}
