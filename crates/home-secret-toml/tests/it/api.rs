//! The Rust API of seed 003 §4: `HomeSecretToml::v`, lazy `t`, errors.

use crate::support;

use home_secret_toml::{Error, HomeSecretToml, Value};
use support::fixture;

#[test]
fn v_looks_up_dotted_paths_and_returns_tables_whole() {
    let hs = HomeSecretToml::new(fixture("seed003.toml"));
    let id = hs
        .v("aws.accounts.prod.account_id")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(id.as_secret().map(|s| s.expose()), Some("123456789012"));
    let creds = hs
        .v("aws.accounts.prod.secrets.deployment_key.creds")
        .unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<&str> = creds
        .as_table()
        .map(|t| t.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys, ["access_key", "secret_key"]);
    // Unfiltered, unlike `ls`: descriptions are there.
    let github = hs.v("github").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        github
            .as_table()
            .is_some_and(|t| t.contains_key("description"))
    );
    match hs.v("aws.accounts.nope.x") {
        Err(e @ Error::KeyNotFound { .. }) => {
            assert_eq!(
                e.to_string(),
                "Key 'aws.accounts.nope' not found in the provided data."
            );
        }
        other => panic!("expected KeyNotFound, got {other:?}"),
    }
}

#[test]
fn values_are_cached_per_path_and_the_file_read_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.toml");
    std::fs::write(&path, "a.port = 1\n").unwrap_or_else(|e| panic!("{e}"));
    let hs = HomeSecretToml::new(&path);
    assert_eq!(hs.v("a.port").ok().and_then(|v| v.as_integer()), Some(1));
    // Like the reference's cached_property: later edits are not seen by this instance.
    std::fs::write(&path, "a.port = 2\nb.x = true\n").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hs.v("a.port").ok().and_then(|v| v.as_integer()), Some(1));
    assert!(hs.v("b.x").is_err());
    // A new instance reads the new content.
    let fresh = HomeSecretToml::new(&path);
    assert_eq!(fresh.v("b.x").ok().and_then(|v| v.as_bool()), Some(true));
}

#[test]
fn tokens_resolve_only_when_asked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("later.toml");
    let hs = HomeSecretToml::new(&path);
    // The file does not exist yet: creating tokens is fine, resolving is not.
    let token = hs.t("svc.token");
    let missing = hs.t("svc.missing");
    assert!(matches!(token.v(), Err(Error::NotFound { .. })));
    std::fs::write(&path, "svc.token = \"tok-fake-123456\"\n").unwrap_or_else(|e| panic!("{e}"));
    let value = token.v().unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(&value, Value::String(s) if s.expose() == "tok-fake-123456"));
    assert!(matches!(missing.v(), Err(Error::KeyNotFound { prefix }) if prefix == "svc.missing"));
    assert_eq!(token.path(), "svc.token");
}

#[test]
fn missing_file_error_matches_the_reference() {
    let hs = HomeSecretToml::new("./nope//x.toml");
    match hs.v("a") {
        Err(e) => assert_eq!(e.to_string(), "Secret file not found at nope/x.toml"),
        Ok(_) => panic!("expected an error"),
    }
}
