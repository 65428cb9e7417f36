//! The fast path for flat files must give exactly what the complete TOML parser gives: same
//! entries, values, lines and spans, and no file accepted that the parser rejects. Unit tests,
//! so that the full-parser entry point and the "which reader read it" probe stay private.
#![allow(clippy::panic, clippy::unwrap_used, clippy::too_many_lines)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::SecretFile;
use crate::source::Source;
use crate::value::Textual;

#[path = "../../../../tests/generate.rs"]
pub(crate) mod generate;

/// The repository's root (the shared fixtures are in `tests/fixtures`).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Separates listed from unlisted leaves in a summary.
fn marker() -> crate::Entry {
    crate::Entry {
        key: crate::KeyPath::new(["--unlisted--"]),
        value: crate::Value::Boolean(true),
        line: 0,
        span: 0..0,
        key_span: 0..0,
    }
}

/// Everything observable about a load, as comparable text (values through Python's repr).
fn summary(text: &str, full: bool) -> Result<Vec<String>, String> {
    let path = Path::new("t.toml");
    let file = if full {
        SecretFile::from_text_full_parser(path, text.to_string())
    } else {
        SecretFile::from_text(path, text.to_string())
    };
    let file = file.map_err(|e| e.to_string())?;
    let mut out: Vec<String> = file
        .entries()
        .iter()
        .chain([&marker()])
        .chain(file.unlisted())
        .map(entry_line)
        .collect();
    out.push(crate::Value::Table(Box::new(file.data().clone())).python_repr());
    Ok(out)
}

/// `hst ls`'s streamed listing, and the same lines built from the full parser's entries.
fn listings(text: &str) -> (Result<Vec<String>, String>, Result<Vec<String>, String>) {
    let path = Path::new("t.toml");
    let mut streamed = Vec::new();
    let snapshot = crate::store::Snapshot::new(text.as_bytes().to_vec());
    let done = SecretFile::for_each_listed(path, snapshot, |key, masked| {
        streamed.push(format!("{key} = \"{masked}\""));
    });
    let streamed = done.map(|()| streamed).map_err(|e| e.to_string());
    let built = SecretFile::from_text_full_parser(path, text.to_string())
        .map(|file| {
            file.entries()
                .iter()
                .map(|e| format!("{} = \"{}\"", e.key, crate::mask(&e.value)))
                .collect()
        })
        .map_err(|e| e.to_string());
    (streamed, built)
}

fn entry_line(e: &crate::Entry) -> String {
    format!(
        "{:?} = {} @{} {:?} {:?}",
        e.key,
        e.value.python_repr(),
        e.line,
        e.span,
        e.key_span
    )
}

/// Each leaf read alone from a file loaded without entries (what the TUI shows) is the entry
/// the whole list has, and no entry list was built for it.
fn assert_lean_agrees(text: &str) {
    let path = Path::new("t.toml");
    let (Ok(lean), Ok(built)) = (
        SecretFile::from_text(path, text.to_string()),
        SecretFile::from_text(path, text.to_string()),
    ) else {
        return;
    };
    let (listed, unlisted) = (built.entries(), built.unlisted());
    assert_eq!(lean.listed_len(), listed.len(), "{text:?}");
    assert_eq!(lean.unlisted_len(), unlisted.len(), "{text:?}");
    for (i, entry) in listed.iter().enumerate() {
        assert_eq!(lean.listed_key(i), Some(entry.key.dotted()));
        let mut segments = Vec::new();
        lean.listed_segments_into(i, &mut segments);
        assert!(
            segments.iter().copied().eq(entry.key.segments()),
            "{text:?}"
        );
        let alone = lean.listed_entry(i).map(|e| entry_line(&e));
        assert_eq!(alone, Some(entry_line(entry)), "{text:?}");
        assert_eq!(lean.listed_position(&entry.key), Some(i), "{text:?}");
    }
    for (i, entry) in unlisted.iter().enumerate() {
        let alone = lean.unlisted_entry(i).map(|e| entry_line(&e));
        assert_eq!(alone, Some(entry_line(entry)), "{text:?}");
        assert_eq!(lean.unlisted_position(&entry.key), Some(i), "{text:?}");
    }
    assert_eq!(lean.placeholders(), built.placeholders(), "{text:?}");
    // Every prefix of every key: the leaves under it, counted from the text and from entries.
    for entry in listed.iter().chain(unlisted) {
        for n in 0..=entry.key.len() {
            let prefix = entry.key.prefix(n);
            assert_eq!(
                lean.leaves_under(&prefix),
                built.leaves_under(&prefix),
                "{prefix} in {text:?}"
            );
        }
    }
    assert!(lean.listed_entry(listed.len()).is_none());
    assert!(lean.listed_key(listed.len()).is_none());
    if built.read_by_fast_path() {
        assert!(lean.entries_unbuilt(), "entries were built for {text:?}");
    }
}

