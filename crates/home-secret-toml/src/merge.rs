//! A three-way merge of secrets files, key by key, for git's merge driver: a key one side
//! changed takes that side's value, a key both changed alike is fine, a key both changed
//! differently is a conflict. Their changes are applied to our text through the edit pipeline
//! (our comments and layout stay; their new keys go next to their closest relatives), their
//! comment lines are carried over where the place is unambiguous, and the result is checked
//! leaf by leaf against the merged values before it is returned.

use std::collections::BTreeSet;

use crate::edit::{self, Edit, EditError};
use crate::entry::Entry;
use crate::file::SecretFile;
use crate::key_path::KeyPath;

/// What became of one key.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Ours,
    Theirs,
}

/// The outcome: the merged file when nothing conflicts, else the conflicting keys.
pub struct Merged {
    /// Our text with their changes (and the choices made for conflicts), parsed.
    pub file: SecretFile,
    /// Keys both sides changed differently and no choice was given for.
    pub conflicts: Vec<KeyPath>,
}

impl std::fmt::Debug for Merged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merged")
            .field("path", &self.file.path())
            .field("conflicts", &self.conflicts)
            .finish()
    }
}

/// A second `SecretFile` of the same text (it has no `Clone`: its text is secret).
fn copy(file: &SecretFile) -> Result<SecretFile, EditError> {
    SecretFile::from_text(file.path(), file.text().to_string())
        .map_err(|e| EditError::Invalid(e.to_string()))
}

/// Merges `theirs` into `ours` from their common `base`. `choices` settles conflicting keys
/// (`hst resolve`); a conflict without a choice keeps our value in `file` and is listed.
pub fn merge(
    base: &SecretFile,
    ours: &SecretFile,
    theirs: &SecretFile,
    choices: &[(KeyPath, Choice)],
) -> Result<Merged, EditError> {
    let mut keys: Vec<KeyPath> = Vec::new();
    let mut seen = BTreeSet::new();
    for file in [ours, theirs, base] {
        for e in file.entries() {
            if seen.insert(e.key.dotted()) {
                keys.push(e.key.clone());
            }
        }
    }
    let mut file = copy(ours)?;
    let mut conflicts = Vec::new();
    // Which side each key's value comes from, for the check at the end.
    let mut from_theirs: Vec<&KeyPath> = Vec::new();
    for key in &keys {
        let (b, o, t) = (base.leaf(key), ours.leaf(key), theirs.leaf(key));
        if same(o, t) || same(b, t) {
            continue;
        }
        let take_theirs = if same(b, o) {
            true
        } else {
            match choices.iter().find(|(k, _)| k == key).map(|(_, c)| *c) {
                Some(Choice::Theirs) => true,
                Some(Choice::Ours) => false,
                None => {
                    conflicts.push((*key).clone());
                    false
                }
            }
        };
        if take_theirs {
            file = take(&file, theirs, key, t)?;
            from_theirs.push(key);
        }
    }
    let file = carry_comments(base, &file, theirs)?;
    check(&file, ours, theirs, &keys, &from_theirs)?;
    Ok(Merged { file, conflicts })
}

/// The merged file holds, leaf by leaf, exactly the value each key was merged to: theirs for
/// the keys taken from them, ours for every other.
fn check(
    file: &SecretFile,
    ours: &SecretFile,
    theirs: &SecretFile,
    keys: &[KeyPath],
    from_theirs: &[&KeyPath],
) -> Result<(), EditError> {
    for key in keys {
        let side = if from_theirs.contains(&key) {
            theirs
        } else {
            ours
        };
        if !same(file.leaf(key), side.leaf(key)) {
            return Err(EditError::Invalid(format!(
                "the merged file does not hold the merged value of {key}"
            )));
        }
    }
    let expected = keys.iter().filter(|k| {
        let side = if from_theirs.contains(k) {
            theirs
        } else {
            ours
        };
        side.leaf(k).is_some()
    });
    if expected.count() != file.entries().len() {
        return Err(EditError::Invalid(
            "the merged file has keys neither side has".into(),
        ));
    }
    Ok(())
}

