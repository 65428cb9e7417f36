//! What each variable of a manifest will be, decided once for `hst run`, its `--dry-run` table
//! and `hst env`: from a key, from a default, left to the environment, or missing (and why).
//!
//! The rules, as dotenvx, direnv and docker compose have them: a variable already set in the
//! environment wins over a `default`; a key's value wins over the environment unless the entry
//! says `keep_env` (or `--keep-env NAME`); a key that is absent or still the file's `"..."`
//! placeholder falls back to the entry's default, else is missing (an optional one stays unset).

use std::collections::HashMap;
use std::ffi::OsString;

use zeroize::Zeroizing;

use crate::manifest::{Format, Manifest, Source, Variable};
use home_secret_toml::file::SecretFile;
use home_secret_toml::flatten::PLACEHOLDER;
use home_secret_toml::key_path::KeyPath;
use home_secret_toml::mask::mask;
use home_secret_toml::value::{Reference, TextForm, Value, text, text_with};

/// Where a variable's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The secrets file: the key and its line.
    Key { key: String, line: Option<usize> },
    /// The entry's literal default.
    Default,
    /// The environment hst was started with (left as it is).
    Environment,
    /// A required key that is not there (or is a placeholder), with close keys.
    Missing {
        key: String,
        placeholder: bool,
        close: Vec<String>,
    },
    /// An optional key that is not there: the variable stays unset.
    OptionalMissing { key: String },
    /// The value cannot be an environment variable (a table without `format = "json"`, a NUL).
    Unusable { key: String, why: String },
}

/// One variable of the plan.
pub struct Row {
    pub name: String,
    pub origin: Origin,
    /// The value to set (`None`: left to the environment, or not set).
    pub value: Option<Zeroizing<String>>,
    /// What `--dry-run` shows: a secret's mask, a default's literal, `-` for nothing.
    pub shown: String,
    /// Where the entry is: its manifest line (0 for `--env`).
    pub line: usize,
    /// A reference still to resolve ([`Plan::resolve`]), and the form its value takes.
    pending: Option<(Box<Reference>, Format)>,
}

pub struct Plan {
    pub rows: Vec<Row>,
}

/// Where a plan finds its keys: the whole file, or, when the scanner found every key the
/// manifest names, only those values and their lines (a million-key file is not built).
pub enum Keys<'f> {
    File(&'f SecretFile),
    Found(HashMap<String, (Value, usize)>),
}

impl Keys<'_> {
    fn value(&self, key: &str) -> Option<&Value> {
        match self {
            Keys::File(file) => file.lookup(key).ok(),
            Keys::Found(found) => found.get(key).map(|(value, _)| value),
        }
    }

    /// Keys close to a missing `key` ("did you mean").
    fn near(&self, key: &str) -> Vec<String> {
        match self {
            Keys::File(file) => {
                let keys = file.entries().iter().map(|e| e.key.dotted());
                home_secret_toml::query::nearest::nearest(key, keys, 3)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            }
            // Every key was found: nothing is missing.
            Keys::Found(_) => Vec::new(),
        }
    }

    /// The line of each key the manifest names.
    fn lines(&self, manifest: &Manifest) -> HashMap<String, usize> {
        match self {
            Keys::File(file) => lines_of_keys(manifest, file)
                .into_iter()
                .map(|(k, l)| (k.to_string(), l))
                .collect(),
            Keys::Found(found) => found.iter().map(|(k, (_, l))| (k.clone(), *l)).collect(),
        }
    }
}

/// Missing keys that get "did you mean" suggestions (each costs a pass over every key).
const MAX_SUGGESTED: usize = 20;

impl Plan {
    /// Decides every variable of `manifest` against `file` and the environment `env`.
    pub fn make(
        manifest: &Manifest,
        keys: &Keys<'_>,
        keep_env: &[String],
        env: &dyn Fn(&str) -> Option<OsString>,
    ) -> Self {
        let lines = keys.lines(manifest);
        let mut suggested = 0;
        let rows = manifest
            .variables
            .iter()
            .map(|variable| {
                let in_env = env(&variable.name).is_some();
                let keep = keep_env.contains(&variable.name);
                row(variable, keys, &lines, in_env, keep, &mut suggested)
            })
            .collect();
        Self { rows }
    }

