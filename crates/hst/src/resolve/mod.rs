//! References resolved where the secrets are kept: the programs' [`Resolve`]. A reference is
//! fetched when a command hands its value out (`get`, `run`, `env`, `otp`, the TUI's reveal and
//! copy), once per secret per process (the cache lives in memory and dies with the process),
//! within each backend's timeout, in parallel when a command needs many ([`Resolver::prefetch`]).
//! Nothing is written to disk and no value is put on a command line.

pub mod child;
pub mod config;
pub mod fetched;
pub mod tools;
pub mod vault;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use config::{Backends, Instance, Settings};
use fetched::Fetched;
use home_secret_toml::value::{
    BackendType, Reference, Resolve, ResolveError, SecretValue, TextError, TextForm, Value,
    text_with,
};

/// How many secrets are fetched at once.
const PARALLEL: usize = 8;

/// One secret of one backend: the scheme and the secret's id (path, name or whole URI).
type SecretId = (String, String);

/// This process's resolver (and its cache), set up by [`configure`].
static SHARED: OnceLock<Resolver> = OnceLock::new();

/// Reads the `[backends]` of the user's config and teaches this process's parser their
/// schemes: called by each program before it reads a secrets file.
pub fn configure() -> Result<(), String> {
    if SHARED.get().is_some() {
        return Ok(());
    }
    let backends = Backends::load()?;
    home_secret_toml::value::reference::register_named_schemes(backends.named_schemes());
    let _ = SHARED.set(Resolver::new(backends));
    Ok(())
}

/// The process's resolver: the configured backends, or only the built-in schemes with the
/// environment's settings when [`configure`] was not called.
pub fn resolver() -> &'static Resolver {
    SHARED.get_or_init(|| Resolver::new(Backends::default()))
}

/// `value` of `key` in `form`, a reference resolved first: what every command that hands a
/// value out calls. **Shows the secret.** The error is one line naming the key (and the
/// reference and the backend's reason when it is one), never the value.
pub fn text(key: &str, value: &Value, form: TextForm) -> Result<SecretValue, String> {
    text_with(value, form, resolver()).map_err(|e| match e {
        TextError::Resolve { .. } => format!("{key}: {e}"),
        e => format!("{key} {e}"),
    })
}

/// Resolves references through the user's configured backends, caching per process.
pub struct Resolver {
    backends: Backends,
    cache: Mutex<HashMap<SecretId, Arc<Result<Fetched, String>>>>,
}

impl Resolver {
    pub fn new(backends: Backends) -> Self {
        Resolver {
            backends,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The backend `reference` goes to, as shown to users: `vault`, or `vault-prod (vault)`.
    pub fn describe(&self, reference: &Reference) -> String {
        let scheme = reference.scheme();
        match self.backends.instance(scheme) {
            Some(i) if reference.built_in().is_some() => i.kind().to_string(),
            Some(i) => format!("{scheme} ({})", i.kind()),
            None => format!("{scheme} (not configured)"),
        }
    }

    /// Fetches every secret `references` point at that is not cached yet, several at a time:
    /// one round trip per distinct secret, whatever the number of fields taken from it.
    pub fn prefetch<'r>(&self, references: impl IntoIterator<Item = &'r Reference>) {
        let mut wanted: Vec<(SecretId, Instance)> = Vec::new();
        {
            let cache = self.lock();
            for reference in references {
                let Some(instance) = self.backends.instance(reference.scheme()) else {
                    continue;
                };
                let id = secret_id(reference, instance.kind());
                if !cache.contains_key(&id) && !wanted.iter().any(|(w, _)| *w == id) {
                    wanted.push((id, instance));
                }
            }
        }
        for batch in wanted.chunks(PARALLEL) {
            let results: Vec<(SecretId, Result<Fetched, String>)> = std::thread::scope(|s| {
                let handles: Vec<_> = batch
                    .iter()
                    .map(|(id, instance)| s.spawn(move || (id.clone(), fetch(instance, &id.1))))
                    .collect();
                handles.into_iter().filter_map(|h| h.join().ok()).collect()
            });
            let mut cache = self.lock();
            for (id, result) in results {
                cache.insert(id, Arc::new(result));
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SecretId, Arc<Result<Fetched, String>>>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Resolve for Resolver {
    fn resolve(&self, reference: &Reference) -> Result<SecretValue, ResolveError> {
        self.resolve_text(reference).map_err(ResolveError::new)
    }
}

impl Resolver {
    fn resolve_text(&self, reference: &Reference) -> Result<SecretValue, String> {
        let scheme = reference.scheme();
        let Some(instance) = self.backends.instance(scheme) else {
            return Err(format!(
                "no backend is configured for {scheme}:// (add [backends.{scheme}] to the config)"
            ));
        };
        let id = secret_id(reference, instance.kind());
        let cached = self.lock().get(&id).cloned();
        let fetched = match cached {
            Some(fetched) => fetched,
            None => {
                let fetched = Arc::new(fetch(&instance, &id.1));
                self.lock().insert(id.clone(), Arc::clone(&fetched));
                fetched
            }
        };
        let field = match instance.kind() {
            BackendType::OnePassword => None,
            _ => reference.field(),
        };
        match fetched.as_ref() {
            Ok(fetched) => fetched.pick(&id.1, field),
            Err(why) => Err(why.clone()),
        }
    }
}

/// The secret a reference names: 1Password's whole `op://vault/item/field` (it has no `#`
/// fields of ours; a named instance's scheme becomes `op://`), everyone else's path before `#`.
fn secret_id(reference: &Reference, kind: BackendType) -> SecretId {
    let id = match kind {
        BackendType::OnePassword => format!("op://{}", reference.location()),
        _ => reference.path().to_string(),
    };
    (reference.scheme().to_string(), id)
}

/// One round trip to `instance` for the secret `id`.
fn fetch(instance: &Instance, id: &str) -> Result<Fetched, String> {
    let timeout = instance.timeout;
    match &instance.settings {
        Settings::Vault(v) => vault::Vault::new(v, timeout).fetch(id),
        Settings::AwsSm(a) => tools::aws(a, id, timeout),
        Settings::Op(o) => tools::op(o, id, timeout),
        Settings::Pass(p) => tools::pass(p, id, timeout),
    }
}