/// Both absent, or both present with equal values.
fn same(a: Option<&Entry>, b: Option<&Entry>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.value == b.value,
        _ => false,
    }
}

/// `file` with `key` as `theirs` has it: set, added next to its relatives, or removed.
fn take(
    file: &SecretFile,
    theirs: &SecretFile,
    key: &KeyPath,
    entry: Option<&Entry>,
) -> Result<SecretFile, EditError> {
    let edit = match entry {
        None if file.leaf(key).is_none() => return copy(file),
        None => Edit::Delete { key: key.clone() },
        Some(e) => {
            let literal = theirs.text()[e.span.clone()].to_string();
            if file.leaf(key).is_some() {
                Edit::Set {
                    key: key.clone(),
                    literal,
                }
            } else {
                Edit::Add {
                    key: key.clone(),
                    literal,
                }
            }
        }
    };
    edit::apply(file, &edit)
}

/// Comment lines they added (each placed above the same key line as in their file) and
/// removed (when ours has the line exactly once), where that is unambiguous; others are left.
fn carry_comments(
    base: &SecretFile,
    file: &SecretFile,
    theirs: &SecretFile,
) -> Result<SecretFile, EditError> {
    let base_comments: BTreeSet<&str> = comment_lines(base.text()).collect();
    let their_comments: BTreeSet<&str> = comment_lines(theirs.text()).collect();
    let mut text = file.text().to_string();
    let mut changed = false;
    for gone in base_comments.difference(&their_comments) {
        let found: Vec<usize> = line_starts(&text)
            .filter(|&(_, line)| line == *gone)
            .map(|(at, _)| at)
            .collect();
        if let [at] = found[..] {
            let end = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
            text.replace_range(at..end, "");
            changed = true;
        }
    }
    let their_lines: Vec<&str> = theirs.text().lines().collect();
    for (n, line) in their_lines.iter().enumerate() {
        if !line.trim_start().starts_with('#') || base_comments.contains(line) {
            continue;
        }
        if line_starts(&text).any(|(_, l)| l == *line) {
            continue;
        }
        // The key line below it in their file, found once in ours.
        let Some(anchor) = their_lines[n + 1..]
            .iter()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        else {
            continue;
        };
        let found: Vec<usize> = line_starts(&text)
            .filter(|&(_, l)| l == *anchor)
            .map(|(at, _)| at)
            .collect();
        if let [at] = found[..] {
            text.insert_str(at, &format!("{line}\n"));
            changed = true;
        }
    }
    if !changed {
        return copy(file);
    }
    let merged = SecretFile::from_text(file.path(), text)
        .map_err(|e| EditError::Invalid(format!("their comments could not be placed ({e})")))?;
    let same_values = merged.entries().len() == file.entries().len()
        && merged
            .entries()
            .iter()
            .zip(file.entries())
            .all(|(a, b)| a.key == b.key && a.value == b.value);
    // Comments never change a value; if placing one did, leave them out.
    if same_values { Ok(merged) } else { copy(file) }
}

fn comment_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| l.trim_start().starts_with('#'))
}

