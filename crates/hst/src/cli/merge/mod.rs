//! `hst git-merge %O %A %B %P`: git's merge driver for secrets files, plain or age-encrypted
//! (`merge.hst.driver` in the repository's config, `merge=hst` in `.gitattributes`). The three
//! versions are decrypted in memory and merged key by key ([`home_secret_toml::merge`]); the
//! result is encrypted to the merged recipients list and written over `%A`. On a conflict,
//! nothing is written (our version stays, encrypted), the keys are named, and `hst resolve`
//! ([`resolve`]) finishes the merge from git's index stages. Plaintext never reaches the
//! working tree or `.git`.

mod resolve;
mod sides;

use std::ffi::OsString;
use std::path::Path;

use super::Failure;
use home_secret_toml::encrypted;
use home_secret_toml::merge::merge;

pub use resolve::resolve;

/// Versions are read whole; the store's limit for a secrets file.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

pub fn driver(base: &Path, ours: &Path, theirs: &Path, name: &OsString) -> Result<(), Failure> {
    let name = Path::new(name);
    let fail = |why: String| {
        Failure::Message(format!(
            "hst git-merge: {}: {why}; nothing was written",
            name.display()
        ))
    };
    let read = |p: &Path| read_bounded(p).map_err(|e| fail(format!("{}: {e}", p.display())));
    let (base_bytes, our_bytes, their_bytes) = (read(base)?, read(ours)?, read(theirs)?);
    let sealed = encrypted::is_age_bytes(&our_bytes) || encrypted::is_age_bytes(&their_bytes);
    let open = |bytes: &[u8]| sides::open(name, bytes).map_err(|f| fail(f.to_string()));
    let (b, o, t) = (open(&base_bytes)?, open(&our_bytes)?, open(&their_bytes)?);
    let merged = merge(&b, &o, &t, &[]).map_err(|e| fail(e.to_string()))?;
    if !merged.conflicts.is_empty() {
        let keys: Vec<String> = merged.conflicts.iter().map(ToString::to_string).collect();
        return Err(Failure::Message(format!(
            "hst git-merge: {}: changed differently on both sides: {}. Our version is kept for \
             now; finish with `hst resolve KEY --ours|--theirs` (or --edit) for each",
            name.display(),
            keys.join(", ")
        )));
    }
    if let Some(problem) = home_secret_toml::edit::toml10_problem(&merged.file) {
        return Err(fail(format!(
            "the merged file would not be TOML 1.0 ({problem})"
        )));
    }
    let out = if sealed {
        let root = std::env::current_dir().map_err(|e| fail(e.to_string()))?;
        let list = sides::merged_recipients(&root, name)?;
        let keys = sides::keys_for(&root, name, list.as_ref())?;
        let armored = encrypted::is_armored(&our_bytes);
        encrypted::seal_to(merged.file.text().as_bytes(), &keys, armored)
            .map_err(|p| fail(p.to_string()))?
    } else {
        merged.file.text().as_bytes().to_vec()
    };
    std::fs::write(ours, out).map_err(|e| fail(format!("{}: {e}", ours.display())))?;
    Ok(())
}

fn read_bounded(path: &Path) -> std::io::Result<zeroize::Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    std::fs::File::open(path)?
        .take(MAX_BYTES)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
