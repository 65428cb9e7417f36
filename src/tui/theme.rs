//! Colours and styles, in one place.

use ratatui::style::{Color, Modifier, Style};

pub struct Theme {
    pub title: Style,
    pub app_badge: Style,
    pub share_badge: Style,
    pub read_only_badge: Style,
    pub border: Style,
    pub border_focused: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub dim: Style,
    pub matched: Style,
    pub masked: Style,
    pub revealed: Style,
    pub label: Style,
    pub provider: Style,
    pub account: Style,
    pub user: Style,
    pub secret: Style,
    pub group: Style,
    pub key_hint: Style,
    pub info: Style,
    pub success: Style,
    pub warning: Style,
    pub error: Style,
}

pub const THEME: Theme = Theme {
    title: Style::new().fg(Color::White),
    app_badge: Style::new()
        .fg(Color::Black)
        .bg(Color::Cyan)
        .add_modifier(Modifier::BOLD),
    share_badge: Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD),
    read_only_badge: Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD),
    border: Style::new().fg(Color::DarkGray),
    border_focused: Style::new().fg(Color::Cyan),
    selected: Style::new()
        .bg(Color::Blue)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD),
    selected_unfocused: Style::new()
        .bg(Color::Indexed(238))
        .add_modifier(Modifier::BOLD),
    dim: Style::new().fg(Color::DarkGray),
    matched: Style::new()
        .fg(Color::LightYellow)
        .add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
    masked: Style::new().fg(Color::Gray),
    revealed: Style::new()
        .fg(Color::Black)
        .bg(Color::LightYellow)
        .add_modifier(Modifier::BOLD),
    label: Style::new().fg(Color::Cyan),
    provider: Style::new()
        .fg(Color::LightCyan)
        .add_modifier(Modifier::BOLD),
    account: Style::new().fg(Color::LightGreen),
    user: Style::new().fg(Color::LightMagenta),
    secret: Style::new().fg(Color::LightYellow),
    group: Style::new().fg(Color::Gray),
    key_hint: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    info: Style::new().fg(Color::Cyan),
    success: Style::new().fg(Color::Green),
    warning: Style::new().fg(Color::Yellow),
    error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
};
