//! One edit of the secrets file from the command line, the safe way: the writers' lock taken,
//! the file read under it, the edit made through the library's one pipeline, written only if
//! the file on disk is still what was read (made again on what is there when a program that
//! takes no lock changed it meanwhile), warnings said once.

use std::path::Path;

use super::Failure;
use home_secret_toml::edit::{self, EditError, Spliced};
use home_secret_toml::file::SecretFile;
use home_secret_toml::store::{Revision, SaveError, Snapshot, Store};

/// A file changed between our read and our write by a program that takes no lock: the edit is
/// made again on what is there now, this many times at most.
const ATTEMPTS: usize = 3;

/// Runs `make` on the file as it is under the lock and writes the file it returns; gives back
/// what `make` said about the edit (for the message).
pub(crate) fn edit_file<T>(
    path: &Path,
    mut make: impl FnMut(&SecretFile) -> Result<(T, SecretFile), EditError>,
    name: &str,
) -> Result<T, Failure> {
    edit_read(path, |snapshot| {
        let file = SecretFile::from_snapshot(path, snapshot)?;
        let (said, edited) = make(&file).map_err(|e| edit_error(&e, name))?;
        Ok((said, Made::File(Box::new(edited), file.revision())))
    })
}

/// What an edit made of the file it read: the text to write and the revision it was read at.
pub(crate) enum Made {
    File(Box<SecretFile>, Revision),
    Spliced(Spliced),
}

impl Made {
    fn text(&self) -> &str {
        match self {
            Made::File(file, _) => file.text(),
            Made::Spliced(spliced) => spliced.text(),
        }
    }

    fn read_at(&self) -> Revision {
        match self {
            Made::File(_, revision) => *revision,
            Made::Spliced(spliced) => spliced.read_at(),
        }
    }
}

/// [`edit_file`] for an edit that starts from the bytes read (one that need not parse the
/// whole file).
pub(crate) fn edit_read<T>(
    path: &Path,
    mut make: impl FnMut(Snapshot) -> Result<(T, Made), Failure>,
) -> Result<T, Failure> {
    let guard = Store::new(path).lock().map_err(|e| msg(e.to_string()))?;
    let mut attempt = 1;
    let (said, saved) = loop {
        let (said, made) = match make(guard.read()?) {
            Ok(made) => made,
            // A file no edit may write (TOML 1.1, a lone CR…) may fail the edit itself: then
            // that is what is said, with its place (the store says it of every write).
            Err(failure) => return Err(unwritable(&guard).unwrap_or(failure)),
        };
        match guard.write(made.text().as_bytes(), &made.read_at()) {
            Ok(saved) => break (said, saved),
            Err(SaveError::Conflict(_)) if attempt < ATTEMPTS => attempt += 1,
            Err(e) => return Err(msg(e.to_string())),
        }
    };
    drop(guard);
    for warning in saved.warnings {
        eprintln!("Warning: {warning}");
    }
    if let Some(warning) = edit::mode_warning(path) {
        eprintln!("Warning: {warning}");
    }
    Ok(said)
}

/// Why the file as it is on disk could not be written back, if it could not.
fn unwritable(guard: &home_secret_toml::store::Guard) -> Option<Failure> {
    let snapshot = guard.read().ok()?;
    guard
        .check_writable(&snapshot.bytes)
        .err()
        .map(|e| msg(e.to_string()))
}

/// An edit's refusal as a message: the key first when the error does not name it already.
/// The key is as typed, so a control character in it is written as an escape: the message
/// stays one line, and nothing typed reaches the terminal as a command.
pub(crate) fn edit_error(e: &EditError, name: &str) -> Failure {
    let said = e.to_string();
    if e.names_key() || name.is_empty() {
        msg(crate::terminal_text::escaped(&said).into_owned())
    } else {
        msg(format!("{}: {said}", crate::terminal_text::escaped(name)))
    }
}

fn msg(message: String) -> Failure {
    Failure::Message(message)
}
