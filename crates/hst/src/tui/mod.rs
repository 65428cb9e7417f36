//! `hst-tui`: the full-screen secrets browser.
//!
//! `state` is pure (actions in, effects out), `ui` draws the state, `keymap` is the one table of
//! keys, `app` runs the loop and `terminal` makes sure the terminal is always given back.

pub mod action;
pub mod app;
mod args;
pub mod effects;
pub mod filter;
pub mod fit;
pub mod keymap;
pub mod layout;
pub mod members;
pub mod ranking;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod ui;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use crate::clipboard::{Clipboard, Facts, Settings};
use home_secret_toml::file::SecretFile;
use home_secret_toml::locate::resolve;
use home_secret_toml::path::display;

pub use args::{PickWhat, TuiArgs};
pub use state::{Options, State};

/// The demo file: fake values, a realistic mix of providers, accounts, users and comments.
pub const DEMO_FILE: &str = include_str!("../../../../assets/demo_home_secret.toml");

/// Entry point of the `hst-tui` binary.
pub fn main() -> ExitCode {
    // Before anything is read: no core file may hold a value (the clipboard helper too).
    home_secret_toml::no_dumps::forbid_core_dumps();
    if let Some(code) = crate::clipboard::keeper::run_if_keeper() {
        return code;
    }
    crate::cli::complete::remember_shell();
    clap_complete::CompleteEnv::with_factory(<TuiArgs as clap::CommandFactory>::command)
        .var(crate::cli::complete::VAR)
        .complete();
    let args = TuiArgs::parse();
    match run(&args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("Error: {}", crate::cli::one_line(&err));
            ExitCode::FAILURE
        }
    }
}

