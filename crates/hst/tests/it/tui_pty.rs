//! End to end: the real `hst-tui` in a pseudo-terminal, keys typed, the screen read back through a
//! terminal emulator (vt100), the terminal's state checked after exit.

use crate::support;

use portable_pty::PtySize;
use support::env::{Env, Finish, Program};
use support::pty::{Pty, nz};

const ROWS: u16 = 30;
const COLS: u16 = 100;

/// `hst-tui` on a copy of the demo file in a hermetic environment, run in its HOME.
struct Tui {
    pty: Pty,
    env: Env,
}

impl std::ops::Deref for Tui {
    type Target = Pty;
    fn deref(&self) -> &Pty {
        &self.pty
    }
}

impl std::ops::DerefMut for Tui {
    fn deref_mut(&mut self) -> &mut Pty {
        &mut self.pty
    }
}

impl Tui {
    fn start(args: &[&str], vars: &[(&str, &str)]) -> Self {
        let env = Env::new();
        let file = env.secrets();
        let demo = crate::support::root().join("assets/demo_home_secret.toml");
        std::fs::copy(&demo, &file).unwrap_or_else(|e| panic!("{e}"));
        // Private, like a real secrets file (a readable one gets a warning in the status line).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let mut cmd = env.pty_command(Program::HstTui);
        cmd.arg("--path");
        cmd.arg(&file);
        cmd.args(args);
        cmd.cwd(env.home());
        for (k, v) in vars {
            cmd.env(k, v);
        }
        Self {
            pty: Pty::spawn(cmd, ROWS, COLS),
            env,
        }
    }

    /// The terminal after exit is as it was: main screen, cursor shown, no mouse reporting, the
    /// line discipline back in canonical mode with echo, and nothing of the TUI left, in the
    /// visible screen or the scrollback.
    fn assert_restored(&mut self) {
        let screen = self.parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "cursor still hidden");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse capture still on"
        );
        #[cfg(unix)]
        if let Some(fd) = self.master.as_raw_fd() {
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
            assert!(t.c_lflag & libc::ICANON != 0, "raw mode still on");
            assert!(t.c_lflag & libc::ECHO != 0, "echo still off");
        }
        for scroll in [0, 1000] {
            self.parser.screen_mut().set_scrollback(scroll);
            let text = self.parser.screen().contents();
            for leftover in ["All secrets", "github.accounts", "***", "••••"] {
                assert!(
                    !text.contains(leftover),
                    "{leftover:?} left on the terminal"
                );
            }
        }
    }
}

