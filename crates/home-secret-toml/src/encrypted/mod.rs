//! Secrets files encrypted with [age](https://age-encryption.org) (`home_secret.toml.age`), in
//! the standard format, so that the user's own `age`/`rage` can always read them.
//!
//! This is the one codec behind the store ([`crate::store`]): the store reads the file's
//! bytes as always and hands them to [`open`], which returns the plaintext in zeroized memory;
//! a save hands the new plaintext to `seal` and writes what comes back with the same lock,
//! conflict check and atomic rename as a plain file. Plaintext is never written anywhere.
//!
//! Keys come from the process's [`keyring`]: the identity file (`--identity`,
//! `$HST_AGE_IDENTITY`, or `[age] identity` in the config file) and the extra recipients
//! (`[age] recipients`). A passphrase-encrypted file asks for its passphrase once through the
//! prompter the program installed, and keeps it (zeroized on exit) for re-encrypting its saves.

mod header;
mod identity;
mod keyring;
pub mod keys;
mod public_key;
pub mod recipients;

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use crate::path::display;

pub(crate) use header::looks_like_age;
use header::{NotAge, Shape};
pub use identity::Identities;
use keyring::Keys;
pub use keyring::{Keyring, keyring};
pub use keys::{
    AgeConfig, IDENTITY_ENV, KeyError, config_path, default_identities, parse_recipient,
};
pub use public_key::PublicKey;
pub use recipients::{Changes, Named, Recipients};

/// A passphrase file whose scrypt work factor is above this is refused before the passphrase is
/// asked for (age's own limit, a few steps above about a second of work, applies below it).
const MAX_WORK: u8 = 30;

/// The file name suffix of an encrypted secrets file.
pub const SUFFIX: &str = ".age";

/// Asks the user for a passphrase (the prompt names the file); hst's programs ask on the
/// terminal without echo.
pub type Prompter = Box<dyn Fn(&str) -> std::io::Result<Zeroizing<String>> + Send + Sync>;

/// Whether `path` names an encrypted secrets file: its name, or the name of the file a symlink
/// finally points at, ends in `.age`.
pub fn is_age_path(path: &Path) -> bool {
    let named = |p: &Path| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(SUFFIX))
    };
    named(path) || std::fs::canonicalize(path).is_ok_and(|real| named(&real))
}

/// Whether `bytes` are an age file (binary or armored), whatever the file's name.
pub fn is_age_bytes(bytes: &[u8]) -> bool {
    looks_like_age(bytes)
}

/// What went wrong with an encrypted file. Never holds plaintext or key material.
#[non_exhaustive]
#[derive(Debug)]
pub enum Problem {
    NoIdentity {
        config: String,
    },
    /// The identity file or the config could not be used (the message names it).
    Keys(KeyError),
    /// No identity opens the file: which were tried, and whom the file is encrypted to.
    WrongIdentity {
        tried: String,
        recipients: String,
    },
    WrongPassphrase,
    NeedsPassphrase,
    /// An SSH key protected by a passphrase, with no terminal to ask for it on.
    KeyNeedsPassphrase {
        file: String,
    },
    /// The passphrase typed does not unlock the SSH key.
    WrongKeyPassphrase {
        file: String,
    },
    /// The recipients file differs from the list this machine accepted (or it accepted none).
    NotAccepted {
        file: String,
        changes: String,
        first: bool,
    },
    /// The recipients file does not list the key of the identity that is saving.
    LeavesOutOwnKey {
        file: String,
        own: String,
    },
    TooMuchWork,
    NotAge,
    Damaged(&'static str),
    Newer,
    /// A header over 1,024 recipient stanzas or 1 MiB (refused before the age crate parses it).
    HugeHeader,
    /// An age file under a name that does not end in `.age`.
    PlainName,
    /// A save would encrypt to fewer keys than the file is encrypted to now.
    DropsRecipients {
        had: usize,
        would: usize,
        config: String,
    },
    Foreign(String),
    /// The age crate could not write the encrypted bytes (into memory).
    Encrypt(std::io::Error),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NoIdentity { config } => write!(
                f,
                "is encrypted with age, and no identity was given or found: use --identity \
                 FILE, set {IDENTITY_ENV}, set identity = \"…\" under [age] in {config}, or \
                 keep the key at ~/.config/age/key.txt or ~/.ssh/id_ed25519"
            ),
            Problem::Keys(e) => e.fmt(f),
            Problem::WrongIdentity { tried, recipients } => write!(
                f,
                "cannot be opened with the identities tried, {tried} (wrong identity: the file \
                 is encrypted to {recipients})"
            ),
            Problem::KeyNeedsPassphrase { .. }
            | Problem::WrongKeyPassphrase { .. }
            | Problem::NotAccepted { .. }
            | Problem::LeavesOutOwnKey { .. } => self.fmt_keys(f),
            Problem::WrongPassphrase => f.write_str("wrong passphrase"),
            Problem::NeedsPassphrase => f.write_str(
                "is encrypted with a passphrase, and there is no terminal to ask for it on",
            ),
            Problem::TooMuchWork => f.write_str(
                "its passphrase needs far more work than this machine does in a second \
                 (refused, as age does)",
            ),
            Problem::NotAge => f.write_str(
                "is not an age-encrypted file (files whose names end in .age are opened as \
                 age files; a plain secrets file needs another name)",
            ),
            Problem::Damaged(what) => write!(f, "the age file is corrupted ({what})"),
            Problem::Newer => f.write_str("was written by a newer age format that hst cannot read"),
            Problem::HugeHeader => write!(
                f,
                "the age header is far larger than any real file's (over {} recipients or {} \
                 KiB); hst refuses to read it",
                crate::limits::MAX_STANZAS,
                crate::limits::MAX_HEADER_BYTES / 1024
            ),
            Problem::PlainName => f.write_str(
                "is an age-encrypted file; hst opens encrypted files only under a name that \
                 ends in .age (rename it)",
            ),
            Problem::DropsRecipients { had, would, config } => write!(
                f,
                "is encrypted to {had} age keys, but a save would encrypt it to {would} (your \
                 identity and [age] recipients in {config}); list every key in a recipients \
                 file (hst recipients add NAME KEY), or add the missing public keys to [age] \
                 recipients, so that nobody loses access"
            ),
            Problem::Encrypt(e) => write!(f, "cannot be encrypted ({e})"),
            Problem::Foreign(tag) => write!(
                f,
                "is also encrypted to a {tag} key, which hst cannot encrypt to; a save would \
                 lock that key out"
            ),
        }
    }
}

