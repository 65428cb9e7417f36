//! A public key an encrypted file is encrypted to: an age X25519 key (`age1…`) or an SSH key
//! (`ssh-ed25519 …`, `ssh-rsa …`), the keys most developers already have on every machine.

use std::fmt;
use std::str::FromStr;

use age::x25519;
use data_encoding::BASE64_NOPAD;
use sha2::{Digest, Sha256};

use super::keys::KeyError;

/// One recipient's public key, checked. Its text is the canonical form (an SSH key without its
/// trailing comment), so that two spellings of one key compare equal.
#[derive(Clone)]
pub struct PublicKey {
    text: String,
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    X25519(x25519::Recipient),
    Ssh(age::ssh::Recipient),
}

impl PublicKey {
    /// Parses `text` (from `from`, named in errors): `age1…`, `ssh-ed25519 AAAA… [comment]` or
    /// `ssh-rsa AAAA… [comment]`. A secret key is refused without being quoted.
    pub fn parse(text: &str, from: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        if super::keys::holds_secret_key(text) || text.contains("PRIVATE KEY") {
            return Err(KeyError::SecretKeyAsRecipient {
                from: from.to_string(),
            });
        }
        let bad = |kind: &'static str| KeyError::BadRecipient {
            from: from.to_string(),
            text: shorten(text),
            kind,
        };
        if text.starts_with("ssh-") {
            return match age::ssh::Recipient::from_str(text) {
                Ok(key) => Ok(Self::from(key)),
                Err(age::ssh::ParseRecipientKeyError::RsaModulusTooSmall) => {
                    Err(bad("an RSA key under 2048 bits, too weak to encrypt to"))
                }
                Err(age::ssh::ParseRecipientKeyError::Unsupported(_)) => Err(bad(
                    "an SSH key of a kind age cannot encrypt to (ssh-ed25519 and ssh-rsa can)",
                )),
                Err(_) => Err(bad("not a valid SSH public key")),
            };
        }
        x25519::Recipient::from_str(text)
            .map(Self::from)
            .map_err(|_| {
                bad(if text.starts_with("age1") && text.contains("1pq") {
                    "a post-quantum age key, which hst does not support yet"
                } else {
                    "not a public key (age1…, ssh-ed25519 … or ssh-rsa …)"
                })
            })
    }

    /// The canonical text: `age1…`, or `ssh-ed25519 AAAA…` without a comment.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// `age`, `ssh-ed25519` or `ssh-rsa`.
    pub fn kind(&self) -> &'static str {
        match &self.inner {
            Inner::X25519(_) => "age",
            Inner::Ssh(age::ssh::Recipient::SshEd25519(..)) => "ssh-ed25519",
            Inner::Ssh(age::ssh::Recipient::SshRsa(..)) => "ssh-rsa",
        }
    }

    /// A short name for the key that a person can compare: for an SSH key the one
    /// `ssh-keygen -lf` prints (`SHA256:…`), for an age key its first and last characters.
    pub fn fingerprint(&self) -> String {
        match &self.inner {
            Inner::X25519(_) => {
                let chars: Vec<char> = self.text.chars().collect();
                let head: String = chars.iter().take(12).collect();
                let tail: String = chars[chars.len().saturating_sub(6)..].iter().collect();
                format!("{head}…{tail}")
            }
            Inner::Ssh(_) => {
                let blob = self
                    .text
                    .split_whitespace()
                    .nth(1)
                    .and_then(|b| data_encoding::BASE64.decode(b.as_bytes()).ok())
                    .unwrap_or_default();
                format!("SHA256:{}", BASE64_NOPAD.encode(&Sha256::digest(&blob)))
            }
        }
    }

    /// For an SSH key, the tag age writes in its stanzas (the first four bytes of the SHA-256
    /// of the key), which says which key a stanza is for.
    pub(crate) fn ssh_tag(&self) -> Option<String> {
        let Inner::Ssh(_) = &self.inner else {
            return None;
        };
        let blob = self
            .text
            .split_whitespace()
            .nth(1)
            .and_then(|b| data_encoding::BASE64.decode(b.as_bytes()).ok())?;
        Some(BASE64_NOPAD.encode(&Sha256::digest(&blob)[..4]))
    }

    pub(crate) fn as_recipient(&self) -> &dyn age::Recipient {
        match &self.inner {
            Inner::X25519(key) => key,
            Inner::Ssh(key) => key,
        }
    }
}

impl From<x25519::Recipient> for PublicKey {
    fn from(key: x25519::Recipient) -> Self {
        Self {
            text: key.to_string(),
            inner: Inner::X25519(key),
        }
    }
}

impl From<age::ssh::Recipient> for PublicKey {
    fn from(key: age::ssh::Recipient) -> Self {
        Self {
            text: key.to_string(),
            inner: Inner::Ssh(key),
        }
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for PublicKey {}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.fingerprint())
    }
}

/// What a message may quote of a key the user typed: public keys are not secret, but an RSA
/// key is 700 characters.
fn shorten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 80 {
        return text.to_string();
    }
    let head: String = chars[..60].iter().collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_and_ssh_keys_parse_to_their_canonical_text() {
        let age_key = x25519::Identity::generate().to_public().to_string();
        let parsed = PublicKey::parse(&format!("  {age_key} "), "t").unwrap();
        assert_eq!(parsed.text(), age_key);
        assert_eq!(parsed.kind(), "age");
        assert!(parsed.fingerprint().starts_with("age1"));
        // An ed25519 key made for this test, with its comment dropped; the fingerprint is the
        // one `ssh-keygen -lf` printed for it.
        let ssh =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM/rhZvgNuRIZ2FNvVIyRq3b18Z1HgMkBH2Dn6TO04EC";
        let parsed = PublicKey::parse(&format!("{ssh} me@laptop"), "t").unwrap();
        assert_eq!(parsed.text(), ssh);
        assert_eq!(parsed.kind(), "ssh-ed25519");
        assert_eq!(
            parsed.fingerprint(),
            "SHA256:/i0IgqLBcIYmCHemnbGD77FS685Y4Pee3731KqGoMNQ"
        );
        assert_eq!(parsed, PublicKey::parse(ssh, "t").unwrap());
    }

    #[test]
    fn what_is_no_public_key_is_named() {
        let err = PublicKey::parse("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "--recipient")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("--recipient: "), "{err}");
        let err = PublicKey::parse("age1x", "f:2").unwrap_err().to_string();
        assert!(err.contains("not a public key"), "{err}");
        let err = PublicKey::parse("-----BEGIN OPENSSH PRIVATE KEY-----", "f")
            .unwrap_err()
            .to_string();
        assert!(err.contains("secret key"), "{err}");
    }
}
