//! What is drawn on top: the help overlay (generated from the keymap), confirmations, and the
//! notice for a terminal that is too small.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use crate::tui::keymap::help_sections;
use crate::tui::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::state::{Overlay, State};
use crate::tui::theme::THEME;

use super::centered;

pub fn render(state: &State, frame: &mut Frame, screen: Rect) {
    match state.overlay() {
        Overlay::None => {}
        Overlay::Help { scroll } => help(frame, screen, scroll),
        Overlay::Confirm(confirm) => {
            let area = centered(screen, 50, 6);
            let block = popup(" Confirm ");
            let text = vec![
                Line::raw(confirm.question()),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("y", THEME.key_hint),
                    Span::raw(" yes   "),
                    Span::styled("n", THEME.key_hint),
                    Span::raw(" no"),
                ]),
            ];
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
                area,
            );
        }
    }
}

fn popup(title: &str) -> Block<'_> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(THEME.border_focused)
        .title(Span::styled(title, THEME.border_focused))
}

fn help(frame: &mut Frame, screen: Rect, scroll: u16) {
    let mut lines = Vec::new();
    for (scope, rows) in help_sections() {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            scope.title(),
            THEME.label.add_modifier(Modifier::BOLD),
        ));
        for row in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<20}", row.keys), THEME.key_hint),
                Span::raw(row.label),
            ]));
        }
    }
    let height = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
    let area = centered(screen, 64, height);
    let max_scroll = (lines.len() as u16).saturating_sub(height.saturating_sub(2));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(max_scroll), 0))
            .block(popup(" Keys · Esc closes ")),
        area,
    );
}

pub fn too_small(frame: &mut Frame, screen: Rect) {
    let text = format!(
        "Too small: {}×{}, need {MIN_WIDTH}×{MIN_HEIGHT}",
        screen.width, screen.height
    );
    frame.render_widget(Paragraph::new(text).style(THEME.warning), screen);
}
