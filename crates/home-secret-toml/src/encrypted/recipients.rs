//! The recipients file, `FILE.recipients` beside an encrypted secrets file and committed with
//! it: the public keys every save encrypts to, one a line, each named by the comment line
//! above it. A list that changed since this machine last encrypted to it (a pull, a hostile
//! push) is used only once the user has accepted it; what was accepted is kept in the user's
//! data folder.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::keys::KeyError;
use super::public_key::PublicKey;
use crate::path::display;

/// The suffix of the recipients file's name: `home_secret.toml.age.recipients`.
pub const SUFFIX: &str = ".recipients";

/// The recipients file is read whole; a real one has a few dozen lines.
const MAX_BYTES: u64 = 1024 * 1024;

const HEADER: &str = "# The public keys this secrets file is encrypted to: the comment above each key is its\n\
                      # name. Change it with `hst recipients add NAME KEY` and `hst recipients rm NAME`.\n";

/// One recipient: a name people recognise and the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub key: PublicKey,
}

/// The recipients file of one secrets file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recipients {
    entries: Vec<Named>,
}

/// The recipients file of the secrets file `secrets`.
pub fn path_for(secrets: &Path) -> PathBuf {
    let mut name = secrets.as_os_str().to_os_string();
    name.push(SUFFIX);
    PathBuf::from(name)
}

/// Whether `name` may name a recipient: letters, digits and `.-_@+`, as host and user names
/// are (nothing a terminal or a shell would read as more than text).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@+".contains(c))
}

impl Recipients {
    /// The recipients file of `secrets`, or `None` when it has none.
    pub fn read(secrets: &Path) -> Result<Option<Self>, KeyError> {
        let path = path_for(secrets);
        match crate::small_file::read_text(&path, MAX_BYTES) {
            Ok(text) => Self::parse(&display(&path), &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(KeyError::IdentityRead {
                path: display(&path),
                source,
            }),
        }
    }

    /// Parses the file's text; `shown` names it in errors, with the line.
    pub fn parse(shown: &str, text: &str) -> Result<Self, KeyError> {
        let mut entries: Vec<Named> = Vec::new();
        let mut name: Option<String> = None;
        for (number, line) in text.lines().enumerate() {
            let bad = |message: String| KeyError::RecipientsSyntax {
                path: shown.to_string(),
                line: number + 1,
                message,
            };
            let line = line.trim();
            if line.is_empty() {
                name = None;
                continue;
            }
            if let Some(comment) = line.strip_prefix('#') {
                name = Some(comment.trim().to_string());
                continue;
            }
            // `KEY # name` names a key on its own line too.
            let (key_text, own_name) = match line.split_once(" #") {
                Some((key, n)) => (key, Some(n.trim().to_string())),
                None => (line, None),
            };
            let from = format!("{shown}:{}", number + 1);
            let key = PublicKey::parse(key_text, &from)?;
            let Some(name) = own_name.or_else(|| name.take()) else {
                return Err(bad(
                    "a key without a name: put `# NAME` on the line above it".into(),
                ));
            };
            if !valid_name(&name) {
                return Err(bad(format!(
                    "'{}' is no recipient name (letters, digits and .-_@+ only)",
                    name.escape_default()
                )));
            }
            if let Some(other) = entries.iter().find(|e| e.name == name || e.key == key) {
                return Err(bad(if other.name == name {
                    format!("the name {name} is used twice")
                } else {
                    format!("the key of {name} is listed already as {}", other.name)
                }));
            }
            entries.push(Named { name, key });
        }
        Ok(Self { entries })
    }

    pub fn entries(&self) -> &[Named] {
        &self.entries
    }

    /// The keys, in the file's order.
    pub fn keys(&self) -> impl Iterator<Item = &PublicKey> {
        self.entries.iter().map(|e| &e.key)
    }

    pub fn find(&self, name: &str) -> Option<&Named> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Adds `key` as `name`; both must be new to the list.
    pub fn add(&mut self, name: &str, key: PublicKey) -> Result<(), KeyError> {
        if !valid_name(name) {
            return Err(KeyError::Recipients(format!(
                "'{}' is no recipient name (letters, digits and .-_@+ only, at most 64)",
                name.escape_default()
            )));
        }
        if let Some(other) = self.entries.iter().find(|e| e.name == name || e.key == key) {
            return Err(KeyError::Recipients(if other.name == name {
                format!("there is a recipient named {name} already")
            } else {
                format!("that key is a recipient already, as {}", other.name)
            }));
        }
        self.entries.push(Named {
            name: name.to_string(),
            key,
        });
        Ok(())
    }

    /// Removes the recipient `name`.
    pub fn remove(&mut self, name: &str) -> Result<Named, KeyError> {
        let at = self
            .entries
            .iter()
            .position(|e| e.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = self.entries.iter().map(|e| e.name.as_str()).collect();
                KeyError::Recipients(format!(
                    "no recipient is named {name} (the recipients are: {})",
                    names.join(", ")
                ))
            })?;
        Ok(self.entries.remove(at))
    }