#[test]
fn start_search_and_quit() {
    let mut tui = Tui::start(&[], &[]);
    tui.wait_for("All secrets");
    tui.wait_for("Keys 33");
    tui.wait_for("gh***00");
    tui.keys("/deploykey");
    tui.wait_for("Keys 3 of 33");
    tui.wait_for("/deploykey");
    assert!(tui.screen().contains("deploy_key.value"));
    tui.keys("\r");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

#[test]
fn reveal_shows_one_value_and_hides_it_again() {
    let mut tui = Tui::start(&[], &[]);
    tui.wait_for("Keys 33");
    tui.keys("/region\r");
    tui.wait_for("Keys 1 of 33");
    tui.keys("r");
    tui.wait_for("us-east-1");
    tui.wait_for("hides in");
    tui.keys("r");
    tui.wait_for("us***-1");
    assert!(!tui.screen().contains("us-east-1"));
    tui.keys("\x03"); // Ctrl-C
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

#[test]
fn reveal_times_out() {
    let mut tui = Tui::start(&["--reveal-seconds", "1"], &[]);
    tui.wait_for("Keys 33");
    tui.keys("/region\rr");
    tui.wait_for("us-east-1");
    tui.wait_for("us***-1");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
}

#[test]
fn share_mode_from_the_environment_and_by_key() {
    let mut tui = Tui::start(&[], &[("HST_SHARE", "1")]);
    tui.wait_for("SHARE");
    tui.wait_for("••••••••");
    assert!(
        !tui.screen().contains("***"),
        "share mode hides even the masks"
    );
    tui.keys("r");
    tui.wait_for("Share mode is on");
    // Turning it off asks first.
    tui.keys("S");
    tui.wait_for("Turn share mode off?");
    tui.keys("y");
    tui.wait_for("gh***00");
    tui.keys("S");
    tui.wait_for("Share mode on");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

#[test]
fn help_overlay_and_resize() {
    let mut tui = Tui::start(&[], &[]);
    tui.wait_for("Keys 33");
    tui.keys("?");
    tui.wait_for("Esc closes");
    tui.keys("\x1b");
    tui.wait_gone("Esc closes");
    tui.wait_for("? help");
    let _ = tui.master.resize(PtySize {
        rows: 8,
        cols: 40,
        pixel_width: 0,
        pixel_height: 0,
    });
    tui.parser.screen_mut().set_size(nz(8), nz(40));
    tui.wait_for("Too small: 40×8");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
}

/// The panic is requested through a hook that exists in debug builds only (a release binary
/// must not panic on an environment variable), so this runs where the hook is.
#[test]
#[cfg(debug_assertions)]
fn a_panic_gives_the_terminal_back() {
    let mut tui = Tui::start(&[], &[("HST_TUI_TEST_PANIC", "1")]);
    let code = tui.wait_exit();
    assert_eq!(code, 101, "a panic exits with 101");
    tui.assert_restored();
    tui.parser.screen_mut().set_scrollback(1000);
    let all = format!("{}{}", tui.parser.screen().contents(), {
        tui.parser.screen_mut().set_scrollback(0);
        tui.screen()
    });
    assert!(
        all.contains("panic requested by HST_TUI_TEST_PANIC"),
        "{all}"
    );
}

#[test]
#[cfg(unix)]
fn signals_from_outside_give_the_terminal_back_and_wipe_a_revealed_value() {
    for (signal, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGINT, "SIGINT"),
    ] {
        let mut tui = Tui::start(&[], &[]);
        tui.wait_for("Keys 33");
        tui.keys("/region\rr");
        tui.wait_for("us-east-1");
        let pid = tui.pid().unwrap_or_else(|| panic!("no pid"));
        let pid = libc::pid_t::try_from(pid).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "{name}");
        let code = tui.wait_exit();
        assert_eq!(code, 128 + signal as u32, "{name}: exit code");
        tui.assert_restored();
        for scroll in [0, 1000] {
            tui.parser.screen_mut().set_scrollback(scroll);
            assert!(
                !tui.parser.screen().contents().contains("us-east-1"),
                "{name}: the revealed value is still on the terminal"
            );
        }
    }
}

#[test]
fn edit_a_value_save_and_quit_changes_exactly_that_line() {
    let mut tui = Tui::start(&[], &[]);
    let path = tui.env.home().join("home_secret.toml");
    let before = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    tui.wait_for("Keys 33");
    tui.keys("/region\r");
    tui.wait_for("Keys 1 of 33");
    tui.keys("e");
    tui.wait_for("New value for aws.accounts.prod.region");
    tui.keys("eu-west-3\r");
    tui.wait_for("Saved aws.accounts.prod.region");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    tui.assert_restored();
    let after = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [(
            "aws.accounts.prod.region = \"us-east-1\"",
            "aws.accounts.prod.region = \"eu-west-3\""
        )]
    );
    assert_eq!(
        before.len(),
        after.len(),
        "same length: only those bytes changed"
    );
}

#[test]
fn generate_the_enum_module_from_the_tui_and_compile_it() {
    let mut tui = Tui::start(&[], &[]);
    tui.wait_for("Keys 33");
    tui.keys("E");
    tui.wait_for("Write the Python enum module to");
    tui.keys("\r");
    tui.wait_for("Wrote 33 entries to home_secret_enum.py");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    let module = tui.env.home().join("home_secret_enum.py");
    let out = support::env::shared("python3")
        .args(["-m", "py_compile"])
        .arg(&module)
        .finish();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = tui.env.home().join("home_secret.toml");
    let file = home_secret_toml::SecretFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let expected = home_secret_toml::generate(file.entries()).code;
    assert_eq!(
        std::fs::read_to_string(&module).ok(),
        Some(expected),
        "same bytes as hst gen-enum"
    );
}

