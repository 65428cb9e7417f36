//! The detail pane: everything about the selected entry, its value masked unless revealed. A
//! revealed value is shown whole: its own line breaks kept, wrapped at the pane's width, the
//! pane grown to fit (see `layout::fitting`) and scrollable when even that is not enough.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::tui::state::State;
use crate::tui::theme::theme;
use home_secret_toml::mask::SHARE_MASK;
use home_secret_toml::tree::{NodeKind, Tree};
use home_secret_toml::value::Value;

use super::{head, one_line, pane, tail, value_text, wrap_columns};

const LABEL_WIDTH: usize = 7;

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

/// How many rows the pane's content takes at `width` columns.
pub fn rows(state: &State, width: u16) -> usize {
    content(state, width).len()
}

/// The pane's rows, each fitting in `width` columns.
fn content(state: &State, width: u16) -> Vec<Line<'static>> {
    let Some((index, entry)) = state.selected() else {
        return Vec::new();
    };
    let tree = state.tree();
    let width = (width as usize).saturating_sub(LABEL_WIDTH);
    let mut lines = vec![row("Key", Span::raw(tail(entry.key.dotted(), width).0))];
    let leaf = tree.leaf(index);
    if let Some(leaf) = leaf {
        lines.push(row("In", Span::raw(tail(&context(tree, leaf), width).0)));
        for sibling in ["name", "type"] {
            if let Some(i) = sibling_entry(state, leaf, sibling) {
                lines.push(row(
                    label(sibling),
                    Span::styled(
                        head(&one_line(&value_text(state, i)), width),
                        theme().masked,
                    ),
                ));
            }
        }
    }
    if let Some(about) = description(state, entry.key.segments().count()) {
        lines.push(row("About", Span::raw(head(&one_line(&about), width))));
    }
    if let Some((manifest, variable)) = state
        .manifest()
        .and_then(|m| m.variable_for(entry.key.dotted()).map(|v| (m, v)))
    {
        let text = format!(
            "{} (hst run; {} line {})",
            variable.name,
            home_secret_toml::path::display(&manifest.path),
            variable.line
        );
        lines.push(row("Env", Span::raw(tail(&text, width).0)));
    }
    lines.push(row(
        "Info",
        Span::styled(
            head(
                &format!("{} · line {}", entry.value.kind().name(), entry.line),
                width,
            ),
            theme().dim,
        ),
    ));
    if state.is_revealed(index) {
        let text = value_text(state, index);
        for (i, part) in wrap_columns(&text, width).into_iter().enumerate() {
            let label = if i == 0 { "Value" } else { "" };
            lines.push(row(label, Span::styled(part, theme().revealed)));
        }
    } else {
        let mut value = row(
            "Value",
            Span::styled(head(&value_text(state, index), width), theme().masked),
        );
        if !state.is_share() {
            value.push_span(Span::styled("  r reveals", theme().dim));
        }
        lines.push(value);
    }
    lines
}

fn row(label: &str, value: Span<'static>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL_WIDTH$}"), theme().label),
        value,
    ])
}

fn label(sibling: &str) -> &'static str {
    match sibling {
        "name" => "Name",
        _ => "Type",
    }
}

/// Where the entry sits: `secret api_token · user dev · account personal · github`.
fn context(tree: &Tree, leaf: usize) -> String {
    let chain = tree.ancestors(leaf);
    let parts: Vec<String> = chain
        .iter()
        .rev()
        .skip(1)
        .filter(|&&id| tree.node(id).kind != NodeKind::Root)
        .map(|&id| {
            let node = tree.node(id);
            match node.kind {
                NodeKind::Provider | NodeKind::Group => node.name.clone(),
                kind => format!("{} {}", kind.label(), node.name),
            }
        })
        .collect();
    if parts.is_empty() {
        "top level".to_string()
    } else {
        parts.join(" · ")
    }
}

/// The listed entry called `name` next to `leaf` (same parent), if any and not `leaf` itself.
fn sibling_entry(state: &State, leaf: usize, name: &str) -> Option<usize> {
    let tree = state.tree();
    let parent = tree.node(leaf).parent?;
    tree.node(parent)
        .children
        .iter()
        .map(|&c| tree.node(c))
        .find(|n| n.kind == NodeKind::Leaf && n.name == name)
        .and_then(|n| n.entry)
        .filter(|&e| Some(e) != tree.node(leaf).entry)
}

/// The `description` beside the selected entry. Descriptions are metadata (never listed, never
/// secrets, as in the reference), so they are shown as text, except in share mode.
fn description(state: &State, depth: usize) -> Option<String> {
    let (_, entry) = state.selected()?;
    let parent = depth.saturating_sub(1);
    let found = state.file().unlisted().iter().find(|u| {
        u.key.len() == parent + 1
            && u.key.last() == "description"
            && (0..parent).all(|i| u.key.segment(i) == entry.key.segment(i))
    })?;
    match &found.value {
        Value::String(_) if state.is_share() => Some(SHARE_MASK.to_string()),
        Value::String(s) => Some(s.expose().to_string()),
        _ => None,
    }
}
