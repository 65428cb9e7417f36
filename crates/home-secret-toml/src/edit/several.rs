//! Deleting, moving and copying keys, one or a whole table of them: each step is one of the
//! byte-exact edits (a line or an inline-table item removed, a key added where it belongs, a
//! key's last part renamed in place) on the text the step before produced, parsed again in
//! between; `verify` then checks the end result against the whole edit.

use std::path::Path;

use super::outline::Outline;
use super::place::NewLine;
use super::{EditError, key_text, line_end, line_start, newline, place, splice};
use crate::entry::Entry;
use crate::file::SecretFile;
use crate::key_path::KeyPath;

/// The general delete of `key` (a leaf or a table), and of the tables it leaves empty.
pub(super) fn delete(file: &SecretFile, key: &KeyPath) -> Result<String, EditError> {
    let text = if file.leaf(key).is_some() {
        delete_leaf(file, key)?
    } else {
        delete_tree(file, key)?
    };
    super::prune::emptied(file.path(), text, key)
}

/// The general move (`remove`) or copy of `from` to `to`; a move also takes out the tables it
/// leaves empty.
pub(super) fn move_or_copy(
    file: &SecretFile,
    from: &KeyPath,
    to: &KeyPath,
    remove: bool,
) -> Result<String, EditError> {
    let text = move_keys(file, from, to, remove)?;
    if remove {
        super::prune::emptied(file.path(), text, from)
    } else {
        Ok(text)
    }
}

/// The text without the leaf `key`: its line (comments above stay), or its item inside an
/// inline table (with the comma that separated it).
pub(super) fn delete_leaf(file: &SecretFile, key: &KeyPath) -> Result<String, EditError> {
    let entry = find(file, key)?;
    let text = file.text();
    let bom = crate::source::bom_len(text);
    let outline = Outline::of(&text[bom..]).shifted(bom);
    let inside = outline
        .inline_tables
        .iter()
        .filter(|t| t.open < entry.key_span.start && entry.key_span.start < t.close)
        .max_by_key(|t| t.open);
    let Some(table) = inside else {
        // Not before a BOM: deleting the first key keeps it.
        let start = line_start(text, entry.key_span.start).max(bom);
        let end = line_end(text, entry.span.end);
        return Ok(splice(text, without_last_line(text, start, end, bom), ""));
    };
    let Some(i) = table
        .items
        .iter()
        .position(|item| item.contains(&entry.key_span.start))
    else {
        return Err(EditError::NotEditable(key.to_string()));
    };
    let items = &table.items;
    let cut = if items.len() == 1 {
        return Ok(splice(text, table.open..table.close + 1, "{}"));
    } else if i + 1 < items.len() {
        items[i].start..items[i + 1].start
    } else {
        items[i - 1].end..items[i].end
    };
    Ok(splice(text, cut, ""))
}

/// The text without every leaf under `prefix` (a table), one at a time.
pub(super) fn delete_tree(file: &SecretFile, prefix: &KeyPath) -> Result<String, EditError> {
    let keys = under(file, prefix);
    if keys.is_empty() {
        return Err(EditError::NoSuchKey(prefix.to_string()));
    }
    let mut current = reparse(file.path(), file.text().to_string())?;
    for key in keys {
        let text = delete_leaf(&current, &key)?;
        current = reparse(file.path(), text)?;
    }
    Ok(current.text().to_string())
}

/// The text with `from` (a leaf, or every leaf under a table) at `to`; `remove`: moved, not
/// copied.
pub(super) fn move_keys(
    file: &SecretFile,
    from: &KeyPath,
    to: &KeyPath,
    remove: bool,
) -> Result<String, EditError> {
    if to.starts_with(from) && to.len() > from.len() {
        return Err(EditError::Invalid(format!(
            "{to} is inside {from}: a key cannot go below itself"
        )));
    }
    let keys = under(file, from);
    if keys.is_empty() {
        return Err(EditError::NoSuchKey(from.to_string()));
    }
    for part in to.segments() {
        super::check_key_part(part)?;
    }
    let nl = newline(file.text());
    let mut current = reparse(file.path(), file.text().to_string())?;
    for key in keys {
        let target = KeyPath::new(to.segments().chain(key.segments().skip(from.len())));
        let text = move_one(&current, &key, &target, remove, nl)?;
        current = reparse(file.path(), text)?;
    }
    Ok(current.text().to_string())
}

/// One leaf to `target`: renamed in place when only its last part changes, else added where
/// `target` belongs (and removed where it was, when moving).
fn move_one(
    file: &SecretFile,
    key: &KeyPath,
    target: &KeyPath,
    remove: bool,
    nl: &'static str,
) -> Result<String, EditError> {
    if file.leaf(target).is_some() {
        return Err(EditError::Exists(target.to_string()));
    }
    let entry = find(file, key)?;
    let same_parent = key.len() == target.len() && target.starts_with(&key.prefix(key.len() - 1));
    if remove && same_parent {
        super::check_new_key(file, target)?;
        place::no_empty_table_in(file.text(), target)?;
        return Ok(splice(
            file.text(),
            entry.key_span.clone(),
            &key_text([target.last()]),
        ));
    }
    let literal = file.text()[entry.span.clone()].to_string();
    let comment = comment_after(file.text(), entry.span.end).to_string();
    let source = if remove {
        reparse(file.path(), delete_leaf(file, key)?)?
    } else {
        reparse(file.path(), file.text().to_string())?
    };
    super::check_new_key(&source, target)?;
    let new = NewLine {
        literal: &literal,
        comment: &comment,
        nl,
    };
    place::add(&source, target, new)
}

/// The comment after a value that ends at `end`, with the blanks before it (` # note`), when
/// only that follows it on its line; else empty (the value's line goes on: `, b = 2 }`).
pub(super) fn comment_after(text: &str, end: usize) -> &str {
    // Up to the line's end (a lone `\r` ends a line for Python too).
    let rest = &text[end..line_end(text, end)];
    let rest = rest.split(['\n', '\r']).next().unwrap_or_default();
    if rest.trim_start_matches([' ', '\t']).starts_with('#') {
        rest
    } else {
        ""
    }
}

/// The span `start..end` of a line to take out, widened to the line break before it when it is
/// the last line and has none (the file keeps having no final newline). `bom`: where the text
/// starts after a byte-order mark.
pub(super) fn without_last_line(
    text: &str,
    start: usize,
    end: usize,
    bom: usize,
) -> std::ops::Range<usize> {
    if end < text.len() || text.ends_with(['\n', '\r']) || start <= bom {
        return start..end;
    }
    let before = &text[..start];
    let cut = if before.ends_with("\r\n") {
        2
    } else {
        usize::from(before.ends_with(['\n', '\r']))
    };
    start - cut..end
}

/// Every leaf at or under `prefix`, in file order.
fn under(file: &SecretFile, prefix: &KeyPath) -> Vec<KeyPath> {
    let mut found: Vec<&Entry> = file
        .leaves()
        .filter(|e| e.key.starts_with(prefix))
        .collect();
    found.sort_by_key(|e| e.span.start);
    found.into_iter().map(|e| e.key.clone()).collect()
}

fn find<'f>(file: &'f SecretFile, key: &KeyPath) -> Result<&'f Entry, EditError> {
    file.leaf(key)
        .ok_or_else(|| EditError::NoSuchKey(key.to_string()))
}

pub(super) fn reparse(path: &Path, text: String) -> Result<SecretFile, EditError> {
    SecretFile::from_text(path, text).map_err(|e| {
        EditError::Unsafe(format!(
            "a step of the edit would not parse ({})",
            super::verify::reason(&e)
        ))
    })
}
