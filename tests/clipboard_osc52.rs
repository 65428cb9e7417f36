//! OSC 52 without a display: the real binaries in a pseudo-terminal; the raw bytes they write
//! must hold the OSC 52 sequence (base64 of the value) and nothing else that reveals the value.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use home_secret_toml::clipboard::osc52;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const KEY: &str = "aws.accounts.prod.region";
const VALUE: &str = "us-east-1";

fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo_home_secret.toml")
}

/// Runs `program args` in a pty with no display; for each step, types its keys once its text
/// shows up in the output; returns every byte written until the program exits.
fn pty_output(
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
    steps: &[(&str, &str)],
) -> Vec<u8> {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = CommandBuilder::new(program);
    cmd.args(args);
    for name in [
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "SSH_TTY",
        "SSH_CONNECTION",
        "TMUX",
        "HST_CLIPBOARD",
        "HST_PATH",
    ] {
        cmd.env_remove(name);
    }
    cmd.env("TERM", "xterm-256color");
    let config = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    cmd.env("XDG_CONFIG_HOME", config.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = pair
        .slave
        .spawn_command(cmd)
        .unwrap_or_else(|e| panic!("{e}"));
    drop(pair.slave);
    let mut reader = pair
        .master
        .try_clone_reader()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut writer = pair.master.take_writer().unwrap_or_else(|e| panic!("{e}"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut out = Vec::new();
    let mut steps = steps.iter();
    let mut next = steps.next();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(bytes) = rx.recv_timeout(Duration::from_millis(50)) {
            out.extend(bytes);
        }
        if let Some((ready, keys)) = next
            && String::from_utf8_lossy(&out).contains(ready)
        {
            let _ = writer.write_all(keys.as_bytes());
            let _ = writer.flush();
            next = steps.next();
        }
        if let Ok(Some(_)) = child.try_wait() {
            while let Ok(bytes) = rx.recv_timeout(Duration::from_millis(200)) {
                out.extend(bytes);
            }
            return out;
        }
    }
    let _ = child.kill();
    panic!("did not finish; output:\n{}", String::from_utf8_lossy(&out));
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
fn inside_tmux_the_sequence_is_wrapped_for_passthrough() {
    let path = demo();
    let path = path.to_string_lossy();
    let out = pty_output(
        env!("CARGO_BIN_EXE_hst"),
        &["get", KEY, "--path", &path, "-c"],
        &[("TMUX", "/tmp/tmux-1000/default,1,0")],
        &[],
    );
    let b64 = osc52::base64(VALUE.as_bytes());
    assert_only_in_sequence(&out, &format!("\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\"));
}

#[test]
fn hst_tui_copies_through_osc52_and_shows_where() {
    let path = demo();
    let path = path.to_string_lossy();
    let out = pty_output(
        env!("CARGO_BIN_EXE_hst-tui"),
        &["--path", &path],
        &[],
        &[("quit", "/region\r"), ("match", "c"), ("OSC", "q")],
    );
    assert_only_in_sequence(
        &out,
        &format!("\x1b]52;c;{}\x07", osc52::base64(VALUE.as_bytes())),
    );
}

#[test]
fn no_display_and_no_terminal_is_a_clear_error_without_the_value() {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hst"));
    cmd.args(["get", KEY, "-c", "--path"]).arg(demo());
    for name in [
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "SSH_TTY",
        "SSH_CONNECTION",
        "TMUX",
        "HST_CLIPBOARD",
    ] {
        cmd.env_remove(name);
    }
    // No controlling terminal: /dev/tty cannot be opened.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        "Error: no clipboard available (no display and not a terminal that accepts OSC 52); try --clipboard=osc52\n"
    );
    assert!(!contains(&out.stdout, VALUE.as_bytes()) && !err.contains(VALUE));
}
