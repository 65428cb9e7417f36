//! A value that says where a secret lives instead of holding it: `vault://secret/stripe#api_key`,
//! `aws-sm://prod/deploy#secret_key`, `op://Work/GitHub/token`, `pass://email/app-password`, or
//! `NAME://…` for a backend instance the user configured (`[backends.NAME]` in the config file).
//!
//! A reference is not a secret (it is shown by `hst ls` and the TUI), so its text is a plain
//! `String`. It has no text of its own for a command to hand out: [`crate::value::text_with`]
//! asks a [`Resolve`] for the value it points at. A string with any other scheme (a database
//! URL such as `postgres://user:pass@host/db`) stays an ordinary secret string.

use std::fmt;
use std::sync::OnceLock;

use crate::value::SecretValue;

/// The schemes hst resolves without any configuration, and the kind of backend each names.
pub const BUILT_IN: [(&str, BackendType); 4] = [
    ("vault", BackendType::Vault),
    ("aws-sm", BackendType::AwsSecretsManager),
    ("op", BackendType::OnePassword),
    ("pass", BackendType::Pass),
];

/// The kinds of backend a reference can point into.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BackendType {
    /// HashiCorp Vault or OpenBao, KV v1 or v2, over HTTP.
    Vault,
    /// AWS Secrets Manager, through the `aws` CLI.
    AwsSecretsManager,
    /// 1Password, through `op read`.
    OnePassword,
    /// The standard Unix password store, through `pass show`.
    Pass,
}

impl BackendType {
    /// The name a config file's `type =` uses (the bare scheme).
    pub fn name(self) -> &'static str {
        match self {
            BackendType::Vault => "vault",
            BackendType::AwsSecretsManager => "aws-sm",
            BackendType::OnePassword => "op",
            BackendType::Pass => "pass",
        }
    }

    /// The type named `name` in a config file.
    pub fn from_name(name: &str) -> Option<Self> {
        BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }
}

impl fmt::Display for BackendType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The schemes of named backend instances, set once per process by the program that read the
/// user's config (before it parses a secrets file), so that every parse recognises them.
static NAMED: OnceLock<Vec<String>> = OnceLock::new();

/// Registers the names of configured backend instances as reference schemes for this process.
/// `false` when a different set was registered before (the first one stays).
pub fn register_named_schemes(names: Vec<String>) -> bool {
    let wanted = names.clone();
    NAMED.get_or_init(|| names) == &wanted
}

/// Whether `name` can be a reference scheme: a lowercase letter, then lowercase letters, digits
/// and `-`, at most 40 bytes (what a config's backend names must be too).
pub fn is_scheme_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 40
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// The length of `text`'s scheme when `text` is a reference with a known scheme.
fn scheme_len(text: &str, named: &[String]) -> Option<usize> {
    // Cheap refusal first: every string of a million-key file passes through here.
    let head = &text.as_bytes()[..text.len().min(44)];
    let scheme_len = head.windows(3).position(|w| w == b"://")?;
    // ASCII before `://` (checked by `is_scheme_name` below) keeps this a char boundary.
    let scheme = text.get(..scheme_len)?;
    let known = BUILT_IN.iter().any(|(n, _)| *n == scheme) || named.iter().any(|n| n == scheme);
    let rest = &text[scheme_len + 3..];
    // Spaces inside are allowed (1Password items are named like "GitHub Token"); a line break,
    // a control character or a space at either end is not a reference.
    let well_formed = !rest.is_empty()
        && !rest.starts_with('#')
        && rest.trim() == rest
        && !rest.chars().any(char::is_control);
    (known && is_scheme_name(scheme) && well_formed).then_some(scheme_len)
}

/// A reference to a secret kept by a backend.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    uri: String,
    /// Bytes of the scheme (before `://`).
    scheme_len: usize,
}

impl Reference {
    /// `text` as a reference when its scheme is a built-in one or a registered instance's.
    pub fn parse(text: &str) -> Option<Self> {
        let named = NAMED.get().map_or(&[][..], Vec::as_slice);
        Self::parse_with(text, named)
    }

    /// `text` as a reference when its scheme is a built-in one or one of `named`.
    pub fn parse_with(text: &str, named: &[String]) -> Option<Self> {
        scheme_len(text, named).map(|scheme_len| Reference {
            uri: text.to_string(),
            scheme_len,
        })
    }

