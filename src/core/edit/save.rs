//! Writing the file without ever losing it: a temporary file in the same directory, written,
//! flushed to disk, given the original mode, then renamed over the target (atomic on POSIX), and
//! the directory flushed too. A symlink is followed and kept. A file that changed on disk since
//! it was loaded is never overwritten.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{0} changed on disk since it was loaded; reload it first (nothing was written)")]
    Conflict(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// Writes `new` to `path` if the file still holds `loaded`.
pub fn save(path: &Path, loaded: &[u8], new: &[u8]) -> Result<(), SaveError> {
    save_with_hook(path, loaded, new, || Ok(()))
}

/// [`save`], with `before_rename` run between writing the temporary file and renaming it: tests
/// use it to stop there, as a crash would.
#[doc(hidden)]
pub fn save_with_hook(
    path: &Path,
    loaded: &[u8],
    new: &[u8],
    before_rename: impl FnOnce() -> io::Result<()>,
) -> Result<(), SaveError> {
    let shown = crate::core::path::display(path);
    let err = |source| SaveError::Io {
        path: shown.clone(),
        source,
    };
    let target = real_target(path).map_err(err)?;
    let current = fs::read(&target).map_err(err)?;
    if current != loaded {
        return Err(SaveError::Conflict(shown.clone()));
    }
    let permissions = fs::metadata(&target).map_err(err)?.permissions();
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".home_secret.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(new).map_err(err)?;
    tmp.as_file().set_permissions(permissions).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    before_rename().map_err(err)?;
    tmp.persist(&target).map_err(|e| err(e.error))?;
    // The rename itself is durable only once the directory is flushed.
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The file a path finally names, following symlinks, so the link itself stays a link.
fn real_target(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// A warning when the file can be read by group or others, with the fix.
pub fn mode_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then(|| {
            format!(
                "{} can be read by group or others (mode {mode:o}); fix: chmod 600 {}",
                crate::core::path::display(path),
                crate::core::path::display(path)
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Creates `path` with `text`, readable by the owner only; fails if it exists.
pub fn create_private(path: &Path, text: &str) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(())
}
