//! In a terminal without an alternate screen (tmux with `alternate-screen off`, which also moves
//! a cleared screen into the history), nothing of the TUI, above all no revealed value, is left
//! in the scrollback after it exits. Needs tmux (installed by .ci/run).

use crate::support::env::Finish;

use std::process::Output;
use std::time::{Duration, Instant};

fn tmux(socket: &str, args: &[&str]) -> Output {
    crate::support::env::shared("tmux")
        .args(["-L", socket])
        .args(args)
        .finish()
}

fn pane(socket: &str, target: &str) -> String {
    let out = tmux(socket, &["capture-pane", "-p", "-S", "-", "-t", target]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for(socket: &str, target: &str, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !pane(socket, target).contains(text) {
        assert!(Instant::now() < deadline, "{text:?} never showed");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs tmux (Debian package tmux); .ci/run installs it"]
fn without_an_alternate_screen_no_revealed_value_is_left_in_the_scrollback() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("home_secret.toml");
    let demo = crate::support::root().join("assets/demo_home_secret.toml");
    std::fs::copy(&demo, &file).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let socket = format!("hst-scrollback-{}", std::process::id());
    // The server, and so every window's program, gets the hermetic environment.
    let started = crate::support::env::shared("tmux")
        .args([
            "-L",
            &socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "s",
            "-x",
            "100",
            "-y",
            "30",
        ])
        .status()
        .unwrap_or_else(|e| panic!("tmux: {e}"));
    assert!(started.success());
    assert!(
        tmux(&socket, &["set", "-gw", "alternate-screen", "off"])
            .status
            .success()
    );
    let command = format!(
        "'{}' --path '{}'; echo EXITED; sleep 30",
        env!("CARGO_BIN_EXE_hst-tui"),
        file.display()
    );
    assert!(
        tmux(&socket, &["new-window", "-t", "s", "-n", "tui", &command])
            .status
            .success()
    );
    let target = "s:tui";
    wait_for(&socket, target, "Keys 33");
    assert!(
        tmux(&socket, &["send-keys", "-t", target, "/region", "Enter"])
            .status
            .success()
    );
    wait_for(&socket, target, "Keys 1 of 33");
    assert!(
        tmux(&socket, &["send-keys", "-t", target, "r"])
            .status
            .success()
    );
    wait_for(&socket, target, "us-east-1");
    assert!(
        tmux(&socket, &["send-keys", "-t", target, "q"])
            .status
            .success()
    );
    wait_for(&socket, target, "EXITED");
    let history = pane(&socket, target);
    let _ = tmux(&socket, &["kill-server"]);
    assert!(
        !history.contains("us-east-1"),
        "the revealed value is in the scrollback"
    );
    assert!(
        !history.contains("All secrets"),
        "the TUI is in the scrollback"
    );
}