    /// One line per variable that stops `hst run`.
    pub fn problems(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter_map(|r| {
                let at = if r.line > 0 {
                    format!(" (line {})", r.line)
                } else {
                    " (--env)".to_string()
                };
                match &r.origin {
                    Origin::Missing {
                        key,
                        placeholder,
                        close,
                    } => {
                        let what = if *placeholder {
                            format!("{key} is still the placeholder \"...\"; fill it in with hst set {key}")
                        } else {
                            format!("no key {key}; add it with hst set {key}")
                        };
                        let hint = if close.is_empty() {
                            String::new()
                        } else {
                            format!(" (did you mean {}?)", close.join(", "))
                        };
                        Some(format!("{}{at}: {what}{hint}", r.name))
                    }
                    Origin::Unusable { key, why } => Some(format!("{}{at}: {key} {why}", r.name)),
                    _ => None,
                }
            })
            .collect()
    }

    /// What the program gets on top of the environment: `(name, value)`.
    pub fn to_set(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rows
            .iter()
            .filter_map(|r| r.value.as_ref().map(|v| (r.name.as_str(), v.as_str())))
    }

    /// Agent mode: a key's value is injected only when `granted` says a person allowed it.
    pub fn restrict(&mut self, granted: impl Fn(&str) -> bool) {
        for row in &mut self.rows {
            if let Origin::Key { key, .. } = &row.origin
                && !granted(key)
            {
                let key = key.clone();
                row.value = None;
                row.pending = None;
                row.origin = Origin::Unusable {
                    why: format!(
                        "is not granted to agents here; a person runs hst grant {key} (in this \
                         project)"
                    ),
                    key,
                };
            }
        }
    }

    /// Fetches the values of the references among the variables, in parallel (one round trip
    /// per distinct secret); a reference that cannot be resolved makes its variable unusable,
    /// with the backend's reason, so every failure is reported at once.
    pub fn resolve(&mut self) {
        let resolver = crate::resolve::resolver();
        resolver.prefetch(
            self.rows
                .iter()
                .filter_map(|r| r.pending.as_ref().map(|(reference, _)| &**reference)),
        );
        for row in &mut self.rows {
            let (Some((reference, format)), Origin::Key { key, .. }) =
                (row.pending.take(), &row.origin)
            else {
                continue;
            };
            let key = key.clone();
            let value = Value::Reference(reference);
            match text_with(&value, form_of(format), resolver) {
                Ok(text) => {
                    row.value = Some(Zeroizing::new(text.expose().to_string()));
                    refuse_nul(row, &key);
                }
                Err(e) => {
                    row.origin = Origin::Unusable {
                        key,
                        why: e.to_string(),
                    };
                }
            }
        }
    }

