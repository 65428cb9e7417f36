//! `hst set`: the real binary edits a copy of a fixture; only the edited bytes change.

use crate::support;

use std::process::Command;

use support::env::Finish;

fn copy_of(name: &str) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("home_secret.toml");
    let text = std::fs::read_to_string(support::fixture(name)).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    (dir, path, text)
}

fn hst() -> Command {
    support::env::hst()
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn set_changes_exactly_one_value_and_never_prints_it() {
    let (_d, path, before) = copy_of("crlf.toml");
    let file = home_secret_toml::SecretFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let entry = file
        .entries()
        .iter()
        .find(|e| e.value.kind() == home_secret_toml::ValueKind::String)
        .cloned()
        .unwrap_or_else(|| panic!("no string entry in the fixture"));
    let out = hst()
        .args(["set", entry.key.dotted(), "NEW-FAKE-VALUE", "--path"])
        .arg(&path)
        .finish();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("NEW-FAKE-VALUE") && out.stdout.is_empty());
    let after = read(&path);
    let expected = format!(
        "{}\"NEW-FAKE-VALUE\"{}",
        &before[..entry.span.start],
        &before[entry.span.end..]
    );
    assert!(after == expected, "bytes outside the value changed");
    assert!(after.contains("\r\n"), "CRLF kept");
}

#[test]
fn stdin_keeps_the_value_out_of_the_command_line() {
    let (_d, path, _) = copy_of("seed003.toml");
    let out = hst()
        .args([
            "set",
            "brand_new.accounts.me.secrets.tok.value",
            "--stdin",
            "--path",
        ])
        .arg(&path)
        .finish_with("from-stdin-fake\n".as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        read(&path).ends_with("brand_new.accounts.me.secrets.tok.value = \"from-stdin-fake\"\n")
    );
    let got = hst()
        .args(["get", "brand_new.accounts.me.secrets.tok.value", "--path"])
        .arg(&path)
        .finish();
    assert_eq!(String::from_utf8_lossy(&got.stdout), "from-stdin-fake\n");
}

#[test]
fn a_bad_value_is_explained_and_nothing_is_written() {
    let (_d, path, before) = copy_of("types.toml");
    let file = home_secret_toml::SecretFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let int_key = file
        .entries()
        .iter()
        .find(|e| e.value.kind() == home_secret_toml::ValueKind::Integer)
        .map(|e| e.key.to_string())
        .unwrap_or_else(|| panic!("no integer in the fixture"));
    let out = hst()
        .args(["set", &int_key, "not-a-number-fake", "--path"])
        .arg(&path)
        .finish();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("expected an integer") && !err.contains("not-a-number-fake"),
        "{err}"
    );
    assert_eq!(read(&path), before);
    let out = hst()
        .args(["set", &int_key, "[1, 2]", "--type", "raw", "--path"])
        .arg(&path)
        .finish();
    assert!(out.status.success(), "raw TOML may change the type");
}

#[test]
fn set_on_a_table_or_below_a_value_says_what_is_there() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.toml");
    let text = "github.a = \"fake1\"\ngithub.b.c = \"fake2\"\ns = \"fake3\"\n";
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    for (key, expected) in [
        ("", "cannot be empty"),
        ("github..x", "cannot be empty"),
        ("new.", "cannot be empty"),
        ("github", "github is a table with 2 keys under it"),
        ("github.b", "github.b is a table with 1 key under it"),
        ("s.x", "s holds a value (string), not a table"),
        (
            "github.b.c.d",
            "github.b.c holds a value (string), not a table",
        ),
    ] {
        let out = hst()
            .args(["set", "--path"])
            .arg(&path)
            .args([key, "fake-new"])
            .finish();
        assert_eq!(out.status.code(), Some(1), "{key}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{key}: {err}");
        assert!(!err.contains("would not parse"), "{key}: {err}");
        assert_eq!(read(&path), text, "nothing written for {key}");
    }
}

#[test]
fn generate_sets_a_random_value_that_is_never_printed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.toml");
    std::fs::write(&path, "a.b = \"fake\"\n").unwrap_or_else(|e| panic!("{e}"));
    let generated = |key: &str, extra: &[&str]| {
        let out = hst()
            .args(["set", "--path"])
            .arg(&path)
            .arg(key)
            .arg("--generate")
            .args(extra)
            .finish();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let file = home_secret_toml::SecretFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let value = match file.lookup(key) {
            Ok(home_secret_toml::Value::String(s)) => s.expose().to_string(),
            other => panic!("{key}: not a string: {}", other.is_ok()),
        };
        assert!(out.stdout.is_empty());
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains(&value),
            "the value was printed"
        );
        value
    };
    let first = generated("svc.one.value", &[]);
    assert_eq!(first.len(), 32);
    assert!(first.bytes().all(|b| b.is_ascii_alphanumeric()));
    let second = generated("svc.two.value", &["12"]);
    assert_eq!(second.len(), 12);
    let again = generated("svc.one.value", &[]);
    assert_ne!(first, again, "a new value each time");
    let before = read(&path);
    for (bad, why) in [
        (&["--generate", "4"][..], "4 is not in 8..=4096"),
        (
            &["fake-value", "--generate"][..],
            "'[VALUE]' cannot be used with '--generate",
        ),
        (
            &["--copy"][..],
            "required arguments were not provided:\n  --generate",
        ),
    ] {
        let out = hst()
            .args(["set", "--path"])
            .arg(&path)
            .arg("svc.three.value")
            .args(bad)
            .finish();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bad:?} is a usage error: {err}"
        );
        assert!(err.contains(why), "{bad:?}: {err}");
        assert_eq!(read(&path), before, "{bad:?}: nothing written");
    }
}