#[test]
#[cfg(unix)]
fn a_file_others_can_read_is_flagged_at_start_with_the_fix_in_view() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // A long path: the fix must stay in view even when the line is cut.
    let deep = dir
        .path()
        .join("a-rather-long-folder-name-for-secrets/and-another-one-below-it");
    std::fs::create_dir_all(&deep).unwrap_or_else(|e| panic!("{e}"));
    let path = deep.join("home_secret.toml");
    let demo = crate::support::root().join("assets/demo_home_secret.toml");
    std::fs::copy(&demo, &path).unwrap_or_else(|e| panic!("{e}"));
    for (mode, warned) in [(0o644, true), (0o600, false)] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut cmd = Pty::command(env!("CARGO_BIN_EXE_hst-tui"));
        cmd.arg("--path");
        cmd.arg(&path);
        let mut tui = Pty::spawn(cmd, ROWS, COLS);
        tui.wait_for("Keys 33");
        if warned {
            tui.wait_for("chmod 600");
        } else {
            assert!(!tui.screen().contains("chmod 600"));
        }
        tui.keys("q");
        assert_eq!(tui.wait_exit(), 0);
    }
}

#[test]
fn no_color_draws_with_attributes_only_and_term_dumb_is_refused() {
    let mut tui = Tui::start(&[], &[("NO_COLOR", "1")]);
    tui.wait_for("Keys 33");
    let screen = tui.parser.screen();
    let (rows, cols) = screen.size();
    let mut inverse = 0;
    for r in 0..rows.get() {
        for c in 0..cols.get() {
            if let Some(cell) = screen.cell(r, c) {
                assert_eq!(cell.fgcolor(), vt100::Color::Default, "colour at {r},{c}");
                assert_eq!(cell.bgcolor(), vt100::Color::Default, "colour at {r},{c}");
                inverse += usize::from(cell.inverse());
            }
        }
    }
    assert!(inverse > 10, "the cursor row is in reverse video");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);

    let mut dumb = Tui::start(&[], &[("TERM", "dumb")]);
    assert_eq!(dumb.wait_exit(), 1);
    assert!(dumb.screen().contains("TERM=dumb"), "{}", dumb.screen());
}

#[test]
fn a_deleted_file_is_noticed_and_reloaded_when_it_is_back() {
    let mut tui = Tui::start(&[], &[]);
    tui.wait_for("Keys 33");
    let path = tui.env.home().join("home_secret.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
    tui.wait_for("deleted or moved away");
    let fewer: String = text
        .lines()
        .filter(|l| !l.starts_with("slack."))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, fewer).unwrap_or_else(|e| panic!("{e}"));
    tui.wait_for("Keys 31");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
}

#[test]
fn the_demo_names_its_temporary_file_and_writes_nothing_into_the_current_folder() {
    let env = Env::new();
    let mut cmd = env.pty_command(Program::HstTui);
    cmd.arg("--demo");
    let mut tui = Pty::spawn(cmd, ROWS, 140);
    tui.wait_for("Keys 33");
    tui.wait_for("home_secret.toml (fake values; deleted on exit)");
    assert!(tui.screen().contains("hst-demo-"), "{}", tui.screen());
    tui.keys("E");
    tui.wait_for("Write the Python enum module to");
    tui.keys("\r");
    tui.wait_for("Wrote 33 entries to");
    assert!(tui.screen().contains("hst-demo-"), "{}", tui.screen());
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    let left: Vec<_> = std::fs::read_dir(env.work())
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        left.is_empty(),
        "the demo wrote {left:?} into the current folder"
    );
}

/// `hst-tui --pick…` in a pty with its stdout going to a file; returns the file's content and
/// the exit code.
fn pick(args: &str, keys: &[(&str, &str)]) -> (String, u32, Vec<u8>) {
    pick_with(args, &[], keys, None, "")
}

/// [`pick`] with environment variables, and at the end: wait until `gone` is off the screen,
/// then type `last`.
fn pick_with(
    args: &str,
    vars: &[(&str, &str)],
    keys: &[(&str, &str)],
    gone: Option<&str>,
    last: &str,
) -> (String, u32, Vec<u8>) {
    let env = Env::new();
    let file = env.secrets();
    let demo = crate::support::root().join("assets/demo_home_secret.toml");
    std::fs::copy(&demo, &file).unwrap_or_else(|e| panic!("{e}"));
    let out = env.path("out");
    let mut cmd = env.pty_tool("sh");
    cmd.arg("-c");
    cmd.arg(format!(
        "'{}' {args} --path '{}' > '{}'",
        env!("CARGO_BIN_EXE_hst-tui"),
        file.display(),
        out.display()
    ));
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let mut tui = Pty::spawn(cmd, ROWS, COLS);
    for (ready, typed) in keys {
        tui.wait_for(ready);
        tui.keys(typed);
    }
    if let Some(gone) = gone {
        tui.wait_gone(gone);
    }
    tui.keys(last);
    let code = tui.wait_exit();
    let printed = std::fs::read_to_string(&out).unwrap_or_default();
    (printed, code, tui.raw().to_vec())
}

