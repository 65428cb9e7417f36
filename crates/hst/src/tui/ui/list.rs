//! The key list: `key  value  line`, only the rows on screen are built.

use ratatui::Frame;
use ratatui::layout::{Alignment, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::tui::action::Pane;
use crate::tui::filter::Filter;
use crate::tui::state::State;
use crate::tui::theme::theme;

use super::{cursor_style, highlighted, pane};
use crate::tui::fit::{columns, head, one_line, tail, wrap_at};

/// Wide enough for every mask (`••••••••`, `gh***00`); a revealed value is cut to it here and
/// shown whole in the detail pane.
const VALUE_WIDTH: usize = 12;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let focused = state.focus() == Pane::List || state.is_searching();
    let list = state.list();
    let node = state.tree_view().selected();
    let total = state.tree().entry_range(node).len();
    let count = if list.len() == total {
        total.to_string()
    } else {
        format!("{} of {total}", list.len())
    };
    let title = match state.node_prefix(node).dotted() {
        "" => format!("Keys {count}"),
        prefix => format!("Keys in {prefix} · {count}"),
    };
    let mut block = pane(&title, focused);
    if !list.is_empty() {
        // Where the cursor is: "12/340" on the bottom border.
        block = block.title_bottom(
            Line::styled(
                format!(" {}/{} ", list.cursor() + 1, list.len()),
                theme().dim,
            )
            .right_aligned(),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if list.len() > usize::from(inner.height) {
        let mut bar = ScrollbarState::new(list.len()).position(list.cursor());
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            area.inner(Margin::new(0, 1)),
            &mut bar,
        );
    }
    if let Some(text) = state.empty_list_text() {
        let rows = wrap_at(&text, usize::from(inner.width), &[' ']);
        let lines: Vec<Line> = rows.into_iter().map(Line::from).collect();
        frame.render_widget(
            Paragraph::new(lines)
                .style(theme().dim)
                .alignment(Alignment::Center),
            inner,
        );
        return;
    }
    let line_width = state.file().source().line_count().to_string().len().max(3);
    let widths = Widths {
        key: (inner.width as usize).saturating_sub(VALUE_WIDTH + line_width + 4),
        line: line_width,
    };
    let mut filter = Filter::new(state.search_text());
    let lines: Vec<Line> = list
        .visible(inner.height as usize)
        .map(|(row, index)| {
            let line = row_line(state, index, widths, &mut filter);
            if row == list.cursor() {
                line.style(cursor_style(focused))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

#[derive(Clone, Copy)]
struct Widths {
    key: usize,
    line: usize,
}

/// One row: the key (its end kept, matches highlighted), the value as shown, the line number.
fn row_line(state: &State, index: usize, widths: Widths, filter: &mut Filter) -> Line<'static> {
    let Some(entry) = state.entry(index) else {
        return Line::default();
    };
    // Control characters (a quoted key may hold a tab) would shift the row: one space each,
    // which keeps the byte offsets the highlights use.
    let key_text = entry.key.dotted();
    let cleaned;
    let key = if key_text.bytes().any(|b| b.is_ascii_control()) {
        cleaned = key_text
            .chars()
            .map(|c| if c.is_ascii_control() { ' ' } else { c })
            .collect::<String>();
        cleaned.as_str()
    } else {
        key_text
    };
    let (shown, dropped) = tail(key, widths.key);
    let marks = filter.highlights(key);
    let mut spans = Vec::with_capacity(8);
    if dropped > 0 && widths.key > 0 {
        spans.push(Span::styled("…", theme().dim));
        spans.extend(highlighted(key, &marks, dropped, Default::default()));
    } else {
        spans.extend(highlighted(&shown, &marks, 0, Default::default()));
    }
    let pad = widths.key.saturating_sub(columns(&shown));
    spans.push(Span::raw(" ".repeat(pad + 2)));
    let value = head(&one_line(&state.shown_value(index)), VALUE_WIDTH);
    let value_style = if state.is_revealed(index) {
        theme().revealed
    } else {
        theme().masked
    };
    let vpad = VALUE_WIDTH.saturating_sub(columns(&value));
    spans.push(Span::styled(value, value_style));
    spans.push(Span::raw(" ".repeat(vpad + 2)));
    let line_width = widths.line;
    spans.push(Span::styled(
        format!("{:>line_width$}", entry.line),
        theme().dim,
    ));
    Line::from(spans)
}
