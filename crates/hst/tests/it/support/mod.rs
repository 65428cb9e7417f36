//! Shared by the tests of the programs: a hermetic environment to run them in ([`env`]), a
//! pseudo-terminal driver ([`pty`]), fixtures, synthetic files and the TUI's state on the demo
//! file.
#![allow(dead_code)]

use std::path::PathBuf;

pub mod backends;
pub mod env;
pub mod pty;

/// The repository's root (fixtures, expected outputs and assets live there).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

pub fn expected(name: &str) -> String {
    let path = root().join("tests/expected").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[path = "../../../../../tests/generate.rs"]
mod generate;
#[allow(unused_imports)]
pub use generate::{real_like, synthetic};

/// The TUI's state on the demo file (fake values), sized `width` × `height`.
pub fn demo_state(width: u16, height: u16, share: bool) -> hst::tui::State {
    use hst::tui::{Options, State, action::Action};
    let path = root().join("assets/demo_home_secret.toml");
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
pub fn run(state: &mut hst::tui::State, script: &[hst::tui::action::Command]) {
    for &c in script {
        state.apply(hst::tui::action::Action::Command(c), start());
    }
}

/// Types `text` into the TUI (the search box, when it is open).
pub fn type_text(state: &mut hst::tui::State, text: &str) {
    for c in text.chars() {
        state.apply(hst::tui::action::Action::Input(c), start());
    }
}