fn run(args: &TuiArgs) -> anyhow::Result<ExitCode> {
    if theme::cannot_draw(&std::env::var("TERM").unwrap_or_default()) {
        anyhow::bail!(
            "hst-tui needs a terminal that can draw a full screen, and TERM=dumb cannot; \
             use hst ls, hst get KEY or hst set KEY"
        );
    }
    // A privacy switch that cannot be read stops everything, before anything is shown; so
    // does a config file with a misspelt section or setting.
    let share = args.share().map_err(anyhow::Error::msg)?;
    home_secret_toml::encrypted::AgeConfig::load()?;
    // Before the file is read: a configured backend's scheme makes its strings references.
    crate::resolve::configure().map_err(anyhow::Error::msg)?;
    if let Some(mode) = crate::agent::detect() {
        anyhow::bail!(
            "{}: hst-tui shows values to whoever drives it; an agent uses hst ls and hst run \
             --mask-output -- CMD",
            mode.describe()
        );
    }
    // Keeps the demo copy alive until the TUI is done; deleted on drop.
    let mut demo_dir = None;
    let path = if args.demo {
        let dir = tempfile::Builder::new().prefix("hst-demo-").tempdir()?;
        let path = dir.path().join("home_secret.toml");
        home_secret_toml::edit::create_private(&path, DEMO_FILE)?;
        demo_dir = Some(dir);
        path
    } else {
        resolve(args.path.as_deref().map(Path::new))?
    };
    // An encrypted file's passphrase is asked here, on the plain terminal, before the screen
    // is taken; the TUI never asks again (reloads and saves use the one given now).
    crate::cli::use_keys(args.identity.as_deref().map(Path::new));
    // Settings and file before touching the terminal: errors print as plain lines.
    let clipboard = Clipboard::new(
        Settings::resolve(args.clipboard_overrides()?).map_err(anyhow::Error::msg)?,
        Facts::from_env(true),
    );
    let file = match SecretFile::load(&path) {
        Ok(file) => file,
        Err(e) if e.is_not_found() => {
            eprintln!("Error: {e}");
            eprintln!("{}", start_hint(&path, args.path.is_some()));
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    home_secret_toml::encrypted::keyring().take_prompter();
    // The project's manifest, if any: the detail pane says which variable injects a key.
    let manifest = std::env::current_dir()
        .ok()
        .and_then(|dir| crate::manifest::find(&dir))
        .and_then(|found| crate::manifest::Manifest::load(&found).ok());
    let options = Options {
        manifest,
        share,
        pick: args.pick.is_some(),
        monochrome: theme::monochrome_from_env(),
        warning: home_secret_toml::edit::mode_warning_short(&path).map(|w| format!("Warning: {w}")),
        read_only: args.read_only,
        reveal_for: args.reveal_for(),
        title: args
            .demo
            .then(|| format!("demo: {} (fake values; deleted on exit)", display(&path))),
        // The demo writes nothing into the folder it was started from.
        enum_default: args.demo.then(|| {
            path.with_file_name(state::ENUM_DEFAULT)
                .to_string_lossy()
                .into_owned()
        }),
    };
    let mut state = State::new(file, options, Instant::now());
    // A picker's stdout is the result, so it draws on stderr (as fzf does).
    let target = if args.pick.is_some() {
        terminal::Target::Stderr
    } else {
        terminal::Target::Stdout
    };
    check_terminal(target)?;
    let mut effects = effects::System::new(clipboard, target);
    {
        let mut session = terminal::Session::start(target).map_err(needs_a_terminal)?;
        app::run(session.terminal(), &mut state, &mut effects)?;
    }
    drop(demo_dir);
    match args.pick {
        None => Ok(ExitCode::SUCCESS),
        Some(what) => finish_pick(&state, what, &clipboard),
    }
}

/// After `--pick`: the key path or snippet on stdout, or the value on the clipboard; 130 (as
/// fzf) when nothing was picked.
fn finish_pick(state: &State, what: PickWhat, clipboard: &Clipboard) -> anyhow::Result<ExitCode> {
    let Some(key) = state.picked() else {
        return Ok(ExitCode::from(130));
    };
    match what {
        PickWhat::Key => println!("{key}"),
        PickWhat::Snippet => println!("{}", state::python_snippet(key.dotted())),
        PickWhat::Value => {
            let entry = state
                .file()
                .leaf(key)
                .ok_or_else(|| anyhow::anyhow!("{key} is no longer in the file"))?;
            let value = match entry.value.as_reference() {
                Some(_) => {
                    let form = home_secret_toml::TextForm::Toml;
                    crate::resolve::text(entry.key.dotted(), &entry.value, form)
                        .map_err(anyhow::Error::msg)?
                }
                None => state.file().toml_text(entry),
            };
            let mut tty = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/tty")
                .ok();
            let terminal = tty.as_mut().map(|t| t as &mut dyn std::io::Write);
            let copied = clipboard.copy(&value, true, terminal)?;
            eprintln!("Copied the value of {key} ({}).", copied.describe());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The screen goes to a terminal or nowhere: drawing into a file or pipe helps nobody.
fn check_terminal(target: terminal::Target) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let (is_terminal, name) = match target {
        terminal::Target::Stdout => (std::io::stdout().is_terminal(), "output"),
        terminal::Target::Stderr => (std::io::stderr().is_terminal(), "standard error"),
    };
    if is_terminal {
        return Ok(());
    }
    anyhow::bail!(
        "hst-tui needs a terminal (its {name} is not a terminal); in scripts use hst ls, hst get \
         KEY or hst set KEY"
    )
}

/// Starting full-screen mode fails without a terminal with a bare "No such device or
/// address"; say what it means.
fn needs_a_terminal(e: std::io::Error) -> anyhow::Error {
    let why = if e.raw_os_error() == Some(6) || e.kind() == std::io::ErrorKind::NotFound {
        "there is no terminal to read keys from"
    } else {
        return anyhow::Error::new(e).context("cannot start full-screen mode");
    };
    anyhow::anyhow!(
        "hst-tui needs a terminal ({why}); in scripts use hst ls, hst get KEY or hst set KEY"
    )
}

/// What to do when there is no file yet.
fn start_hint(path: &Path, explicit: bool) -> String {
    let init = if explicit {
        format!("hst init --path {}", display(path))
    } else {
        "hst init".to_string()
    };
    format!(
        "To look around first: hst-tui --demo. To start your own file: {init} (writes a commented starter file, mode 600)."
    )
}
