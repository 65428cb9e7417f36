//! The detail pane: everything about the selected entry, its value masked unless revealed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::core::mask::SHARE_MASK;
use crate::core::tree::{NodeKind, Tree};
use crate::core::value::Value;
use crate::tui::state::State;
use crate::tui::theme::THEME;

use super::{pane, tail, value_text};

const LABEL_WIDTH: usize = 7;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let block = pane("Detail", false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some((index, entry)) = state.selected() else {
        return;
    };
    let tree = state.tree();
    let width = (inner.width as usize).saturating_sub(LABEL_WIDTH);
    let mut lines = vec![row("Key", Span::raw(tail(entry.key.dotted(), width).0))];
    let leaf = tree.leaf(index);
    if let Some(leaf) = leaf {
        lines.push(row("In", Span::raw(tail(&context(tree, leaf), width).0)));
        for sibling in ["name", "type"] {
            if let Some(i) = sibling_entry(state, leaf, sibling) {
                lines.push(row(
                    label(sibling),
                    Span::styled(value_text(state, i), THEME.masked),
                ));
            }
        }
    }
    if let Some(about) = description(state, entry.key.segments().count()) {
        lines.push(row("About", Span::raw(about)));
    }
    lines.push(row(
        "Info",
        Span::styled(
            format!("{} · line {}", entry.value.kind().name(), entry.line),
            THEME.dim,
        ),
    ));
    let revealed = state.is_revealed(index);
    let mut value = row(
        "Value",
        Span::styled(
            value_text(state, index),
            if revealed {
                THEME.revealed
            } else {
                THEME.masked
            },
        ),
    );
    if !revealed && !state.is_share() {
        value.push_span(Span::styled("  r reveals", THEME.dim));
    }
    lines.push(value);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn row<'a>(label: &'a str, value: Span<'a>) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL_WIDTH$}"), THEME.label),
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
