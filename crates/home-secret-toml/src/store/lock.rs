//! The writers' lock: `flock` on `.NAME.lock` beside the file (the kernel releases it when a
//! process dies, so a killed save never leaves a stale lock). The lock file stays; it holds only
//! the stamp of hst's last save, so that reading a file hst itself just wrote needs no waiting.
//! Temporary files of killed saves are removed here, under the lock.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::turn;
use super::write::{self, Saved};
use super::{
    PATIENCE, Revision, SaveError, Snapshot, Stamp, file_name, io_error, parent_dir, read,
    real_target,
};
use crate::error::{Error, Result};
use crate::path::display;

/// Held while writing; the lock is released when this is dropped (the file is closed).
pub struct Guard {
    /// The user's path (may be a symlink).
    path: PathBuf,
    /// The regular file it names.
    target: PathBuf,
    lock: File,
    /// An age file: read and written through [`crate::encrypted`].
    sealed: bool,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard").field("path", &self.path).finish()
    }
}

impl Guard {
    pub(super) fn acquire(path: &Path, sealed: bool) -> Result<Self, SaveError> {
        let target = real_target(path).map_err(|e| SaveError::Read(not_found(path, e)))?;
        // Nothing is created beside something that is not a regular file.
        read::open_regular(&target)?;
        let lock_path = lock_path(&target);
        let lock = open_lock_file(&lock_path).map_err(io_error(&lock_path))?;
        // A passphrase file's save holds the lock for seconds of scrypt work (decrypting and
        // encrypting) with nothing changing on disk: its holders get longer.
        let stall = if sealed { turn::STALL * 2 } else { turn::STALL };
        match turn::wait(&lock, &target, stall) {
            Ok(()) => {}
            Err(turn::Waited::Stuck(holder)) => {
                return Err(SaveError::Locked {
                    path: display(path),
                    holder: holder.describe(),
                    seconds: stall.as_secs(),
                });
            }
            Err(turn::Waited::Io(e)) => return Err(io_error(&lock_path)(e)),
        }
        keep_owner(&lock, &target);
        remove_matching(&target);
        Ok(Self {
            path: path.to_path_buf(),
            target,
            lock,
            sealed,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The regular file the path names (symlinks followed).
    pub(super) fn target(&self) -> &Path {
        &self.target
    }

    /// Reads the file under the lock (nobody else using hst can change it until the write).
    pub fn read(&self) -> Result<Snapshot> {
        let (bytes, _, _) = read::stable(&self.path, PATIENCE, &|| self.recorded())?;
        super::decode(&self.path, self.sealed, bytes)
    }

    /// Whether `text` may be written, as [`Guard::write`] judges it (an edit asks first, so
    /// a file it could never write is said before the edit is tried: the place in the file,
    /// not a refusal of the edit's own).
    pub fn check_writable(&self, text: &[u8]) -> Result<(), SaveError> {
        toml_1_0(self, text)
    }

    /// Writes `new` if the file still holds what `expected` was read from.
    pub fn write(&self, new: &[u8], expected: &Revision) -> Result<Saved, SaveError> {
        self.write_with_hook(new, expected, || Ok(()))
    }

    /// [`Guard::write`] with `before_rename` run just before the rename: tests stop there, as
    /// a crash would.
    pub(crate) fn write_with_hook(
        &self,
        new: &[u8],
        expected: &Revision,
        before_rename: impl FnOnce() -> io::Result<()>,
    ) -> Result<Saved, SaveError> {
        toml_1_0(self, new)?;
        if self.sealed {
            let sealed = crate::encrypted::seal(&self.path, new)
                .map_err(|problem| SaveError::Seal(Error::age(&self.path, problem)))?;
            return write::write(self, &sealed, expected, before_rename);
        }
        write::write(self, new, expected, before_rename)
    }

    pub(super) fn recorded(&self) -> Option<Stamp> {
        let mut text = String::new();
        (&self.lock).rewind().ok()?;
        (&self.lock).take(256).read_to_string(&mut text).ok()?;
        Stamp::from_line(&text)
    }

    /// Remembers the stamp of the file hst just wrote.
    pub(super) fn record(&self, stamp: Stamp) {
        let mut lock = &self.lock;
        // Best effort: without it the next read waits out the settle time, nothing worse.
        let _ = lock
            .set_len(0)
            .and_then(|()| lock.rewind())
            .and_then(|_| lock.write_all(stamp.to_line().as_bytes()));
    }
}

/// hst writes no file Python's `tomllib` cannot read: text that is not UTF-8, or that uses
/// what TOML 1.1 added (the file may have had it before; the edit is refused all the same).
/// The place is said in the file on disk when it is there (where the user will change it).
fn toml_1_0(guard: &Guard, new: &[u8]) -> Result<(), SaveError> {
    let Ok(text) = std::str::from_utf8(new) else {
        return Err(SaveError::Refused {
            path: display(&guard.path),
            reason: "the new content is not UTF-8 text".into(),
        });
    };
    let Some(found) = crate::toml11::first_addition(text) else {
        return Ok(());
    };
    let on_disk = guard.read().ok();
    let on_disk = on_disk
        .as_ref()
        .and_then(|s| std::str::from_utf8(&s.bytes).ok())
        .and_then(|t| Some((t, crate::toml11::first_addition(t)?)));
    let (text, addition) = on_disk.unwrap_or((text, found));
    let bom = crate::source::bom_len(text);
    let (line, column) =
        crate::source::line_col_in(&text[bom..], addition.offset.saturating_sub(bom));
    Err(SaveError::NotToml10 {
        path: display(&guard.path),
        line,
        column,
        what: addition.what,
    })
}

fn not_found(path: &Path, e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => Error::NotFound {
            path: path.to_path_buf(),
        },
        _ => Error::Io {
            path: path.to_path_buf(),
            source: e,
        },
    }
}

fn lock_path(target: &Path) -> PathBuf {
    parent_dir(target).join(format!(".{}.lock", file_name(target)))
}

/// Opens (creating, mode 0600) the lock file, never through a symlink. Read-only access is
/// enough to lock, so a lock file someone else created still works.
fn open_lock_file(path: &Path) -> io::Result<File> {
    let open = |write: bool| {
        let mut options = OpenOptions::new();
        options.read(true).write(write).create(write);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        options.open(path)
    };
    let file = match open(true) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && path.exists() => open(false)?,
        Err(e) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            return Err(io::Error::new(
                e.kind(),
                "the lock file is a symbolic link, which hst never follows; remove it",
            ));
        }
        other => other?,
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(
            "the lock file is not a regular file; remove it",
        ));
    }
    // A hard link planted under the lock's name would otherwise be chowned and rewritten.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() != 1 {
            return Err(io::Error::other(
                "the lock file has other hard links, so hst will not write to it; remove it",
            ));
        }
    }
    Ok(file)
}

