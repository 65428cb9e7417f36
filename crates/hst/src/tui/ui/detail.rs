//! The detail pane: everything about the selected entry, its value masked unless revealed. A
//! revealed value is shown whole: its own line breaks kept, wrapped at the pane's width, the
//! pane grown to fit (see `layout::fitting`) and scrollable when even that is not enough.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use ratatui::style::Style;

use crate::tui::state::State;
use crate::tui::state::detail::{LABEL_WIDTH, Look};
use crate::tui::theme::theme;

use super::pane;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let inner_probe = pane("", false).inner(area);
    let lines = content(state, inner_probe.width);
    let shown = usize::from(inner_probe.height);
    let scrollable = lines.len() > shown;
    let title = if scrollable {
        "Detail · J/K scroll"
    } else {
        "Detail"
    };
    let block = pane(title, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let max = u16::try_from(lines.len().saturating_sub(shown)).unwrap_or(u16::MAX);
    let scroll = state.detail_scroll().min(max);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    if scrollable {
        let mut bar = ScrollbarState::new(usize::from(max) + 1).position(usize::from(scroll));
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            area.inner(Margin::new(0, 1)),
            &mut bar,
        );
    }
}

/// The state's rows, styled.
fn content(state: &State, width: u16) -> Vec<Line<'static>> {
    let theme = theme();
    state
        .detail_rows(width)
        .into_iter()
        .map(|row| {
            let style = match row.look {
                Look::Plain => Style::new(),
                Look::Masked | Look::MaskedWithHint => theme.masked,
                Look::Revealed => theme.revealed,
                Look::Dim => theme.dim,
            };
            let mut line = Line::from(vec![
                Span::styled(format!("{:<LABEL_WIDTH$}", row.label), theme.label),
                Span::styled(row.text, style),
            ]);
            if row.look == Look::MaskedWithHint {
                line.push_span(Span::styled("  r reveals", theme.dim));
            }
            line
        })
        .collect()
}
