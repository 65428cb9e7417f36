//! Whether other users can read a file that holds secrets (the secrets file, an age identity),
//! by its mode or its POSIX ACL, and the one-line warning with the fix.

use std::path::Path;

use crate::path::display;

/// Who besides the owner can read a file, as a warning says it: `mode 644`, or `its ACL (user
/// 1001)`. `None` when only the owner can (or the file is not a regular file, or not there).
fn readable_by_others(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let mode = meta.permissions().mode() & 0o777;
        if let Some(who) = acl_reader(path) {
            return Some(format!("its ACL (for {who})"));
        }
        (mode & 0o077 != 0).then(|| format!("mode {mode:o}"))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// A named user or group that the file's POSIX ACL lets read it (the ACL mask included), from
/// the `system.posix_acl_access` attribute: a 4-byte version, then (tag u16, perm u16, id u32)
/// entries, little-endian. `chmod 600` clears the mask, which takes the right away again.
#[cfg(unix)]
fn acl_reader(path: &Path) -> Option<String> {
    const USER: u16 = 0x02;
    const GROUP: u16 = 0x08;
    const MASK: u16 = 0x10;
    const READ: u16 = 4;
    let raw = xattr::get(path, "system.posix_acl_access").ok()??;
    let mut mask = READ;
    let mut reader = None;
    for entry in raw.get(4..)?.chunks_exact(8) {
        let tag = u16::from_le_bytes([entry[0], entry[1]]);
        let perm = u16::from_le_bytes([entry[2], entry[3]]);
        let id = u32::from_le_bytes([entry[4], entry[5], entry[6], entry[7]]);
        match tag {
            MASK => mask = perm,
            USER if perm & READ != 0 => {
                reader.get_or_insert(format!("user {id}"));
            }
            GROUP if perm & READ != 0 => {
                reader.get_or_insert(format!("group {id}"));
            }
            _ => {}
        }
    }
    reader.filter(|_| mask & READ != 0)
}

/// A warning when the secrets file can be read by group or others, with the fix first (a
/// status line cut at the terminal's width must still show it). Not for an age-encrypted
/// file, which others may read (such files are often kept in git): there the identity that
/// opens it is what must stay private.
pub fn mode_warning(path: &Path) -> Option<String> {
    if crate::encrypted::is_age_path(path) {
        return crate::encrypted::keyring()
            .identity_path()
            .and_then(|identity| identity_warning(&identity));
    }
    readable_by_others(path).map(|who| {
        format!(
            "chmod 600 {}: {who} lets group or others read your secrets",
            display(path)
        )
    })
}

/// [`mode_warning`] short enough for a status line: the file's name only, the fix first.
pub fn mode_warning_short(path: &Path) -> Option<String> {
    if crate::encrypted::is_age_path(path) {
        return mode_warning(path);
    }
    readable_by_others(path).map(|who| {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        format!("chmod 600 {name}: {who} lets others read it")
    })
}

/// A warning when an age identity file can be read by group or others: whoever can read it can
/// open the encrypted file.
pub fn identity_warning(identity: &Path) -> Option<String> {
    readable_by_others(identity).map(|who| {
        format!(
            "chmod 600 {}: {who} lets group or others read your age identity",
            display(identity)
        )
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn mode_bits_for_group_or_others_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("key.txt");
        std::fs::write(&file, "x").unwrap();
        for (mode, warned) in [(0o600, false), (0o400, false), (0o640, true), (0o604, true)] {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
            let warning = identity_warning(&file);
            assert_eq!(warning.is_some(), warned, "{mode:o}");
            if let Some(w) = warning {
                assert!(w.starts_with("chmod 600 "), "{w}");
                assert!(w.contains(&format!("mode {mode:o}")), "{w}");
            }
        }
    }
}