impl Problem {
    /// The messages about SSH keys and recipients lists (kept apart to keep `fmt` short).
    fn fmt_keys(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::KeyNeedsPassphrase { file } => write!(
                f,
                "needs the passphrase of the SSH key {file}, and there is no terminal to ask \
                     for it on"
            ),
            Problem::WrongKeyPassphrase { file } => {
                write!(f, "wrong passphrase for the SSH key {file}")
            }
            Problem::NotAccepted {
                file,
                changes,
                first,
            } => {
                if *first {
                    write!(
                        f,
                        "is encrypted to the keys in {file}, which this machine has not \
                             accepted yet ({changes}); check them, then run `hst recipients accept`"
                    )
                } else {
                    write!(
                        f,
                        "{file} changed since this machine last encrypted to it ({changes}); \
                             check the change, then run `hst recipients accept` (saves are refused \
                             until then)"
                    )
                }
            }
            Problem::LeavesOutOwnKey { file, own } => write!(
                f,
                "{file} does not list your key ({own}): a save would lock you out; add it with \
                     `hst recipients add NAME KEY`"
            ),
            _ => Ok(()),
        }
    }
}

/// What the functions here give: a [`Problem`], which the store wraps with the file's path
/// into [`crate::Error::Age`] (so this module sits below the crate's error type).
pub(crate) type Result<T> = std::result::Result<T, Problem>;

/// Where a file's facts are kept: one entry however the path names it.
fn file_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Decrypts the age file `disk` read from `path`. The plaintext is in zeroized (and, where the
/// system allows it, locked) memory.
pub fn open(path: &Path, disk: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let (binary, shape) = header::unwrap(disk).map_err(not_age)?;
    let mut ring = keyring();
    let mut passphrase = None;
    let reader = if shape.passphrase {
        // Refused before asking: no passphrase opens a file that takes hours of work.
        if shape.work > MAX_WORK {
            return Err(Problem::TooMuchWork);
        }
        let typed = ring.passphrase(path)?;
        let identity = age::scrypt::Identity::new(typed.clone());
        passphrase = Some(typed);
        decrypt(&binary, &shape, &[&identity]).map_err(|e| match e {
            age::DecryptError::ExcessiveWork { .. } => Problem::TooMuchWork,
            age::DecryptError::InvalidMac => Problem::Damaged("its header MAC is wrong"),
            age::DecryptError::InvalidHeader => Problem::Damaged("a broken header"),
            _ => Problem::WrongPassphrase,
        })?
    } else {
        open_with_identities(path, &binary, &shape, &mut ring)?
    };
    let mut plain = Zeroizing::new(Vec::with_capacity(binary.len()));
    // Locked before the plaintext arrives, so that it is never swapped out where avoidable.
    crate::no_dumps::protect(&plain, plain.capacity());
    let mut reader = reader;
    reader.read_to_end(&mut plain).map_err(|_| {
        Problem::Damaged("its content fails the integrity check: truncated or altered")
    })?;
    let key = file_key(path);
    if let Some(typed) = passphrase {
        ring.passphrases.insert(key.clone(), typed);
    }
    ring.shapes.insert(key, shape);
    Ok(plain)
}

/// The keys that need nothing typed first; then, if none fits, the locked SSH keys the file
/// has a stanza for, each unlocked with its passphrase.
fn open_with_identities<'a>(
    path: &Path,
    binary: &'a [u8],
    shape: &Shape,
    ring: &mut Keyring,
) -> Result<Reader<'a>> {
    let keys = ring.keys()?;
    let Some(identities) = &keys.identities else {
        return Err(Problem::NoIdentity {
            config: keys.config.shown(),
        });
    };
    let wrong = || Problem::WrongIdentity {
        tried: identities.describe(),
        recipients: recipients_of(path, shape),
    };
    let attempt = |ring: &Keyring| {
        let mut ids = identities.ready();
        ids.extend(ring.unlocked.iter().map(|(_, k)| k as &dyn age::Identity));
        decrypt(binary, shape, &ids)
    };
    match attempt(ring) {
        Ok(reader) => return Ok(reader),
        Err(age::DecryptError::NoMatchingKeys) => {}
        Err(e) => return Err(header_problem(&e)),
    }
    if ring.unlock(identities, shape)? == 0 {
        return Err(wrong());
    }
    attempt(ring).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => wrong(),
        e => header_problem(&e),
    })
}