/// A lock file root creates beside a user's file belongs to that user, or the user could not
/// save any more. Only a lock file this process owns is handed over (never someone else's).
fn keep_owner(lock: &File, target: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = Some(rustix::process::geteuid().as_raw());
        if let (Ok(l), Ok(t)) = (lock.metadata(), std::fs::metadata(target))
            && (l.uid(), l.gid()) != (t.uid(), t.gid())
            && Some(l.uid()) == me
            && l.nlink() == 1
        {
            let _ = std::os::unix::fs::fchown(lock, Some(t.uid()), Some(t.gid()));
        }
    }
    let _ = (lock, target);
}

/// The stamp of hst's last save of the file `path` names, if there is one.
pub(super) fn recorded_stamp(path: &Path) -> Option<Stamp> {
    let target = real_target(path).ok()?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(lock_path(&target)).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    file.take(256).read_to_string(&mut text).ok()?;
    Stamp::from_line(&text)
}

/// Whether `name` is a temporary file of a save of `target_name`: this version's
/// `.NAME.hst-XXXXXX.tmp`, or the `.home_secret.XXXXXX.tmp` of earlier versions.
pub(super) fn is_our_temp(name: &str, target_name: &str) -> bool {
    let random =
        |middle: &str| middle.len() == 6 && middle.bytes().all(|b| b.is_ascii_alphanumeric());
    let ours = name
        .strip_prefix(&format!(".{target_name}.hst-"))
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .is_some_and(random);
    // Versions before 0.3 named theirs `.home_secret.XXXXXX.tmp` whatever the file was called;
    // they are recognised beside `home_secret.toml` only, and not when the middle is a plain
    // lowercase word (`.home_secret.backup.tmp` is somebody's file, not ours).
    let earlier = target_name == "home_secret.toml"
        && name
            .strip_prefix(".home_secret.")
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|middle| {
                random(middle) && !middle.bytes().all(|b| b.is_ascii_lowercase())
            });
    ours || earlier
}

