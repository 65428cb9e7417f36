//! The one-line edit gives exactly what the general edit gives: the same bytes, the same
//! refusal, or it leaves the edit to it.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{SetInPlace, set_in_place};
use crate::edit::{InputType, set_value, set_value_whole};
use crate::file::SecretFile;
use crate::key_path::KeyPath;
use crate::store::Snapshot;

/// What happened, as comparable text: `spliced`/`whole` and the outcome.
fn outcome(text: &str, key: &str, value: &str, input: Option<InputType>) -> &'static str {
    let path = Path::new("s.toml");
    let key_path = KeyPath::new(key.split('.'));
    let fast = set_in_place(
        path,
        Snapshot::new(text.as_bytes().to_vec()),
        &key_path,
        value,
        input,
    );
    let full = SecretFile::from_text(path, text.to_string());
    let (fast, file) = match (fast, full) {
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "{key:?} in {text:?}");
            return "error";
        }
        (Ok(fast), Ok(file)) => (fast, file),
        (a, b) => panic!(
            "one reader failed: {:?} / {:?} for {key:?} in {text:?}",
            a.err().map(|e| e.to_string()),
            b.err().map(|e| e.to_string())
        ),
    };
    let existed = file.leaf(&key_path).is_some();
    // `set_value` on the file as loaded (read as lines, as the TUI holds it) takes the one-line
    // path where it can: the same edit, bytes and refusal as the general edit.
    let loaded = SecretFile::from_text(path, text.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let combined = set_value(&loaded, &key_path, value, input);
    let general = set_value_whole(&file, &key_path, value, input);
    match (&combined, &general) {
        (Ok((edit_a, a)), Ok((edit_b, b))) => {
            assert_eq!(a.text(), b.text(), "{key:?} in {text:?}");
            assert_eq!(
                edit_a.result_key(),
                edit_b.result_key(),
                "{key:?} in {text:?}"
            );
            assert_eq!(a.entries().len(), b.entries().len(), "{key:?} in {text:?}");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "{key:?} in {text:?}"),
        _ => panic!("set_value and the general edit disagree on {key:?} in {text:?}"),
    }
    match fast {
        SetInPlace::Spliced(spliced) => {
            let Ok((_, edited)) = general else {
                panic!("spliced what the general edit refuses: {key:?} in {text:?}");
            };
            assert_eq!(spliced.text(), edited.text(), "{key:?} in {text:?}");
            assert_eq!(spliced.added(), !existed, "{key:?} in {text:?}");
            "spliced"
        }
        SetInPlace::Refused(e) => {
            assert_eq!(general.err(), Some(e), "{key:?} in {text:?}");
            "refused"
        }
        SetInPlace::Whole(whole) => {
            assert_eq!(whole.text(), text);
            "whole"
        }
    }
}

const VALUES: [&str; 10] = [
    "new-value",
    "42",
    "with \"quote\" and \\ back",
    "two\nlines",
    "true",
    "[1, 2]",
    "{ a = 1 }",
    "vault://kv/x#f",
    "é ü 🔑",
    "",
];

fn inputs() -> impl Iterator<Item = Option<InputType>> {
    std::iter::once(None).chain(InputType::ALL.into_iter().map(Some))
}

/// Keys to try in a file: each leaf, the tables on the way, and new keys beside and below.
fn keys_of(text: &str) -> Vec<String> {
    let Ok(file) = SecretFile::from_text(Path::new("s.toml"), text.to_string()) else {
        return vec!["a".into()];
    };
    let mut keys = vec![
        String::new(),
        "a..b".into(),
        "brand.new.key".into(),
        "x\ty".into(),
    ];
    for e in file.leaves() {
        let dotted = e.key.segments().collect::<Vec<_>>().join(".");
        keys.push(format!("{dotted}.below"));
        if let Some((parent, _)) = dotted.rsplit_once('.') {
            keys.push(parent.to_string());
            keys.push(format!("{parent}.sibling"));
        }
        keys.push(dotted);
    }
    keys
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn fixtures_edit_the_same_by_both_paths_and_flat_ones_by_the_line() {
    let mut spliced = 0;
    for entry in std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .flatten()
    {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        for key in keys_of(&text) {
            for value in VALUES {
                spliced += usize::from(outcome(&text, &key, value, None) == "spliced");
            }
        }
    }
    assert!(spliced > 100, "only {spliced} edits took the one-line path");
    let flat = "# mine\r\na.b = \"x\"  # keep\r\na.c = 5\r\nz = [1, 2] # arr\r\n";
    for key in ["a.b", "a.c", "z", "a.new", "q"] {
        for input in inputs() {
            for value in VALUES {
                outcome(flat, key, value, input);
            }
        }
        assert_eq!(outcome(flat, key, "7", None), "spliced", "{key}");
    }
    assert_eq!(
        outcome(flat, "a.b", "1", Some(InputType::Integer)),
        "spliced"
    );
    assert_eq!(outcome(flat, "a.c", "x", None), "refused");
    // A line break in text is an escape on the one line.
    assert_eq!(outcome(flat, "a.b", "two\nlines", None), "spliced");
    assert_eq!(outcome(flat, "z", "[1,\n2]", None), "refused");
    // A table where a value was changes the key tree: the general edit judges it.
    assert_eq!(outcome(flat, "z", "{ a = 1 }", None), "whole");
    assert_eq!(outcome(flat, "a", "1", None), "whole");
    assert_eq!(outcome(flat, "a.c.d", "1", None), "whole");
    assert_eq!(outcome(flat, "a..b", "1", None), "refused");
    // An empty inline table is a relative too, on both paths.
    assert_eq!(outcome("a.x = {}\nb = 1\n", "a.y", "v", None), "spliced");
    assert_eq!(
        outcome(
            "t.x = 1\nt.y = [[]]\nt.new = {}\n",
            "t.new2",
            "[1]",
            Some(InputType::Raw)
        ),
        "spliced"
    );
    // A file of only a BOM gets the key as its first line, as an empty file does.
    assert_eq!(outcome("\u{feff}", "k", "v", None), "spliced");
    // A BOM before a `[section]`: a new top-level key goes between them (this panicked once).
    assert_eq!(outcome("\u{feff}[a]\nk = 1\n", "top", "v", None), "whole");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn generated_files_edit_the_same_by_both_paths(
        lines in prop::collection::vec(crate::flat_scan::agreement_tests::line(), 0..10),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        pick in any::<prop::sample::Index>(),
        value in 0..VALUES.len(),
        input in 0..=InputType::ALL.len(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let text = if bom { format!("\u{feff}{text}") } else { text };
        let keys = keys_of(&text);
        let key = &keys[pick.index(keys.len())];
        let input = inputs().nth(input).flatten();
        outcome(&text, key, VALUES[value], input);
    }
}
