//! `hst init`, and `hst-tui`'s errors before it takes the terminal: plain one-line messages on
//! stderr, exit code 1, no escape sequences.

use crate::support;

use support::env::{Finish, hst, hst_tui};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn init_writes_a_private_commented_file_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("home_secret.toml");
    let out = hst().env("HOME", dir.path()).arg("init").finish();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.lines().all(|l| l.is_empty() || l.starts_with('#')));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600));
    }
    // Every example line is valid once uncommented.
    let uncommented: String = text
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()) && l.contains(" = \""))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = home_secret_toml::SecretFile::from_text(&path, uncommented)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(file.entries().len() >= 5);
    // A second run refuses and leaves the file alone.
    std::fs::write(&path, "mine = \"kept\"\n").unwrap_or_else(|e| panic!("{e}"));
    let out = hst().args(["init", "--path"]).arg(&path).finish();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&path).ok().as_deref(),
        Some("mine = \"kept\"\n")
    );
}

#[test]
fn missing_default_file_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = hst_tui().env("HOME", dir.path()).finish();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let mut lines = err.lines();
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "Error: Secret file not found at {}/home_secret.toml",
                dir.path().display()
            )
            .as_str()
        )
    );
    let hint = lines.next().unwrap_or_default();
    assert!(
        hint.contains("hst-tui --demo") && hint.contains("hst init"),
        "{hint}"
    );
    assert!(
        !err.contains('\x1b'),
        "no escape sequences before the TUI starts"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn toml_errors_are_one_line_with_line_and_column() {
    let out = hst_tui()
        .arg("--path")
        .arg(support::fixture("bad_syntax.toml"))
        .finish();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("Error: ") && err.contains("bad_syntax.toml:2:26: "),
        "{err}"
    );
    assert!(!err.contains('\x1b'));
}

#[test]
fn demo_and_path_are_exclusive() {
    let out = hst_tui().args(["--demo", "--path", "x.toml"]).finish();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("'--demo' cannot be used with '--path <PATH>'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hst_share_fails_closed_on_values_it_does_not_understand() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.toml");
    std::fs::write(&path, "a.b = \"fake\"\n").unwrap_or_else(|e| panic!("{e}"));
    for value in ["Y", "enabled", "2"] {
        let out = hst_tui()
            .arg("--path")
            .arg(&path)
            .env("HST_SHARE", value)
            .finish();
        assert_eq!(out.status.code(), Some(1), "HST_SHARE={value}");
        let err = stderr(&out);
        assert!(
            err.contains("HST_SHARE") && err.contains("not understood"),
            "HST_SHARE={value}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn hst_tui_without_a_terminal_says_it_needs_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.toml");
    std::fs::write(&path, "a.b = \"fake\"\n").unwrap_or_else(|e| panic!("{e}"));
    let out = hst_tui().arg("--path").arg(&path).finish();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn on a non-terminal");
}

#[test]
fn time_limits_are_range_checked_instead_of_overflowing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.toml");
    std::fs::write(&path, "a.b = \"fake\"\n").unwrap_or_else(|e| panic!("{e}"));
    for args in [
        ["--reveal-seconds", "18446744073709551615"],
        ["--reveal-seconds", "0"],
        ["--reveal-seconds", "3601"],
        ["--clipboard-timeout", "18446744073709551615"],
        ["--clipboard-timeout", "86401"],
    ] {
        let out = hst_tui().arg("--path").arg(&path).args(args).finish();
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked");
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
    }
    let out = hst()
        .args(["get", "a.b", "--clipboard-timeout", "99999999999", "--path"])
        .arg(&path)
        .arg("-c")
        .finish();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("more than a day"), "{}", stderr(&out));
}

#[test]
#[cfg(unix)]
fn an_io_error_names_its_cause_once() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.toml");
    std::fs::write(&path, "a.b = \"fake\"\n").unwrap_or_else(|e| panic!("{e}"));
    // Root reads any file: it runs hst as nobody on its own 0600 file; anyone else gets a
    // file that no one may read.
    let mode = if root { 0o600 } else { 0o000 };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("{e}"));
    for (program, args) in [(hst(), &["ls"][..]), (hst_tui(), &[][..])] {
        let mut cmd = program;
        cmd.args(args).arg("--path").arg(&path);
        if root {
            cmd.uid(65534).gid(65534);
        }
        let out = cmd.finish();
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert_eq!(err.matches("Permission denied").count(), 1, "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}
