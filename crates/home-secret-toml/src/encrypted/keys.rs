//! Where the age keys come from: the identity file (`--identity`, `$HST_AGE_IDENTITY`, or
//! `[age] identity` in the config file) and the extra recipients (`[age] recipients`).

use std::path::{Path, PathBuf};

use super::public_key::PublicKey;
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
        "{from}: a secret key where a public key (age1…, ssh-ed25519 …) belongs; \
         age-keygen -y KEYFILE prints an age key's public one, an SSH key's is in its .pub file"
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
    /// A line of a recipients file (`FILE.recipients`) that is not a named public key.
    #[error("{path}:{line}: {message}")]
    RecipientsSyntax {
        path: String,
        line: usize,
        message: String,
    },
    /// A change to the recipients list that cannot be made (the message says why).
    #[error("{0}")]
    Recipients(String),
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
pub(crate) fn holds_secret_key(text: &str) -> bool {
    text.to_ascii_uppercase().contains("AGE-SECRET-KEY-")
}

/// Which identity file to use: the flag, else the environment, else the config. `None` means
/// none was named: the [default places](default_identities) are tried.
pub(crate) fn identity_path(flag: Option<&Path>, config: &AgeConfig) -> Option<PathBuf> {
    if let Some(flag) = flag {
        return Some(expand_tilde(flag));
    }
    match std::env::var_os(IDENTITY_ENV) {
        Some(env) if !env.is_empty() => Some(expand_tilde(Path::new(&env))),
        _ => config.identity.clone(),
    }
}

/// Where identities are looked for when none is named, in this order: the age key the README
/// has users make (`age-keygen -o ~/.config/age/key.txt`, under `$XDG_CONFIG_HOME` when set),
/// then the SSH keys most developers already have (`~/.ssh/id_ed25519`, `~/.ssh/id_rsa`).
pub fn default_identities() -> Vec<PathBuf> {
    let mut places = Vec::new();
    if let Some(config) = dirs::config_dir() {
        places.push(config.join("age").join("key.txt"));
    }
    if let Some(home) = dirs::home_dir() {
        places.push(home.join(".ssh").join("id_ed25519"));
        places.push(home.join(".ssh").join("id_rsa"));
    }
    places
}

pub fn parse_recipient(text: &str, from: &str) -> Result<PublicKey, KeyError> {
    PublicKey::parse(text, from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;
    use age::x25519;

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
    fn secret_keys_are_never_quoted() {
        let key = x25519::Identity::generate();
        let secret = key.to_string().expose_secret().to_string();
        let err = parse_recipient(&secret, "--recipient")
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

    #[test]
    fn recipients_are_checked() {
        let key = x25519::Identity::generate().to_public().to_string();
        assert!(parse_recipient(&key, "x").is_ok());
        let err = parse_recipient("ssh-ed25519 AAAA", "--recipient")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a valid SSH public key"), "{err}");
    }
}
