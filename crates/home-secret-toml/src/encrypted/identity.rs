//! Identities: the secret keys that open encrypted files. Age keys (`AGE-SECRET-KEY-1…` lines,
//! as `age-keygen` writes them) and SSH keys (ed25519 and RSA in OpenSSH's format, as
//! `ssh-keygen` writes them; one protected by a passphrase is unlocked only when a file needs
//! it). The secret key text is never shown: a bad line is named by its number.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::x25519;
use zeroize::Zeroizing;

use super::keys::{KeyError, holds_secret_key};
use super::public_key::PublicKey;
use crate::path::display;

/// The secret keys of one or more identity files, and their public keys.
pub struct Identities {
    /// The first file (whose permissions are checked).
    pub path: PathBuf,
    /// Every file keys came from, in the order they are tried.
    pub files: Vec<PathBuf>,
    keys: Vec<Secret>,
    /// A key derived from the first file's secret text, for keyed fingerprints of values.
    derived: Zeroizing<[u8; 32]>,
}

enum Secret {
    Age(x25519::Identity),
    Ssh(Box<SshKey>),
}

struct SshKey {
    identity: age::ssh::Identity,
    public: PublicKey,
    file: PathBuf,
}

/// An SSH key protected by a passphrase, not unlocked yet.
pub(crate) struct Locked<'a> {
    pub(crate) file: &'a Path,
    pub(crate) public: &'a PublicKey,
    pub(crate) key: &'a age::ssh::EncryptedKey,
}

impl std::fmt::Debug for Identities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identities")
            .field("files", &self.files)
            .field("keys", &self.keys.len())
            .finish()
    }
}

impl Identities {
    /// Reads one identity file: an age identity file or an OpenSSH private key. The file's
    /// text is wiped from memory after parsing.
    pub fn read(path: &Path) -> Result<Self, KeyError> {
        if holds_secret_key(&path.to_string_lossy()) {
            return Err(KeyError::SecretKeyAsPath);
        }
        let shown = display(path);
        let unreadable = |source: std::io::Error| KeyError::IdentityRead {
            path: shown.clone(),
            source,
        };
        let file = open_nonblocking(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                KeyError::IdentityNotFound(shown.clone())
            } else {
                unreadable(e)
            }
        })?;
        let bytes = read_patiently(file).map_err(unreadable)?;
        if super::header::looks_like_age(&bytes) {
            return Err(KeyError::EncryptedIdentity(shown));
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| KeyError::NotText(shown.clone()))?;
        let mut found = if text.trim_start().starts_with("-----BEGIN") {
            Self::parse_ssh(path, text)?
        } else {
            Self::parse(path, text)?
        };
        found.derived = derive(&bytes);
        Ok(found)
    }

    /// A key for keyed fingerprints of values (`hst git-textconv`), derived from the identity's
    /// secret: the same on every run with this identity, useless to anyone without it.
    pub fn fingerprint_key(&self) -> Zeroizing<[u8; 32]> {
        self.derived.clone()
    }

    /// The identities among `candidates` (the default places) that exist and can be used;
    /// the others are skipped, since nobody named them. `None` when there is none.
    pub fn read_any(candidates: &[PathBuf]) -> Option<Self> {
        let mut found: Option<Self> = None;
        for path in candidates.iter().filter(|p| p.is_file()) {
            let Ok(more) = Self::read(path) else {
                continue;
            };
            match &mut found {
                Some(all) => {
                    all.files.extend(more.files);
                    all.keys.extend(more.keys);
                }
                None => found = Some(more),
            }
        }
        found
    }

    pub(crate) fn parse(path: &Path, text: &str) -> Result<Self, KeyError> {
        let shown = display(path);
        let mut keys = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let what = if line.starts_with("AGE-PLUGIN-") {
                "a plugin identity, which hst does not support"
            } else if line.starts_with("ssh-") {
                "an SSH public key; the identity is the private key file (~/.ssh/id_ed25519)"
            } else {
                "not an age secret key (AGE-SECRET-KEY-1…)"
            };
            // The line is a secret: only its number is ever shown.
            let key = x25519::Identity::from_str(line).map_err(|_| KeyError::BadLine {
                path: shown.clone(),
                line: number + 1,
                what,
            })?;
            keys.push(Secret::Age(key));
        }
        if keys.is_empty() {
            return Err(KeyError::NoKey(shown));
        }
        Ok(Self::of(path, keys))
    }

    fn parse_ssh(path: &Path, text: &str) -> Result<Self, KeyError> {
        let shown = display(path);
        let bad = |what: &'static str| KeyError::BadLine {
            path: shown.clone(),
            line: 1,
            what,
        };
        let identity = age::ssh::Identity::from_buffer(text.as_bytes(), Some(shown.clone()))
            .map_err(|_| bad("not an SSH private key in OpenSSH's format that age can read"))?;
        if let age::ssh::Identity::Unsupported(_) = identity {
            return Err(bad(
                "an SSH key of a kind age cannot use (ssh-ed25519 and ssh-rsa work)",
            ));
        }
        let public = age::ssh::Recipient::try_from(identity.clone())
            .map(PublicKey::from)
            .map_err(|_| bad("an SSH key whose public key age cannot encrypt to"))?;
        let key = Secret::Ssh(Box::new(SshKey {
            identity,
            public,
            file: path.to_path_buf(),
        }));
        Ok(Self::of(path, vec![key]))
    }

    fn of(path: &Path, keys: Vec<Secret>) -> Self {
        Self {
            path: path.to_path_buf(),
            files: vec![path.to_path_buf()],
            keys,
            derived: Zeroizing::new([0; 32]),
        }
    }

    /// The public keys of every key here.
    pub fn public_keys(&self) -> Vec<PublicKey> {
        self.keys
            .iter()
            .map(|k| match k {
                Secret::Age(key) => PublicKey::from(key.to_public()),
                Secret::Ssh(ssh) => ssh.public.clone(),
            })
            .collect()
    }

    /// The public keys, as text (`age1…`, `ssh-ed25519 AAAA…`).
    pub fn recipients(&self) -> Vec<String> {
        self.public_keys()
            .iter()
            .map(|k| k.text().to_string())
            .collect()
    }

    /// The keys that open files without asking for anything.
    pub(crate) fn ready(&self) -> Vec<&dyn age::Identity> {
        self.keys
            .iter()
            .filter_map(|k| match k {
                Secret::Age(key) => Some(key as &dyn age::Identity),
                Secret::Ssh(ssh) => match &ssh.identity {
                    identity @ age::ssh::Identity::Unencrypted(_) => {
                        Some(identity as &dyn age::Identity)
                    }
                    _ => None,
                },
            })
            .collect()
    }

    /// The SSH keys that need their passphrase first.
    pub(crate) fn locked(&self) -> Vec<Locked<'_>> {
        self.keys
            .iter()
            .filter_map(|k| match k {
                Secret::Ssh(ssh) => match &ssh.identity {
                    age::ssh::Identity::Encrypted(key) => Some(Locked {
                        file: &ssh.file,
                        public: &ssh.public,
                        key,
                    }),
                    _ => None,
                },
                Secret::Age(_) => None,
            })
            .collect()
    }

    /// What messages call these keys: each file with its keys' fingerprints.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for file in &self.files {
            let keys: Vec<String> = self
                .keys
                .iter()
                .filter_map(|k| match k {
                    Secret::Ssh(ssh) if ssh.file == *file => Some(ssh.public.fingerprint()),
                    _ => None,
                })
                .collect();
            if keys.is_empty() {
                parts.push(display(file));
            } else {
                parts.push(format!("{} ({})", display(file), keys.join(", ")));
            }
        }
        // Age keys are named by their file; their public keys follow once for all of them.
        let age_keys: Vec<String> = self
            .keys
            .iter()
            .filter_map(|k| match k {
                Secret::Age(key) => Some(PublicKey::from(key.to_public()).fingerprint()),
                Secret::Ssh(_) => None,
            })
            .collect();
        if age_keys.is_empty() {
            parts.join(", ")
        } else {
            format!("{} (age keys {})", parts.join(", "), age_keys.join(", "))
        }
    }
}

