//! The three versions a merge works on, decrypted in memory only, and the recipients the
//! merged file is encrypted to: the three-way merge of the recipients file as both sides'
//! commits have it (a recipient removed on either side stays removed; one added on either side
//! is kept, once this machine has accepted it).

use std::path::Path;

use zeroize::Zeroizing;

use crate::cli::Failure;
use crate::cli::git::{git_in, git_text};
use home_secret_toml::SecretFile;
use home_secret_toml::encrypted::recipients::{self, path_for};
use home_secret_toml::encrypted::{self, PublicKey, Recipients, keyring};

/// One version's bytes as a secrets file: decrypted when it is an age file (an empty version,
/// as git gives for a file both sides added, is an empty file).
pub fn open(name: &Path, bytes: &[u8]) -> Result<SecretFile, Failure> {
    let plain: Zeroizing<Vec<u8>> = if encrypted::is_age_bytes(bytes) {
        encrypted::open(name, bytes).map_err(|p| home_secret_toml::Error::age(name, p))?
    } else {
        Zeroizing::new(bytes.to_vec())
    };
    Ok(SecretFile::from_bytes(name, plain.to_vec())?)
}

/// The commit being merged in: whichever of git's markers the current operation left.
fn theirs_ref(root: &Path) -> Option<&'static str> {
    [
        "MERGE_HEAD",
        "CHERRY_PICK_HEAD",
        "REBASE_HEAD",
        "REVERT_HEAD",
    ]
    .into_iter()
    .find(|r| git_in(root, &["rev-parse", "-q", "--verify", r]).is_ok())
}

fn list_at(root: &Path, rev: &str, list: &str) -> Option<Recipients> {
    let bytes = git_in(root, &["show", &format!("{rev}:{list}")]).ok()?;
    Recipients::parse(list, &String::from_utf8_lossy(&bytes)).ok()
}

/// The recipients the merged `name` (relative to `root`) is encrypted to. `None`: no version
/// has a recipients file (the keys of this machine's identity and config are used).
pub fn merged_recipients(root: &Path, name: &Path) -> Result<Option<Recipients>, Failure> {
    let list = path_for(name).to_string_lossy().into_owned();
    let ours = list_at(root, "HEAD", &list);
    let (base, theirs) = match theirs_ref(root) {
        Some(r) => {
            let base = git_text(root, &["merge-base", "HEAD", r])
                .ok()
                .and_then(|b| list_at(root, b.lines().next().unwrap_or(""), &list));
            (base, list_at(root, r, &list))
        }
        None => (None, None),
    };
    let working = Recipients::read(&root.join(name)).ok().flatten();
    let Some(ours) = ours.or(working) else {
        return Ok(theirs);
    };
    let Some(theirs) = theirs else {
        return Ok(Some(ours));
    };
    let base = base.unwrap_or_default();
    let mut merged = Recipients::default();
    for side in [&ours, &theirs] {
        for e in side.entries() {
            let removed = [&ours, &theirs]
                .iter()
                .any(|s| base.entries().contains(e) && !s.entries().contains(e));
            if !removed && merged.find(&e.name).is_none() {
                merged
                    .add(&e.name, e.key.clone())
                    .map_err(|err| Failure::Message(err.to_string()))?;
            }
        }
    }
    Ok(Some(merged))
}

/// The keys to encrypt the merged file to: the merged list, once every key in it is one this
/// machine accepted or had itself, with the user's own key in it; without a list, this
/// machine's identity and `[age] recipients`.
pub fn keys_for(
    root: &Path,
    name: &Path,
    list: Option<&Recipients>,
) -> Result<Vec<PublicKey>, Failure> {
    let mut ring = keyring();
    let Some(list) = list else {
        let (keys, _) = ring
            .default_recipients()
            .map_err(|p| home_secret_toml::Error::age(name, p))?;
        return Ok(keys);
    };
    let own = ring
        .own_keys()
        .map_err(|p| home_secret_toml::Error::age(name, p))?;
    drop(ring);
    let accepted = recipients::accepted(&root.join(name))
        .map_err(|e| Failure::Message(e.to_string()))?
        .unwrap_or_default();
    let new: Vec<String> = list
        .entries()
        .iter()
        .filter(|e| !accepted.entries().contains(e) && !own.contains(&e.key))
        .map(|e| format!("{} {} {}", e.name, e.key.kind(), e.key.fingerprint()))
        .collect();
    if !new.is_empty() {
        return Err(Failure::Message(format!(
            "{}: the merged recipients list adds {}, which this machine has not accepted; check \
             them, run `hst recipients accept`, then `hst resolve` to finish",
            name.display(),
            new.join(", ")
        )));
    }
    if !own.iter().any(|k| list.keys().any(|l| l == k)) {
        return Err(Failure::Message(format!(
            "{}: the merged recipients list does not hold your key; nothing was written",
            name.display()
        )));
    }
    Ok(list.keys().cloned().collect())
}
