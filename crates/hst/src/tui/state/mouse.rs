//! Clicks and the wheel, hit-tested against the same layout the screen is drawn with.

use super::{Overlay, State, WHEEL_STEP};
use crate::tui::action::{Mouse, Pane};
use crate::tui::layout;

impl State {
    pub(super) fn mouse(&mut self, mouse: Mouse) {
        let Some(areas) = self.areas else { return };
        if self.overlay != Overlay::None {
            return;
        }
        let (_, list_h) = self.heights();
        match mouse {
            Mouse::Click { column, row } => {
                if let Some(r) = layout::row_in(areas.tree, column, row) {
                    let target = self.tree_view.offset() + r;
                    if target < self.tree_view.rows().len() {
                        self.focus = Pane::Tree;
                        if target == self.tree_view.cursor() {
                            self.tree_move(|v, t, h| v.toggle(t, h));
                        } else {
                            self.tree_move(|v, _, h| v.move_to(target, h));
                        }
                    }
                } else if let Some(r) = layout::row_in(areas.list, column, row) {
                    let target = self.list.offset() + r;
                    if target < self.list.len() {
                        self.focus = Pane::List;
                        self.list.move_to(target, list_h);
                    }
                }
            }
            Mouse::ScrollUp { column, row } | Mouse::ScrollDown { column, row } => {
                let delta = if matches!(mouse, Mouse::ScrollUp { .. }) {
                    -WHEEL_STEP
                } else {
                    WHEEL_STEP
                };
                if layout::contains(areas.tree, column, row) {
                    self.tree_move(|v, _, h| v.move_by(delta, h));
                } else if layout::contains(areas.list, column, row) {
                    self.list.move_by(delta, list_h);
                } else if layout::contains(areas.detail, column, row) {
                    self.scroll_detail(delta.signum() as i32);
                }
            }
        }
    }
}
