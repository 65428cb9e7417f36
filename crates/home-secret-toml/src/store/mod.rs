//! The one way the secrets file is read and written: the CLI, the TUI and the library all come
//! through here, so the rules below hold everywhere.
//!
//! Reading ([`Store::read`]):
//! - only regular files (directly or through symlinks); FIFOs, sockets and devices are refused
//!   before they are opened, and reading is bounded by [`MAX_FILE_SIZE`];
//! - never a torn read: the file's size, times and inode must be the same before and after the
//!   read, nobody may have it open for writing (a Linux read-lease probe), and a file changed in
//!   the last [`SETTLE`] by another program is waited for, as git treats "racily clean" files.
//!
//! Writing ([`Store::lock`] then [`Guard::write`], or [`Store::save`]):
//! - one writer at a time: `flock` on `.NAME.lock` beside the file, held from the final
//!   comparison to the rename (other hst processes wait for it; editors that take no lock are
//!   still caught by the comparison, except in the microseconds before the rename);
//! - the file is read again under the lock and must hold what the caller loaded
//!   ([`Revision`]), else [`SaveError::Conflict`];
//! - a temporary file (mode 0600, same folder) is written, flushed, given the owner, group and
//!   extended attributes, checked once more against the file on disk, renamed over it, and only
//!   then given the file's mode and POSIX ACL (so a temporary file never grants more than 0600);
//! - stale temporary files of killed saves are removed by the next hst command on that file;
//! - refused: files with more than one hard link, files without their owner's write bit.

mod create;
mod lock;
mod read;
#[cfg(unix)]
mod sys;
mod turn;
mod write;

use std::fmt;
use std::hash::BuildHasher;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::path::display;

pub use create::create_new;
pub use lock::Guard;
pub use write::Saved;

/// A file changed by another program less than this long ago may be in the middle of being
/// rewritten; hst waits until it has been left alone this long (files hst wrote itself are known
/// and not waited for).
pub const SETTLE: Duration = Duration::from_millis(500);

/// How long a command waits for a file that another program is changing, or for another hst's
/// lock, before giving up with a message.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// What was on disk when a file was read: compared before every write. A keyed hash of the
/// bytes (the key is random per process, so it says nothing about the content outside it).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Revision {
    digest: u64,
}

impl Revision {
    /// The revision of `bytes` as they are on disk.
    pub fn of(bytes: &[u8]) -> Self {
        static KEY: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
        let state = KEY.get_or_init(std::collections::hash_map::RandomState::new);
        Self {
            digest: state.hash_one(bytes),
        }
    }
}

impl fmt::Debug for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Revision(..)")
    }
}

/// What one read gave: the file's bytes (wiped from memory when dropped) and its revision.
#[derive(Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub bytes: Zeroizing<Vec<u8>>,
    pub revision: Revision,
}

impl Snapshot {
    /// A snapshot of bytes that are on disk (for tests, and for stores that decode).
    pub fn new(bytes: Vec<u8>) -> Self {
        let revision = Revision::of(&bytes);
        Self {
            bytes: Zeroizing::new(bytes),
            revision,
        }
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Why a save did not happen. Never carries file content.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{0} changed on disk since it was loaded; reload it first (nothing was written)")]
    Conflict(String),
    /// The writers' lock stayed with one holder for this long while the file did not change:
    /// that process looks stuck (waiting writers keep waiting while the ones ahead finish).
    #[error(
        "{path}: the writers' lock has been held by {holder} for {seconds} s with no change to \
         the file; if that process is stuck, end it and try again (nothing was written)"
    )]
    Locked {
        path: String,
        holder: String,
        seconds: u64,
    },
    /// The file may not be rewritten (read-only, hard links, an owner that cannot be kept).
    #[error("{path}: {reason}; nothing was written")]
    Refused { path: String, reason: String },
    /// The file could not be read again before writing (gone, not a regular file, busy…).
    #[error(transparent)]
    Read(#[from] Error),
    /// The new text holds what hst's parser reads and Python's `tomllib` cannot (see `toml11`).
    #[error(
        "{path}:{line}:{column}: {what}: Python's tomllib cannot read it; change it with hst \
         edit (nothing was written)"
    )]
    NotToml10 {
        path: String,
        line: usize,
        column: usize,
        what: &'static str,
    },
    /// The new content could not be encrypted (no key, or a key the file has would be lost).
    #[error("{0}; nothing was written")]
    Seal(Error),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// A secrets file on disk, named by the user's path (which may be a symlink). A name ending in
/// `.age` is an encrypted file: its bytes pass through [`crate::encrypted`] on the way in
/// and out, and everything else here (lock, revision of the bytes on disk, atomic write) is the
/// same.
#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
    sealed: bool,
}

