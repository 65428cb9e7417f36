//! Deleting, moving and copying keys, one or a whole table of them: each step is one of the
//! byte-exact edits (a line or an inline-table item removed, a key added where it belongs, a
//! key's last part renamed in place) on the text the step before produced, parsed again in
//! between; `verify` then checks the end result against the whole edit.

use std::path::Path;

use super::outline::Outline;
use super::{EditError, key_text, line_end, line_start, place, splice};
use crate::entry::Entry;
use crate::file::SecretFile;
use crate::key_path::KeyPath;

/// The text without the leaf `key`: its line (comments above stay), or its item inside an
/// inline table (with the comma that separated it).
pub(super) fn delete_leaf(file: &SecretFile, key: &KeyPath) -> Result<String, EditError> {
    let entry = find(file, key)?;
    let text = file.text();
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
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
        return Ok(splice(text, start..end, ""));
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
    let mut current = reparse(file.path(), file.text().to_string())?;
    for key in keys {
        let target = KeyPath::new(to.segments().chain(key.segments().skip(from.len())));
        let text = move_one(&current, &key, &target, remove)?;
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
) -> Result<String, EditError> {
    if file.leaf(target).is_some() {
        return Err(EditError::Exists(target.to_string()));
    }
    let entry = find(file, key)?;
    let same_parent = key.len() == target.len() && target.starts_with(&key.prefix(key.len() - 1));
    if remove && same_parent {
        super::check_new_key(file, target)?;
        return Ok(splice(
            file.text(),
            entry.key_span.clone(),
            &key_text([target.last()]),
        ));
    }
    let literal = file.text()[entry.span.clone()].to_string();
    let source = if remove {
        reparse(file.path(), delete_leaf(file, key)?)?
    } else {
        reparse(file.path(), file.text().to_string())?
    };
    super::check_new_key(&source, target)?;
    place::add(&source, target, &literal)
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

fn reparse(path: &Path, text: String) -> Result<SecretFile, EditError> {
    SecretFile::from_text(path, text).map_err(|e| {
        EditError::Unsafe(format!(
            "a step of the edit would not parse ({})",
            super::verify::reason(&e)
        ))
    })
}
