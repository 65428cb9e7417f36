//! No secret value may reach `Debug`, `Display` or an error message.

use crate::support;

use std::path::Path;

use home_secret_toml::{HomeSecretToml, SecretFile, Tree, Value};
use support::fixture;

/// Every string value in a table, recursively (the fixtures' fake secrets).
fn secrets(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) if s.expose().chars().count() >= 4 => out.push(s.expose().to_string()),
        Value::Array(items) => items.iter().for_each(|v| secrets(v, out)),
        Value::Table(t) => t.values().for_each(|v| secrets(v, out)),
        _ => {}
    }
}

fn assert_clean(text: &str, secrets: &[String], what: &str) {
    for s in secrets {
        // The message names the fixture and the place, never the value.
        assert!(!text.contains(s.as_str()), "{what} shows a fixture secret");
    }
}

#[test]
fn debug_output_never_shows_values() {
    for name in [
        "seed003.toml",
        "types.toml",
        "tables.toml",
        "quoted.toml",
        "masks.toml",
    ] {
        let file = SecretFile::load(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut found = Vec::new();
        secrets(&Value::Table(Box::new(file.data().clone())), &mut found);
        assert!(!found.is_empty(), "{name} has secrets to look for");
        let debug = format!(
            "{:?} {:#?} {:?} {:?}",
            file.entries(),
            file.data(),
            Tree::build(file.entries()),
            file.entries()
                .iter()
                .map(|e| e.value.to_owned())
                .collect::<Vec<_>>()
        );
        assert_clean(&debug, &found, name);
        assert!(debug.contains("<redacted>"));
        for entry in file.entries() {
            if let Some(secret) = entry.value.as_secret() {
                assert_eq!(format!("{secret}"), "<redacted>");
                assert_eq!(format!("{secret:?}"), "SecretValue(<redacted>)");
            }
        }
    }
}

#[test]
fn api_handles_and_tokens_do_not_print_values() {
    let hs = HomeSecretToml::new(fixture("seed003.toml"));
    let token = hs.t("github.accounts.personal.users.dev.secrets.api_token.value");
    let value = token.v().unwrap_or_else(|e| panic!("{e}"));
    let secret = value
        .as_secret()
        .map(|s| s.expose().to_string())
        .unwrap_or_default();
    assert_eq!(secret.len(), 16);
    let shown = format!("{hs:?} {token:?} {value:?}");
    assert!(!shown.contains(&secret));
    assert!(
        shown.contains("api_token.value"),
        "the path is fine to show: {shown}"
    );
}

#[test]
fn errors_never_show_values() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let secret = "sk_live_fake_0123456789";
    let bad = [
        format!("a.token = \"{secret}\"\na.token = \"{secret}\"\n"),
        format!("a.token = \"{secret}\n"),
        format!("a.token = \"{secret}\" trailing\n"),
        format!("a.token = {secret}\n"),
        format!("a.token = \"{secret}\\q\"\n"),
        format!("[a]\ntoken = \"{secret}\"\n[a]\n"),
    ];
    for (i, text) in bad.iter().enumerate() {
        let path = dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let err = match SecretFile::load(&path) {
            Ok(_) => panic!("case {i} should not parse"),
            Err(e) => e,
        };
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("sk_live"),
            "case {i}: the error shows the value"
        );
        assert!(shown.contains(&format!("bad{i}.toml:")), "case {i}: {err}");
    }
    let mut bytes = b"a.token = \"".to_vec();
    bytes.extend_from_slice(secret.as_bytes());
    bytes.extend_from_slice(b"\xff\"\n");
    let err = SecretFile::from_bytes(Path::new("u.toml"), bytes).err();
    let shown = format!("{err:?}");
    assert!(
        shown.contains("InvalidUtf8") && !shown.contains("sk_live"),
        "{shown}"
    );
}
