//! What the detail pane holds for the selected entry, row by row, fitted to a width: the
//! state decides it (the layout needs its height, the scroll its length), drawing only styles
//! it. Values come through [`State::shown_value`], which masks by construction.

use home_secret_toml::key_path::KeyPath;
use home_secret_toml::mask::{SHARE_MASK, mask};
use home_secret_toml::otp::{Totp, is_totp_uri};
use home_secret_toml::tree::NodeKind;
use home_secret_toml::value::Value;

use super::State;
use crate::tui::fit::{head, one_line, tail, wrap_at, wrap_columns};

/// Columns the row labels take.
pub const LABEL_WIDTH: usize = 7;

/// How a row's text is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    Plain,
    /// A value, masked (or share mode's fixed mask).
    Masked,
    /// A masked value, with the "r reveals" hint after it.
    MaskedWithHint,
    /// The value the user revealed.
    Revealed,
    Dim,
}

/// One row: its label (empty for a continued value) and its text, fitted to the width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailRow {
    pub label: &'static str,
    pub text: String,
    pub look: Look,
}

fn row(label: &'static str, text: String, look: Look) -> DetailRow {
    DetailRow { label, text, look }
}

impl State {
    /// What is shown for entry `index`: share mode's fixed mask, the full text when this entry
    /// is revealed, otherwise the reference mask. The one way a value reaches the screen.
    pub fn shown_value(&self, index: usize) -> String {
        let Some(entry) = self.entry(index) else {
            return String::new();
        };
        if self.is_share() {
            SHARE_MASK.to_string()
        } else if self.is_revealed(index) {
            self.copy_text(&entry).expose().to_string()
        } else if let Some(reference) = entry.value.as_reference() {
            // Where the secret lives is not a secret: shown, marked as a reference.
            format!("→ {}", reference.uri())
        } else {
            mask(&entry.value)
        }
    }

    /// The detail pane's rows at `width` columns (labels included).
    pub fn detail_rows(&self, width: u16) -> Vec<DetailRow> {
        let Some((index, entry)) = self.selected() else {
            return Vec::new();
        };
        let tree = self.tree();
        let width = (width as usize).saturating_sub(LABEL_WIDTH);
        // The whole path, on as many rows as it takes (broken after dots): the list and the
        // tree cut it, so this is where it is always readable.
        let mut rows: Vec<DetailRow> = wrap_at(entry.key.dotted(), width, &['.'])
            .into_iter()
            .enumerate()
            .map(|(i, part)| row(if i == 0 { "Key" } else { "" }, part, Look::Plain))
            .collect();
        if let Some(leaf) = tree.leaf(index) {
            rows.push(row("In", tail(&self.context(leaf), width).0, Look::Plain));
            for (sibling, label) in [("name", "Name"), ("type", "Type")] {
                if let Some(i) = self.sibling_entry(leaf, sibling) {
                    let text = head(&one_line(&self.shown_value(i)), width);
                    rows.push(row(label, text, Look::Masked));
                }
            }
        }
        if let Some(about) = self.description(entry.key.segments().count()) {
            rows.push(row("About", head(&one_line(&about), width), Look::Plain));
        }
        if let Some((manifest, variable)) = self
            .manifest()
            .and_then(|m| m.variable_for(entry.key.dotted()).map(|v| (m, v)))
        {
            let text = format!(
                "{} (hst run; {} line {})",
                variable.name,
                home_secret_toml::path::display(&manifest.path),
                variable.line
            );
            rows.push(row("Env", tail(&text, width).0, Look::Plain));
        }
        let info = format!("{} · line {}", entry.value.kind().name(), entry.line);
        rows.push(row("Info", head(&info, width), Look::Dim));
        if let Some(reference) = entry.value.as_reference() {
            let backend = crate::resolve::resolver().describe(reference);
            let text = format!("{backend}: fetched when revealed or copied; e edits the reference");
            rows.push(row("Backend", head(&text, width), Look::Dim));
        }
        if self.is_revealed(index) {
            let text = self.shown_value(index);
            for (i, part) in wrap_columns(&text, width).into_iter().enumerate() {
                let label = if i == 0 { "Value" } else { "" };
                rows.push(row(label, part, Look::Revealed));
            }
        } else {
            let look = if self.is_share() {
                Look::Masked
            } else {
                Look::MaskedWithHint
            };
            rows.push(row("Value", head(&self.shown_value(index), width), look));
        }
        if let Some(code) = self.one_time_code(index) {
            rows.push(code);
        }
        rows
    }

