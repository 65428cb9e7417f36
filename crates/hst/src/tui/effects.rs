//! The outside world the TUI touches, behind a trait so state tests can use a fake.

use std::io::Write;
use std::path::Path;

use crate::clipboard::{Clipboard, Copied};
use home_secret_toml::codegen;
use home_secret_toml::edit;
use home_secret_toml::path::{display, expand_tilde};
use home_secret_toml::store::{Revision, SaveError, Saved, Snapshot, Store};
use home_secret_toml::value::{Reference, SecretValue};

use super::action::{Action, CopyWhat, EnumFailure, SaveFailure};
use super::ranking::{RankJob, Ranker};

pub trait Effects {
    /// Puts `text` on the clipboard. `Err` says why not, never with `text` in it.
    fn copy(&mut self, what: CopyWhat, text: &SecretValue) -> Result<Copied, String>;
    /// The value `reference` points at, from its backend (the reason, never a value, if not).
    /// An earlier failure is asked again: the user may have signed in or started the server.
    fn resolve(&mut self, reference: &Reference) -> Result<SecretValue, String> {
        use home_secret_toml::value::Resolve;
        let resolver = crate::resolve::resolver();
        resolver.forget_failure(reference);
        resolver.resolve(reference).map_err(|e| e.reason)
    }

    /// Writes `new` over `path` if it still holds what `expected` was read from; the warnings
    /// of `Ok` include a permission warning.
    fn save(
        &mut self,
        path: &Path,
        expected: &Revision,
        new: &SecretValue,
    ) -> Result<Saved, SaveFailure>;

    /// The file as it is on disk now. `patient`: wait a moment for another program that is
    /// changing it (a reload the user asked for); otherwise a busy file is an `Err` at once
    /// (the watcher asks again on its next tick).
    fn read(&mut self, path: &Path, patient: bool) -> Result<Snapshot, String>;

    /// Orders a search's matches: the result now (`Some`, what this default does), or later
    /// from [`Effects::ranked`].
    fn rank(&mut self, job: RankJob) -> Option<Action> {
        job.run(&|| false).map(Action::Ranked)
    }

    /// A ranking started earlier that has finished, if any.
    fn ranked(&mut self) -> Option<Action> {
        None
    }

    /// Whether a ranking is on its way (the loop then looks for it often).
    fn ranking(&self) -> bool {
        false
    }

    /// Writes the enum module; an existing file is only replaced with `overwrite`.
    fn write_enum(
        &mut self,
        path: &Path,
        code: &str,
        overwrite: bool,
    ) -> Result<String, EnumFailure>;
}

// The file effects, for `System` and for tests that want the real disk (they say so by calling
// these; nothing is inherited by accident).

/// See [`Effects::save`].
pub fn save_file(
    path: &Path,
    expected: &Revision,
    new: &SecretValue,
) -> Result<Saved, SaveFailure> {
    match Store::new(path).save(new.expose().as_bytes(), expected) {
        Ok(mut saved) => {
            saved.warnings.extend(edit::mode_warning_short(path));
            Ok(saved)
        }
        Err(SaveError::Conflict(_)) => Err(SaveFailure::Conflict),
        Err(e) => Err(SaveFailure::Other(e.to_string())),
    }
}

/// See [`Effects::read`].
pub fn read_file(path: &Path, patient: bool) -> Result<Snapshot, String> {
    let store = Store::new(path);
    let read = if patient {
        store.read()
    } else {
        store.read_now()
    };
    read.map_err(|e| e.to_string())
}

/// See [`Effects::write_enum`].
pub fn write_enum_file(path: &Path, code: &str, overwrite: bool) -> Result<String, EnumFailure> {
    let target = codegen::output_path(Some(&expand_tilde(path)));
    let shown = display(&target);
    if target.exists() && !overwrite {
        return Err(EnumFailure::Exists(shown));
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| EnumFailure::Other(format!("cannot create {}: {e}", display(parent))))?;
    }
    std::fs::write(&target, code)
        .map(|()| shown.clone())
        .map_err(|e| EnumFailure::Other(format!("cannot write {shown}: {e}")))
}

/// The real effects. Values are copied as secrets (cleared after the timeout); key paths and
/// snippets are not secrets and stay.
pub struct System {
    clipboard: Clipboard,
    /// Where the screen is, which is where OSC 52 goes.
    screen: super::terminal::Target,
    /// Large searches are ranked on a thread of their own.
    ranker: Ranker,
}

impl System {
    pub fn new(clipboard: Clipboard, screen: super::terminal::Target) -> Self {
        Self {
            clipboard,
            screen,
            ranker: Ranker::default(),
        }
    }
}

impl Effects for System {
    fn save(
        &mut self,
        path: &Path,
        expected: &Revision,
        new: &SecretValue,
    ) -> Result<Saved, SaveFailure> {
        let saved = save_file(path, expected, new);
        let outcome = saved.as_ref().map(|_| ()).map_err(|_| "failed".to_string());
        crate::audit::note("tui-save", &["*"], Some(path), outcome);
        saved
    }

    fn read(&mut self, path: &Path, patient: bool) -> Result<Snapshot, String> {
        read_file(path, patient)
    }

    fn write_enum(
        &mut self,
        path: &Path,
        code: &str,
        overwrite: bool,
    ) -> Result<String, EnumFailure> {
        write_enum_file(path, code, overwrite)
    }

    fn rank(&mut self, job: RankJob) -> Option<Action> {
        self.ranker.start(job).map(Action::Ranked)
    }

    fn ranked(&mut self) -> Option<Action> {
        // A cancelled ranking still wakes the loop once: a tick.
        self.ranker
            .finished()
            .map(|ranked| ranked.map_or(Action::Tick, Action::Ranked))
    }

    fn ranking(&self) -> bool {
        self.ranker.busy()
    }

    fn copy(&mut self, what: CopyWhat, text: &SecretValue) -> Result<Copied, String> {
        let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
        let terminal: &mut dyn Write = match self.screen {
            super::terminal::Target::Stdout => &mut stdout,
            super::terminal::Target::Stderr => &mut stderr,
        };
        self.clipboard
            .copy(text, what == CopyWhat::Value, Some(terminal))
            .map_err(|e| e.to_string())
    }
}