    /// The file's text: a header, then `# NAME` and the key for each recipient.
    pub fn render(&self) -> String {
        let mut out = String::from(HEADER);
        for entry in &self.entries {
            let _ = write!(out, "# {}\n{}\n", entry.name, entry.key);
        }
        out
    }

    /// Writes the recipients file of `secrets` (a new file replaces the old one at once).
    pub fn write(&self, secrets: &Path) -> std::io::Result<()> {
        replace(&path_for(secrets), self.render().as_bytes(), 0o644)
    }

    /// What changed from `old` to this list: by name and key, so a renamed key shows twice.
    pub fn changes_from(&self, old: &Recipients) -> Changes {
        let added = self
            .entries
            .iter()
            .filter(|e| !old.entries.contains(e))
            .cloned()
            .collect();
        let removed = old
            .entries
            .iter()
            .filter(|e| !self.entries.contains(e))
            .cloned()
            .collect();
        Changes { added, removed }
    }
}

/// Recipients added to and removed from a list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<Named>,
    pub removed: Vec<Named>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    /// The changes on one line: `+ ci ssh-ed25519 SHA256:…, - old-laptop age age1…`.
    pub fn summary(&self) -> String {
        self.to_string()
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl std::fmt::Display for Changes {
    /// One line per recipient: `+ NAME KIND FINGERPRINT` or `- …`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (sign, list) in [('+', &self.added), ('-', &self.removed)] {
            for e in list {
                writeln!(
                    f,
                    "  {sign} {} {} {}",
                    e.name,
                    e.key.kind(),
                    e.key.fingerprint()
                )?;
            }
        }
        Ok(())
    }
}

/// Where this machine keeps the list it accepted for `secrets`: one file per secrets file
/// (named by a hash of its full path) in `$XDG_DATA_HOME/hst/recipients/`.
fn accepted_path(secrets: &Path) -> Option<PathBuf> {
    let full = std::fs::canonicalize(secrets).unwrap_or_else(|_| secrets.to_path_buf());
    let digest = Sha256::digest(full.as_os_str().as_encoded_bytes());
    let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    dirs::data_dir().map(|d| d.join("hst").join("recipients").join(name))
}

/// The list this machine accepted for `secrets`, if any.
pub fn accepted(secrets: &Path) -> Result<Option<Recipients>, KeyError> {
    let Some(path) = accepted_path(secrets) else {
        return Ok(None);
    };
    match crate::small_file::read_text(&path, MAX_BYTES) {
        Ok(text) => Recipients::parse(&display(&path), &text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(KeyError::IdentityRead {
            path: display(&path),
            source,
        }),
    }
}

/// Records `list` as the one this machine accepted for `secrets` (mode 0600).
pub fn accept(secrets: &Path, list: &Recipients) -> std::io::Result<()> {
    let path = accepted_path(secrets)
        .ok_or_else(|| std::io::Error::other("no data folder (set $XDG_DATA_HOME or $HOME)"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    replace(&path, list.render().as_bytes(), 0o600)
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`: readers see
/// the old file or the new one, never a part.
fn replace(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".hst-recipients-")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> PublicKey {
        PublicKey::from(age::x25519::Identity::generate().to_public())
    }

    #[test]
    fn names_come_from_the_comment_above_or_after_the_key() {
        let (a, b) = (key(), key());
        let text = format!("# header, not a name\n\n# laptop-a\n{a}\n{b} # ci\n");
        let list = Recipients::parse("r", &text).unwrap();
        let names: Vec<&str> = list.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["laptop-a", "ci"]);
        let again = Recipients::parse("r", &list.render()).unwrap();
        assert_eq!(again, list, "render and parse agree");
    }

    #[test]
    fn unnamed_doubled_and_bad_entries_are_refused_with_their_line() {
        let a = key();
        let err = Recipients::parse("r", &format!("# x\n\n{a}\n"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "r:3: a key without a name: put `# NAME` on the line above it"
        );
        let err = Recipients::parse("r", &format!("# x\n{a}\n# y\n{a}\n"))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "r:4: the key of y is listed already as x");
        let err = Recipients::parse("r", "# x\nage1nope\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("r:2: "), "{err}");
        let err = Recipients::parse("r", &format!("# a\x1b[31m\n{a}\n"))
            .unwrap_err()
            .to_string();
        assert!(!err.contains('\x1b'), "{err}");
    }

    #[test]
    fn changes_name_what_was_added_and_removed() {
        let mut old = Recipients::default();
        old.add("a", key()).unwrap();
        old.add("b", key()).unwrap();
        let mut new = old.clone();
        new.remove("a").unwrap();
        new.add("c", key()).unwrap();
        let changes = new.changes_from(&old);
        assert_eq!(changes.added[0].name, "c");
        assert_eq!(changes.removed[0].name, "a");
        assert!(new.changes_from(&new).is_empty());
        assert!(new.add("c", key()).is_err());
        assert!(new.add("bad name", key()).is_err());
        assert!(new.remove("zz").unwrap_err().to_string().contains("b, c"));
    }
}
