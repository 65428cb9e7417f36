//! A move, copy or rename by the line gives exactly what the general edit gives (which parses
//! the result whole and compares every other leaf), or leaves it to it.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::path::Path;

use proptest::prelude::*;

use super::move_in_file;
use crate::edit::{Edit, EditError, apply, several, verify};
use crate::file::SecretFile;
use crate::key_path::KeyPath;

fn edit_of(from: &KeyPath, to: &KeyPath, remove: bool) -> Edit {
    let (from, to) = (from.clone(), to.clone());
    if remove {
        Edit::Move { from, to }
    } else {
        Edit::Copy { from, to }
    }
}

fn general(
    file: &SecretFile,
    from: &KeyPath,
    to: &KeyPath,
    remove: bool,
) -> Result<SecretFile, EditError> {
    let text = several::move_or_copy(file, from, to, remove)?;
    verify::verify(file, &edit_of(from, to, remove), text)
}

/// Moves (or copies) `from` to `to` in `text` both ways; true when the fast path made it.
fn by_the_line(text: &str, from: &str, to: &str, remove: bool) -> bool {
    let path = Path::new("s.toml");
    let Ok(file) = SecretFile::from_text(path, text.to_string()) else {
        return false;
    };
    let (from, to) = (KeyPath::new(from.split('.')), KeyPath::new(to.split('.')));
    let expected = general(&file, &from, &to, remove);
    let edit = edit_of(&from, &to, remove);
    let said = format!("{from:?} -> {to:?} ({remove}) in {text:?}");
    match (&apply(&file, &edit), &expected) {
        (Ok(a), Ok(b)) => assert_eq!(a.text(), b.text(), "{said}"),
        (Err(a), Err(b)) => assert_eq!(a, b, "{said}"),
        _ => panic!("apply and the general edit disagree: {said}"),
    }
    // A rename (of one key: the TUI moves tables) is a move within the parent.
    let parent = from.prefix(from.len().saturating_sub(1));
    let leaf = file.leaf(&from).is_some();
    if leaf && remove && to.len() == from.len() && to.starts_with(&parent) && to != from {
        let rename = Edit::Rename {
            key: from.clone(),
            last: to.last().to_string(),
        };
        match (&apply(&file, &rename), &expected) {
            (Ok(a), Ok(b)) => assert_eq!(a.text(), b.text(), "rename {said}"),
            (Err(_), Err(_)) => {}
            _ => panic!("a rename and the general move disagree: {said}"),
        }
    }
    match move_in_file(&file, &from, &to, remove) {
        Some(fast) => {
            let Ok(expected) = expected else {
                panic!("made by the line what the general edit refuses: {said}")
            };
            let fast = fast.unwrap_or_else(|e| panic!("{e}: {said}"));
            assert_eq!(fast.text(), expected.text(), "{said}");
            true
        }
        None => false,
    }
}

/// Each leaf with targets: a sibling, a cousin, a new top-level key, an existing key, itself;
/// and each leaf's table.
fn moves_of(text: &str) -> Vec<(String, String)> {
    let Ok(file) = SecretFile::from_text(Path::new("s.toml"), text.to_string()) else {
        return Vec::new();
    };
    let leaves: Vec<String> = file
        .leaves()
        .map(|e| e.key.segments().collect::<Vec<_>>().join("."))
        .collect();
    let mut moves = Vec::new();
    for (i, from) in leaves.iter().enumerate() {
        let parent = from.rsplit_once('.').map_or("", |(p, _)| p);
        let other = &leaves[(i + 1) % leaves.len()];
        let other_parent = other.rsplit_once('.').map_or("", |(p, _)| p);
        for to in [
            if parent.is_empty() {
                "renamed".to_string()
            } else {
                format!("{parent}.renamed")
            },
            if parent.is_empty() {
                "\"odd name\"".to_string()
            } else {
                format!("{parent}.odd-name")
            },
            if other_parent.is_empty() {
                "moved".to_string()
            } else {
                format!("{other_parent}.moved")
            },
            "zz.moved".to_string(),
            other.clone(),
            format!("{from}.below"),
            from.clone(),
        ] {
            moves.push((from.clone(), to));
        }
        // Its table, whole (`mv -r`): renamed, moved under another, onto a key, below itself.
        if !parent.is_empty() {
            for to in [
                format!("{parent}-t"),
                format!("zz.{parent}"),
                // A new table under one that exists elsewhere (one block after its keys).
                if other_parent.is_empty() {
                    "t2".to_string()
                } else {
                    format!("{other_parent}.t2")
                },
                other.clone(),
                format!("{parent}.below"),
            ] {
                moves.push((parent.to_string(), to));
            }
        }
    }
    moves
}

