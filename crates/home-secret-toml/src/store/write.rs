//! The atomic, conflict-checked write, done under the lock.

use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::time::Instant;

use super::lock::{Guard, temp_prefix};
use super::{PATIENCE, Revision, SaveError, Stamp, io_error, parent_dir, read};
use crate::error::Error;
use crate::path::display;

/// A save that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The revision of what is on disk now (what the next save compares with).
    pub revision: Revision,
    /// Things that went wrong after the new content was in place (the file is then stricter
    /// than before, never looser): say them to the user.
    pub warnings: Vec<String>,
}

pub(super) fn write(
    guard: &Guard,
    new: &[u8],
    expected: &Revision,
    before_rename: impl FnOnce() -> io::Result<()>,
) -> Result<Saved, SaveError> {
    let shown = display(guard.path());
    let deadline = Instant::now() + PATIENCE;
    let mut before_rename = Some(before_rename);
    loop {
        let patience = deadline.saturating_duration_since(Instant::now());
        let (current, stamp, original) =
            read::stable(guard.path(), patience, &|| guard.recorded())?;
        if Revision::of(&current) != *expected {
            return Err(SaveError::Conflict(shown));
        }
        drop(current);
        let meta = original.metadata().map_err(io_error(guard.path()))?;
        refuse_unsafe_targets(&meta, &shown)?;
        // A symlink pointed elsewhere since the lock was taken: the rename would miss.
        let at_target = std::fs::metadata(guard.target()).map_err(io_error(guard.target()))?;
        if !Stamp::of(&at_target).same_file(&stamp) {
            return Err(SaveError::Conflict(shown));
        }

        let dir = parent_dir(guard.target());
        // tempfile creates the file with O_EXCL and mode 0600; it stays 0600 until the rename.
        let mut tmp = tempfile::Builder::new()
            .prefix(&temp_prefix(guard.target()))
            .suffix(".tmp")
            .rand_bytes(6)
            .tempfile_in(dir)
            .map_err(io_error(dir))?;
        tmp.write_all(new).map_err(io_error(tmp.path()))?;
        tmp.as_file().sync_all().map_err(io_error(tmp.path()))?;
        attrs::before_rename(&original, tmp.as_file(), &meta, &shown)?;

        // The last look, as close to the rename as it can be: a writer that takes no lock is
        // caught unless it strikes in the microseconds between here and the rename.
        let now = std::fs::metadata(guard.path()).map(|m| Stamp::of(&m));
        #[cfg(unix)]
        let busy = super::sys::open_for_writing_elsewhere(&original);
        #[cfg(not(unix))]
        let busy = false;
        if busy || now.ok() != Some(stamp) {
            drop(tmp);
            if Instant::now() >= deadline {
                return Err(SaveError::Read(Error::Busy {
                    path: guard.path().to_path_buf(),
                    why: "another program kept changing it",
                }));
            }
            continue;
        }
        if let Some(hook) = before_rename.take() {
            hook().map_err(io_error(tmp.path()))?;
        }
        let written = tmp
            .persist(guard.target())
            .map_err(|e| io_error(guard.target())(e.error))?;
        let warnings = attrs::after_rename(&original, &written, &meta);
        // Recorded at once, so readers waiting on the new file stop waiting sooner.
        if let Ok(m) = written.metadata() {
            guard.record(Stamp::of(&m));
        }
        // The rename itself is durable only once the directory is flushed.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        return Ok(Saved {
            revision: Revision::of(new),
            warnings,
        });
    }
}

/// Files a rename must not replace: more than one hard link (the others would keep the old
/// secret), or no write permission for the owner (the user made it read-only on purpose).
fn refuse_unsafe_targets(meta: &Metadata, shown: &str) -> Result<(), SaveError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let refuse = |reason: String| SaveError::Refused {
            path: shown.to_string(),
            reason,
        };
        if meta.nlink() > 1 {
            return Err(refuse(format!(
                "has {} hard links; a save writes a new file, so the other links would keep \
                 the old content. Remove the other links (or copy the file to break them) first",
                meta.nlink()
            )));
        }
        let mode = meta.mode() & 0o7777;
        if mode & 0o200 == 0 {
            return Err(refuse(format!(
                "is read-only (mode {mode:o}: no write permission for its owner). \
                 If you mean to change it: chmod u+w {shown}"
            )));
        }
    }
    #[cfg(not(unix))]
    if meta.permissions().readonly() {
        return Err(SaveError::Refused {
            path: shown.to_string(),
            reason: "is read-only".to_string(),
        });
    }
    Ok(())
}