/// HMAC-SHA256 of a fixed label under the identity file's bytes.
fn derive(secret: &[u8]) -> Zeroizing<[u8; 32]> {
    use hmac::Mac;
    let mut out = Zeroizing::new([0u8; 32]);
    if let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) {
        mac.update(b"hst: keyed fingerprints of values, v1");
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// Opens without blocking: a named pipe nobody writes to would otherwise hang the open (a pipe
/// from `--identity <(…)` has its writer and works).
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads the whole identity (bounded), waiting a little for a pipe's writer.
fn read_patiently(file: std::fs::File) -> std::io::Result<Zeroizing<Vec<u8>>> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut bytes = Zeroizing::new(Vec::with_capacity(4096));
    let mut file = file.take(crate::limits::MAX_IDENTITY_FILE);
    loop {
        match file.read_to_end(&mut bytes) {
            Ok(_) => return Ok(bytes),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    #[test]
    fn identity_files_parse_keys_and_comments_and_name_bad_lines_by_number_only() {
        let key = x25519::Identity::generate();
        let secret = key.to_string();
        let text = format!(
            "# created: now\n# public key: x\n\n{}\n",
            secret.expose_secret()
        );
        let ids = Identities::parse(Path::new("k.txt"), &text).unwrap();
        assert_eq!(ids.recipients(), [key.to_public().to_string()]);

        let bad = "AGE-SECRET-KEY-1NOTAKEY\n";
        let err = Identities::parse(Path::new("k.txt"), bad)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "k.txt:1: not an age secret key (AGE-SECRET-KEY-1…)");
        let err = Identities::parse(Path::new("k.txt"), "# nothing\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("k.txt: holds no age secret key"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    #[allow(unsafe_code)]
    fn a_named_pipe_without_a_writer_does_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("key.fifo");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let err = Identities::read(&fifo).unwrap_err().to_string();
        assert!(err.contains("holds no age secret key"), "{err}");
    }

    #[test]
    fn a_secret_key_given_as_a_path_is_not_quoted() {
        let key = x25519::Identity::generate();
        let secret = key.to_string().expose_secret().to_string();
        let err = Identities::read(Path::new(&secret))
            .unwrap_err()
            .to_string();
        assert!(!err.contains(&secret[16..]), "{err}");
    }
}