#[test]
fn pick_prints_the_chosen_key_on_stdout_and_draws_on_stderr() {
    let (printed, code, _) = pick(
        "--pick",
        &[("PICK A KEY", "region"), ("Keys 1 of 33", "\r")],
    );
    assert_eq!(code, 0);
    assert_eq!(
        printed, "aws.accounts.prod.region\n",
        "only the key on stdout"
    );
    let (printed, code, _) = pick(
        "--pick=snippet",
        &[("PICK A KEY", "region"), ("Keys 1 of 33", "\r")],
    );
    assert_eq!(code, 0);
    assert_eq!(printed, "hs.v(\"aws.accounts.prod.region\")\n");
    // Esc clears the search, a second Esc gives up.
    let (printed, code, _) = pick(
        "--pick",
        &[
            ("PICK A KEY", "region"),
            ("Keys 1 of 33", "\x1b"),
            ("Keys 33", "\x1b"),
        ],
    );
    assert_eq!(code, 130);
    assert!(printed.is_empty());
}

#[test]
fn pick_value_copies_it_and_never_prints_it() {
    let (printed, code, raw) = pick(
        "--pick=value",
        &[("PICK A KEY", "region"), ("Keys 1 of 33", "\r")],
    );
    assert_eq!(code, 0);
    assert!(printed.is_empty(), "nothing on stdout");
    let b64 = hst::clipboard::osc52::base64(b"us-east-1");
    let raw = String::from_utf8_lossy(&raw);
    assert!(
        raw.contains(&format!("\x1b]52;c;{b64}\x07")),
        "copied through OSC 52"
    );
    assert!(raw.contains("Copied the value of aws.accounts.prod.region"));
}

/// The demo file's keys ranked for `text` as the search does it, and the same matches in the
/// file's order (what a search ranked off the UI thread shows first).
fn ranked_and_provisional(text: &str) -> (Vec<String>, Vec<String>) {
    let demo = crate::support::root().join("assets/demo_home_secret.toml");
    let file = home_secret_toml::SecretFile::load(&demo).unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<&str> = file.entries().iter().map(|e| e.key.dotted()).collect();
    let ranked = hst::tui::filter::Filter::new(text).rank(&keys);
    let mut in_order: Vec<u32> = ranked.iter().map(|r| r.index).collect();
    in_order.sort_unstable();
    let name = |i: u32| keys[i as usize].to_string();
    (
        ranked.iter().map(|r| name(r.index)).collect(),
        in_order.into_iter().map(name).collect(),
    )
}

/// With the limits lowered (a debug-build hook), a 33-key search is ranked on the ranking
/// thread as a million-key one is: the order by score arrives and replaces the provisional one,
/// and a pick made before it arrives still takes the best match.
#[test]
fn a_search_ranked_off_the_ui_thread_ends_in_the_order_by_score() {
    let (ranked, provisional) = ranked_and_provisional("port");
    assert!(ranked.len() > 2);
    assert_ne!(
        ranked[0], provisional[0],
        "a text whose best match is not the first key"
    );
    assert_ne!(ranked[1], provisional[1]);
    let lowered = ("HST_TUI_TEST_RANK_LIMITS", "4,2");
    let matches = format!("{} matches", ranked.len());
    // Down once the order has come: the second best.
    let (printed, code, _) = pick_with(
        "--pick",
        &[lowered],
        &[("PICK A KEY", "port"), (&matches, "")],
        Some("ranking"),
        "\x1b[B\r",
    );
    assert_eq!(code, 0);
    assert_eq!(printed.trim_end(), ranked[1]);
    // Enter at once: the best, ranked there and then if it had not come yet.
    let (printed, code, _) = pick_with("--pick", &[lowered], &[("PICK A KEY", "port\r")], None, "");
    assert_eq!(code, 0);
    assert_eq!(printed.trim_end(), ranked[0]);
}