#[test]
fn fixtures_move_and_copy_the_same_by_both_paths() {
    let mut fast = 0;
    for text in crate::edit::one_line::delete_tests::fixture_texts() {
        for (from, to) in moves_of(&text) {
            for remove in [true, false] {
                fast += usize::from(by_the_line(&text, &from, &to, remove));
            }
        }
    }
    assert!(fast > 100, "only {fast} moves took the line");
}

#[test]
fn a_rename_changes_the_last_part_only() {
    let text = "\u{feff}a.b = 1  # keep\r\na.d = 'x'\r\n";
    let file = SecretFile::from_text(Path::new("s.toml"), text.to_string()).unwrap();
    assert!(file.read_as_lines());
    let from = KeyPath::new(["a", "b"]);
    let renamed = move_in_file(&file, &from, &KeyPath::new(["a", "e-f"]), true)
        .unwrap()
        .unwrap();
    assert_eq!(renamed.text(), "\u{feff}a.e-f = 1  # keep\r\na.d = 'x'\r\n");
    let moved = move_in_file(&file, &from, &KeyPath::new(["z"]), true)
        .unwrap()
        .unwrap();
    // The comment goes with the line.
    assert_eq!(moved.text(), "\u{feff}a.d = 'x'\r\nz = 1  # keep\r\n");
    let copied = move_in_file(&file, &from, &KeyPath::new(["a", "q"]), false)
        .unwrap()
        .unwrap();
    assert_eq!(
        copied.text(),
        "\u{feff}a.b = 1  # keep\r\na.d = 'x'\r\na.q = 1  # keep\r\n"
    );
    // An existing key, below itself, below a value, empty: the general edit (which refuses).
    for (to, remove) in [("a.d", true), ("a.b.c", true), ("a.d.x", false), ("", true)] {
        assert!(
            move_in_file(&file, &from, &KeyPath::new(to.split('.')), remove).is_none(),
            "{to}"
        );
        assert!(!by_the_line(text, "a.b", to, remove));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_files_move_the_same_by_both_paths(
        lines in prop::collection::vec(crate::flat_scan::agreement_tests::line(), 0..10),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        pick in any::<prop::sample::Index>(),
        remove in any::<bool>(),
        final_nl in any::<bool>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(nl);
        if final_nl {
            text.push_str(nl);
        }
        let text = if bom { format!("\u{feff}{text}") } else { text };
        let moves = moves_of(&text);
        if !moves.is_empty() {
            let (from, to) = &moves[pick.index(moves.len())];
            by_the_line(&text, from, to, remove);
        }
    }
}

#[test]
fn a_table_to_a_new_table_moves_in_one_block() {
    use crate::edit::move_table::moved_table;
    let text = "a.x = 1\nb.c.d = 2\nb.c.e.f = 3 # c\nq = 0\nb.c.g = 'x'\na.y = 5\n";
    let source = crate::source::Source::new(text.to_string());
    let file = SecretFile::from_text(Path::new("s.toml"), text.to_string()).unwrap();
    let (from, to) = (KeyPath::new(["b", "c"]), KeyPath::new(["a", "n"]));
    let (moved, keys) = moved_table(&source, &from, &to, true).unwrap();
    assert_eq!(keys, 3);
    assert_eq!(
        moved.as_str(),
        "a.x = 1\nq = 0\na.y = 5\na.n.d = 2\na.n.e.f = 3 # c\na.n.g = 'x'\n"
    );
    let general = general(&file, &from, &to, true).unwrap();
    assert_eq!(moved.as_str(), general.text());
    let (copied, _) = moved_table(&source, &from, &KeyPath::new(["z"]), false).unwrap();
    assert_eq!(copied.as_str(), general_text(&file, &from, "z", false));
    // The target's nearest table holds what moves, a target that exists, no final newline:
    // key by key.
    assert!(moved_table(&source, &from, &KeyPath::new(["b", "n"]), true).is_none());
    assert!(moved_table(&source, &from, &KeyPath::new(["a"]), true).is_none());
    let no_nl = crate::source::Source::new(text.trim_end().to_string());
    assert!(moved_table(&no_nl, &from, &to, true).is_none());
}

fn general_text(file: &SecretFile, from: &KeyPath, to: &str, remove: bool) -> String {
    general(file, from, &KeyPath::new(to.split('.')), remove)
        .unwrap()
        .text()
        .to_string()
}
