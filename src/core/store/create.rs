//! A new file, all or nothing: written to a private temporary file beside it, flushed, and
//! moved into place only if nothing is there yet.

use std::io::{self, Write};
use std::path::Path;

use super::lock::temp_prefix;
use super::parent_dir;

/// Creates `path` holding `bytes`, with mode 0600. Fails with `AlreadyExists` (and writes
/// nothing) when something is at `path`, even if it appears while this runs.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    let dir = parent_dir(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .rand_bytes(6)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
