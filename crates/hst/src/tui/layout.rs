//! Where each part of the screen goes. One function, used for drawing, for the scroll viewports
//! in the state, and for mouse hit-testing, so the three always agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the layout would be unreadable; a one-line notice is drawn instead.
pub const MIN_WIDTH: u16 = 40;
/// From this width the tree and the key list stand side by side; below it the one with the
/// keyboard takes the width (Tab switches), so the key list and the detail pane stay readable.
pub const SIDE_BY_SIDE: u16 = 64;
pub const MIN_HEIGHT: u16 = 12;

/// Lines of the detail pane, borders included, unless what it shows needs more.
const DETAIL_HEIGHT: u16 = 8;
/// Rows the key list keeps when the detail pane grows for a revealed value.
const LIST_KEEPS: u16 = 5;

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
    fitting(screen, show_search, false, |_| 0)
}

/// [`areas`], with the detail pane as tall as `detail_rows(inner width)` asks for (a revealed
/// value shown whole), as far as the key list keeps a few rows.
pub fn fitting(
    screen: Rect,
    show_search: bool,
    tree_focused: bool,
    detail_rows: impl FnOnce(u16) -> usize,
) -> Option<Areas> {
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
    if screen.width < SIDE_BY_SIDE {
        return Some(narrow(
            title,
            body,
            search,
            status,
            tree_focused,
            detail_rows,
        ));
    }
    let tree_width = (screen.width * 3 / 10).clamp(22, 44);
    let [tree, right] =
        Layout::horizontal([Constraint::Length(tree_width), Constraint::Fill(1)]).areas(body);
    let [list, detail] = list_and_detail(right, detail_rows);
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

/// The key list above the detail pane in `right`, the detail pane as tall as it asks.
fn list_and_detail(right: Rect, detail_rows: impl FnOnce(u16) -> usize) -> [Rect; 2] {
    let wanted = u16::try_from(detail_rows(right.width.saturating_sub(2)))
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    // On a small screen the list keeps rows too: the detail pane gets at most half.
    let base = DETAIL_HEIGHT.min(right.height / 2);
    let room = right.height.saturating_sub(LIST_KEEPS).max(base);
    let detail_height = wanted.clamp(base, room);
    Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_height)]).areas(right)
}

/// Below [`SIDE_BY_SIDE`]: the tree or the key list over the whole width (the other keeps its
/// height, so scrolling works, but no width: nothing is drawn there and no click lands in it),
/// the detail pane below both.
fn narrow(
    title: Rect,
    body: Rect,
    search: Rect,
    status: Rect,
    tree_focused: bool,
    detail_rows: impl FnOnce(u16) -> usize,
) -> Areas {
    let [top, detail] = list_and_detail(body, detail_rows);
    let hidden = Rect::new(top.x, top.y, 0, top.height);
    let (tree, list) = if tree_focused {
        (top, hidden)
    } else {
        (hidden, top)
    };
    Areas {
        title,
        tree,
        list,
        detail,
        search,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_small_gives_no_layout() {
        assert!(areas(Rect::new(0, 0, 39, 30), false).is_none());
        assert!(areas(Rect::new(0, 0, 120, 11), false).is_none());
        assert!(areas(Rect::new(0, 0, 40, 12), true).is_some());
    }

    #[test]
    fn a_narrow_screen_shows_the_focused_pane_over_the_whole_width() {
        let screen = Rect::new(0, 0, 50, 20);
        let list = fitting(screen, false, false, |_| 0).unwrap_or_default();
        assert_eq!(
            (list.list.width, list.tree.width, list.detail.width),
            (50, 0, 50)
        );
        let tree = fitting(screen, false, true, |_| 0).unwrap_or_default();
        assert_eq!((tree.list.width, tree.tree.width), (0, 50));
        assert_eq!(
            tree.list.height, list.list.height,
            "the hidden one keeps its rows"
        );
        assert_eq!(
            row_in(tree.list, 3, tree.list.y + 1),
            None,
            "no click lands in it"
        );
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

    #[test]
    fn the_detail_pane_grows_for_what_it_shows_and_the_list_keeps_rows() {
        let screen = Rect::new(0, 0, 100, 30);
        let base = areas(screen, false).unwrap_or_default();
        let grown = fitting(screen, false, false, |_| 12).unwrap_or_default();
        assert_eq!(grown.detail.height, 14);
        assert_eq!(grown.list.height + grown.detail.height, base.tree.height);
        let huge = fitting(screen, false, false, |_| 1000).unwrap_or_default();
        assert_eq!(huge.list.height, LIST_KEEPS);
        let small = fitting(screen, false, false, |_| 2).unwrap_or_default();
        assert_eq!(small.detail.height, DETAIL_HEIGHT);
        // At the smallest size the key list still has rows.
        let tiny = areas(Rect::new(0, 0, MIN_WIDTH, MIN_HEIGHT), false).unwrap_or_default();
        assert!(tiny.list_rows() >= 2, "{} list rows", tiny.list_rows());
    }
}
