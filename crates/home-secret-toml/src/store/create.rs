//! A new file, all or nothing: written where nobody can see it, flushed, and given its name only
//! if nothing is there yet.

use std::io::{self, Write};
use std::path::Path;

use super::lock::temp_prefix;
use super::parent_dir;

/// Creates `path` holding `bytes`, with mode 0600. Fails with `AlreadyExists` (and writes
/// nothing) when something is at `path`, even if it appears while this runs.
///
/// On Linux the content is written to an unnamed file (`O_TMPFILE`) that is linked into place
/// at the end: a process killed half-way leaves nothing behind (`hst decrypt` writes plaintext
/// this way). Elsewhere, or where the filesystem lacks it, a named 0600 temporary file is used.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    let dir = parent_dir(path);
    #[cfg(target_os = "linux")]
    if let Some(done) = unnamed::create(dir, path, bytes) {
        return done;
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .rand_bytes(6)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_private_complete_and_never_replaces_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.toml");
        create_new(&path, b"a = 1\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a = 1\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let err = create_new(&path, b"b = 2\n").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"a = 1\n");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no temporary file left beside it");
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(target_os = "linux")]
mod unnamed {
    use std::io::{self, Write};
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;

    /// `None` when unnamed files are not available here (then the caller uses a named one).
    pub fn create(dir: &Path, path: &Path, bytes: &[u8]) -> Option<io::Result<()>> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .mode(0o600)
            .custom_flags(libc::O_TMPFILE)
            .open(dir)
            .ok()?;
        let linked = (|| {
            file.write_all(bytes)?;
            file.sync_all()?;
            // link(2) through /proc gives the unnamed file its name, failing if one exists.
            let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
            std::fs::hard_link(proc_path, path)
        })();
        match linked {
            Ok(()) => {
                super::sync_dir(dir);
                Some(Ok(()))
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Some(Err(e)),
            // No /proc, or a filesystem that cannot link it: the named way still works.
            Err(_) if std::fs::symlink_metadata(path).is_err() => None,
            Err(e) => Some(Err(e)),
        }
    }
}