#[cfg(unix)]
mod attrs {
    //! Owner, group, extended attributes, POSIX ACL and mode carried over to the new file.

    use std::fs::{File, Metadata};
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    use xattr::FileExt;

    use super::SaveError;

    /// The access ACL is applied after the rename, with the mode: before it, the temporary
    /// file grants nobody but its owner anything.
    const ACL: &str = "system.posix_acl_access";

    /// Owner, group and the other extended attributes, set on the temporary file while it is
    /// still private. Any that cannot be kept stop the save.
    pub fn before_rename(
        original: &File,
        tmp: &File,
        meta: &Metadata,
        shown: &str,
    ) -> Result<(), SaveError> {
        let refuse = |reason: String| SaveError::Refused {
            path: shown.to_string(),
            reason,
        };
        let now = tmp.metadata().map_err(|e| refuse(e.to_string()))?;
        let uid = (now.uid() != meta.uid()).then_some(meta.uid());
        let gid = (now.gid() != meta.gid()).then_some(meta.gid());
        if uid.is_some() || gid.is_some() {
            std::os::unix::fs::fchown(tmp, uid, gid).map_err(|e| {
                refuse(format!(
                    "its owner and group (uid {}, gid {}) cannot be kept by this user ({e})",
                    meta.uid(),
                    meta.gid()
                ))
            })?;
        }
        // A new file inherits the folder's default ACL; the saved file must not gain access the
        // original did not grant (its own ACL, if any, is put back after the rename).
        if let Ok(Some(_)) = tmp.get_xattr(ACL) {
            tmp.remove_xattr(ACL).map_err(|e| {
                refuse(format!("the folder's default ACL cannot be kept off ({e})"))
            })?;
        }
        let Ok(names) = original.list_xattr() else {
            return Ok(()); // no extended attributes on this filesystem
        };
        for name in names {
            let text = name.to_string_lossy().into_owned();
            if text == ACL || text == "system.posix_acl_default" {
                continue;
            }
            let Ok(Some(value)) = original.get_xattr(&name) else {
                continue;
            };
            if let Err(e) = tmp.set_xattr(&name, &value) {
                // Security labels are given to new files by the system's policy.
                if text.starts_with("security.") {
                    continue;
                }
                return Err(refuse(format!(
                    "its extended attribute {text} cannot be kept ({e})"
                )));
            }
        }
        Ok(())
    }

    /// The ACL, then the mode (which also sets the ACL mask from the group bits, as before).
    pub fn after_rename(original: &File, written: &File, meta: &Metadata) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Ok(Some(acl)) = original.get_xattr(ACL)
            && let Err(e) = written.set_xattr(ACL, &acl)
        {
            warnings.push(format!(
                "its POSIX ACL could not be restored ({e}); only its owner can read it now"
            ));
        }
        let mode = meta.mode() & 0o7777;
        if let Err(e) = written.set_permissions(std::fs::Permissions::from_mode(mode)) {
            warnings.push(format!(
                "its mode {mode:o} could not be restored ({e}); it is 600 now"
            ));
        }
        warnings
    }
}

#[cfg(not(unix))]
mod attrs {
    use std::fs::{File, Metadata};

    use super::SaveError;

    pub fn before_rename(_: &File, _: &File, _: &Metadata, _: &str) -> Result<(), SaveError> {
        Ok(())
    }

    pub fn after_rename(_: &File, written: &File, meta: &Metadata) -> Vec<String> {
        match written.set_permissions(meta.permissions()) {
            Ok(()) => Vec::new(),
            Err(e) => vec![format!("its permissions could not be restored ({e})")],
        }
    }
}
