//! Shared by the integration tests and benchmarks: fixture paths and synthetic secrets files.
#![allow(dead_code)]

use std::fmt::Write;
use std::path::PathBuf;

#[allow(dead_code)]
pub mod pty;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn expected(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A realistic flat secrets file with `n` leaves: providers with accounts, users and secrets,
/// comments, descriptions, a few late keys appended at the end (as people do). Fake values.
pub fn synthetic(n: usize) -> String {
    let mut s = String::with_capacity(n * 100);
    s.push_str("# Synthetic home_secret.toml for tests and benchmarks; every value is fake.\n");
    let mut written = 0;
    let mut provider = 0;
    let late = n / 100;
    'outer: loop {
        let _ = write!(
            s,
            "\n# ---- provider_{provider:03} ----\nprovider_{provider:03}.description = \"Provider number {provider}\"\n"
        );
        for acc in 0..3 {
            for user in 0..3 {
                for secret in 0..3 {
                    if written >= n - late {
                        break 'outer;
                    }
                    let _ = writeln!(
                        s,
                        "provider_{provider:03}.accounts.acc{acc}.users.user{user}.secrets.secret{secret}.value = \"fake_{provider}_{acc}{user}{secret}_abcdefghijklmnop\""
                    );
                    written += 1;
                }
            }
        }
        provider += 1;
    }
    s.push_str("\n# added later\n");
    for i in 0..late {
        let _ = writeln!(
            s,
            "provider_{:03}.accounts.late.secrets.late{i}.value = \"late_fake_{i}_abcdefgh\"",
            i % provider.max(1)
        );
    }
    s
}

/// The TUI's state on the demo file (fake values), sized `width` × `height`.
#[cfg(feature = "tui")]
pub fn demo_state(width: u16, height: u16, share: bool) -> home_secret_toml::tui::State {
    use home_secret_toml::tui::{Options, State, action::Action};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo_home_secret.toml");
    let file = home_secret_toml::SecretFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let options = Options {
        share,
        title: Some("demo".into()),
        ..Options::default()
    };
    let now = start();
    let mut state = State::new(file, options, now);
    state.apply(Action::Resize { width, height }, now);
    state
}

/// One fixed moment per test run, so time in state tests is explicit.
pub fn start() -> std::time::Instant {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    *START.get_or_init(std::time::Instant::now)
}

/// Applies TUI commands in order, at the fixed test moment.
#[cfg(feature = "tui")]
pub fn run(
    state: &mut home_secret_toml::tui::State,
    script: &[home_secret_toml::tui::action::Command],
) {
    for &c in script {
        state.apply(home_secret_toml::tui::action::Action::Command(c), start());
    }
}

/// Types `text` into the TUI (the search box, when it is open).
#[cfg(feature = "tui")]
pub fn type_text(state: &mut home_secret_toml::tui::State, text: &str) {
    for c in text.chars() {
        state.apply(home_secret_toml::tui::action::Action::Input(c), start());
    }
}
