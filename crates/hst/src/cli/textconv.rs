//! `hst git-textconv FILE`: what `git diff` and `git log -p` show of a secrets file (plain or
//! age-encrypted), set up as `diff.hst.textconv`: the file's text with every value replaced by
//! a short keyed fingerprint, so a diff says which keys changed and never a value. The
//! fingerprint is an HMAC under a key derived from the user's identity (or, without one, a
//! random key kept in the data folder), never a plain hash: a 4-digit PIN in a diff must not
//! be found by trying all 10,000. Never configure `cachetextconv`: git would store this
//! output in its notes.

use std::io::Write;
use std::path::Path;

use hmac::Mac;
use zeroize::Zeroizing;

use super::Failure;
use home_secret_toml::SecretFile;
use home_secret_toml::encrypted::{self, keyring};

/// Secrets files are read whole; git hands over one version at a time.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

pub fn run(file: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let bytes = read(file)?;
    let plain: Zeroizing<Vec<u8>> = if encrypted::is_age_bytes(&bytes) {
        match encrypted::open(file, &bytes) {
            Ok(plain) => plain,
            // git would stop the whole diff on an error: say why in the diff instead.
            Err(problem) => {
                writeln!(out, "(age-encrypted; hst cannot open it here: {problem})")?;
                return Ok(());
            }
        }
    } else {
        Zeroizing::new(bytes.to_vec())
    };
    let parsed = match SecretFile::from_bytes(file, plain.to_vec()) {
        Ok(parsed) => parsed,
        // Never the text itself: what does not parse cannot be masked value by value.
        Err(e) => {
            writeln!(out, "(not a secrets file hst can read: {e})")?;
            return Ok(());
        }
    };
    let key = fingerprint_key()?;
    out.write_all(masked(&parsed, &key).as_bytes())?;
    Ok(())
}

fn read(file: &Path) -> Result<Zeroizing<Vec<u8>>, Failure> {
    use std::io::Read;
    let opened = std::fs::File::open(file)
        .map_err(|e| Failure::Message(format!("{}: {e}", file.display())))?;
    let mut bytes = Zeroizing::new(Vec::new());
    opened
        .take(MAX_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::Message(format!("{}: {e}", file.display())))?;
    Ok(bytes)
}

/// The identity's fingerprint key, else the user's own random one.
fn fingerprint_key() -> Result<Zeroizing<Vec<u8>>, Failure> {
    if let Some(key) = keyring().fingerprint_key() {
        return Ok(Zeroizing::new(key.to_vec()));
    }
    let path = dirs::data_dir()
        .map(|d| d.join("hst").join("fingerprint.key"))
        .ok_or_else(|| Failure::Message("no data folder (set $XDG_DATA_HOME or $HOME)".into()))?;
    crate::audit::private_key(&path)
        .map(Zeroizing::new)
        .map_err(Failure::Message)
}

/// The file's text with each value's literal replaced by `"<masked:FINGERPRINT>"`; comments,
/// keys, layout and references (where a secret lives is not a secret) as they are.
fn masked(file: &SecretFile, key: &[u8]) -> String {
    let text = file.text();
    let mut spans: Vec<(std::ops::Range<usize>, String)> = file
        .entries()
        .iter()
        .filter(|e| e.value.as_reference().is_none())
        .map(|e| {
            (
                e.span.clone(),
                fingerprint(key, &e.key.to_string(), &text[e.span.clone()]),
            )
        })
        .collect();
    spans.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, print) in spans {
        // A value inside one already replaced (an inline table's leaves) is covered by it.
        if span.start < at {
            continue;
        }
        out.push_str(&text[at..span.start]);
        out.push_str(&format!("\"<masked:{print}>\""));
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// HMAC-SHA256 of the key path and the value's literal, first 8 hex digits.
fn fingerprint(key: &[u8], path: &str, literal: &str) -> String {
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(key) else {
        return "????????".into();
    };
    mac.update(path.as_bytes());
    mac.update(b"\0");
    mac.update(literal.as_bytes());
    mac.finalize().into_bytes()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
