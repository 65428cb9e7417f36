//! `hst edit`: the whole file in `$VISUAL` / `$EDITOR`, as `pass edit` and sops do, and the way
//! to edit an encrypted file by hand. What comes back is parsed and checked against TOML 1.0;
//! on an error the editor opens again on the same text (as `git commit` and `visudo` do) or the
//! edit is dropped; a file changed on disk meanwhile is never overwritten; the save goes
//! through the store (lock, atomic replace, re-encryption). The copy the editor works on is
//! wiped and removed whatever happens (see [`scratch`]).

mod scratch;

use std::io::IsTerminal;
use std::path::Path;
use std::process::{Command, ExitStatus};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use super::Failure;
use home_secret_toml::edit::{SaveError, toml10_problem};
use home_secret_toml::file::SecretFile;
use home_secret_toml::store::Store;
use scratch::Scratch;

pub fn run(path: &Path) -> Result<(), Failure> {
    let file = super::load(path, super::NotFound::Stderr)?;
    let encrypted = Store::new(path).is_encrypted();
    let signals = Signals::watch()?;
    let scratch = Scratch::create(path, encrypted, file.text()).map_err(Failure::Message)?;
    let text = loop {
        let status = wait_for_editor(scratch.path(), &signals)?;
        if !status.success() {
            return Err(Failure::Message(format!(
                "the editor exited with {status}; nothing was written"
            )));
        }
        let text = scratch.read().map_err(Failure::Message)?;
        if text.as_str() == file.text() {
            eprintln!("No changes; nothing was written.");
            return Ok(());
        }
        match check(path, &text) {
            Ok(()) => break text,
            Err(problem) if ask_again(&problem) => continue,
            Err(problem) => {
                return Err(Failure::Message(format!("{problem}; nothing was written")));
            }
        }
    };
    save(path, &file, &text)?;
    drop(scratch);
    eprintln!("Saved {}.", home_secret_toml::path::display(path));
    Ok(())
}

/// The edited text as a secrets file: hst's parser, then TOML 1.0 for Python's `tomllib`.
fn check(path: &Path, text: &str) -> Result<(), String> {
    let edited = SecretFile::from_text(path, text.to_string()).map_err(|e| e.to_string())?;
    match toml10_problem(&edited) {
        Some(problem) => Err(format!(
            "{}:{problem}",
            home_secret_toml::path::display(path)
        )),
        None => Ok(()),
    }
}

/// Saved only over the file as it was when the editor opened: another writer's change since
/// then is never overwritten (the edit is dropped with the reason).
fn save(path: &Path, opened: &SecretFile, text: &str) -> Result<(), Failure> {
    let guard = Store::new(path)
        .lock()
        .map_err(|e| Failure::Message(e.to_string()))?;
    match guard.write(text.as_bytes(), &opened.revision()) {
        Ok(saved) => {
            for warning in saved.warnings {
                eprintln!("Warning: {warning}");
            }
            Ok(())
        }
        Err(SaveError::Conflict(_)) => Err(Failure::Message(format!(
            "{} changed on disk while the editor had it; nothing was written (run hst edit \
             again to edit what is there now)",
            home_secret_toml::path::display(path)
        ))),
        Err(e) => Err(Failure::Message(e.to_string())),
    }
}

/// On a terminal: whether to reopen the editor on the same text after `problem`.
fn ask_again(problem: &str) -> bool {
    if !std::io::stdin().is_terminal() {
        return false;
    }
    eprintln!("Error: {problem}");
    super::prompt::confirm("Open the editor again to fix it? (no drops the edit) [y/N] ")
        .unwrap_or(false)
}

/// `$VISUAL`, else `$EDITOR`, else `vi`, run by the shell so `code --wait` works, with the
/// file as its last argument (never inside the command text).
fn editor_command(file: &Path) -> Command {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        // `exec`: the editor replaces the shell, so ending it reaches the editor itself.
        .arg(format!("exec {editor} \"$@\""))
        .arg("hst-edit")
        .arg(file);
    cmd
}

/// Runs the editor to its end. Ctrl-C belongs to the editor meanwhile (hst ignores it, as git
/// does); a hang-up or a termination ends the editor and then hst, the copy wiped on the way.
fn wait_for_editor(file: &Path, signals: &Signals) -> Result<ExitStatus, Failure> {
    let mut child = editor_command(file)
        .spawn()
        .map_err(|e| Failure::Message(format!("cannot start the editor: {e}")))?;
    loop {
        if let Some(status) = child.try_wait()? {
            if let Some(signal) = signals.ending() {
                return Err(Failure::Exit(128u8.saturating_add(signal)));
            }
            return Ok(status);
        }
        if let Some(signal) = signals.ending() {
            end_politely(&mut child);
            return Err(Failure::Exit(128u8.saturating_add(signal)));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SIGTERM first, so the editor removes its own swap and backup files, then SIGKILL if it is
/// still there after two seconds.
fn end_politely(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(child.id())
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        for _ in 0..40 {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// SIGINT ignored, SIGTERM / SIGHUP / SIGQUIT noted, while hst edit runs.
struct Signals {
    /// Set by Ctrl-C, which is otherwise ignored (registering the flag replaces the default
    /// action of ending hst).
    _interrupted: Arc<AtomicBool>,
    ending: Arc<AtomicUsize>,
}

impl Signals {
    #[cfg(unix)]
    fn watch() -> Result<Self, Failure> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        let interrupted = Arc::new(AtomicBool::new(false));
        let ending = Arc::new(AtomicUsize::new(0));
        let register = |e: std::io::Error| Failure::Message(format!("signal handler: {e}"));
        signal_hook::flag::register(SIGINT, Arc::clone(&interrupted)).map_err(register)?;
        for signal in [SIGTERM, SIGHUP, SIGQUIT] {
            signal_hook::flag::register_usize(signal, Arc::clone(&ending), signal as usize)
                .map_err(register)?;
        }
        Ok(Self {
            _interrupted: interrupted,
            ending,
        })
    }

    #[cfg(not(unix))]
    fn watch() -> Result<Self, Failure> {
        Ok(Self {
            _interrupted: Arc::new(AtomicBool::new(false)),
            ending: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// The signal that asks hst to end, if one came.
    fn ending(&self) -> Option<u8> {
        match self.ending.load(Ordering::Relaxed) {
            0 => None,
            n => u8::try_from(n).ok(),
        }
    }
}
