//! Colours and styles, in one place: a colour theme, and a monochrome one for `NO_COLOR` and
//! terminals without colour (`TERM=vt100`), where everything that carries meaning (the cursor
//! row, the focused pane, a revealed value, the SHARE badge) is shown with reverse video, bold,
//! underline or a heavier border instead.

use std::cell::Cell;

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

pub struct Theme {
    /// The focused pane's border (a heavier line in monochrome, where colour cannot tell).
    pub focused_border: BorderType,
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
    focused_border: BorderType::Rounded,
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

/// Attributes only, no colour: what `NO_COLOR` asks for and a vt100 can show.
pub const MONOCHROME: Theme = Theme {
    focused_border: BorderType::Thick,
    title: Style::new(),
    app_badge: Style::new().add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
    share_badge: Style::new().add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
    read_only_badge: Style::new().add_modifier(Modifier::REVERSED),
    border: Style::new(),
    border_focused: Style::new().add_modifier(Modifier::BOLD),
    selected: Style::new().add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
    selected_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
    dim: Style::new(),
    matched: Style::new().add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
    masked: Style::new(),
    revealed: Style::new().add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
    label: Style::new().add_modifier(Modifier::BOLD),
    provider: Style::new().add_modifier(Modifier::BOLD),
    account: Style::new(),
    user: Style::new(),
    secret: Style::new(),
    group: Style::new(),
    key_hint: Style::new().add_modifier(Modifier::BOLD),
    info: Style::new(),
    success: Style::new(),
    warning: Style::new().add_modifier(Modifier::BOLD),
    error: Style::new().add_modifier(Modifier::BOLD.union(Modifier::REVERSED)),
};

/// Which theme the terminal gets: monochrome when `NO_COLOR` is set to anything (no-color.org)
/// or `TERM` names a terminal without colour.
pub fn monochrome_from_env() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let term = std::env::var("TERM").unwrap_or_default();
    no_color || is_colourless(&term)
}

fn is_colourless(term: &str) -> bool {
    matches!(
        term,
        "vt52" | "vt100" | "vt102" | "vt220" | "vt320" | "vt420" | "dumb"
    ) || term.ends_with("-mono")
        || term.ends_with("-m")
}

/// A terminal that cannot draw a full screen (no cursor movement).
pub fn cannot_draw(term: &str) -> bool {
    term == "dumb"
}

thread_local! {
    /// The theme of the frame being drawn (set by `ui::render` from the state; per thread, so
    /// tests drawing in parallel do not disturb each other).
    static CURRENT: Cell<&'static Theme> = const { Cell::new(&THEME) };
}

/// The theme of the frame being drawn.
pub fn theme() -> &'static Theme {
    CURRENT.with(Cell::get)
}

pub(crate) fn set_current(theme: &'static Theme) {
    CURRENT.with(|c| c.set(theme));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminals_without_colour_are_recognised() {
        for term in ["vt100", "vt220", "dumb", "xterm-mono", "aaa-m"] {
            assert!(is_colourless(term), "{term}");
        }
        for term in ["xterm-256color", "screen", "tmux-256color", "linux", ""] {
            assert!(!is_colourless(term), "{term}");
        }
    }
}