/// The decrypting reader of `binary`, if one of `identities` opens it.
fn decrypt<'a>(
    binary: &'a [u8],
    shape: &Shape,
    identities: &[&dyn age::Identity],
) -> std::result::Result<Reader<'a>, age::DecryptError> {
    let decryptor = age::Decryptor::new_buffered(header::WholeHeader::new(binary, shape))?;
    decryptor.decrypt(identities.iter().copied())
}

type Reader<'a> = age::stream::StreamReader<header::WholeHeader<'a>>;

/// Whom a file is encrypted to, as an error names them: the recipients file's names when it
/// has one, else the kinds and number of keys its header shows.
fn recipients_of(path: &Path, shape: &Shape) -> String {
    if let Ok(Some(list)) = Recipients::read(path) {
        let names: Vec<&str> = list.entries().iter().map(|e| e.name.as_str()).collect();
        return format!(
            "{} as {} lists them",
            names.join(", "),
            display(&recipients::path_for(path))
        );
    }
    let ssh = shape.ssh_tags.len();
    let age = shape.keys - ssh;
    let mut kinds = Vec::new();
    if age > 0 {
        kinds.push(format!("{age} age key{}", if age == 1 { "" } else { "s" }));
    }
    if ssh > 0 {
        kinds.push(format!("{ssh} SSH key{}", if ssh == 1 { "" } else { "s" }));
    }
    if kinds.is_empty() {
        kinds.push("other keys".into());
    }
    format!(
        "{}; no {} names them",
        kinds.join(" and "),
        display(&recipients::path_for(path))
    )
}

/// Encrypts the new plaintext of `path` the way the file was encrypted when it was opened: to
/// the same passphrase, or to the keys of its recipients file (with `[age] recipients`), or,
/// without one, to the identity's keys and `[age] recipients`; armored or binary. Refuses
/// when that would lock out a key the file is encrypted to now, or the saver's own key.
pub(crate) fn seal(path: &Path, plain: &[u8]) -> Result<Vec<u8>> {
    let mut ring = keyring();
    let key = file_key(path);
    let shape = ring.shapes.get(&key).cloned().unwrap_or_default();
    let encryptor = if shape.passphrase {
        let passphrase = ring
            .passphrases
            .get(&key)
            .cloned()
            .ok_or(Problem::NeedsPassphrase)?;
        age::Encryptor::with_user_passphrase(passphrase)
    } else {
        let keys = ring.keys()?;
        let recipients = match Recipients::read(path).map_err(Problem::Keys)? {
            Some(list) => listed(path, &list, &keys)?,
            None => unlisted(&shape, &keys)?,
        };
        age::Encryptor::with_recipients(recipients.iter().map(PublicKey::as_recipient))
            .map_err(|_| Problem::Damaged("the recipients cannot be combined"))?
    };
    drop(ring);
    write_sealed(encryptor, plain, shape.armored).map_err(Problem::Encrypt)
}

