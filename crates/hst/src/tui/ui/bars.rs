//! The one-line bars: title (file, counts, badges), search line, status line (message or hints).

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::keymap::hints;
use crate::tui::state::{State, Tone};
use crate::tui::theme::theme;
use home_secret_toml::path::display;

pub fn title(state: &State, frame: &mut Frame, area: Rect) {
    let total = state.entry_count();
    let where_ = state
        .title()
        .map_or_else(|| display(state.file().path()), str::to_string);
    let left = Line::from(vec![
        Span::styled(" hst ", theme().app_badge),
        Span::raw(" "),
        Span::styled(where_, theme().title),
        Span::styled(
            format!("  {total} secret{}", if total == 1 { "" } else { "s" }),
            theme().dim,
        ),
    ]);
    frame.render_widget(Paragraph::new(left), area);
    let mut badges = Vec::new();
    if state.is_read_only() && !state.is_picking() {
        badges.push(Span::styled(" READ-ONLY ", theme().read_only_badge));
        badges.push(Span::raw(" "));
    }
    if state.is_picking() {
        badges.push(Span::styled(" PICK A KEY ", theme().app_badge));
        badges.push(Span::raw(" "));
    }
    if state.is_share() {
        badges.push(Span::styled(" SHARE ", theme().share_badge));
    }
    frame.render_widget(
        Paragraph::new(Line::from(badges)).alignment(Alignment::Right),
        area,
    );
}

pub fn search(state: &State, frame: &mut Frame, area: Rect) {
    let text = state.search_text();
    let how = if text.contains([' ', ',']) {
        "terms"
    } else if state.list().ranking() {
        // The matches are all there; their order by score is on its way.
        "fuzzy, ranking…"
    } else {
        "fuzzy"
    };
    let mut spans = vec![
        Span::styled("/", theme().key_hint),
        Span::raw(text.to_string()),
    ];
    if state.is_searching() {
        spans.push(Span::styled("█", theme().dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    let n = state.list().len();
    let prefix = state.node_prefix(state.tree_view().selected());
    // Searching inside a tree node finds only its keys: say so, and how to search them all.
    let scope = if prefix.is_empty() {
        String::new()
    } else {
        format!(" in {prefix} · Ctrl-a all keys")
    };
    let right = format!(
        "{n} match{}{scope} · {how} ",
        if n == 1 { "" } else { "es" }
    );
    frame.render_widget(
        Paragraph::new(Span::styled(right, theme().dim)).alignment(Alignment::Right),
        area,
    );
}

pub fn status(state: &State, frame: &mut Frame, area: Rect) {
    let line = if let Some(status) = state.status() {
        let style = match status.tone {
            Tone::Info => theme().info,
            Tone::Success => theme().success,
            Tone::Warning => theme().warning,
            Tone::Error => theme().error,
        };
        Line::from(Span::styled(format!(" {}", status.text), style))
    } else if let Some(reveal) = state.reveal().filter(|r| state.is_revealed(r.entry)) {
        let left = reveal.until.saturating_duration_since(state.now());
        let secs = left.as_millis().div_ceil(1000);
        Line::from(vec![
            Span::styled(format!(" Revealed · hides in {secs} s · "), theme().warning),
            Span::styled("r", theme().key_hint),
            Span::raw(" hides it now"),
        ])
    } else if let Some(at) = state.clipboard_clears() {
        let secs = at
            .saturating_duration_since(state.now())
            .as_millis()
            .div_ceil(1000);
        Line::from(Span::styled(
            format!(" Clipboard clears in {secs} s"),
            theme().info,
        ))
    } else {
        let mut spans = vec![Span::raw(" ")];
        for (key, word) in hints(state.scope(), |c| state.allows(c)) {
            // A picker's Enter picks and its Esc gives up.
            let word = match word {
                "keep" if state.is_picking() => "pick",
                "clear" if state.is_picking() => "clear / cancel",
                other => other,
            };
            spans.push(Span::styled(key, theme().key_hint));
            spans.push(Span::raw(format!(" {word}  ")));
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}
