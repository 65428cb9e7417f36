//! Which manifests the user has allowed, as direnv's `direnv allow` does: a cloned repository's
//! `hst.toml` can name any key, so `hst run` reads one only after `hst allow`, and again after
//! every change to it. The list is `$XDG_DATA_HOME/hst/allowed`: one line per manifest, the
//! SHA-256 of its content and its absolute path, mode 0600, replaced atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The allow list's file.
pub fn list_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("hst").join("allowed"))
}

/// The manifest's absolute path (symlinks resolved) and the hash of its bytes.
pub fn identify(manifest: &Path) -> Result<(PathBuf, String), String> {
    let absolute = std::fs::canonicalize(manifest)
        .map_err(|e| format!("{}: {e}", home_secret_toml::path::display(manifest)))?;
    let bytes = home_secret_toml::small_file::read_text(
        &absolute,
        home_secret_toml::limits::MAX_CONFIG_FILE,
    )
    .map_err(|e| format!("{}: {e}", absolute.display()))?;
    let hash = Sha256::digest(bytes.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    Ok((absolute, hex))
}

/// Whether this exact content of the manifest at this path was allowed.
pub fn is_allowed(manifest: &Path) -> Result<bool, String> {
    let (path, hash) = identify(manifest)?;
    Ok(entries()?
        .iter()
        .any(|(h, p)| *h == hash && Path::new(p) == path))
}

/// Records the manifest's current content as allowed (any earlier entry for it is replaced).
pub fn allow(manifest: &Path) -> Result<PathBuf, String> {
    let (path, hash) = identify(manifest)?;
    if path.to_string_lossy().contains(['\n', '\r']) {
        return Err("a manifest whose path holds a line break cannot be allowed".to_string());
    }
    let mut list = entries()?;
    list.retain(|(_, p)| Path::new(p) != path);
    list.push((hash, path.to_string_lossy().into_owned()));
    save(&list)?;
    Ok(path)
}

/// Removes the manifest from the list; whether it was there.
pub fn deny(manifest: &Path) -> Result<bool, String> {
    let path = std::fs::canonicalize(manifest).unwrap_or_else(|_| manifest.to_path_buf());
    let mut list = entries()?;
    let before = list.len();
    list.retain(|(_, p)| Path::new(p) != path);
    if list.len() == before {
        return Ok(false);
    }
    save(&list)?;
    Ok(true)
}

/// `(hash, path)` per line; a missing list is empty.
fn entries() -> Result<Vec<(String, String)>, String> {
    let Some(file) = list_path() else {
        return Ok(Vec::new());
    };
    let text = match home_secret_toml::small_file::read_text(
        &file,
        home_secret_toml::limits::MAX_CONFIG_FILE,
    ) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", file.display())),
    };
    Ok(text
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(h, p)| (h.to_string(), p.to_string()))
        .collect())
}

fn save(list: &[(String, String)]) -> Result<(), String> {
    let file = list_path().ok_or("no data folder ($XDG_DATA_HOME or ~/.local/share)")?;
    let folder = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let failed = |e: std::io::Error| format!("{}: {e}", file.display());
    // A temporary file (0600) in the same folder, renamed over the list: never half written.
    let mut temp = tempfile::Builder::new()
        .prefix(".allowed-")
        .tempfile_in(folder)
        .map_err(failed)?;
    for (hash, path) in list {
        writeln!(temp, "{hash}  {path}").map_err(failed)?;
    }
    temp.as_file().sync_all().map_err(failed)?;
    temp.persist(&file).map_err(|e| failed(e.error))?;
    Ok(())
}
