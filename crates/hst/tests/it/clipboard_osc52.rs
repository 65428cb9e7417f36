//! OSC 52 without a display: the real binaries in a pseudo-terminal; the raw bytes they write
//! must hold the OSC 52 sequence (base64 of the value) and nothing else that reveals the value.

use crate::support;
use crate::support::env::Finish;

use std::path::PathBuf;

use hst::clipboard::osc52;
use support::pty::Pty;

const KEY: &str = "aws.accounts.prod.region";
const VALUE: &str = "us-east-1";

fn demo() -> PathBuf {
    crate::support::root().join("assets/demo_home_secret.toml")
}

/// Runs `program args` in a pty with no display; for each step, waits for its text on the
/// screen and types its keys; returns every byte written until the program exits.
fn pty_output(
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
    steps: &[(&str, &str)],
) -> Vec<u8> {
    let scratch = support::env::Env::new();
    let mut cmd = scratch.pty_tool(program);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut pty = Pty::spawn(cmd, 30, 100);
    for (ready, keys) in steps {
        pty.wait_for(ready);
        pty.keys(keys);
    }
    pty.wait_exit();
    pty.raw().to_vec()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The output with the expected sequence cut out must not contain the value.
fn assert_only_in_sequence(out: &[u8], sequence: &str) {
    let text = String::from_utf8_lossy(out);
    assert!(text.contains(sequence), "no OSC 52 sequence in the output");
    let rest = text.replacen(sequence, "", 1);
    assert!(
        !rest.contains(VALUE),
        "the value is visible outside the OSC 52 sequence"
    );
}

#[test]
fn hst_get_c_sends_osc52_without_a_display() {
    let path = demo();
    let path = path.to_string_lossy();
    let out = pty_output(
        env!("CARGO_BIN_EXE_hst"),
        &["get", KEY, "--path", &path, "-c"],
        &[],
        &[],
    );
    assert_only_in_sequence(
        &out,
        &format!("\x1b]52;c;{}\x07", osc52::base64(VALUE.as_bytes())),
    );
    assert!(contains(
        &out,
        b"Copied to clipboard (terminal clipboard, OSC 52)."
    ));
}

#[test]
fn inside_tmux_that_cannot_be_asked_both_ways_are_sent() {
    let path = demo();
    let path = path.to_string_lossy();
    // A TMUX variable naming no server: its settings are unknown, so the plain sequence (for
    // `set-clipboard on`) and the wrapped one (for `allow-passthrough on`) both go out.
    let out = pty_output(
        env!("CARGO_BIN_EXE_hst"),
        &["get", KEY, "--path", &path, "-c"],
        &[("TMUX", "/nonexistent/tmux-socket,1,0")],
        &[],
    );
    let b64 = osc52::base64(VALUE.as_bytes());
    assert_only_in_sequence(
        &out,
        &format!("\x1b]52;c;{b64}\x07\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\"),
    );
}

/// Runs `script` in a new tmux window of the test server `socket` and returns its exit code
/// and standard error.
fn in_tmux(socket: &str, dir: &std::path::Path, n: usize, script: &str) -> (String, String) {
    let code = dir.join(format!("code{n}"));
    let err = dir.join(format!("err{n}"));
    let command = format!(
        "{script} 2>'{}'; echo $? > '{}.tmp'; mv '{}.tmp' '{}'",
        err.display(),
        code.display(),
        code.display(),
        code.display()
    );
    let started = support::env::shared("tmux")
        .args(["-L", socket, "new-window", "-d", &command])
        .status()
        .unwrap_or_else(|e| panic!("tmux: {e}"));
    assert!(started.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !code.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the command never finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
    (read(&code).trim().to_string(), read(&err))
}

#[test]
#[ignore = "needs tmux (Debian package tmux); .ci/run installs it"]
fn in_real_tmux_a_copy_is_claimed_only_when_tmux_takes_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let socket = format!("hst-osc52-test-{}", std::process::id());
    // The server, and so every window's program, gets the hermetic environment.
    let mut server = support::env::shared("tmux");
    server.args([
        "-L",
        &socket,
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-x",
        "100",
        "-y",
        "30",
    ]);
    server.arg("sleep 120");
    assert!(
        server
            .status()
            .unwrap_or_else(|e| panic!("tmux: {e}"))
            .success()
    );
    let tmux = |args: &[&str]| {
        support::env::shared("tmux")
            .args(["-L", &socket])
            .args(args)
            .finish()
    };
    let get = format!(
        "'{}' get {KEY} -c --path '{}'",
        env!("CARGO_BIN_EXE_hst"),
        demo().display()
    );
    // tmux's defaults (set-clipboard external, allow-passthrough off): nothing can arrive.
    let (code, err) = in_tmux(&socket, dir.path(), 1, &get);
    assert_eq!(code, "1", "{err}");
    assert!(err.contains("set-clipboard on"), "{err}");
    assert!(!err.contains("Copied"), "{err}");
    assert!(!err.contains(VALUE));
    // set-clipboard on: tmux takes the sequence and makes a paste buffer of it.
    assert!(tmux(&["set", "-g", "set-clipboard", "on"]).status.success());
    let (code, err) = in_tmux(&socket, dir.path(), 2, &get);
    assert_eq!(code, "0", "{err}");
    assert!(err.contains("Copied"), "{err}");
    let buffer = tmux(&["show-buffer"]);
    let copied = String::from_utf8_lossy(&buffer.stdout) == VALUE;
    let _ = tmux(&["kill-server"]);
    assert!(copied, "tmux holds the value in its paste buffer");
}

#[test]
fn hst_tui_copies_through_osc52_and_shows_where() {
    let path = demo();
    let path = path.to_string_lossy();
    let out = pty_output(
        env!("CARGO_BIN_EXE_hst-tui"),
        &["--path", &path],
        &[],
        &[("Keys 33", "/region\r"), ("1 match", "c"), ("OSC 52)", "q")],
    );
    assert_only_in_sequence(
        &out,
        &format!("\x1b]52;c;{}\x07", osc52::base64(VALUE.as_bytes())),
    );
}

#[test]
fn no_display_and_no_terminal_is_a_clear_error_without_the_value() {
    use std::os::unix::process::CommandExt;
    let mut cmd = crate::support::env::hst();
    cmd.args(["get", KEY, "-c", "--path"]).arg(demo());
    // No controlling terminal: /dev/tty cannot be opened.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let out = cmd.finish();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    // The demo file's mode comes from the checkout; a warning about it may come first.
    let err: String = err
        .lines()
        .filter(|l| !l.starts_with("Warning: chmod 600 "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        err,
        "Error: no clipboard available: no display (DISPLAY and WAYLAND_DISPLAY are unset) and no terminal to send OSC 52 to; print the value instead (hst get KEY)\n"
    );
    assert!(
        !err.contains("--clipboard=osc52"),
        "suggests only what can work"
    );
    assert!(!contains(&out.stdout, VALUE.as_bytes()) && !err.contains(VALUE));
}
