//! The check every edit passes before anything is written: the new text is parsed again and
//! every leaf compared with what the edit should have produced (the parse is the loader's; its
//! flat-file fast path is proven equal to the full parser by `flat_scan/agreement_tests.rs`).

use std::collections::HashMap;

use super::{Edit, EditError, leaves_of, same};
use crate::file::SecretFile;
use crate::key_path::KeyPath;
use crate::value::Value;

/// The leaves the file should have after `edit`.
fn expected(file: &SecretFile, edit: &Edit) -> Result<HashMap<KeyPath, Value>, EditError> {
    let mut expected: HashMap<KeyPath, Value> = file
        .leaves()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect();
    let under = |prefix: &KeyPath| -> Vec<(KeyPath, Value)> {
        file.leaves()
            .filter(|e| e.key.starts_with(prefix))
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect()
    };
    match edit {
        Edit::Set { key, literal } | Edit::Add { key, literal } => {
            expected.remove(key);
            expected.extend(leaves_of(key, literal)?);
        }
        Edit::Rename { key, .. } => {
            let value = expected.remove(key);
            if let Some((new_key, value)) = edit.result_key().zip(value) {
                if expected.contains_key(&new_key) {
                    return Err(EditError::Exists(new_key.to_string()));
                }
                expected.insert(new_key, value);
            }
        }
        Edit::Delete { key } => {
            for (k, _) in under(key) {
                expected.remove(&k);
            }
        }
        Edit::Move { from, to } | Edit::Copy { from, to } => {
            for (k, value) in under(from) {
                if matches!(edit, Edit::Move { .. }) {
                    expected.remove(&k);
                }
                let moved = KeyPath::new(to.segments().chain(k.segments().skip(from.len())));
                if expected.contains_key(&moved) {
                    return Err(EditError::Exists(moved.to_string()));
                }
                expected.insert(moved, value);
            }
        }
    }
    Ok(expected)
}

/// Parses `new_text` and compares every leaf with what the edit should have produced; the
/// parsed file when they agree.
pub(super) fn verify(
    file: &SecretFile,
    edit: &Edit,
    new_text: String,
) -> Result<SecretFile, EditError> {
    let expected = expected(file, edit)?;
    let reparsed = SecretFile::from_text(file.path(), new_text)
        .map_err(|e| EditError::Unsafe(format!("the result would not parse ({})", reason(&e))))?;
    let mut changed: Vec<String> = Vec::new();
    let mut seen = 0;
    for leaf in reparsed.leaves() {
        match expected.get(&leaf.key) {
            Some(v) if same(v, &leaf.value) => seen += 1,
            _ => changed.push(leaf.key.to_string()),
        }
    }
    if changed.is_empty() && seen != expected.len() {
        let now: std::collections::HashSet<&KeyPath> = reparsed.leaves().map(|e| &e.key).collect();
        changed.extend(
            expected
                .keys()
                .filter(|k| !now.contains(*k))
                .map(|k| k.to_string()),
        );
    }
    if !changed.is_empty() {
        changed.sort();
        changed.truncate(3);
        return Err(EditError::Unsafe(format!(
            "the edit would also change {}",
            changed.join(", ")
        )));
    }
    // Kept as it was read: a file of a million keys holds its lines, not an entry per key.
    let mut reparsed = reparsed;
    reparsed.shed_entries();
    Ok(reparsed)
}

/// A parse error's reason without the path (the path is the user's file, known already).
pub(super) fn reason(e: &crate::error::Error) -> String {
    match e {
        crate::error::Error::Syntax {
            line,
            column,
            reason,
            ..
        } => format!("line {line}, column {column}: {reason}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::SecretFile;
    use crate::edit::{Edit, apply};
    use crate::key_path::KeyPath;

    #[test]
    fn a_checked_edit_keeps_the_lines_not_an_entry_per_key() {
        let text = "a.b = \"fake-1\"\nc.d = 2\n".to_string();
        let file = SecretFile::from_text(std::path::Path::new("t.toml"), text)
            .unwrap_or_else(|e| panic!("{e}"));
        let edit = Edit::Set {
            key: KeyPath::new(["c", "d"]),
            literal: "3".to_string(),
        };
        let edited = apply(&file, &edit).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(edited.text(), "a.b = \"fake-1\"\nc.d = 3\n");
        assert!(
            edited.entries_unbuilt(),
            "the checked file holds every entry"
        );
        assert_eq!(edited.listed_key(1), Some("c.d"));
    }
}
