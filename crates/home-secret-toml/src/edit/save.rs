//! Private-file creation for the edit side (`hst init`, the TUI's demo copy).
//! Saving itself goes through [`crate::store`].

use std::io::{self, Write};
use std::path::Path;

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
