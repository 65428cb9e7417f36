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
pub mod keys;

use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use age::secrecy::SecretString;
use age::x25519;
use zeroize::Zeroizing;

pub(crate) use header::looks_like_age;
use header::{NotAge, Shape};
pub use keys::{AgeConfig, IDENTITY_ENV, Identities, KeyError, config_path, parse_recipient};

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

/// What went wrong with an encrypted file. Never holds plaintext or key material.
#[non_exhaustive]
#[derive(Debug)]
pub enum Problem {
    NoIdentity {
        config: String,
    },
    /// The identity file or the config could not be used (the message names it).
    Keys(KeyError),
    WrongIdentity {
        identity: String,
    },
    WrongPassphrase,
    NeedsPassphrase,
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
                "is encrypted with age, and no identity was given: use --identity FILE, set \
                 {IDENTITY_ENV}, or set identity = \"…\" under [age] in {config}"
            ),
            Problem::Keys(e) => e.fmt(f),
            Problem::WrongIdentity { identity } => write!(
                f,
                "cannot be opened with the identity in {identity} (wrong identity: the file is \
                 encrypted to other keys)"
            ),
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
                 identity and [age] recipients in {config}); add the missing public keys to \
                 [age] recipients so that nobody loses access"
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

/// What the functions here give: a [`Problem`], which the store wraps with the file's path
/// into [`crate::Error::Age`] (so this module sits below the crate's error type).
type Result<T> = std::result::Result<T, Problem>;

/// The loaded keys: the identity (if one is configured) and every recipient a save encrypts to.
struct Keys {
    identities: Option<Identities>,
    recipients: Vec<x25519::Recipient>,
    config: AgeConfig,
}

/// The process's age keys and what it learnt about each encrypted file it opened.
#[derive(Default)]
pub struct Keyring {
    identity_flag: Option<PathBuf>,
    prompter: Option<Prompter>,
    keys: Option<Arc<Keys>>,
    passphrases: HashMap<PathBuf, SecretString>,
    shapes: HashMap<PathBuf, Shape>,
}

/// The process's keyring (one identity per process, as one `--identity` flag gives).
pub fn keyring() -> MutexGuard<'static, Keyring> {
    static RING: OnceLock<Mutex<Keyring>> = OnceLock::new();
    RING.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// Where a file's facts are kept: one entry however the path names it.
fn file_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Keyring {
    /// Uses the identity file `path` (the `--identity` flag), ahead of the environment and
    /// the config file.
    pub fn use_identity(&mut self, path: &Path) {
        self.identity_flag = Some(path.to_path_buf());
        self.keys = None;
    }

    /// The identity file of the keys loaded so far, if any (for the permission warning).
    pub fn identity_path(&self) -> Option<PathBuf> {
        let keys = self.keys.as_ref()?;
        keys.identities.as_ref().map(|i| i.path.clone())
    }

    /// How to ask for a passphrase. Without one, a passphrase-encrypted file cannot be opened.
    pub fn set_prompter(&mut self, prompter: Prompter) {
        self.prompter = Some(prompter);
    }

    /// Stops asking (the TUI, once its screen is up, must not prompt on the terminal).
    pub fn take_prompter(&mut self) -> Option<Prompter> {
        self.prompter.take()
    }

    fn keys(&mut self) -> Result<Arc<Keys>> {
        if let Some(keys) = &self.keys {
            return Ok(Arc::clone(keys));
        }
        let config = AgeConfig::load().map_err(Problem::Keys)?;
        let identities = keys::identity_path(self.identity_flag.as_deref(), &config)
            .map(|p| Identities::read(&p))
            .transpose()
            .map_err(Problem::Keys)?;
        let mut recipients = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let own = identities
            .iter()
            .flat_map(|i| i.keys.iter().map(|k| k.to_public()));
        let from = format!("{}: [age] recipients", config.shown());
        let listed = config.recipients.iter().map(|r| parse_recipient(r, &from));
        for recipient in own.map(Ok).chain(listed) {
            let recipient = recipient.map_err(Problem::Keys)?;
            if seen.insert(recipient.to_string()) {
                recipients.push(recipient);
            }
        }
        let keys = Arc::new(Keys {
            identities,
            recipients,
            config,
        });
        self.keys = Some(Arc::clone(&keys));
        Ok(keys)
    }

    /// The public keys a new encrypted file gets when the user names none: the identity's and
    /// `[age] recipients`. Also says which config file that was.
    pub fn default_recipients(&mut self) -> Result<(Vec<x25519::Recipient>, String)> {
        let keys = self.keys()?;
        Ok((keys.recipients.clone(), keys.config.shown()))
    }

    /// Whether an identity is configured (and readable).
    pub fn has_identity(&mut self) -> bool {
        self.keys().is_ok_and(|k| k.identities.is_some())
    }

    fn passphrase(&mut self, path: &Path) -> Result<SecretString> {
        if let Some(known) = self.passphrases.get(&file_key(path)) {
            return Ok(known.clone());
        }
        let prompter = self.prompter.as_ref().ok_or(Problem::NeedsPassphrase)?;
        let prompt = format!("Passphrase for {}: ", crate::path::display(path));
        let typed = prompter(&prompt).map_err(|_| Problem::NeedsPassphrase)?;
        Ok(SecretString::from(typed.as_str()))
    }
}

