//! Where the age keys come from: the identity file (`--identity`, `$HST_AGE_IDENTITY`, or
//! `[age] identity` in the config file) and the extra recipients (`[age] recipients`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::x25519;
use zeroize::Zeroizing;

use crate::path::{display, expand_tilde};

/// Environment variable naming the identity file (a `--identity` flag still wins).
pub const IDENTITY_ENV: &str = "HST_AGE_IDENTITY";

/// Why the keys could not be had. Never holds a secret key: what the user typed is redacted,
/// and an identity file's bad line is named by its number only.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}:{line}:{column}: {message}")]
    ConfigSyntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    ConfigRead {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the identity given is a secret key itself, not the path of a key file: save the key in \
         a file only you can read, and name that file"
    )]
    SecretKeyAsPath,
    #[error("identity file {0} not found")]
    IdentityNotFound(String),
    #[error("cannot read the identity file {path}: {source}")]
    IdentityRead {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{0}: is a passphrase-protected identity, which hst cannot use yet; decrypt it with age \
         -d to a file only you can read"
    )]
    EncryptedIdentity(String),
    #[error("{0}: not an age identity file (not text)")]
    NotText(String),
    /// A line of an identity file that is no key hst can use (only its number is shown).
    #[error("{path}:{line}: {what}")]
    BadLine {
        path: String,
        line: usize,
        what: &'static str,
    },
    #[error("{0}: holds no age secret key (make one with age-keygen -o {0})")]
    NoKey(String),
    #[error(
        "{from}: a secret key (AGE-SECRET-KEY-…) where a public key (age1…) belongs; \
         age-keygen -y KEYFILE prints the public one"
    )]
    SecretKeyAsRecipient { from: String },
    #[error("{from}: '{text}' is {kind}")]
    BadRecipient {
        from: String,
        text: String,
        kind: &'static str,
    },
    #[error("an encrypted file needs at least one recipient")]
    NoRecipient,
}

/// The `[age]` section of `$XDG_CONFIG_HOME/hst/config.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgeConfig {
    pub identity: Option<PathBuf>,
    pub recipients: Vec<String>,
    /// The config file these came from (for messages).
    pub file: Option<PathBuf>,
}

#[derive(serde::Deserialize)]
struct ConfigFile {
    age: Option<AgeSection>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AgeSection {
    identity: Option<String>,
    #[serde(default)]
    recipients: Recipients,
}

/// `recipients = "age1…"` (one) or `recipients = ["age1…", "age1…"]`: a single public key is
/// what people write first, and "expected a sequence" told them nothing.
#[derive(Default)]
struct Recipients(Vec<String>);

impl<'de> serde::Deserialize<'de> for Recipients {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        match OneOrMany::deserialize(d) {
            Ok(OneOrMany::One(one)) => Ok(Recipients(vec![one])),
            Ok(OneOrMany::Many(many)) => Ok(Recipients(many)),
            Err(_) => Err(serde::de::Error::custom(
                "age.recipients must be public keys in quotes: recipients = [\"age1…\"]",
            )),
        }
    }
}

/// `$XDG_CONFIG_HOME/hst/config.toml` (through `dirs`: `~/.config` on Linux when unset).
pub fn config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("hst").join("config.toml"))
}

impl AgeConfig {
    /// The `[age]` section of the user's config file; a missing file or section is empty.
    pub fn load() -> Result<Self, KeyError> {
        match config_path() {
            Some(path) => Self::from_file(&path),
            None => Ok(Self::default()),
        }
    }

    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let text = match crate::small_file::read_text(path, crate::limits::MAX_CONFIG_FILE) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(KeyError::ConfigRead {
                    path: display(path),
                    source,
                });
            }
        };
        Self::from_text(path, &text)
    }

    /// Errors name the file, line and column (the config holds no secrets, but the message
    /// still quotes none of its text).
    pub fn from_text(path: &Path, text: &str) -> Result<Self, KeyError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let (line, column) = crate::source::line_col_in(text, offset);
            KeyError::ConfigSyntax {
                path: display(path),
                line,
                column,
                message: redact(e.message().trim()),
            }
        })?;
        let Some(age) = file.age else {
            return Ok(Self {
                file: Some(path.to_path_buf()),
                ..Self::default()
            });
        };
        // Each recipient is checked now, so a config mistake stops every command at start
        // with its place, not only `hst encrypt` (the message never quotes a secret key).
        for recipient in &age.recipients.0 {
            if let Err(e) = parse_recipient(recipient, "recipients") {
                let offset = text.find("recipients").unwrap_or(0);
                let (line, column) = crate::source::line_col_in(text, offset);
                return Err(KeyError::ConfigSyntax {
                    path: display(path),
                    line,
                    column,
                    message: format!("age.{e}"),
                });
            }
        }
        Ok(Self {
            identity: age
                .identity
                .filter(|s| !s.trim().is_empty())
                .map(|s| expand_tilde(Path::new(&s))),
            recipients: age.recipients.0,
            file: Some(path.to_path_buf()),
        })
    }

    /// The config file's name as messages show it.
    pub fn shown(&self) -> String {
        self.file
            .as_deref()
            .or(config_path().as_deref())
            .map_or_else(|| "the hst config file".to_string(), display)
    }
}

