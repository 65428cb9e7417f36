//! A delete by the line gives exactly what the general edit gives (which parses the result
//! whole and compares every other leaf), or leaves the delete to it.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::delete_in_file;
use crate::edit::{Edit, EditError, apply, several, verify};
use crate::file::SecretFile;
use crate::key_path::KeyPath;

/// The general delete, whatever the file.
fn general(file: &SecretFile, key: &KeyPath) -> Result<SecretFile, EditError> {
    let text = several::delete(file, key)?;
    verify::verify(file, &Edit::Delete { key: key.clone() }, text)
}

/// Deletes `key` from `text` both ways; true when the line was taken out by the fast path.
fn by_the_line(text: &str, key: &str) -> bool {
    let path = Path::new("s.toml");
    let Ok(file) = SecretFile::from_text(path, text.to_string()) else {
        return false;
    };
    let key = KeyPath::new(key.split('.'));
    let expected = general(&file, &key);
    let through_apply = apply(&file, &Edit::Delete { key: key.clone() });
    match (&through_apply, &expected) {
        (Ok(a), Ok(b)) => assert_eq!(a.text(), b.text(), "{key:?} in {text:?}"),
        (Err(a), Err(b)) => assert_eq!(a, b, "{key:?} in {text:?}"),
        _ => panic!("apply and the general delete disagree on {key:?} in {text:?}"),
    }
    match delete_in_file(&file, &key) {
        Some(fast) => {
            let Ok(expected) = expected else {
                panic!("deleted by the line what the general edit refuses: {key:?} in {text:?}")
            };
            let fast = fast.unwrap_or_else(|e| panic!("{e} for {key:?} in {text:?}"));
            assert_eq!(fast.text(), expected.text(), "{key:?} in {text:?}");
            assert_eq!(fast.entries().len(), expected.entries().len());
            true
        }
        None => false,
    }
}

/// Every leaf of the file, the tables on the way, and keys that are not there.
fn keys_of(text: &str) -> Vec<String> {
    let Ok(file) = SecretFile::from_text(Path::new("s.toml"), text.to_string()) else {
        return Vec::new();
    };
    let mut keys = vec!["brand.new".to_string(), "a..b".to_string()];
    for e in file.leaves() {
        let dotted = e.key.segments().collect::<Vec<_>>().join(".");
        if let Some((parent, _)) = dotted.rsplit_once('.') {
            keys.push(parent.to_string());
        }
        keys.push(format!("{dotted}.below"));
        keys.push(dotted);
    }
    keys
}

/// The text of every TOML fixture.
pub(in crate::edit) fn fixture_texts() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect()
}

#[test]
fn fixtures_delete_the_same_by_both_paths() {
    let mut fast = 0;
    for text in fixture_texts() {
        for key in keys_of(&text) {
            fast += usize::from(by_the_line(&text, &key));
        }
    }
    assert!(fast > 30, "only {fast} deletes took the line");
}

#[test]
fn the_line_goes_with_its_break_and_nothing_else() {
    let flat = "\u{feff}a.b = \"x\"  # keep\r\n# about c\r\na.c = 5\r\nz = [1, 2]";
    for key in ["a.b", "a.c", "z"] {
        assert!(by_the_line(flat, key), "{key}");
    }
    let path = Path::new("s.toml");
    let file = SecretFile::from_text(path, flat.to_string()).unwrap();
    let first = delete_in_file(&file, &KeyPath::new(["a", "b"]))
        .unwrap()
        .unwrap();
    assert_eq!(first.text(), "\u{feff}# about c\r\na.c = 5\r\nz = [1, 2]");
    let last = delete_in_file(&file, &KeyPath::new(["z"]))
        .unwrap()
        .unwrap();
    // The last line had no line break: the one before it goes, so the file still has none.
    assert_eq!(
        last.text(),
        "\u{feff}a.b = \"x\"  # keep\r\n# about c\r\na.c = 5"
    );
    // A table of one-line keys: every line of it, in one pass (`hst rm -r` on a million keys).
    let text = "t.a = 1\r\nu = 0\r\nt.b.c = 2\r\nt.b.d = 3";
    assert!(by_the_line(text, "t"));
    assert!(by_the_line(text, "t.b"));
    let file = SecretFile::from_text(Path::new("s.toml"), text.to_string()).unwrap();
    let t = delete_in_file(&file, &KeyPath::new(["t"]))
        .unwrap()
        .unwrap();
    assert_eq!(t.text(), "u = 0");
    // Inside an inline table, a table holding one, a lone CR: the general edit.
    for (text, key) in [
        ("t = { a = 1, b = 2 }\n", "t.a"),
        ("t = { a = 1 }\n", "t"),
        ("t.a = 1\nt.b = { c = 2 }\n", "t"),
        ("a = 1\rb = 2\n", "a"),
    ] {
        assert!(!by_the_line(text, key), "{key} in {text:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn generated_files_delete_the_same_by_both_paths(
        lines in prop::collection::vec(crate::flat_scan::agreement_tests::line(), 0..10),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        pick in any::<prop::sample::Index>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let text = if bom { format!("\u{feff}{text}") } else { text };
        let keys = keys_of(&text);
        if !keys.is_empty() {
            by_the_line(&text, &keys[pick.index(keys.len())]);
        }
    }
}