    /// Whether `text` is a reference ([`Reference::parse`] without building one).
    pub fn is_reference(text: &str) -> bool {
        scheme_len(text, NAMED.get().map_or(&[][..], Vec::as_slice)).is_some()
    }

    /// The reference as written: `vault://secret/stripe#api_key`.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// `vault`, `aws-sm`, `op`, `pass`, or a configured instance's name.
    pub fn scheme(&self) -> &str {
        &self.uri[..self.scheme_len]
    }

    /// The built-in backend type of the scheme; `None` for a configured instance.
    pub fn built_in(&self) -> Option<BackendType> {
        BackendType::from_name(self.scheme())
    }

    /// Everything after `://`.
    pub fn location(&self) -> &str {
        &self.uri[self.scheme_len + 3..]
    }

    /// What comes before the last `#` of the location (the whole of it without one).
    pub fn path(&self) -> &str {
        let location = self.location();
        location.rsplit_once('#').map_or(location, |(path, _)| path)
    }

    /// What comes after the last `#` of the location: a field of the secret.
    pub fn field(&self) -> Option<&str> {
        self.location()
            .rsplit_once('#')
            .map(|(_, field)| field)
            .filter(|f| !f.is_empty())
    }
}

impl fmt::Debug for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reference({})", self.uri)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.uri)
    }
}

/// Why a backend gave no value: its own words (a status, "permission denied", "no field x"),
/// never the value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct ResolveError {
    pub reason: String,
}

impl ResolveError {
    pub fn new(reason: impl Into<String>) -> Self {
        ResolveError {
            reason: reason.into(),
        }
    }
}

/// Fetches the value a reference points at. The programs implement it with their backends
/// (HTTP, the backends' own command-line tools); a library user can implement it too.
pub trait Resolve {
    /// The secret `reference` points at, or why it could not be fetched.
    fn resolve(&self, reference: &Reference) -> Result<SecretValue, ResolveError>;
}

/// A resolver that resolves nothing: for readers that must never reach a backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unresolved;

impl Resolve for Unresolved {
    fn resolve(&self, reference: &Reference) -> Result<SecretValue, ResolveError> {
        Err(ResolveError::new(format!(
            "{} references are not resolved here",
            reference.scheme()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Option<(String, String, Option<String>)> {
        Reference::parse_with(text, &["vault-prod".to_string()]).map(|r| {
            (
                r.scheme().to_string(),
                r.path().to_string(),
                r.field().map(str::to_string),
            )
        })
    }

    #[test]
    fn known_schemes_are_references() {
        let some = |s: &str, p: &str, f: Option<&str>| {
            Some((s.to_string(), p.to_string(), f.map(str::to_string)))
        };
        assert_eq!(
            parts("vault://secret/stripe#api_key"),
            some("vault", "secret/stripe", Some("api_key"))
        );
        assert_eq!(
            parts("aws-sm://prod/deploy#secret_key"),
            some("aws-sm", "prod/deploy", Some("secret_key"))
        );
        assert_eq!(
            parts("op://Work/GitHub/token"),
            some("op", "Work/GitHub/token", None)
        );
        assert_eq!(
            parts("pass://email/app-password"),
            some("pass", "email/app-password", None)
        );
        assert_eq!(
            parts("op://Private/GitHub Token/password"),
            some("op", "Private/GitHub Token/password", None)
        );
        assert_eq!(
            parts("vault-prod://kv/x#f"),
            some("vault-prod", "kv/x", Some("f"))
        );
    }

    #[test]
    fn other_strings_stay_strings() {
        for text in [
            "postgres://user:fake-pass@host/db",
            "https://example.com",
            "vault-dev://kv/x",
            "vault://",
            "vault://#field",
            "vault://a ",
            "vault://a\n",
            "vault://a\tb",
            " vault://x",
            "VAULT://x",
            "ghp_fake0123456789",
            "",
        ] {
            assert_eq!(parts(text), None, "{text:?}");
        }
    }

    #[test]
    fn scheme_names() {
        assert!(is_scheme_name("vault-prod"));
        assert!(is_scheme_name("aws2"));
        for bad in ["", "2aws", "Vault", "a_b", "a.b", &"x".repeat(41)] {
            assert!(!is_scheme_name(bad), "{bad}");
        }
    }
}