    /// The keys whose values are handed to the program (for the audit log).
    pub fn keys_read(&self) -> Vec<&str> {
        self.rows
            .iter()
            .filter_map(|r| match &r.origin {
                Origin::Key { key, .. } if r.value.is_some() => Some(key.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The values that came from the secrets file (what `--mask-output` hides).
    pub fn secrets(&self) -> Vec<&str> {
        self.rows
            .iter()
            .filter(|r| matches!(r.origin, Origin::Key { .. }))
            .filter_map(|r| r.value.as_deref().map(String::as_str))
            .collect()
    }
}

fn row(
    variable: &Variable,
    keys: &Keys<'_>,
    lines: &HashMap<String, usize>,
    in_env: bool,
    keep: bool,
    suggested: &mut usize,
) -> Row {
    let mut row = Row {
        name: variable.name.clone(),
        origin: Origin::Environment,
        value: None,
        shown: "-".to_string(),
        line: variable.line,
        pending: None,
    };
    let literal = |row: &mut Row, text: &str| {
        row.origin = Origin::Default;
        row.shown = text.to_string();
        row.value = Some(Zeroizing::new(text.to_string()));
    };
    let (key, optional, default, keep_env) = match &variable.source {
        Source::Default(_) if in_env => return row,
        Source::Default(text) => {
            literal(&mut row, text);
            return checked(row, "default");
        }
        Source::Key {
            key,
            optional,
            default,
            keep_env,
        } => (key, *optional, default, *keep_env || keep),
    };
    if keep_env && in_env {
        return row;
    }
    let found = keys.value(key);
    let placeholder = found.is_some_and(is_placeholder);
    match found.filter(|v| !is_placeholder(v)) {
        Some(value) => {
            let line = lines.get(key).copied();
            from_value(row, key, line, value, variable.format)
        }
        None if default.is_some() && in_env => row,
        None if default.is_some() => {
            literal(&mut row, default.as_deref().unwrap_or_default());
            checked(row, "default")
        }
        None if optional => {
            row.origin = Origin::OptionalMissing { key: key.clone() };
            row
        }
        None => {
            let close = if !placeholder && *suggested < MAX_SUGGESTED {
                *suggested += 1;
                keys.near(key)
            } else {
                Vec::new()
            };
            row.origin = Origin::Missing {
                key: key.clone(),
                placeholder,
                close,
            };
            row
        }
    }
}

/// The row of a variable whose key holds `value` (at `line` of the file).
fn from_value(mut row: Row, key: &str, line: Option<usize>, value: &Value, format: Format) -> Row {
    let origin = Origin::Key {
        key: key.to_string(),
        line,
    };
    match value {
        // Resolved later, all at once and only if the plan is carried out (never for
        // `--dry-run`, never for a key an agent was not granted).
        Value::Reference(reference) => {
            row.origin = origin;
            row.shown = format!("{} (reference)", reference.uri());
            row.pending = Some((reference.clone(), format));
            row
        }
        value => match text_of(value, format) {
            Ok(text) => {
                row.origin = origin;
                row.shown = mask(value);
                row.value = Some(text);
                checked(row, key)
            }
            Err(why) => {
                row.origin = Origin::Unusable {
                    key: key.to_string(),
                    why,
                };
                row
            }
        },
    }
}

/// A value with a NUL cannot be an environment variable: reported before anything runs.
fn checked(mut row: Row, from: &str) -> Row {
    refuse_nul(&mut row, from);
    row
}

fn refuse_nul(row: &mut Row, from: &str) {
    if row.value.as_ref().is_some_and(|v| v.contains('\0')) {
        row.value = None;
        row.origin = Origin::Unusable {
            key: from.to_string(),
            why: "holds a NUL character, which no environment variable can".to_string(),
        };
    }
}

fn is_placeholder(value: &Value) -> bool {
    value.as_secret().is_some_and(|s| s.expose() == PLACEHOLDER)
}

fn form_of(format: Format) -> TextForm {
    match format {
        Format::Plain => TextForm::Env,
        Format::Json => TextForm::Json,
    }
}

/// A value as a variable holds it: a string as it is, a number, boolean or date as TOML writes
/// it; a table or array only as JSON, when the entry asks for it.
fn text_of(value: &Value, format: Format) -> Result<Zeroizing<String>, String> {
    text(value, form_of(format))
        .map(|t| Zeroizing::new(t.expose().to_string()))
        .map_err(|e| e.to_string())
}

/// The line of each key the manifest names, in one pass over the file's leaves.
fn lines_of_keys<'m>(manifest: &'m Manifest, file: &SecretFile) -> HashMap<&'m str, usize> {
    let wanted: HashMap<KeyPath, &str> = manifest
        .variables
        .iter()
        .filter_map(|v| match &v.source {
            Source::Key { key, .. } => Some((KeyPath::new(key.split('.')), key.as_str())),
            Source::Default(_) => None,
        })
        .collect();
    file.leaves()
        .filter_map(|leaf| wanted.get(&leaf.key).map(|key| (*key, leaf.line)))
        .collect()
}
