//! The system clipboard for real: an X server (Xvfb) and `xclip` read back what `hst get -c`
//! and `hst-tui` copied. Ignored by `cargo test` (a fresh machine has no X server); `.ci/run`
//! installs xvfb and xclip, starts Xvfb and runs these with `--include-ignored`.

use crate::support;
use crate::support::env::Finish;

use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::pty::Pty;

const KEY: &str = "aws.accounts.prod.region";
const VALUE: &str = "us-east-1";

/// One clipboard for all tests: run them one at a time.
static X: Mutex<()> = Mutex::new(());

fn demo() -> PathBuf {
    crate::support::root().join("assets/demo_home_secret.toml")
}

fn display() -> String {
    match std::env::var("DISPLAY") {
        Ok(d) if !d.is_empty() => d,
        _ => panic!("these tests need an X server: run them through .ci/run (Xvfb) or set DISPLAY"),
    }
}

/// The clipboard's text, or `None` when it holds nothing.
fn xclip_out(target: Option<&str>) -> Option<String> {
    let mut cmd = support::env::shared("xclip");
    cmd.args(["-o", "-selection", "clipboard"]);
    if let Some(t) = target {
        cmd.args(["-t", t]);
    }
    let out = cmd.env("DISPLAY", display()).finish();
    (out.status.success() && !out.stdout.is_empty())
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn xclip_in(text: &str) {
    let mut child = support::env::shared("xclip")
        .args(["-selection", "clipboard"])
        .env("DISPLAY", display())
        .stdin(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("xclip: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
    }
    let _ = child.wait();
}

/// Waits up to `limit` for the clipboard to satisfy `pred`.
fn eventually(limit: Duration, pred: impl Fn(Option<String>) -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if pred(xclip_out(None)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn hst_get_c(timeout: &str) {
    let out = crate::support::env::hst()
        .args(["get", KEY, "-c", "--clipboard-timeout", timeout, "--path"])
        .arg(demo())
        .env("DISPLAY", display())
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("SSH_TTY")
        .env_remove("SSH_CONNECTION")
        .env_remove("HST_CLIPBOARD")
        .finish();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("system clipboard"), "{err}");
    assert!(out.stdout.is_empty() && !err.contains(VALUE));
}

#[test]
#[ignore = "needs Xvfb and xclip (run by .ci/run)"]
fn hst_get_c_survives_exit_is_marked_sensitive_and_is_cleared() {
    let _x = X.lock().unwrap_or_else(|p| p.into_inner());
    hst_get_c("2");
    // `hst` has exited; the helper still serves the value.
    assert_eq!(xclip_out(None).as_deref(), Some(VALUE));
    let targets = xclip_out(Some("TARGETS")).unwrap_or_default();
    assert!(
        targets.lines().any(|t| t == "x-kde-passwordManagerHint"),
        "{targets}"
    );
    assert!(
        eventually(Duration::from_secs(4), |c| c.is_none()),
        "not cleared after the timeout"
    );
}

#[test]
#[ignore = "needs Xvfb and xclip (run by .ci/run)"]
fn a_later_copy_by_someone_else_is_not_cleared() {
    let _x = X.lock().unwrap_or_else(|p| p.into_inner());
    hst_get_c("2");
    assert_eq!(xclip_out(None).as_deref(), Some(VALUE));
    xclip_in("copied by the user later");
    // Proving that nothing happens takes waiting past the moment it would (the 2 s timeout).
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(xclip_out(None).as_deref(), Some("copied by the user later"));
}

#[test]
#[ignore = "needs Xvfb and xclip (run by .ci/run)"]
fn the_timeout_comes_from_the_config_file() {
    let _x = X.lock().unwrap_or_else(|p| p.into_inner());
    let config = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = config.path().join("hst");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("config.toml"), "[clipboard]\ntimeout = 1\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = crate::support::env::hst()
        .args(["get", KEY, "-c", "--path"])
        .arg(demo())
        .env("DISPLAY", display())
        .env("XDG_CONFIG_HOME", config.path())
        .env_remove("HST_CLIPBOARD_TIMEOUT")
        .finish();
    assert!(String::from_utf8_lossy(&out.stderr).contains("cleared in 1 s"));
    assert_eq!(xclip_out(None).as_deref(), Some(VALUE));
    assert!(eventually(Duration::from_secs(3), |c| c.is_none()));
}

#[test]
#[ignore = "needs Xvfb and xclip (run by .ci/run)"]
fn hst_tui_copy_survives_quitting_and_is_cleared() {
    let _x = X.lock().unwrap_or_else(|p| p.into_inner());
    let mut cmd = Pty::command(env!("CARGO_BIN_EXE_hst-tui"));
    cmd.args(["--clipboard-timeout", "3", "--path"]);
    cmd.arg(demo());
    cmd.env("DISPLAY", display());
    let mut tui = Pty::spawn(cmd, 30, 100);
    tui.wait_for("Keys 33");
    tui.keys("/region\r");
    tui.wait_for("1 match");
    tui.keys("c");
    tui.wait_for("system clipboard, cleared in 3 s");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    assert_eq!(
        xclip_out(None).as_deref(),
        Some(VALUE),
        "lost when hst-tui exited"
    );
    assert!(
        eventually(Duration::from_secs(5), |c| c.is_none()),
        "not cleared after the timeout"
    );
}

#[test]
#[ignore = "needs Xvfb and xclip (run by .ci/run)"]
fn the_clipboard_helper_does_not_hold_the_callers_other_descriptors() {
    let _x = X.lock().unwrap_or_else(|p| p.into_inner());
    // fd 3 is the pipe to `cat`: if the helper kept it, `cat` would wait for the whole timeout.
    let script = format!(
        "( '{}' get {KEY} -c --clipboard-timeout 30 --path '{}' 3>&1 ) | cat",
        env!("CARGO_BIN_EXE_hst"),
        demo().display()
    );
    let out = crate::support::env::shared("sh")
        .args(["-c", &script])
        .env("DISPLAY", display())
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("SSH_TTY")
        .env_remove("SSH_CONNECTION")
        .env_remove("HST_CLIPBOARD")
        .finish();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The helper still serves the value (it clears it after 30 s): the pipeline ended without
    // waiting for it.
    assert_eq!(
        xclip_out(None).as_deref(),
        Some(VALUE),
        "the pipeline waited for the clipboard helper to end"
    );
}

#[test]
#[ignore = "needs Xvfb and xclip (run by .ci/run)"]
fn the_clipboard_helper_holding_the_value_writes_no_core_file() {
    use std::os::unix::fs::MetadataExt;
    let _x = X.lock().unwrap_or_else(|p| p.into_inner());
    hst_get_c("30");
    let keepers: Vec<String> = std::fs::read_dir("/proc")
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|entry| {
            let dir = entry.ok()?.path();
            let cmdline = std::fs::read(dir.join("cmdline")).ok()?;
            let is_keeper = cmdline
                .split(|&b| b == 0)
                .any(|arg| arg == b"__hst-clipboard-keeper");
            is_keeper.then(|| dir.to_string_lossy().into_owned())
        })
        .collect();
    assert!(!keepers.is_empty(), "no clipboard helper is running");
    for dir in keepers {
        let limits = std::fs::read_to_string(format!("{dir}/limits")).unwrap_or_default();
        let core = limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap_or_default();
        assert_eq!(core.split_whitespace().nth(4), Some("0"), "{dir}: {core}");
        // Non-dumpable: its /proc files belong to root, whoever runs it.
        let owner = std::fs::metadata(format!("{dir}/status")).map(|m| m.uid());
        assert_eq!(owner.ok(), Some(0), "{dir}");
    }
    xclip_in("something else");
}

/// `hst ARGS` copying to the X11 clipboard, in a hermetic environment; its stderr.
fn hst_copy(env: &crate::support::env::Env, args: &[&str]) -> String {
    let out = crate::support::env::finish(
        env.command(crate::support::env::Program::Hst)
            .args(args)
            .env("DISPLAY", display()),
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    assert!(out.stdout.is_empty(), "a copy prints nothing on stdout");
    err
}

#[test]
#[ignore = "needs Xvfb and xclip (run by .ci/run)"]
fn get_c_copies_raw_text_or_the_format_asked_for_never_python_repr() {
    let _x = X.lock().unwrap_or_else(|p| p.into_inner());
    let env = crate::support::env::Env::new();
    env.write_secrets(
        "app.enabled = true\napp.expires = 2025-12-31\napp.name = \"fake \\\"n\\\"\"\n",
    );
    for (args, want) in [
        (&["get", "app.enabled", "-c"][..], "true"),
        (&["get", "app.expires", "-c"], "2025-12-31"),
        (
            &["get", "app.expires", "-c", "--format", "python"],
            "2025-12-31",
        ),
        (&["get", "app.name", "-c"], "fake \"n\""),
        (
            &["get", "app.name", "-c", "--format", "toml"],
            "\"fake \\\"n\\\"\"",
        ),
        (
            &["get", "app.name", "-c", "--format", "json"],
            "\"fake \\\"n\\\"\"",
        ),
    ] {
        hst_copy(&env, args);
        assert_eq!(xclip_out(None).as_deref(), Some(want), "{args:?}");
    }
}

#[test]
#[ignore = "needs Xvfb and xclip (run by .ci/run)"]
fn otp_c_copies_the_current_code() {
    let _x = X.lock().unwrap_or_else(|p| p.into_inner());
    let env = crate::support::env::Env::new();
    // RFC 6238's SHA-1 test key: a published vector, not anyone's secret.
    let uri = "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    env.write_secrets(&format!("site.otp = \"{uri}\"\n"));
    let totp = home_secret_toml::otp::Totp::parse(uri).unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..3 {
        let window = home_secret_toml::otp::now_unix() / 30;
        let err = hst_copy(&env, &["otp", "site.otp", "-c"]);
        if home_secret_toml::otp::now_unix() / 30 != window {
            continue;
        }
        assert!(err.contains("The code changes in"), "{err}");
        let code = totp.code_at(window * 30);
        assert_eq!(xclip_out(None).as_deref(), Some(code.expose()));
        assert!(!err.contains(code.expose()), "the code was printed");
        return;
    }
    panic!("the clock crossed a 30 s boundary three times");
}
