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
    let describe = |e: TextError| match e {
        TextError::Resolve { .. } => format!("{key}: {e}"),
        e => format!("{key} {e}"),
    };
    // A table (`hst get github.accounts.work`) gets the values of the references in it.
    if let Value::Table(table) = value {
        let references = references_in(table);
        if !references.is_empty() {
            let resolver = resolver();
            resolver.prefetch(references);
            let resolved = resolved_table(table, resolver).map_err(describe)?;
            return text_with(&resolved, form, resolver).map_err(describe);
        }
    }
    text_with(value, form, resolver()).map_err(describe)
}

fn references_in(table: &home_secret_toml::Table) -> Vec<&Reference> {
    let mut found = Vec::new();
    for value in table.values() {
        match value {
            Value::Reference(r) => found.push(&**r),
            Value::Table(t) => found.extend(references_in(t)),
            _ => {}
        }
    }
    found
}

/// `table` with each reference replaced by the string it points at.
fn resolved_table(
    table: &home_secret_toml::Table,
    resolver: &Resolver,
) -> Result<Value, TextError> {
    let mut out = home_secret_toml::Table::with_capacity(table.len());
    for (k, v) in table {
        let v = match v {
            Value::Reference(_) => Value::String(text_with(v, TextForm::Toml, resolver)?),
            Value::Table(t) => resolved_table(t, resolver)?,
            other => other.clone(),
        };
        out.insert(k.clone(), v);
    }
    Ok(Value::Table(Box::new(out)))
}

/// Resolves references through the user's configured backends, caching per process.
pub struct Resolver {
    backends: Backends,
    cache: Mutex<HashMap<SecretId, Arc<Result<Fetched, String>>>>,
    /// Backends that did not answer (by scheme, with why): not asked again in this process,
    /// so forty references to a server that is down cost one timeout, not forty.
    down: Mutex<HashMap<String, String>>,
}

impl Resolver {
    pub fn new(backends: Backends) -> Self {
        Resolver {
            backends,
            cache: Mutex::new(HashMap::new()),
            down: Mutex::new(HashMap::new()),
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
        // A few workers take the next secret until none is left.
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..PARALLEL.min(wanted.len()) {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((id, instance)) = wanted.get(i) else {
                            break;
                        };
                        let result = self.fetch(instance, id);
                        self.lock().insert(id.clone(), Arc::new(result));
                    }
                });
            }
        });
    }

    /// One round trip, unless the backend already did not answer in this process.
    fn fetch(&self, instance: &Instance, id: &SecretId) -> Result<Fetched, String> {
        if let Some(why) = self.down().get(&id.0) {
            return Err(format!("{why} (not asked again)"));
        }
        let result = fetch(instance, &id.1);
        if let Err(why) = &result
            && (why.contains("did not answer within") || why.starts_with("cannot reach"))
        {
            self.down()
                .entry(id.0.clone())
                .or_insert_with(|| why.clone());
        }
        result
    }

    /// Forgets that `reference` could not be fetched (and that its backend did not answer), so
    /// the next ask tries again: a long-lived program (the TUI) after the user signed in.
    pub fn forget_failure(&self, reference: &Reference) {
        let Some(instance) = self.backends.instance(reference.scheme()) else {
            return;
        };
        let id = secret_id(reference, instance.kind());
        let mut cache = self.lock();
        if cache.get(&id).is_some_and(|r| r.is_err()) {
            cache.remove(&id);
        }
        drop(cache);
        self.down().remove(reference.scheme());
    }

    fn down(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.down.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SecretId, Arc<Result<Fetched, String>>>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Resolve for Resolver {
    fn resolve(&self, reference: &Reference) -> Result<SecretValue, ResolveError> {
        self.resolve_text(reference)
            .map_err(|why| ResolveError::new(one_clean_line(&why)))
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
                let fetched = Arc::new(self.fetch(&instance, &id));
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

/// A backend's words as one short line with no control characters (a server's error text
/// reaches a terminal and the audit log).
pub(crate) fn one_clean_line(why: &str) -> String {
    let clean: String = why
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match clean.char_indices().nth(400) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean,
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

/// Refuses a secret's id that would make a backend do something other than read that secret:
/// `..` in a Vault path (another API endpoint with your token), an AWS id the aws CLI would
/// expand (`file://…` reads a local file and sends it, `http://…` fetches a URL).
fn check_id(kind: BackendType, id: &str) -> Result<(), String> {
    let segments_ok = || {
        id.split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
    };
    let ok = match kind {
        BackendType::AwsSecretsManager => {
            !id.contains("://")
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/_+=.@:-".contains(&b))
        }
        BackendType::OnePassword => true,
        _ => segments_ok() && !id.starts_with('-'),
    };
    if ok {
        return Ok(());
    }
    Err(match kind {
        BackendType::AwsSecretsManager => {
            "not a Secrets Manager name or ARN (letters, digits and /_+=.@:- only)".to_string()
        }
        _ => "a path with an empty, . or .. part is not read".to_string(),
    })
}

/// One round trip to `instance` for the secret `id`.
fn fetch(instance: &Instance, id: &str) -> Result<Fetched, String> {
    check_id(instance.kind(), id)?;
    let timeout = instance.timeout;
    match &instance.settings {
        Settings::Vault(v) => vault::Vault::new(v, timeout).fetch(id),
        Settings::AwsSm(a) => tools::aws(a, id, timeout),
        Settings::Op(o) => tools::op(o, id, timeout),
        Settings::Pass(p) => tools::pass(p, id, timeout),
    }
}
