//! What is drawn on top: the help overlay (generated from the keymap), confirmations, and the
//! notice for a terminal that is too small.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use crate::tui::keymap::{EXTRA_HELP, help_sections};
use crate::tui::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::state::{Editor, Overlay, State};
use crate::tui::theme::theme;
use home_secret_toml::mask::SHARE_MASK;

use super::centered;
use crate::tui::fit::{one_line, wrap_at};

pub fn render(state: &State, frame: &mut Frame, screen: Rect) {
    if let Some(editor) = state.editor() {
        return editor_popup(state, editor, frame, screen);
    }
    match state.overlay() {
        Overlay::None => {}
        Overlay::Help { scroll } => help(frame, screen, *scroll),
        Overlay::Confirm(confirm) => {
            // As tall as the wrapped question needs: the y/n line is never cut.
            let width = screen
                .width
                .saturating_sub(8)
                .clamp(40.min(screen.width), 72);
            let question = wrap_at(
                &confirm.question(),
                usize::from(width.saturating_sub(2)),
                &[' '],
            );
            let height = u16::try_from(question.len() + 4)
                .unwrap_or(u16::MAX)
                .min(screen.height);
            let area = centered(screen, width, height);
            let block = popup(" Confirm ");
            let mut text: Vec<Line> = question.into_iter().map(Line::raw).collect();
            text.push(Line::raw(""));
            text.push(Line::from(vec![
                Span::styled("y", theme().key_hint),
                Span::raw(" yes   "),
                Span::styled("n", theme().key_hint),
                Span::raw(" no"),
            ]));
            frame.render_widget(Clear, area);
            frame.render_widget(Paragraph::new(text).block(block), area);
        }
    }
}

/// The one-line editor: title, the text (masked in share mode when it is a value), a hint or
/// the reason the last Enter was refused. As wide as the screen allows, and as tall as its
/// wrapped title and message need: a refusal is never cut.
fn editor_popup(state: &State, editor: &Editor, frame: &mut Frame, screen: Rect) {
    let width = screen
        .width
        .saturating_sub(8)
        .clamp(40.min(screen.width), 120);
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    // At most two rows of title (a very long key keeps its end), so the input always shows.
    let mut title_rows = wrap_at(&editor.prompt.title(), inner_width, &[' ']);
    if title_rows.len() > 2 {
        let tail_rows = title_rows.split_off(title_rows.len() - 2);
        title_rows = tail_rows;
        if let Some(first) = title_rows.first_mut() {
            first.replace_range(..first.chars().next().map_or(0, char::len_utf8), "…");
        }
    }
    let message_rows = match &editor.error {
        Some(e) => wrap_at(e, inner_width, &[' ']),
        None => Vec::new(),
    };
    let rows = title_rows.len() + 1 + message_rows.len().max(1);
    let height = u16::try_from(rows + 2)
        .unwrap_or(u16::MAX)
        .min(screen.height);
    let area = centered(screen, width, height);
    let block = popup(" Edit ");
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let field = inner.width.saturating_sub(2) as usize;
    let value = editor.input.value();
    let masked = state.is_share() && editor.prompt.is_secret();
    // Share mode: a fixed mask, so not even the length of what is typed shows.
    let (visible, cursor) = if masked {
        let mask = if value.is_empty() { "" } else { SHARE_MASK };
        (mask.to_string(), mask.chars().count() as u16)
    } else {
        let scroll = editor.input.visual_scroll(field);
        let visible: String = value.chars().skip(scroll).take(field).collect();
        (
            visible,
            editor.input.visual_cursor().saturating_sub(scroll) as u16,
        )
    };
    let mut lines: Vec<Line> = title_rows
        .into_iter()
        .map(|row| Line::styled(row, theme().label))
        .collect();
    let input_row = lines.len() as u16;
    lines.push(Line::from(vec![
        Span::styled("> ", theme().dim),
        Span::raw(one_line(&visible)),
    ]));
    if message_rows.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Enter", theme().key_hint),
            Span::raw(format!(" {}  ", editor.prompt.enter_does())),
            Span::styled("Esc", theme().key_hint),
            Span::raw(" cancels"),
        ]));
    } else {
        lines.extend(
            message_rows
                .into_iter()
                .map(|row| Line::styled(row, theme().error)),
        );
    }
    frame.render_widget(Paragraph::new(lines), inner);
    frame.set_cursor_position((inner.x + 2 + cursor, inner.y + input_row));
}

fn popup(title: &str) -> Block<'_> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme().border_focused)
        .title(Span::styled(title, theme().border_focused))
}

fn help(frame: &mut Frame, screen: Rect, scroll: u16) {
    let mut lines = Vec::new();
    for (scope, rows) in help_sections() {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            scope.title(),
            theme().label.add_modifier(Modifier::BOLD),
        ));
        for row in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", row.keys), theme().key_hint),
                Span::raw(row.label),
            ]));
        }
    }
    let mut section = "";
    for (title, keys, label) in EXTRA_HELP {
        if *title != section {
            section = title;
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!("{title} (more)"),
                theme().label.add_modifier(Modifier::BOLD),
            ));
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<30}"), theme().key_hint),
            Span::raw(*label),
        ]));
    }
    let height = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
    let area = centered(screen, screen.width.saturating_sub(4).min(96), height);
    let max_scroll = (lines.len() as u16).saturating_sub(height.saturating_sub(2));
    let title = if max_scroll > 0 {
        " Keys · j/k PgDn/PgUp scroll · Esc closes "
    } else {
        " Keys · Esc closes "
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(max_scroll), 0))
            .block(popup(title)),
        area,
    );
}

/// Wrapped, so that the size needed shows even on a very small screen; keys do nothing here
/// but quit.
pub fn too_small(frame: &mut Frame, screen: Rect) {
    let text = format!(
        "Too small: {}×{}, need {MIN_WIDTH}×{MIN_HEIGHT} (q quits)",
        screen.width, screen.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(theme().warning)
            .wrap(ratatui::widgets::Wrap { trim: true }),
        screen,
    );
}
