//! Drawing. A pure function of the state: `render(&state, frame)`.
//!
//! Values reach the screen only through [`value_text`], which masks by construction: the masked
//! form, share mode's fixed mask, or the full text for the one entry the user revealed.

mod bars;
pub(crate) mod detail;
mod list;
mod overlay;
mod tree;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use home_secret_toml::mask::{SHARE_MASK, mask};

use super::state::State;
use super::theme::theme;

pub fn render(state: &State, frame: &mut Frame) {
    super::theme::set_current(state.theme());
    let screen = frame.area();
    // The same function and inputs as the state's layout, so drawing and mouse hit-testing agree.
    let Some(areas) = super::layout::fitting(screen, state.shows_search(), |width| {
        detail::rows(state, width)
    }) else {
        overlay::too_small(frame, screen);
        return;
    };
    bars::title(state, frame, areas.title);
    tree::render(state, frame, areas.tree);
    list::render(state, frame, areas.list);
    detail::render(state, frame, areas.detail);
    if areas.search.height > 0 {
        bars::search(state, frame, areas.search);
    }
    bars::status(state, frame, areas.status);
    overlay::render(state, frame, screen);
}

/// What is shown for entry `index`: share mode's fixed mask, the full text when this entry is
/// revealed, otherwise the reference mask.
pub fn value_text(state: &State, index: usize) -> String {
    let Some(entry) = state.entries().get(index) else {
        return String::new();
    };
    if state.is_share() {
        SHARE_MASK.to_string()
    } else if state.is_revealed(index) {
        state.file().toml_text(entry).expose().to_string()
    } else {
        mask(&entry.value)
    }
}

/// The cursor row's style: strong in the pane that has the keyboard, quiet in the other.
fn cursor_style(focused: bool) -> Style {
    if focused {
        theme().selected
    } else {
        theme().selected_unfocused
    }
}

fn pane(title: &str, focused: bool) -> Block<'_> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(if focused {
            theme().focused_border
        } else {
            BorderType::Rounded
        })
        .border_style(if focused {
            theme().border_focused
        } else {
            theme().border
        })
        .title(Span::styled(
            format!(" {title} "),
            if focused {
                theme().border_focused
            } else {
                theme().dim
            },
        ))
}

/// `text` on one line: line breaks shown as `↵`, tabs as a space, other control characters
/// as `�` (a revealed value must never send escape sequences to the terminal).
pub fn one_line(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '\r')
        .map(|c| match c {
            '\n' => '↵',
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// `text` cut into rows of at most `width` columns: at its line breaks, then wherever a row is
/// full (secrets rarely have spaces to break at). Control characters as in [`one_line`].
pub fn wrap_columns(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    for line in text.split('\n') {
        let line = one_line(line.strip_suffix('\r').unwrap_or(line));
        let mut row = String::new();
        let mut used = 0;
        for c in line.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && !row.is_empty() {
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
            row.push(c);
            used += w;
        }
        rows.push(row);
    }
    rows
}

/// Columns `text` takes on screen (wide characters take two).
fn columns(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to `width` columns; when too long the start goes and `…` stands for it, since
/// the end of a key path says most. Returns the text and how many characters were dropped.
fn tail(text: &str, width: usize) -> (String, usize) {
    if columns(text) <= width {
        return (text.to_string(), 0);
    }
    if width == 0 {
        return (String::new(), text.chars().count());
    }
    // Keep the longest end that fits in width - 1 columns (one for the `…`).
    let mut kept = 0;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if kept + w > width - 1 {
            break;
        }
        kept += w;
        start = i;
    }
    let dropped = text[..start].chars().count();
    (format!("…{}", &text[start..]), dropped)
}

/// `text` cut to `width` columns, `…` at the end when too long.
fn head(text: &str, width: usize) -> String {
    if columns(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Spans for `text` with the characters whose byte offsets are in `marked` (ascending) styled as
/// matches; `skip` leading characters were dropped by [`tail`].
fn highlighted<'a>(text: &str, marked: &[usize], skip: usize, base: Style) -> Vec<Span<'a>> {
    let mut spans: Vec<Span<'a>> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    let mut next = marked.iter().peekable();
    for (n, (offset, c)) in text.char_indices().enumerate() {
        while next.peek().is_some_and(|&&m| m < offset) {
            next.next();
        }
        let is_match = next.peek().is_some_and(|&&m| m == offset);
        if n < skip {
            continue;
        }
        if is_match != run_matched && !run.is_empty() {
            let style = if run_matched {
                base.patch(theme().matched)
            } else {
                base
            };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_matched = is_match;
        run.push(c);
    }
    if !run.is_empty() {
        let style = if run_matched {
            base.patch(theme().matched)
        } else {
            base
        };
        spans.push(Span::styled(run, style));
    }
    spans
}

/// A rectangle of `width` × `height` centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_end() {
        assert_eq!(tail("abcdef", 6), ("abcdef".to_string(), 0));
        assert_eq!(tail("abcdef", 4), ("…def".to_string(), 3));
        assert_eq!(tail("abc", 0), (String::new(), 3));
        assert_eq!(head("abcdef", 4), "abc…");
        // Wide characters take two columns.
        assert_eq!(tail("鍵鍵鍵.x", 5), ("…鍵.x".to_string(), 2));
        assert_eq!(columns(&tail("鍵鍵鍵.x", 5).0), 5);
        assert_eq!(head("鍵鍵鍵", 4), "鍵…");
    }

    #[test]
    fn highlights_split_into_runs() {
        let spans = highlighted("abcdef", &[1, 2, 5], 0, Style::new());
        let texts: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["a", "bc", "de", "f"]);
        assert_eq!(spans[1].style, theme().matched);
        // After `tail` dropped 3 characters (shown as "…" by the caller).
        let spans = highlighted("abcdef", &[1, 4], 3, Style::new());
        let texts: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["d", "e", "f"]);
    }
}
