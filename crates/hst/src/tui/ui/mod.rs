//! Drawing. A pure function of the state: `render(&state, frame)`.
//!
//! Values reach the screen only through `State::shown_value`, which masks by construction: the
//! masked form, share mode's fixed mask, or the full text for the one entry the user revealed.
//! What the detail pane holds is the state's (`State::detail_rows`); drawing only styles it.

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

use super::state::State;
use super::theme::theme;

pub fn render(state: &State, frame: &mut Frame) {
    super::theme::set_current(state.theme());
    let screen = frame.area();
    // The same function and inputs as the state's layout, so drawing and mouse hit-testing agree.
    let tree_focused = state.focus() == super::action::Pane::Tree;
    let Some(areas) = super::layout::fitting(screen, state.shows_search(), tree_focused, |width| {
        state.detail_rows(width).len()
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
