//! Reading the file whole and unchanging, or not at all.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use super::{SETTLE, Stamp};
use crate::error::{Error, Result};
use crate::limits::MAX_FILE_SIZE;

/// Why a read was put off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unstable {
    /// Another process has the file open for writing.
    OpenForWriting,
    /// Another program changed it less than [`SETTLE`] ago.
    JustChanged,
    /// Size, times or inode changed while it was being read.
    ChangedWhileReading,
}

impl Unstable {
    fn describe(self) -> &'static str {
        match self {
            Unstable::OpenForWriting => "another program has it open for writing",
            Unstable::JustChanged => "another program changed it a moment ago",
            Unstable::ChangedWhileReading => "it changed while it was being read",
        }
    }
}

/// Reads `path` (a regular file, through symlinks) whole, waiting up to `patience` for it to be
/// left alone. `recorded` gives the stamp of hst's own last save (asked again on every try:
/// another hst may record its save while we wait), which needs no waiting.
pub(super) fn stable(
    path: &Path,
    patience: Duration,
    recorded: &dyn Fn() -> Option<Stamp>,
) -> Result<(Zeroizing<Vec<u8>>, Stamp, File)> {
    let deadline = Instant::now() + patience;
    loop {
        let (file, before) = open_regular(path)?;
        let why = match check_settled(&file, &before, recorded().as_ref()) {
            Some(u) => u,
            None => {
                let bytes = read_all(path, &file, before.size)?;
                let after = Stamp::of(&file.metadata().map_err(io_error(path))?);
                let now_at_path = std::fs::metadata(path).ok().map(|m| Stamp::of(&m));
                if after == before
                    && bytes.len() as u64 == before.size
                    && now_at_path.is_some_and(|p| p == before)
                {
                    return Ok((bytes, before, file));
                }
                Unstable::ChangedWhileReading
            }
        };
        if Instant::now() >= deadline {
            return Err(Error::Busy {
                path: path.to_path_buf(),
                why: why.describe(),
            });
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Reads `path` (a regular file, through symlinks) in blocks given to `feed` as they come, never
/// holding it whole; `Ok(true)` when `feed` took every block and the file did not change while
/// it was read. `Ok(false)` (nothing is waited for) when it is not settled now, changed, or
/// `feed` stopped: the caller then reads it with [`stable`].
pub(super) fn in_blocks(
    path: &Path,
    recorded: Option<Stamp>,
    feed: &mut dyn FnMut(&[u8]) -> bool,
) -> Result<bool> {
    const BLOCK: usize = 256 * 1024;
    let (mut file, before) = open_regular(path)?;
    if check_settled(&file, &before, recorded.as_ref()).is_some() {
        return Ok(false);
    }
    let mut block = Zeroizing::new(vec![0u8; BLOCK]);
    let mut total: u64 = 0;
    loop {
        let n = match file.read(&mut block) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(path)(e)),
        };
        total += n as u64;
        if total > before.size || !feed(&block[..n]) {
            return Ok(false);
        }
    }
    let after = Stamp::of(&file.metadata().map_err(io_error(path))?);
    let now_at_path = std::fs::metadata(path).ok().map(|m| Stamp::of(&m));
    Ok(after == before && total == before.size && now_at_path.is_some_and(|p| p == before))
}

/// Opens `path` for reading after making sure it is a regular file: FIFOs, sockets and devices
/// are never opened (opening a FIFO blocks; a device can be endless or have side effects).
pub(super) fn open_regular(path: &Path) -> Result<(File, Stamp)> {
    let meta = std::fs::metadata(path).map_err(|e| not_found_or_io(path, e))?;
    check_kind(path, &meta)?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // If it was swapped for a FIFO since the stat, the open must not block.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| not_found_or_io(path, e))?;
    let meta = file.metadata().map_err(io_error(path))?;
    check_kind(path, &meta)?;
    Ok((file, Stamp::of(&meta)))
}

fn check_kind(path: &Path, meta: &Metadata) -> Result<()> {
    let kind = meta.file_type();
    if kind.is_file() {
        if meta.len() > MAX_FILE_SIZE {
            return Err(Error::TooLarge {
                path: path.to_path_buf(),
                size: meta.len(),
            });
        }
        return Ok(());
    }
    if kind.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    Err(Error::NotRegular {
        path: path.to_path_buf(),
        kind: crate::small_file::kind_name(meta),
    })
}

/// `None` when the file may be read now.
fn check_settled(file: &File, stamp: &Stamp, recorded: Option<&Stamp>) -> Option<Unstable> {
    #[cfg(unix)]
    if super::sys::open_for_writing_elsewhere(file) {
        return Some(Unstable::OpenForWriting);
    }
    let _ = file;
    if recorded == Some(stamp) {
        return None;
    }
    match stamp.age() {
        Some(age) if age < SETTLE => Some(Unstable::JustChanged),
        _ => None,
    }
}

fn read_all(path: &Path, file: &File, size: u64) -> Result<Zeroizing<Vec<u8>>> {
    // Sized up front so the buffer never reallocates (a reallocation would leave a copy of the
    // secrets behind in freed memory, out of reach of the zeroizing drop).
    let capacity = usize::try_from(size.saturating_add(1)).unwrap_or(usize::MAX);
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
    let mut limited = file.take(MAX_FILE_SIZE + 1);
    loop {
        match limited.read_to_end(&mut bytes) {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(path)(e)),
        }
    }
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

fn not_found_or_io(path: &Path, e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => Error::NotFound {
            path: path.to_path_buf(),
        },
        _ => io_error(path)(e),
    }
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}
