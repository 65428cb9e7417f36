//! The process's age keys: the identities (named, or found at the default places), the
//! extra recipients of the config file, SSH keys unlocked so far, and what was learnt about
//! each encrypted file opened (its shape, its passphrase).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use age::secrecy::SecretString;

use super::header::Shape;
use super::keys::{self, AgeConfig, default_identities};
use super::{Identities, Problem, Prompter, PublicKey, Result, parse_recipient};
use crate::path::display;

/// The loaded keys: the identities (if any) and the recipients a save encrypts to when the
/// file has no recipients file.
pub(super) struct Keys {
    pub(super) identities: Option<Identities>,
    /// The identities' public keys, then `[age] recipients`.
    pub(super) recipients: Vec<PublicKey>,
    /// `[age] recipients` alone (added to a recipients file's list on this machine).
    pub(super) extra: Vec<PublicKey>,
    pub(super) config: AgeConfig,
}

impl Keys {
    /// The identities' public keys.
    pub(super) fn own(&self) -> Vec<PublicKey> {
        self.identities
            .as_ref()
            .map(Identities::public_keys)
            .unwrap_or_default()
    }
}

/// The process's age keys and what it learnt about each encrypted file it opened.
#[derive(Default)]
pub struct Keyring {
    identity_flag: Option<PathBuf>,
    pub(super) prompter: Option<Prompter>,
    keys: Option<Arc<Keys>>,
    /// SSH keys whose passphrase was typed, by file.
    pub(super) unlocked: Vec<(PathBuf, age::ssh::Identity)>,
    pub(super) passphrases: HashMap<PathBuf, SecretString>,
    pub(super) shapes: HashMap<PathBuf, Shape>,
}

/// The process's keyring (one identity per process, as one `--identity` flag gives).
pub fn keyring() -> MutexGuard<'static, Keyring> {
    static RING: OnceLock<Mutex<Keyring>> = OnceLock::new();
    RING.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

impl Keyring {
    /// Uses the identity file `path` (the `--identity` flag), ahead of the environment and
    /// the config file.
    pub fn use_identity(&mut self, path: &Path) {
        self.identity_flag = Some(path.to_path_buf());
        self.keys = None;
        self.unlocked.clear();
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

    pub(super) fn keys(&mut self) -> Result<Arc<Keys>> {
        if let Some(keys) = &self.keys {
            return Ok(Arc::clone(keys));
        }
        let config = AgeConfig::load().map_err(Problem::Keys)?;
        let identities = match keys::identity_path(self.identity_flag.as_deref(), &config) {
            Some(named) => Some(Identities::read(&named).map_err(Problem::Keys)?),
            None => Identities::read_any(&default_identities()),
        };
        let from = format!("{}: [age] recipients", config.shown());
        let mut extra: Vec<PublicKey> = Vec::new();
        for text in &config.recipients {
            let key = parse_recipient(text, &from).map_err(Problem::Keys)?;
            if !extra.contains(&key) {
                extra.push(key);
            }
        }
        let own = identities
            .as_ref()
            .map(Identities::public_keys)
            .unwrap_or_default();
        let mut recipients: Vec<PublicKey> = Vec::new();
        for key in own.into_iter().chain(extra.iter().cloned()) {
            if !recipients.contains(&key) {
                recipients.push(key);
            }
        }
        let keys = Arc::new(Keys {
            identities,
            recipients,
            extra,
            config,
        });
        self.keys = Some(Arc::clone(&keys));
        Ok(keys)
    }

    /// The public keys a new encrypted file gets when the user names none: the identity's and
    /// `[age] recipients`. Also says which config file that was.
    pub fn default_recipients(&mut self) -> Result<(Vec<PublicKey>, String)> {
        let keys = self.keys()?;
        Ok((keys.recipients.clone(), keys.config.shown()))
    }

    /// The public keys of this machine's identities (none when it has none).
    pub fn own_keys(&mut self) -> Result<Vec<PublicKey>> {
        Ok(self.keys()?.own())
    }

    /// The identity files and their keys, as messages name them.
    pub fn describe_identities(&mut self) -> Result<Option<String>> {
        Ok(self.keys()?.identities.as_ref().map(Identities::describe))
    }

    /// The key for keyed fingerprints of values, derived from the identity (`None` without
    /// one).
    pub fn fingerprint_key(&mut self) -> Option<zeroize::Zeroizing<[u8; 32]>> {
        let keys = self.keys().ok()?;
        keys.identities.as_ref().map(Identities::fingerprint_key)
    }

    /// Whether an identity is configured or found (and readable).
    pub fn has_identity(&mut self) -> bool {
        self.keys().is_ok_and(|k| k.identities.is_some())
    }

    pub(super) fn passphrase(&mut self, path: &Path) -> Result<SecretString> {
        if let Some(known) = self.passphrases.get(&super::file_key(path)) {
            return Ok(known.clone());
        }
        let prompter = self.prompter.as_ref().ok_or(Problem::NeedsPassphrase)?;
        let prompt = format!("Passphrase for {}: ", display(path));
        let typed = prompter(&prompt).map_err(|_| Problem::NeedsPassphrase)?;
        Ok(SecretString::from(typed.as_str()))
    }

    /// Asks for the passphrase of each locked SSH key the file has a stanza for (by its key
    /// tag), and keeps the unlocked keys for the rest of the process. How many were unlocked.
    pub(super) fn unlock(&mut self, identities: &Identities, shape: &Shape) -> Result<usize> {
        let mut unlocked = 0;
        for locked in identities.locked() {
            let wanted = locked
                .public
                .ssh_tag()
                .is_some_and(|tag| shape.ssh_tags.contains(&tag));
            if !wanted || self.unlocked.iter().any(|(f, _)| f == locked.file) {
                continue;
            }
            let file = display(locked.file);
            let prompter = self
                .prompter
                .as_ref()
                .ok_or_else(|| Problem::KeyNeedsPassphrase { file: file.clone() })?;
            let typed = prompter(&format!("Passphrase for the SSH key {file}: "))
                .map_err(|_| Problem::KeyNeedsPassphrase { file: file.clone() })?;
            let key = locked
                .key
                .decrypt(SecretString::from(typed.as_str()))
                .map_err(|_| Problem::WrongKeyPassphrase { file })?;
            self.unlocked
                .push((locked.file.to_path_buf(), age::ssh::Identity::from(key)));
            unlocked += 1;
        }
        Ok(unlocked)
    }
}