    /// For a value holding an `otpauth://totp/` URI: the current code and the seconds it has
    /// left, as pass-otp and `op` show it (share mode's fixed mask instead, like any value).
    fn one_time_code(&self, index: usize) -> Option<DetailRow> {
        let entry = self.entry(index)?;
        let uri = entry.value.as_secret()?;
        if !is_totp_uri(uri.expose()) {
            return None;
        }
        if self.is_share() {
            return Some(row("Code", SHARE_MASK.to_string(), Look::Masked));
        }
        Some(match Totp::parse(uri.expose()) {
            Ok(totp) => {
                let (code, left) = totp.code_now();
                row(
                    "Code",
                    format!("{} · {left} s", code.expose()),
                    Look::Revealed,
                )
            }
            Err(e) => row("Code", format!("none: the URI {e}"), Look::Dim),
        })
    }

    /// Whether the detail pane shows a one-time code, which counts down every second.
    pub(super) fn shows_code(&self) -> bool {
        !self.is_share()
            && self
                .selected()
                .is_some_and(|(_, e)| e.value.as_secret().is_some_and(|v| is_totp_uri(v.expose())))
    }

    /// The listed entry called `name` next to `leaf` (same parent), if any and not `leaf`.
    /// Only the first `SIBLINGS` children are looked at: this runs for every frame, and a
    /// table of a million keys is not a secret's few attributes.
    fn sibling_entry(&self, leaf: usize, name: &str) -> Option<usize> {
        const SIBLINGS: usize = 256;
        let tree = self.tree();
        let parent = tree.node(leaf).parent()?;
        let mut segments = Vec::new();
        tree.children(parent)
            .take(SIBLINGS)
            .filter_map(|c| tree.node(c).entry())
            .find(|&e| {
                segments.clear();
                self.file().listed_segments_into(e, &mut segments);
                segments.last() == Some(&name)
            })
            .filter(|&e| Some(e) != tree.node(leaf).entry())
    }

    /// The `description` beside the selected entry. Descriptions are metadata (never listed,
    /// never secrets, as in the reference), so they are shown as text, except in share mode.
    fn description(&self, depth: usize) -> Option<String> {
        let (_, entry) = self.selected()?;
        let key = KeyPath::new(
            entry
                .key
                .segments()
                .take(depth.saturating_sub(1))
                .chain(["description"]),
        );
        let at = self.file().unlisted_position(&key)?;
        let found = self.file().unlisted_entry(at)?;
        match &found.value {
            Value::String(_) if self.is_share() => Some(SHARE_MASK.to_string()),
            Value::String(s) => Some(s.expose().to_string()),
            _ => None,
        }
    }
}

impl State {
    /// Where the entry sits: `secret api_token · user dev · account personal · github`.
    fn context(&self, leaf: usize) -> String {
        let tree = self.tree();
        let chain = tree.ancestors(leaf);
        let parts: Vec<String> = chain
            .iter()
            .rev()
            .skip(1)
            .filter(|&&id| tree.node(id).kind() != NodeKind::Root)
            .map(|&id| match tree.node(id).kind() {
                NodeKind::Provider | NodeKind::Group => self.node_name(id),
                kind => format!("{} {}", kind.label(), self.node_name(id)),
            })
            .collect();
        if parts.is_empty() {
            "top level".to_string()
        } else {
            parts.join(" · ")
        }
    }
}