/// The keys of the recipients file, once this machine has accepted that list, and with the
/// saver's own key among them; then `[age] recipients`.
fn listed(path: &Path, list: &Recipients, keys: &Keys) -> Result<Vec<PublicKey>> {
    let file = display(&recipients::path_for(path));
    let accepted = recipients::accepted(path).map_err(Problem::Keys)?;
    let changes = list.changes_from(accepted.as_ref().unwrap_or(&Recipients::default()));
    if accepted.is_none() || !changes.is_empty() {
        return Err(Problem::NotAccepted {
            file,
            changes: changes.summary(),
            first: accepted.is_none(),
        });
    }
    let mut all: Vec<PublicKey> = list.keys().cloned().collect();
    let own = keys.own();
    if !own.iter().any(|k| all.contains(k)) {
        let own: Vec<String> = own.iter().map(PublicKey::fingerprint).collect();
        return Err(Problem::LeavesOutOwnKey {
            file,
            own: if own.is_empty() {
                "no identity".into()
            } else {
                own.join(", ")
            },
        });
    }
    for extra in &keys.extra {
        if !all.contains(extra) {
            all.push(extra.clone());
        }
    }
    Ok(all)
}

/// Without a recipients file: the identity's keys and `[age] recipients`, refused when that
/// is fewer keys than the file has now.
fn unlisted(shape: &Shape, keys: &Keys) -> Result<Vec<PublicKey>> {
    if let Some(tag) = shape.foreign.first() {
        return Err(Problem::Foreign(tag.clone()));
    }
    if keys.recipients.is_empty() {
        return Err(Problem::NoIdentity {
            config: keys.config.shown(),
        });
    }
    if keys.recipients.len() < shape.keys {
        return Err(Problem::DropsRecipients {
            had: shape.keys,
            would: keys.recipients.len(),
            config: keys.config.shown(),
        });
    }
    Ok(keys.recipients.clone())
}

/// Encrypts `plain` to exactly `recipients` (git's merge driver: the merged recipients list),
/// armored or binary.
pub fn seal_to(plain: &[u8], recipients: &[PublicKey], armored: bool) -> Result<Vec<u8>> {
    if recipients.is_empty() {
        return Err(Problem::Keys(KeyError::NoRecipient));
    }
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(PublicKey::as_recipient))
        .map_err(|_| Problem::Damaged("the recipients cannot be combined"))?;
    write_sealed(encryptor, plain, armored).map_err(Problem::Encrypt)
}

/// Whether `bytes` are an ASCII-armored age file (a save writes it back the same way).
pub fn is_armored(bytes: &[u8]) -> bool {
    header::unwrap(bytes).is_ok_and(|(_, shape)| shape.armored)
}

/// How a new encrypted file is made (`hst encrypt`, `hst init` on a `.age` path).
#[non_exhaustive]
pub enum NewFile {
    Recipients(Vec<PublicKey>),
    Passphrase(SecretString),
}

/// Encrypts the plaintext of a new file, and remembers how, so that later saves of `path` in
/// this process encrypt the same way.
pub fn seal_new(path: &Path, plain: &[u8], how: NewFile, armored: bool) -> Result<Vec<u8>> {
    let mut shape = Shape {
        armored,
        ..Shape::default()
    };
    let encryptor = match how {
        NewFile::Passphrase(passphrase) => {
            shape.passphrase = true;
            keyring()
                .passphrases
                .insert(file_key(path), passphrase.clone());
            age::Encryptor::with_user_passphrase(passphrase)
        }
        NewFile::Recipients(recipients) => {
            shape.keys = recipients.len();
            age::Encryptor::with_recipients(recipients.iter().map(PublicKey::as_recipient))
                .map_err(|_| Problem::Keys(KeyError::NoRecipient))?
        }
    };
    let sealed = write_sealed(encryptor, plain, armored).map_err(Problem::Encrypt)?;
    keyring().shapes.insert(file_key(path), shape);
    Ok(sealed)
}

fn write_sealed(
    encryptor: age::Encryptor,
    plain: &[u8],
    armored: bool,
) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(plain.len() + plain.len() / 2 + 1024);
    let format = if armored {
        age::armor::Format::AsciiArmor
    } else {
        age::armor::Format::Binary
    };
    let armor = age::armor::ArmoredWriter::wrap_output(&mut out, format)?;
    let mut writer = encryptor.wrap_output(armor)?;
    writer.write_all(plain)?;
    writer.finish()?.finish()?;
    Ok(out)
}

fn not_age(e: NotAge) -> Problem {
    match e {
        NotAge::Foreign => Problem::NotAge,
        NotAge::Damaged => Problem::Damaged("a broken header"),
        NotAge::Newer => Problem::Newer,
        NotAge::HugeHeader => Problem::HugeHeader,
    }
}

fn header_problem(e: &age::DecryptError) -> Problem {
    match e {
        // The version line was checked already (header.rs): what the crate cannot parse
        // after it is damage, not a newer format.
        age::DecryptError::InvalidMac => Problem::Damaged("its header MAC is wrong"),
        age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed => {
            Problem::Damaged("a recipient stanza does not decrypt")
        }
        _ => Problem::Damaged("a broken header"),
    }
}
