//! `hst git-textconv` (issue 24): what git shows of a secrets file is its text with every
//! value replaced by a keyed fingerprint: which keys changed, never a value, and no plain hash
//! a short value could be found from. Checked directly and through a real `git diff` and
//! `git log -p`. Every value here is fake.

use std::process::Output;

use crate::support::env::{Env, Finish, Program, stderr, stdout};

const TEXT: &str = "# my secrets\n\
                    github.token.value = \"ghp_fake_textconv_0123\" # personal\n\
                    bank.pin.value = \"4821\"\n\
                    db = { port = 5432, password = 'fake-db-pass' }\n";

fn with_identity() -> Env {
    let mut env = Env::new();
    env.with_age_identity();
    env
}

fn textconv(env: &Env, file: &std::path::Path) -> Output {
    env.command(Program::Hst)
        .arg("git-textconv")
        .arg(file)
        .finish()
}

/// No value in `text`, once the fingerprints (hex, which could hold "4821" by chance) are
/// cut out.
fn assert_no_value(text: &str) {
    let mut rest = text.to_string();
    while let Some(at) = rest.find("<masked:") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        rest.replace_range(at..end, "");
    }
    let text = rest.as_str();
    for value in ["ghp_fake_textconv_0123", "4821", "5432", "fake-db-pass"] {
        assert!(!text.contains(value), "a value is shown");
    }
}

#[test]
fn values_become_keyed_fingerprints_and_everything_else_stays() {
    let env = with_identity();
    let file = env.write_secrets(TEXT);
    let out = textconv(&env, &file);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&out);
    assert_no_value(&shown);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 4, "{shown}");
    assert_eq!(lines[0], "# my secrets");
    assert!(
        lines[1].starts_with("github.token.value = \"<masked:")
            && lines[1].ends_with("\" # personal"),
        "{shown}"
    );
    assert!(lines[3].starts_with("db = { port = \"<masked:"), "{shown}");
    // The same value, the same fingerprint; one value changed, one line changed.
    assert_eq!(stdout(&textconv(&env, &file)), shown, "stable");
    std::fs::write(&file, TEXT.replace("4821", "4822")).unwrap();
    let after = stdout(&textconv(&env, &file));
    let changed: Vec<(&str, &str)> = shown
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{after}");
    assert!(changed[0].0.starts_with("bank.pin.value"));
    // Keyed: another identity gives other fingerprints for the same file.
    let other = with_identity();
    let theirs = stdout(&textconv(&other, &file));
    assert_ne!(theirs, after, "fingerprints depend on the identity's key");
    // Without any identity a private random key is used, and kept.
    let bare = Env::new();
    let first = stdout(&textconv(&bare, &file));
    assert_no_value(&first);
    assert_eq!(stdout(&textconv(&bare, &file)), first);
}

#[test]
fn an_encrypted_file_shows_as_its_plain_text_would_and_unreadable_input_shows_nothing() {
    let env = with_identity();
    let plain = env.write_secrets(TEXT);
    let out = env
        .command(Program::Hst)
        .args(["--path"])
        .arg(&plain)
        .arg("encrypt")
        .finish();
    assert!(out.status.success(), "{}", stderr(&out));
    let sealed = env.home().join("home_secret.toml.age");
    // git hands textconv a temporary copy whose name need not end in .age.
    let copy = env.path("tmp/XXXX_blob");
    std::fs::copy(&sealed, &copy).unwrap();
    assert_eq!(
        stdout(&textconv(&env, &copy)),
        stdout(&textconv(&env, &plain))
    );
    let stranger = with_identity();
    let out = textconv(&stranger, &copy);
    assert!(out.status.success(), "git must still get a diff");
    assert!(
        stdout(&out).starts_with("(age-encrypted; hst cannot open it here: "),
        "{}",
        stdout(&out)
    );
    let broken = env.path("tmp/broken.toml");
    std::fs::write(&broken, "a.b = \"fake-broken-value\nc = 1\n").unwrap();
    let shown = stdout(&textconv(&env, &broken));
    assert!(
        shown.starts_with("(not a secrets file hst can read: "),
        "{shown}"
    );
    assert!(!shown.contains("fake-broken-value"));
}

#[test]
fn git_diff_and_log_show_which_keys_changed_and_never_a_value() {
    let env = with_identity();
    let hst = Program::Hst.path();
    let git = |args: &[&str]| {
        let out = env
            .tool("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(env.home())
            .finish();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
        stdout(&out)
    };
    env.write_secrets(TEXT);
    git(&["init", "-q", "."]);
    std::fs::write(
        env.home().join(".gitattributes"),
        "home_secret.toml diff=hst\n",
    )
    .unwrap();
    git(&[
        "config",
        "diff.hst.textconv",
        &format!("'{hst}' git-textconv"),
    ]);
    git(&["add", "."]);
    git(&["commit", "-qm", "start"]);
    let out = env
        .command(Program::Hst)
        .args(["set", "bank.pin.value", "9931"])
        .finish();
    assert!(out.status.success(), "{}", stderr(&out));
    let diff = git(&["diff"]);
    assert!(diff.contains("-bank.pin.value = \"<masked:"), "{diff}");
    assert!(diff.contains("+bank.pin.value = \"<masked:"), "{diff}");
    assert!(!diff.contains("9931"), "{diff}");
    let changed = diff
        .lines()
        .filter(|l| l.starts_with("-bank") || l.starts_with("+bank"))
        .count();
    assert_eq!(changed, 2, "only the changed key's line: {diff}");
    assert!(
        !diff.contains("-github") && !diff.contains("+github"),
        "{diff}"
    );
    assert_no_value(&diff);
    git(&["commit", "-qam", "rotate"]);
    let log = git(&["log", "-p"]);
    assert!(log.contains("+bank.pin.value = \"<masked:"), "{log}");
    assert!(!log.contains("9931"));
    assert_no_value(&log);
}