/// `text` with every age secret key in it cut to its prefix: messages may quote what the user
/// typed, and users sometimes type the key where a path or a public key goes.
pub(crate) fn redact(text: &str) -> String {
    const PREFIX: &str = "AGE-SECRET-KEY-";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.to_ascii_uppercase().find(PREFIX) {
        out.push_str(&rest[..at]);
        out.push_str("AGE-SECRET-KEY-…");
        let after = &rest[at + PREFIX.len()..];
        let end = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Whether `text` holds an age secret key (any case).
fn holds_secret_key(text: &str) -> bool {
    text.to_ascii_uppercase().contains("AGE-SECRET-KEY-")
}

/// Which identity file to use: the flag, else the environment, else the config.
pub(crate) fn identity_path(flag: Option<&Path>, config: &AgeConfig) -> Option<PathBuf> {
    if let Some(flag) = flag {
        return Some(expand_tilde(flag));
    }
    match std::env::var_os(IDENTITY_ENV) {
        Some(env) if !env.is_empty() => Some(expand_tilde(Path::new(&env))),
        _ => config.identity.clone(),
    }
}

/// The secret keys of an identity file, and their public keys.
pub struct Identities {
    pub path: PathBuf,
    pub keys: Vec<x25519::Identity>,
}

impl std::fmt::Debug for Identities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identities")
            .field("path", &self.path)
            .field("keys", &self.keys.len())
            .finish()
    }
}

impl Identities {
    /// Reads an age identity file: `AGE-SECRET-KEY-1…` lines, `#` comments and blank lines, as
    /// `age-keygen` writes it. The file's text is wiped from memory after parsing.
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
        Self::parse(path, text)
    }

    fn parse(path: &Path, text: &str) -> Result<Self, KeyError> {
        let shown = display(path);
        let mut keys = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let what = if line.starts_with("AGE-PLUGIN-") {
                "a plugin identity, which hst does not support"
            } else if line.starts_with("-----BEGIN") || line.starts_with("ssh-") {
                "an SSH key, which hst does not support as an identity"
            } else {
                "not an age secret key (AGE-SECRET-KEY-1…)"
            };
            // The line is a secret: only its number is ever shown.
            let key = x25519::Identity::from_str(line).map_err(|_| KeyError::BadLine {
                path: shown.clone(),
                line: number + 1,
                what,
            })?;
            keys.push(key);
        }
        if keys.is_empty() {
            return Err(KeyError::NoKey(shown));
        }
        Ok(Self {
            path: path.to_path_buf(),
            keys,
        })
    }

    /// The public keys, as `age1…` text.
    pub fn recipients(&self) -> Vec<String> {
        self.keys
            .iter()
            .map(|k| k.to_public().to_string())
            .collect()
    }
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

/// An `age1…` public key, checked.
pub fn parse_recipient(text: &str, from: &str) -> Result<x25519::Recipient, KeyError> {
    let text = text.trim();
    if holds_secret_key(text) {
        return Err(KeyError::SecretKeyAsRecipient {
            from: from.to_string(),
        });
    }
    x25519::Recipient::from_str(text).map_err(|_| {
        let kind = if text.starts_with("ssh-") {
            "an SSH key; hst encrypts to age keys only"
        } else if text.starts_with("age1") && text.contains("1pq") {
            "a post-quantum age key, which hst does not support yet"
        } else {
            "not an age public key (age1…)"
        };
        KeyError::BadRecipient {
            from: from.to_string(),
            text: text.to_string(),
            kind,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    #[test]
    fn the_age_section_is_read_and_other_sections_are_left_alone() {
        let path = Path::new("/c/config.toml");
        let public = x25519::Identity::generate().to_public().to_string();
        let text = format!(
            "[clipboard]\ntimeout = 5\n[age]\nidentity = \"/k/key.txt\"\nrecipients = [\"{public}\"]\n"
        );
        let config = AgeConfig::from_text(path, &text).unwrap();
        assert_eq!(config.identity.as_deref(), Some(Path::new("/k/key.txt")));
        assert_eq!(config.recipients, std::slice::from_ref(&public));
        // One recipient may be written as a plain string.
        let one = format!("[age]\nrecipients = \"{public}\"\n");
        assert_eq!(
            AgeConfig::from_text(path, &one).unwrap().recipients,
            [public]
        );
        // A key that is not one stops at start, with its place.
        let err = AgeConfig::from_text(path, "[age]\nrecipients = [\"age1x\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("/c/config.toml:2:1: age.recipients: "),
            "{err}"
        );
        let err = AgeConfig::from_text(path, "[age]\nidentiy = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("/c/config.toml:2:1: "), "{err}");
        assert!(err.contains("identiy"), "{err}");
    }

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

    #[test]
    fn secret_keys_are_never_quoted() {
        let key = x25519::Identity::generate();
        let secret = key.to_string().expose_secret().to_string();
        let err = parse_recipient(&secret, "--recipient")
            .unwrap_err()
            .to_string();
        assert!(!err.contains(&secret[16..]), "{err}");
        let err = Identities::read(Path::new(&secret))
            .unwrap_err()
            .to_string();
        assert!(!err.contains(&secret[16..]), "{err}");
        let config = format!("[age]\nrecipients = \"{secret}\"\n");
        let err = AgeConfig::from_text(Path::new("c.toml"), &config)
            .unwrap_err()
            .to_string();
        assert!(
            !err.contains(&secret[16..]) && err.starts_with("c.toml:2:"),
            "{err}"
        );
        assert_eq!(redact("x age-secret-key-1ABC y"), "x AGE-SECRET-KEY-… y");
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
        let started = std::time::Instant::now();
        let err = Identities::read(&fifo).unwrap_err().to_string();
        assert!(err.contains("holds no age secret key"), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
    }

    #[test]
    fn recipients_are_checked() {
        let key = x25519::Identity::generate().to_public().to_string();
        assert!(parse_recipient(&key, "x").is_ok());
        let err = parse_recipient("ssh-ed25519 AAAA", "--recipient")
            .unwrap_err()
            .to_string();
        assert!(err.contains("SSH key"), "{err}");
    }
}
