//! The tree pane: provider → account → user → secret, with counts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::action::Pane;
use crate::tui::state::{State, TreeView};
use crate::tui::theme::theme;
use home_secret_toml::tree::{NodeKind, ROOT};

use super::{cursor_style, pane};
use crate::tui::fit::head;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let focused = state.focus() == Pane::Tree && !state.is_searching();
    let block = pane("Tree", focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let view = state.tree_view();
    let tree = state.tree();
    let width = inner.width as usize;
    let lines: Vec<Line> = view
        .rows()
        .iter()
        .enumerate()
        .skip(view.offset())
        .take(inner.height as usize)
        .map(|(i, row)| {
            let node = tree.node(row.node);
            let marker = if !TreeView::has_folders(tree, row.node) {
                "·"
            } else if view.is_expanded(row.node) {
                "▾"
            } else {
                "▸"
            };
            let name = if row.node == ROOT {
                "All secrets".to_string()
            } else {
                state.node_name(row.node)
            };
            let count = node.count().to_string();
            let indent = "  ".repeat(row.depth as usize);
            // indent, marker, space, name, space, count
            let room = width.saturating_sub(indent.len() + 3 + count.len());
            let mut line = Line::from(vec![
                Span::raw(indent),
                Span::styled(marker, theme().dim),
                Span::raw(" "),
                Span::styled(head(&name, room), kind_style(node.kind())),
                Span::raw(" "),
                Span::styled(count, theme().dim),
            ]);
            if i == view.cursor() {
                line = line.style(cursor_style(focused));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn kind_style(kind: NodeKind) -> Style {
    match kind {
        NodeKind::Root => theme().title,
        NodeKind::Provider => theme().provider,
        NodeKind::Account => theme().account,
        NodeKind::User => theme().user,
        NodeKind::Secret => theme().secret,
        // Group, Leaf and any later kind: drawn as plain segments.
        _ => theme().group,
    }
}
