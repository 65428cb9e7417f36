//! Where `hst edit` puts the text while the editor has it, and how it goes away: a plain file's
//! copy beside it (same filesystem, same protection, mode 0600); an encrypted file's plaintext
//! only on a RAM-backed filesystem (0700 folder, 0600 file), never on a disk. Overwritten with
//! zeros and removed on drop, which every way out of `hst edit` passes (signals included: see
//! `super::wait_for_editor`).

use std::fs::File;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

pub struct Scratch {
    path: PathBuf,
    file: Option<tempfile::NamedTempFile>,
    /// The private folder on the RAM filesystem (encrypted files), removed after the file.
    _dir: Option<tempfile::TempDir>,
}

impl Scratch {
    /// A scratch copy of `text` for the secrets file `secrets`.
    pub fn create(secrets: &Path, encrypted: bool, text: &str) -> Result<Self, String> {
        let name = secrets.file_name().map_or_else(
            || "home_secret".into(),
            |n| n.to_string_lossy().into_owned(),
        );
        let stem = name.trim_end_matches(".age").trim_end_matches(".toml");
        let (folder, dir) = if encrypted {
            let dir = ram_folder()?;
            (dir.path().to_path_buf(), Some(dir))
        } else {
            let parent = secrets.parent().filter(|p| !p.as_os_str().is_empty());
            (
                parent.map_or_else(|| PathBuf::from("."), Path::to_path_buf),
                None,
            )
        };
        // NamedTempFile is created 0600 with O_EXCL; the `.toml` suffix gives the editor its
        // syntax highlighting.
        let mut file = tempfile::Builder::new()
            .prefix(&format!(".{stem}.hst-edit-"))
            .suffix(".toml")
            .tempfile_in(&folder)
            .map_err(|e| {
                format!(
                    "cannot create the copy to edit in {}: {e}",
                    folder.display()
                )
            })?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.as_file().sync_all())
            .map_err(|e| format!("cannot write the copy to edit: {e}"))?;
        Ok(Self {
            path: file.path().to_path_buf(),
            file: Some(file),
            _dir: dir,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the editor left. Editors often replace the file (write a new one, rename it over),
    /// so it is read again by name; the result is wiped on drop by the caller's `Zeroizing`.
    pub fn read(&self) -> Result<zeroize::Zeroizing<String>, String> {
        home_secret_toml::small_file::read_text(&self.path, home_secret_toml::limits::MAX_FILE_SIZE)
            .map(zeroize::Zeroizing::new)
            .map_err(|e| format!("cannot read the edited copy: {e}"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Zeros over what is there now (the editor's own file if it replaced ours), then gone.
        if let Ok(mut file) = File::options().write(true).open(&self.path)
            && let Ok(meta) = file.metadata()
        {
            let zeros = vec![0u8; usize::try_from(meta.len()).unwrap_or(0).min(1 << 26)];
            let _ = file.rewind();
            let _ = file.write_all(&zeros);
            let _ = file.sync_all();
        }
        let _ = std::fs::remove_file(&self.path);
        if let Some(file) = self.file.take() {
            // Already removed by name; keep tempfile from trying again.
            let _ = file.keep();
        }
    }
}

/// A private folder on a RAM-backed filesystem: `$XDG_RUNTIME_DIR`, else `/dev/shm`, each only
/// when it really is tmpfs or ramfs.
fn ram_folder() -> Result<tempfile::TempDir, String> {
    let candidates = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("/dev/shm")]);
    for base in candidates {
        if is_in_memory(&base) {
            // TempDir folders are created 0700.
            return tempfile::Builder::new()
                .prefix("hst-edit-")
                .tempdir_in(&base)
                .map_err(|e| format!("cannot make a private folder in {}: {e}", base.display()));
        }
    }
    Err(
        "an encrypted file is edited only on a RAM-backed filesystem, so its plaintext never \
         reaches a disk, and neither $XDG_RUNTIME_DIR nor /dev/shm is one here; nothing was \
         decrypted (hst set, rm and mv edit it without a copy)"
            .to_string(),
    )
}

#[cfg(target_os = "linux")]
fn is_in_memory(folder: &Path) -> bool {
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    const RAMFS_MAGIC: i64 = 0x8584_58f6;
    rustix::fs::statfs(folder).is_ok_and(|s| {
        #[allow(clippy::useless_conversion)]
        let kind = i64::from(s.f_type);
        kind == TMPFS_MAGIC || kind == RAMFS_MAGIC
    })
}

#[cfg(not(target_os = "linux"))]
fn is_in_memory(_folder: &Path) -> bool {
    false
}