pub(super) fn temp_prefix(target: &Path) -> String {
    format!(".{}.hst-", file_name(target))
}

/// The temporary files a killed save left beside `target` (regular files only).
fn stale_temps(target: &Path) -> Vec<PathBuf> {
    let name = file_name(target);
    let Ok(dir) = std::fs::read_dir(parent_dir(target)) else {
        return Vec::new();
    };
    dir.filter_map(|entry| {
        let entry = entry.ok()?;
        let file_name = entry.file_name();
        let is_file = entry.file_type().ok()?.is_file();
        (is_file && is_our_temp(file_name.to_str()?, &name)).then(|| entry.path())
    })
    .collect()
}

/// Under the lock: nobody is writing a temporary file now, so every one found is stale.
fn remove_matching(target: &Path) {
    for stale in stale_temps(target) {
        let _ = std::fs::remove_file(stale);
    }
}

/// For readers: removes stale temporary files if there are any and the lock is free (a save in
/// progress keeps its own).
pub(super) fn remove_stale_temps(path: &Path) {
    let Ok(target) = real_target(path) else {
        return;
    };
    if stale_temps(&target).is_empty() {
        return;
    }
    let Ok(lock) = open_lock_file(&lock_path(&target)) else {
        return;
    };
    if lock.try_lock().is_ok() {
        keep_owner(&lock, &target);
        remove_matching(&target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_between_write_and_rename_leaves_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, b"a = 1\n").unwrap();
        let guard = super::super::Store::new(&path).lock().unwrap();
        let got = guard.write_with_hook(b"a = 2\n", &Revision::of(b"a = 1\n"), || {
            Err(std::io::Error::other("simulated crash"))
        });
        assert!(got.is_err());
        drop(guard);
        assert_eq!(std::fs::read(&path).unwrap(), b"a = 1\n");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [".s.toml.lock", "s.toml"],
            "only the file and its lock file"
        );
    }

    #[test]
    fn temp_names_are_recognised_exactly() {
        assert!(is_our_temp(".f.toml.hst-a1B2c3.tmp", "f.toml"));
        assert!(is_our_temp(".home_secret.Xy12ab.tmp", "home_secret.toml"));
        assert!(!is_our_temp(".home_secret.Xy12ab.tmp", "work.toml"));
        assert!(!is_our_temp(".home_secret.backup.tmp", "home_secret.toml"));
        assert!(!is_our_temp(".f.toml.hst-a1B2c3.tmp", "g.toml"));
        assert!(!is_our_temp(".f.toml.hst-a1B2c.tmp", "f.toml"));
        assert!(!is_our_temp(".f.toml.hst-a1B2c3.tmpx", "f.toml"));
        assert!(!is_our_temp(".home_secret.toml.lock", "home_secret.toml"));
        assert!(!is_our_temp("notes.tmp", "f.toml"));
    }
}