/// Each line with the byte where it starts.
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l.trim_end_matches(['\n', '\r']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn file(text: &str) -> SecretFile {
        SecretFile::from_text(Path::new("t.toml"), text.to_string()).unwrap()
    }

    const BASE: &str = "# top\na.one = \"1\"\na.two = \"2\"\n\n# bee\nb.x = \"x\"\n";

    #[test]
    fn each_side_s_changes_are_kept_and_layout_is_ours() {
        let ours = file(
            "# top\na.one = \"1-ours\"  # mine\na.two = \"2\"\n\n# bee\nb.x = \"x\"\nz.new = \"z\"\n",
        );
        let theirs =
            file("# top\na.one = \"1\"\na.two = \"2-theirs\"\n\n# bee\nb.x = \"x\"\nb.y = \"y\"\n");
        let merged = merge(&file(BASE), &ours, &theirs, &[]).unwrap();
        assert!(merged.conflicts.is_empty());
        assert_eq!(
            merged.file.text(),
            "# top\na.one = \"1-ours\"  # mine\na.two = \"2-theirs\"\n\n# bee\nb.x = \"x\"\nb.y = \"y\"\nz.new = \"z\"\n"
        );
    }

    #[test]
    fn both_changing_one_key_differently_conflicts_until_chosen() {
        let ours = file(&BASE.replace("\"2\"", "\"2-ours\""));
        let theirs = file(&BASE.replace("\"2\"", "\"2-theirs\""));
        let merged = merge(&file(BASE), &ours, &theirs, &[]).unwrap();
        assert_eq!(merged.conflicts, [KeyPath::new(["a", "two"])]);
        let chosen = [(KeyPath::new(["a", "two"]), Choice::Theirs)];
        let merged = merge(&file(BASE), &ours, &theirs, &chosen).unwrap();
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.file.text(), theirs.text());
        // The same change on both sides is no conflict; a delete against no change deletes.
        let both = merge(&file(BASE), &ours, &ours, &[]).unwrap();
        assert!(both.conflicts.is_empty());
        let deleted = file("# top\na.one = \"1\"\n\n# bee\nb.x = \"x\"\n");
        let merged = merge(&file(BASE), &file(BASE), &deleted, &[]).unwrap();
        assert!(merged.file.leaf(&KeyPath::new(["a", "two"])).is_none());
    }

    #[test]
    fn their_comment_lines_come_along_where_unambiguous() {
        let theirs = file("# top\na.one = \"1\"\n# about two\na.two = \"2\"\n\nb.x = \"x\"\n");
        let merged = merge(&file(BASE), &file(BASE), &theirs, &[]).unwrap();
        assert_eq!(
            merged.file.text(),
            "# top\na.one = \"1\"\n# about two\na.two = \"2\"\n\nb.x = \"x\"\n"
        );
    }

    /// Generated edits on both sides of generated files: changes, additions (under existing
    /// tables and new ones) and deletions of different keys always merge to both sides' values.
    #[test]
    fn disjoint_changes_always_merge_to_both_sides_values() {
        let mut seed: u64 = 0x5eed;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        for round in 0..60 {
            let n = 3 + next(12);
            let mut base = String::from("# generated\n");
            for i in 0..n {
                base.push_str(&format!("p{}.acct.k{i} = \"fake-{i}\"\n", i % 3));
            }
            let (mut ours, mut theirs) = (base.clone(), base.clone());
            let mut want: Vec<(String, Option<String>)> = Vec::new();
            for i in 0..n {
                let line = format!("p{}.acct.k{i} = \"fake-{i}\"\n", i % 3);
                let key = format!("p{}.acct.k{i}", i % 3);
                match next(5) {
                    0 => {
                        ours = ours.replace(&line, &line.replace("fake-", "ours-"));
                        want.push((key, Some(format!("ours-{i}"))));
                    }
                    1 => {
                        theirs = theirs.replace(&line, &line.replace("fake-", "theirs-"));
                        want.push((key, Some(format!("theirs-{i}"))));
                    }
                    2 => {
                        theirs = theirs.replace(&line, "");
                        want.push((key, None));
                    }
                    _ => want.push((key, Some(format!("fake-{i}")))),
                }
            }
            theirs.push_str(&format!("p{}.acct.new{round} = \"theirs-new\"\n", next(4)));
            ours.push_str("zz.ours.added = \"ours-new\"\n");
            let merged = merge(&file(&base), &file(&ours), &file(&theirs), &[]).unwrap();
            assert!(merged.conflicts.is_empty(), "round {round}");
            for (key, value) in want {
                let got = merged.file.leaf(&KeyPath::new(key.split('.')));
                let got = got.and_then(|e| e.value.as_secret().map(|v| v.expose().to_string()));
                assert_eq!(got, value, "round {round}: {key}");
            }
            assert!(
                merged.file.text().contains("theirs-new")
                    && merged.file.text().contains("ours-new")
            );
        }
    }
}