/// Decrypts the age file `disk` read from `path`. The plaintext is in zeroized (and, where the
/// system allows it, locked) memory.
pub fn open(path: &Path, disk: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let (binary, shape) = header::unwrap(disk).map_err(not_age)?;
    let decryptor = age::Decryptor::new_buffered(header::WholeHeader::new(&binary, &shape))
        .map_err(|e| header_problem(&e))?;
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
        decryptor
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .map_err(|e| match e {
                age::DecryptError::ExcessiveWork { .. } => Problem::TooMuchWork,
                age::DecryptError::InvalidMac => Problem::Damaged("its header MAC is wrong"),
                age::DecryptError::InvalidHeader => Problem::Damaged("a broken header"),
                _ => Problem::WrongPassphrase,
            })?
    } else {
        let keys = ring.keys()?;
        let Some(identities) = &keys.identities else {
            return Err(Problem::NoIdentity {
                config: keys.config.shown(),
            });
        };
        let ids = identities.keys.iter().map(|k| k as &dyn age::Identity);
        decryptor.decrypt(ids).map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => Problem::WrongIdentity {
                identity: crate::path::display(&identities.path),
            },
            e => header_problem(&e),
        })?
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

/// Encrypts the new plaintext of `path` the way the file was encrypted when it was opened: to
/// the same passphrase, or to the identity's key and `[age] recipients`, armored or binary.
/// Refuses when that would lock out a key the file is encrypted to now.
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
        if let Some(tag) = shape.foreign.first() {
            return Err(Problem::Foreign(tag.clone()));
        }
        if keys.recipients.is_empty() || keys.recipients.len() < shape.x25519 {
            return Err(if keys.recipients.is_empty() {
                Problem::NoIdentity {
                    config: keys.config.shown(),
                }
            } else {
                Problem::DropsRecipients {
                    had: shape.x25519,
                    would: keys.recipients.len(),
                    config: keys.config.shown(),
                }
            });
        }
        age::Encryptor::with_recipients(keys.recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|_| Problem::Damaged("the recipients cannot be combined"))?
    };
    drop(ring);
    write_sealed(encryptor, plain, shape.armored).map_err(Problem::Encrypt)
}

/// How a new encrypted file is made (`hst encrypt`, `hst init` on a `.age` path).
#[non_exhaustive]
pub enum NewFile {
    Recipients(Vec<x25519::Recipient>),
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
            shape.x25519 = recipients.len();
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
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
