//! Tables an edit emptied, taken out with it: after `hst rm -r gh` or `hst mv -r t u` no
//! `[gh]` header or `t = {}` stays behind. TOML readers would still see such a table
//! (`tomllib` gives `{'t': {}}`), hst lists nothing under it, and a later `hst mv z t` would be
//! refused as a duplicate key. A table is taken out only when it is written (a `[header]`, an
//! inline `{}`), holds nothing now (no key, no table below it), and the edit removed something
//! in it or removed it (an ancestor of the removed key, or the key or a table below it); a table
//! the user left empty elsewhere stays.

use std::path::Path;

use super::outline::Outline;
use super::several::{reparse, without_last_line};
use super::{EditError, line_end, line_start, splice};
use crate::file::SecretFile;
use crate::key_path::KeyPath;

/// `text` (the file after `removed` was deleted or moved away) without the tables that emptied.
pub(super) fn emptied(path: &Path, text: String, removed: &KeyPath) -> Result<String, EditError> {
    let mut file = reparse(path, text)?;
    // Each round takes out the deepest such table; its parent may be empty then.
    while let Some(cut) = deepest_emptied(&file, removed) {
        let text = splice(file.text(), cut, "");
        file = reparse(path, text)?;
    }
    Ok(file.text().to_string())
}

/// The bytes to take out for the deepest table that emptied, if any.
fn deepest_emptied(file: &SecretFile, removed: &KeyPath) -> Option<std::ops::Range<usize>> {
    let text = file.text();
    let bom = crate::source::bom_len(text);
    let outline = Outline::of(&text[bom..]).shifted(bom);
    let touched = |p: &KeyPath| !p.is_empty() && (p.starts_with(removed) || removed.starts_with(p));
    let holds_nothing = |p: &KeyPath| {
        let below = |q: &KeyPath| q.len() > p.len() && q.starts_with(p);
        !file.leaves().any(|e| e.key.starts_with(p))
            && !outline.headers.iter().any(|h| below(&h.path))
            && !outline.inline_tables.iter().any(|t| below(&t.path))
    };
    let header = outline
        .headers
        .iter()
        .filter(|h| !h.array && touched(&h.path) && holds_nothing(&h.path))
        .max_by_key(|h| h.path.len());
    let inline = outline
        .inline_tables
        .iter()
        .filter(|t| t.empty && touched(&t.path) && holds_nothing(&t.path))
        .max_by_key(|t| t.path.len());
    match (header, inline) {
        (Some(h), Some(t)) if t.path.len() > h.path.len() => {
            Some(inline_cut(text, &outline, t.open, t.close, bom))
        }
        (Some(h), _) => Some(without_last_line(text, h.line_start, h.body_start, bom)),
        (None, Some(t)) => Some(inline_cut(text, &outline, t.open, t.close, bom)),
        (None, None) => None,
    }
}

/// An empty inline table `{}` at `open..=close`: its item in the braces around it (with the
/// comma that separated it), else its whole `key = {}` line.
fn inline_cut(
    text: &str,
    outline: &Outline,
    open: usize,
    close: usize,
    bom: usize,
) -> std::ops::Range<usize> {
    let around = outline
        .inline_tables
        .iter()
        .filter(|t| t.open < open && close < t.close)
        .max_by_key(|t| t.open);
    if let Some(table) = around
        && let Some(i) = table.items.iter().position(|item| item.contains(&open))
    {
        let items = &table.items;
        return if items.len() == 1 {
            // The braces around become `{}` (and that table is the next one to go).
            table.open + 1..table.close
        } else if i + 1 < items.len() {
            items[i].start..items[i + 1].start
        } else {
            items[i - 1].end..items[i].end
        };
    }
    let start = line_start(text, open).max(bom);
    without_last_line(text, start, line_end(text, close), bom)
}