/// What a scan found, as text: every leaf (from the leaves kept) and every key's value and
/// line (from the lines kept).
fn scanned(source: &Source, pipelined: bool) -> Option<Vec<String>> {
    let leaves = super::scan_with(source, super::Keep::Leaves, pipelined)?;
    let all = leaves.lean(source)?.materialize(source)?;
    drop(leaves);
    let lines = super::scan_with(source, super::Keep::Lines, pipelined)?;
    let mut out: Vec<String> = all
        .listed
        .iter()
        .chain(&all.unlisted)
        .map(entry_line)
        .collect();
    for entry in all.listed.iter().chain(&all.unlisted) {
        let found = lines.lookup_with_line(source, entry.key.dotted());
        out.push(format!(
            "{:?}",
            found.map(|(v, line)| (v.python_repr(), line))
        ));
    }
    Some(out)
}

/// The scan on two threads (one reading lines, one filing keys) finds what the one-thread
/// scan finds, and refuses what it refuses.
fn assert_pipeline_agrees(text: &str) {
    let source = Source::new(text.to_string());
    assert_eq!(scanned(&source, true), scanned(&source, false), "{text:?}");
}

fn assert_same(text: &str) {
    assert_lean_agrees(text);
    assert_pipeline_agrees(text);
    let (streamed, built) = listings(text);
    assert_eq!(streamed, built, "the streamed listing differs for {text:?}");
    let fast = summary(text, false);
    let full = summary(text, true);
    match (&fast, &full) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "entries differ for {text:?}"),
        (Err(a), Err(b)) => assert_eq!(a, b, "errors differ for {text:?}"),
        _ => panic!("one parser accepted and the other did not for {text:?}: {fast:?} vs {full:?}"),
    }
}

#[test]
fn flat_files_take_the_fast_path_and_others_do_not() {
    let load = |text: &str| SecretFile::from_text(Path::new("t.toml"), text.to_string());
    let flat = std::fs::read_to_string(root().join("tests/fixtures/seed003.toml"));
    // The seed example has inline tables; its flat lines alone are fast-path material.
    let flat: String = flat
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.contains('{'))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = load(&flat).unwrap_or_else(|e| panic!("{e}"));
    assert!(file.read_by_fast_path());
    assert_eq!(file.entries().len(), 14);
    assert!(load("a . b = 'x' # c\nn = -5\nt = true\n").is_ok_and(|f| f.read_by_fast_path()));
    // Values that fit on their line are read line by line, whatever their type.
    for local in [
        "a = 1.5\n",
        "a = \"\\n\"\n",
        "c.creds = { access_key = \"AKIAFAKE\", secret_key = \"fake\" } # aws\n",
        "a = [1, [2, 3], { b = 'x' }]\nb = 1979-05-27T07:32:00Z\nc = {}\n",
    ] {
        let file = load(local).unwrap_or_else(|e| panic!("{e}"));
        assert!(file.read_by_fast_path(), "{local:?}");
    }
    let creds = load("c.creds = { access_key = \"AKIAFAKE\", n = { x = 1 } }\n").unwrap();
    let keys: Vec<String> = creds.entries().iter().map(|e| e.key.to_string()).collect();
    assert_eq!(keys, ["c.creds.access_key", "c.creds.n.x"]);
    for other in [
        "[t]\na = 1\n",
        "\"q\" = 1\n",
        "a = [1,\n2]\n",
        "a = \"\"\"x\ny\"\"\"\n",
    ] {
        assert!(
            load(other).is_ok_and(|f| !f.read_by_fast_path()),
            "{other:?}"
        );
    }
}

