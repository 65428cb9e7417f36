//! Small file helpers of the edit side: the permission warning and private-file creation.
//! Saving itself goes through [`crate::core::store`].

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// [`mode_warning`] short enough for a status line: the file's name only (the title bar shows
/// its path), the fix first.
pub fn mode_warning_short(path: &Path) -> Option<String> {
    mode_warning(path).map(|_| {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let mode = {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::metadata(path).map_or(0, |m| m.permissions().mode() & 0o777)
            }
            #[cfg(not(unix))]
            {
                0
            }
        };
        format!("chmod 600 {name}: mode {mode:o} lets others read it")
    })
}

/// A warning when the file can be read by group or others, with the fix. Not for an
/// age-encrypted file: others reading it learn nothing (such files are often kept in git).
pub fn mode_warning(path: &Path) -> Option<String> {
    if crate::core::encrypted::is_age_path(path) {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).ok()?.permissions().mode() & 0o777;
        // The fix first: a status line cut at the terminal's width must still show it.
        (mode & 0o077 != 0).then(|| {
            format!(
                "chmod 600 {}: mode {mode:o} lets group or others read your secrets",
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