impl Store {
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            sealed: crate::encrypted::is_age_path(path),
        }
    }

    /// Whether this is an age-encrypted file.
    pub fn is_encrypted(&self) -> bool {
        self.sealed
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file, waiting up to [`PATIENCE`] for another program to finish changing it.
    pub fn read(&self) -> Result<Snapshot> {
        self.read_within(PATIENCE)
    }

    /// Reads the file if it can be read safely now, without waiting: [`Error::Busy`] otherwise
    /// (the TUI's watcher asks again on its next tick instead of freezing the screen).
    pub fn read_now(&self) -> Result<Snapshot> {
        self.read_within(Duration::ZERO)
    }

    fn read_within(&self, patience: Duration) -> Result<Snapshot> {
        let path = &self.path;
        let (bytes, _, _) = read::stable(path, patience, &|| lock::recorded_stamp(path))?;
        lock::remove_stale_temps(&self.path);
        decode(path, self.sealed, bytes)
    }

    /// Reads a plain (not encrypted) file in blocks given to `feed`, never holding it whole
    /// (`hst get` of one key keeps only what it looks for). `Ok(false)` when that was not
    /// done: an encrypted file, one not settled now (nothing is waited for), one that changed
    /// while it was read, or `feed` stopped; read it with [`Store::read`] then.
    pub fn read_in_blocks(&self, feed: &mut dyn FnMut(&[u8]) -> bool) -> Result<bool> {
        if self.sealed {
            return Ok(false);
        }
        let path = &self.path;
        let done = read::in_blocks(path, lock::recorded_stamp(path), feed)?;
        lock::remove_stale_temps(path);
        Ok(done)
    }

    /// Size, times and inode of the file now (one `stat`): for noticing outside changes.
    pub fn stamp(&self) -> Option<Stamp> {
        std::fs::metadata(&self.path).ok().map(|m| Stamp::of(&m))
    }

    /// Takes the writers' lock (waiting in line while other writers make progress), removing temporary
    /// files that killed saves left behind.
    pub fn lock(&self) -> Result<Guard, SaveError> {
        Guard::acquire(&self.path, self.sealed)
    }

    /// Writes `new` if the file still holds what `expected` was read from.
    pub fn save(&self, new: &[u8], expected: &Revision) -> Result<Saved, SaveError> {
        self.lock()?.write(new, expected)
    }
}

/// The snapshot of bytes read from disk: decrypted for an age file (the revision stays that of
/// the bytes on disk, which is what a save compares); an age file under a plain name is refused
/// rather than parsed as TOML.
fn decode(path: &Path, sealed: bool, disk: Zeroizing<Vec<u8>>) -> Result<Snapshot> {
    let revision = Revision::of(&disk);
    if sealed {
        let bytes =
            crate::encrypted::open(path, &disk).map_err(|problem| Error::age(path, problem))?;
        return Ok(Snapshot { bytes, revision });
    }
    if crate::encrypted::looks_like_age(&disk) {
        return Err(Error::Age {
            path: path.to_path_buf(),
            problem: crate::encrypted::Problem::PlainName,
        });
    }
    Ok(Snapshot {
        bytes: disk,
        revision,
    })
}

/// Identity, size and times of a file: equal stamps mean nothing touched it in between.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Self {
                dev: meta.dev(),
                ino: meta.ino(),
                size: meta.size(),
                mtime: (meta.mtime(), meta.mtime_nsec()),
                ctime: (meta.ctime(), meta.ctime_nsec()),
            }
        }
        #[cfg(not(unix))]
        {
            let nanos = |t: io::Result<std::time::SystemTime>| {
                t.ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or((0, 0), |d| {
                        (d.as_secs() as i64, i64::from(d.subsec_nanos()))
                    })
            };
            Self {
                dev: 0,
                ino: 0,
                size: meta.len(),
                mtime: nanos(meta.modified()),
                ctime: nanos(meta.modified()),
            }
        }
    }

    fn same_file(&self, other: &Stamp) -> bool {
        self.dev == other.dev && self.ino == other.ino
    }

    /// How long ago the file last changed (its inode change time, which no program can set
    /// back), or `None` when that is in the future (a clock that disagrees).
    fn age(&self) -> Option<Duration> {
        let (secs, nanos) = self.ctime;
        let changed = std::time::UNIX_EPOCH.checked_add(Duration::new(
            u64::try_from(secs).ok()?,
            u32::try_from(nanos).ok()?,
        ))?;
        std::time::SystemTime::now().duration_since(changed).ok()
    }

    fn to_line(self) -> String {
        format!(
            "hst-stamp 1 {} {} {} {} {} {} {}\n",
            self.dev, self.ino, self.size, self.mtime.0, self.mtime.1, self.ctime.0, self.ctime.1
        )
    }

    fn from_line(line: &str) -> Option<Self> {
        let mut parts = line.trim().strip_prefix("hst-stamp 1 ")?.split(' ');
        let mut next = || parts.next()?.parse::<i128>().ok();
        let (dev, ino, size) = (next()?, next()?, next()?);
        let (m0, m1, c0, c1) = (next()?, next()?, next()?, next()?);
        Some(Self {
            dev: u64::try_from(dev).ok()?,
            ino: u64::try_from(ino).ok()?,
            size: u64::try_from(size).ok()?,
            mtime: (i64::try_from(m0).ok()?, i64::try_from(m1).ok()?),
            ctime: (i64::try_from(c0).ok()?, i64::try_from(c1).ok()?),
        })
    }
}

/// The file a path finally names (symlinks followed), so that links stay links and every
/// writer of the same file meets at the same lock.
fn real_target(path: &Path) -> io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path),
        Ok(_) => Ok(path.to_path_buf()),
        Err(e) => Err(e),
    }
}

/// The folder of a file path (`.` for a bare name).
fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The file name as text, for naming the lock and temporary files beside it.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || "secrets".to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> SaveError + '_ {
    move |source| SaveError::Io {
        path: display(path),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip_through_the_lock_file_line() {
        let stamp = Stamp {
            dev: 1,
            ino: u64::MAX,
            size: 3,
            mtime: (-4, 5),
            ctime: (6, 999_999_999),
        };
        assert_eq!(Stamp::from_line(&stamp.to_line()), Some(stamp));
        assert_eq!(Stamp::from_line("garbage"), None);
        assert_eq!(Stamp::from_line("hst-stamp 1 1 2"), None);
    }

    #[test]
    fn revisions_compare_content_and_hide_it() {
        assert_eq!(Revision::of(b"a = 1\n"), Revision::of(b"a = 1\n"));
        assert_ne!(Revision::of(b"a = 1\n"), Revision::of(b"a = 2\n"));
        assert_eq!(format!("{:?}", Revision::of(b"x")), "Revision(..)");
    }
}