#[test]
fn fixtures_and_corner_cases_agree() {
    let dir = root().join("tests/fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        // Invalid UTF-8 fixtures are errors before either parser runs.
        if let Ok(text) = std::fs::read_to_string(&path) {
            assert_same(&text);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} fixtures were compared");
    for text in [
        "a = 1\na = 2\n",
        "a = 1\na.b = 2\n",
        "a.b = 1\na = 2\n",
        "a.b = 1\na.c = 2\nb.x = 3\na.d = 4\n",
        "a . b\t.c = \"x\" # c\n",
        "a = \"x\"# no space\n",
        "a = ''\nb = \"\"\nc = '''x'''\nd = \"\"\"y\"\"\"\n",
        "a = \"tab\tinside\"\n",
        "a = \"bell\u{7}\"\n",
        "# comment with del \u{7f}\n",
        "a = +0\nb = -0\nc = 007\n",
        "a = 9223372036854775807\nb = 9223372036854775808\n",
        "a = -9223372036854775808\n",
        "a = truex\n",
        "a = true false\n",
        "description = \"x\"\nb.description = 1\nc = \"...\"\n",
        "1.2 = 3\n",
        "a-b.c_d = 'lit\\eral'\n",
        "a = 1\r\nb = 2\r\n",
        "\u{feff}a = 1\n",
        "a = 1",
        "",
        "\n\n",
        "a =\n",
        "= 1\n",
        "a = \"é🔑\"\n",
        "a = {x = 1}\na.y = 2\n",
        "  a.b = \"indented-fake-value\"\n\t c . d = 'x' # c\n   e = { f = 1 }\n",
        "a.y = 2\na = {x = 1}\n",
        "a = {}\na.y = 2\n",
        "a = [1]\na.y = 2\n",
        "a.description = { x = 1, description = 2 }\n",
        "a = { b = \"...\" }\nc = 1.0 # f\n",
        "k = \"x\\\"y\" # quote\r\nm = 1\r\n",
        "\u{feff}k = { v = 'é' }\n",
    ] {
        assert_same(text);
    }
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("accounts".to_string()),
        Just("description".to_string()),
        Just("x-1".to_string()),
        Just("\"q.d\"".to_string()),
        Just("9".to_string()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(segment(), 1..4),
        prop_oneof![Just("."), Just(" . "), Just(".\t")],
    )
        .prop_map(|(segs, sep)| segs.join(sep))
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9 _./+=-]{0,12}".prop_map(|s| format!("\"{s}\"")),
        "[a-z\\\\ ]{0,6}".prop_map(|s| format!("'{s}'")),
        Just("\"...\"".to_string()),
        Just("\"a\\tb\"".to_string()),
        Just("\"\"\"m\nl\"\"\"".to_string()),
        (-1000i64..1000).prop_map(|i| i.to_string()),
        Just("+5".to_string()),
        Just("01".to_string()),
        Just("99999999999999999999".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("1.5".to_string()),
        Just("1979-05-27".to_string()),
        Just("[1, \"x\"]".to_string()),
        Just("{ k = \"v\", description = \"d\" }".to_string()),
        Just("{ a = { b = 1, c = [1.5, \"x\"] }, \"q.k\" = \"...\" }".to_string()),
        Just("{}".to_string()),
        Just("[]".to_string()),
        Just("[ { a = 1 }, { b = \"é\" } ]".to_string()),
        Just("[1,\n 2]".to_string()),
        Just("\"esc \\\" \\u00e9 \\n\"".to_string()),
        Just("-inf".to_string()),
        Just("nan".to_string()),
        Just("1_000".to_string()),
        Just("0x1F".to_string()),
        Just("1979-05-27T07:32:00-08:00".to_string()),
        Just("07:32:00".to_string()),
        Just("{ a = 1, a = 2 }".to_string()),
        Just("{ a = 1 } x".to_string()),
        Just("nope".to_string()),
    ]
}

pub(crate) fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (prop_oneof![Just(""), Just("  "), Just("\t")], key(), value(), prop_oneof![Just(""), Just(" # c"), Just("#c"), Just(" ")])
            .prop_map(|(indent, k, v, c)| format!("{indent}{k} = {v}{c}")),
        1 => Just(String::new()),
        1 => Just("# a comment".to_string()),
        1 => prop_oneof![9 => Just(String::new()), 1 => Just("[a]".to_string())],
        1 => Just("  \t".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn generated_files_agree(lines in prop::collection::vec(line(), 0..12), crlf in any::<bool>(), final_nl in any::<bool>()) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(nl);
        if final_nl {
            text.push_str(nl);
        }
        assert_same(&text);
    }
}

