//! A lookup while the file streams past answers only what the scan of the whole text answers,
//! and the same: same value, same line, whatever the block sizes; the files the scan refuses
//! (a key twice, a value used as a table) it hands on.
#![allow(clippy::panic, clippy::unwrap_used)]

use proptest::prelude::*;

use super::Stream;
use crate::flat_scan::{Keep, scan_keeping};
use crate::source::Source;
use crate::value::Textual;

/// The streamed lookup of `key` in `text` fed in blocks of `block` bytes.
fn streamed(text: &str, key: &str, block: usize) -> Option<(crate::value::Value, usize)> {
    let mut stream = Stream::new(key);
    for chunk in text.as_bytes().chunks(block.max(1)) {
        if !stream.feed(chunk) {
            return None;
        }
    }
    stream.finish()
}

fn scanned(text: &str, key: &str) -> Option<(crate::value::Value, usize)> {
    let source = Source::new(text.to_string());
    scan_keeping(&source, Keep::Lines)?.lookup_with_line(&source, key)
}

/// The scan's answer, or (a key inside an inline table, which the scan leaves to the whole
/// file) the whole file's, with line 0 for "any".
fn expected(text: &str, key: &str) -> Option<(crate::value::Value, usize)> {
    let source = Source::new(text.to_string());
    scan_keeping(&source, Keep::Lines)?;
    scanned(text, key).or_else(|| {
        let file =
            crate::file::SecretFile::from_text(std::path::Path::new("t"), text.to_string()).ok()?;
        file.lookup(key).ok().map(|v| (v.clone(), 0))
    })
}

/// The streamed answer, when there is one, is the scan's.
fn agree(text: &str, key: &str, block: usize) -> bool {
    let got = streamed(text, key, block);
    if let Some((value, line)) = &got {
        let Some((expected, expected_line)) = expected(text, key) else {
            panic!("streamed an answer the scan has not: {key:?} in {text:?}");
        };
        assert!(
            value == &expected || value.python_repr() == expected.python_repr(),
            "{key:?} in {text:?}"
        );
        if expected_line > 0 {
            assert_eq!(*line, expected_line, "{key:?} in {text:?}");
        }
    }
    got.is_some()
}

#[test]
fn keys_twice_or_values_used_as_tables_are_handed_on() {
    for text in [
        "a.b = 1\na.b = 2\n",
        "a.b = 1\na.b.c = 2\n",
        "a.b.c = 1\na.b = 2\n",
        "a.b = 1\nx = 0\na.b.c = 2\n",
        "a.b.c = 1\nx = 0\na.b = 2\n",
        "a = { b = 1 }\na.c = 2\n",
        "a = 1\na . b = 2\n",
    ] {
        for key in ["a.b", "x", "a"] {
            assert_eq!(streamed(text, key, 3), None, "{key} in {text:?}");
            assert_eq!(scanned(text, key), None, "{key} in {text:?}");
        }
    }
}

#[test]
fn a_key_is_found_on_its_line_whatever_the_blocks() {
    let text = "\u{feff}# fake values\r\np.k1 = \"x1\"\r\np . k2 = 0x10  # c\r\nq = { r = 'x3' }\r\np.k3 = \"x4\"";
    for block in [1, 2, 3, 7, 64, 4096] {
        for (key, line) in [("p.k1", 2), ("p.k2", 3), ("q", 4), ("p.k3", 5)] {
            assert!(agree(text, key, block), "{key} in blocks of {block}");
            assert_eq!(streamed(text, key, block).map(|(_, l)| l), Some(line));
        }
        // Inside an inline table: from its line.
        assert!(agree(text, "q.r", block));
        assert_eq!(streamed(text, "q.r", block).map(|(_, l)| l), Some(4));
        // A table, a key below a value, an absent key, a lone CR: the whole text decides.
        for key in ["p", "q.s", "nope", "p.k1.x"] {
            assert_eq!(streamed(text, key, block), None, "{key}");
        }
        assert_eq!(streamed("a = 1\rb = 2\n", "a", block), None);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn generated_files_give_the_scans_answers(
        lines in prop::collection::vec(super::super::agreement_tests::line(), 0..12),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        final_nl in any::<bool>(),
        block in 1usize..200,
        pick in any::<prop::sample::Index>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(nl);
        if final_nl {
            text.push_str(nl);
        }
        if bom {
            text.insert(0, '\u{feff}');
        }
        let source = Source::new(text.clone());
        let keys: Vec<String> = match scan_keeping(&source, Keep::Leaves) {
            Some(_) => crate::file::SecretFile::from_text(std::path::Path::new("t"), text.clone())
                .map(|f| f.leaves().map(|e| e.key.dotted().to_string()).collect())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        // Every key the scan reads has the same answer; whether one is asked or not, a file
        // the scan refuses gets none.
        for key in &keys {
            agree(&text, key, block);
        }
        if keys.is_empty() {
            let first = lines.get(pick.index(lines.len().max(1))).cloned().unwrap_or_default();
            let key = first.split('=').next().unwrap_or_default().trim().to_string();
            agree(&text, &key, block);
        } else {
            // A scanned flat file of one-line leaves: each of its keys is found.
            let key = &keys[pick.index(keys.len())];
            if scanned(&text, key).is_some() {
                prop_assert!(streamed(&text, key, block).is_some(), "{key} in {text:?}");
            }
        }
    }
}