#[test]
fn both_readers_have_the_same_limit_on_key_parts() {
    for parts in 78..=83 {
        let key = vec!["p"; parts].join(".");
        for text in [
            format!("{key} = \"fake\"\n"),
            format!("x.y = 1\n{key} = 2\n"),
        ] {
            assert_same(&text);
            let verdict = SecretFile::from_text(Path::new("t.toml"), text.clone());
            assert_eq!(verdict.is_ok(), parts <= 80, "{parts} parts");
            if let Err(e) = verdict {
                assert!(e.to_string().contains("nested too deeply"), "{e}");
                // The error points at the line with the deep key.
                let line = text.lines().count();
                assert!(
                    e.to_string().starts_with(&format!("t.toml:{line}:1:")),
                    "{e}"
                );
            }
        }
    }
}

#[test]
fn real_shaped_files_take_the_fast_path_and_agree_with_the_full_parser() {
    for n in [1, 150, 3_000] {
        let text = generate::real_like(n);
        assert_same(&text);
        let file = SecretFile::from_text(Path::new("t.toml"), text).unwrap();
        assert!(file.read_by_fast_path(), "{n} entries");
        assert!(file.entries().len() >= n);
    }
}

/// `SecretFile::find` (one value built from the scan) gives what a lookup in the whole data
/// gives, for every leaf, every table on the way to one, and keys that are not there.
fn assert_find_agrees(text: &str) {
    let path = Path::new("f.toml");
    let Ok(file) = SecretFile::from_text_full_parser(path, text.to_string()) else {
        return;
    };
    let mut keys: Vec<String> = Vec::new();
    for e in file.leaves() {
        let dotted = e.key.dotted().to_string();
        let mut prefix = String::new();
        for part in e.key.segments() {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            keys.push(prefix.clone());
        }
        keys.push(format!("{dotted}.missing"));
        keys.push(format!("{dotted}x"));
    }
    keys.push(String::new());
    keys.push("..".into());
    for key in keys {
        let want = file
            .lookup(&key)
            .map(|v| format!("{:?} {}", v, v.python_repr()));
        let got = match SecretFile::find_in(path, Source::new(text.to_string()), &key).unwrap() {
            Ok(v) => Ok(format!("{:?} {}", v, v.python_repr())),
            Err(whole) => whole
                .lookup(&key)
                .map(|v| format!("{:?} {}", v, v.python_repr())),
        };
        assert_eq!(
            got.map_err(|e| e.to_string()),
            want.map_err(|e| e.to_string()),
            "{key:?} in {text:?}"
        );
    }
}

#[test]
fn finding_one_key_agrees_with_a_lookup_in_the_whole_data() {
    let fixtures = root().join("tests/fixtures");
    for entry in std::fs::read_dir(&fixtures).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "toml")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            assert_find_agrees(&text);
        }
    }
    assert_find_agrees(
        "a.b = \"x\"\na.c = [1, 2]\na.d = { e = 1 }\na.f = 1.5\na.g = \"esc\\n\"\n\
         a.h = \"vault://secret/x#f\"\na.i = \"...\"\na.description = \"d\"\nb = true\n",
    );
}

proptest! {
    #[test]
    fn finding_agrees_on_generated_files(lines in prop::collection::vec(line(), 0..12), crlf in any::<bool>(), bom in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        assert_find_agrees(&if bom { format!("\u{feff}{text}") } else { text });
    }
}

#[test]
fn the_pipelined_scan_agrees_past_many_chunks_and_stops_at_any_refusal() {
    let text = generate::real_like(3 * super::CHUNK + 17);
    assert_pipeline_agrees(&text);
    let source = Source::new(text.clone());
    assert!(scanned(&source, true).is_some_and(|s| s.len() > 3 * super::CHUNK));
    let line = text.lines().find(|l| l.contains(" = ")).unwrap_or_default();
    let key = line.split(" = ").next().unwrap_or_default();
    // A duplicate key, a broken line and a key used as a table, early and late in the file.
    for bad in [
        format!("{key} = 1"),
        "x = = 1".to_string(),
        format!("{key}.deeper = 1"),
    ] {
        for late in [false, true] {
            let broken = if late {
                format!("{text}{bad}\n")
            } else {
                format!("{bad}\n{text}")
            };
            let source = Source::new(broken);
            assert!(scanned(&source, true).is_none(), "accepted {bad:?}");
            assert!(scanned(&source, false).is_none());
        }
    }
}
