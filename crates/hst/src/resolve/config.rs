//! `[backends.NAME]` in `$XDG_CONFIG_HOME/hst/config.toml`: named backend instances, as
//! secretenv has them, for teams with more than one server of a kind. `NAME://…` references
//! resolve through the instance; a section named after a built-in scheme (`[backends.vault]`)
//! sets what the bare scheme uses instead of the environment's defaults.
//!
//! ```toml
//! [backends.vault-prod]
//! type = "vault"
//! address = "https://vault.example.com:8200"
//! namespace = "team-a"
//! token_file = "~/.vault-token-prod"
//!
//! [backends.aws-dev]
//! type = "aws-sm"
//! profile = "dev"
//! region = "eu-west-1"
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;

use home_secret_toml::value::BackendType;
use home_secret_toml::value::reference::is_scheme_name;

/// How long one backend may take to answer, unless its section says `timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// Every configured instance, by name, in the config file's order.
#[derive(Clone, Debug, Default)]
pub struct Backends {
    pub instances: IndexMap<String, Instance>,
}

/// One `[backends.NAME]` section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub settings: Settings,
    pub timeout: Duration,
}

impl Instance {
    pub fn kind(&self) -> BackendType {
        match self.settings {
            Settings::Vault(_) => BackendType::Vault,
            Settings::AwsSm(_) => BackendType::AwsSecretsManager,
            Settings::Op(_) => BackendType::OnePassword,
            Settings::Pass(_) => BackendType::Pass,
        }
    }

    /// The instance a bare built-in scheme uses when no section names it: the environment's.
    pub fn default_for(kind: BackendType) -> Self {
        let settings = match kind {
            BackendType::AwsSecretsManager => Settings::AwsSm(AwsSettings::default()),
            BackendType::OnePassword => Settings::Op(OpSettings::default()),
            BackendType::Pass => Settings::Pass(PassSettings::default()),
            _ => Settings::Vault(VaultSettings::default()),
        };
        Instance {
            settings,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// What each type of backend can be told; unset fields come from the environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settings {
    Vault(VaultSettings),
    AwsSm(AwsSettings),
    Op(OpSettings),
    Pass(PassSettings),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaultSettings {
    /// `VAULT_ADDR` (or `BAO_ADDR`) when unset.
    pub address: Option<String>,
    /// `VAULT_NAMESPACE` when unset.
    pub namespace: Option<String>,
    /// A file holding the token; `VAULT_TOKEN` (or `BAO_TOKEN`), then `~/.vault-token` when unset.
    pub token_file: Option<PathBuf>,
    /// A PEM file of the CA to trust instead of the system's roots; `VAULT_CACERT` when unset.
    pub ca_cert: Option<PathBuf>,
    #[serde(default, rename = "timeout")]
    timeout_secs: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsSettings {
    /// `--profile`: the `aws` CLI's own default when unset.
    pub profile: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--endpoint-url` (`AWS_ENDPOINT_URL` works without it).
    pub endpoint_url: Option<String>,
    #[serde(default, rename = "timeout")]
    timeout_secs: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpSettings {
    /// `--account`, for users signed in to more than one 1Password account.
    pub account: Option<String>,
    #[serde(default, rename = "timeout")]
    timeout_secs: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassSettings {
    /// `PASSWORD_STORE_DIR` for this instance.
    pub store_dir: Option<PathBuf>,
    #[serde(default, rename = "timeout")]
    timeout_secs: Option<u64>,
}

impl Settings {
    fn timeout_secs(&self) -> Option<u64> {
        match self {
            Settings::Vault(s) => s.timeout_secs,
            Settings::AwsSm(s) => s.timeout_secs,
            Settings::Op(s) => s.timeout_secs,
            Settings::Pass(s) => s.timeout_secs,
        }
    }
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    backends: IndexMap<String, toml::Spanned<toml::Table>>,
}

impl Backends {
    /// The `[backends]` of the user's config file; none when there is no file.
    pub fn load() -> Result<Self, String> {
        let Some(path) = home_secret_toml::encrypted::keys::config_path() else {
            return Ok(Self::default());
        };
        let limit = home_secret_toml::limits::MAX_CONFIG_FILE;
        match home_secret_toml::small_file::read_text(&path, limit) {
            Ok(text) => Self::from_text(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("{}: {e}", shown(&path))),
        }
    }

    /// Errors are one line: `FILE:LINE:COLUMN: what is wrong`.
    pub fn from_text(path: &Path, text: &str) -> Result<Self, String> {
        let at = |offset: usize, message: &str| {
            let (line, column) = home_secret_toml::source::line_col_in(text, offset);
            format!("{}:{line}:{column}: {message}", shown(path))
        };
        let file: ConfigFile = toml::from_str(text)
            .map_err(|e| at(e.span().map_or(0, |s| s.start), e.message().trim()))?;
        let mut instances = IndexMap::new();
        for (name, section) in file.backends {
            let start = section.span().start;
            let instance = instance(&name, section.into_inner())
                .map_err(|(field, why)| at(place_of(text, start, field.as_deref()), &why))?;
            instances.insert(name, instance);
        }
        Ok(Self { instances })
    }

    /// The instance `scheme` resolves through.
    pub fn instance(&self, scheme: &str) -> Option<Instance> {
        self.instances
            .get(scheme)
            .cloned()
            .or_else(|| BackendType::from_name(scheme).map(Instance::default_for))
    }

    /// The configured names that are not built-in schemes (what a parse must learn).
    pub fn named_schemes(&self) -> Vec<String> {
        self.instances
            .keys()
            .filter(|n| BackendType::from_name(n).is_none())
            .cloned()
            .collect()
    }
}

/// Schemes of ordinary URLs, which a backend may not be named after: a database URL or a
/// webhook with a password in it is a secret, and must never become a "reference" shown as it is.
const URL_SCHEMES: [&str; 44] = [
    "http",
    "https",
    "ftp",
    "ftps",
    "sftp",
    "ssh",
    "git",
    "svn",
    "file",
    "data",
    "mailto",
    "ldap",
    "ldaps",
    "smtp",
    "smtps",
    "imap",
    "imaps",
    "pop3",
    "pop3s",
    "ws",
    "wss",
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "redis",
    "rediss",
    "mongodb",
    "amqp",
    "amqps",
    "mqtt",
    "mqtts",
    "nats",
    "kafka",
    "memcached",
    "sqlite",
    "mssql",
    "sqlserver",
    "oracle",
    "jdbc",
    "s3",
    "gs",
    "az",
    "tcp",
];

/// The longest `timeout` a backend may have, in seconds.
const MAX_TIMEOUT_SECS: u64 = 3600;

/// One `[backends.NAME]` section checked: `Err((the field to point at, why))`.
fn instance(name: &str, table: toml::Table) -> Result<Instance, (Option<String>, String)> {
    // A name that is not a scheme is shown quoted (it may hold a line break).
    let shown_name = if is_scheme_name(name) {
        name.to_string()
    } else {
        format!("{name:?}")
    };
    let whole = |why: String| (None, format!("backends.{shown_name}: {why}"));
    if !is_scheme_name(name) {
        return Err(whole(
            "a backend's name is its references' scheme: lowercase letters, digits and -, \
             starting with a letter"
                .into(),
        ));
    }
    if URL_SCHEMES.contains(&name) {
        return Err(whole(format!(
            "{name}:// is an ordinary URL scheme (such a URL with a password in it is a \
             secret, not a reference); name the backend otherwise"
        )));
    }
    let types = "the types are vault, aws-sm, op and pass";
    let kind = match table.get("type") {
        None => return Err(whole(format!("a backend needs a type ({types})"))),
        Some(toml::Value::String(t)) => BackendType::from_name(t).ok_or_else(|| {
            (
                Some("type".to_string()),
                format!("backends.{name}: unknown backend type \"{t}\"; {types}"),
            )
        })?,
        Some(_) => {
            let why = format!("backends.{name}: type is a name in quotes; {types}");
            return Err((Some("type".into()), why));
        }
    };
    if let Some(built_in) = BackendType::from_name(name)
        && built_in != kind
    {
        return Err(whole(format!(
            "the {name}:// scheme is a {built_in} backend; type = \"{kind}\" needs another name"
        )));
    }
    let mut fields = table;
    fields.remove("type");
    let value = toml::Value::Table(fields);
    let settings = match kind {
        BackendType::AwsSecretsManager => value.try_into().map(Settings::AwsSm),
        BackendType::OnePassword => value.try_into().map(Settings::Op),
        BackendType::Pass => value.try_into().map(Settings::Pass),
        _ => value.try_into().map(Settings::Vault),
    }
    .map_err(|e| serde_problem(name, &e.to_string()))?;
    let timeout = match settings.timeout_secs() {
        None => DEFAULT_TIMEOUT,
        Some(secs @ 1..=MAX_TIMEOUT_SECS) => Duration::from_secs(secs),
        Some(_) => {
            let why = format!("backends.{name}.timeout: seconds from 1 to {MAX_TIMEOUT_SECS}");
            return Err((Some("timeout".into()), why));
        }
    };
    Ok(Instance { timeout, settings })
}

/// serde's message as one line, and the field it is about (`in `timeout``, or the unknown one).
fn serde_problem(name: &str, full: &str) -> (Option<String>, String) {
    let first = full.lines().next().unwrap_or_default().trim();
    let within = full
        .lines()
        .find_map(|l| l.trim().strip_prefix("in `")?.strip_suffix('`'))
        .map(str::to_string);
    match within {
        Some(field) => {
            let why = format!("backends.{name}.{field}: {first}");
            (Some(field), why)
        }
        None => {
            let unknown = first
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
                .map(str::to_string);
            (unknown, format!("backends.{name}: {first}"))
        }
    }
}

/// Where `field` is set in the section that starts at `start` (the section itself without one).
fn place_of(text: &str, start: usize, field: Option<&str>) -> usize {
    let Some(field) = field else {
        return start;
    };
    let mut offset = start;
    for (i, line) in text
        .get(start..)
        .unwrap_or_default()
        .split_inclusive('\n')
        .enumerate()
    {
        let trimmed = line.trim_start();
        if i > 0 && trimmed.starts_with('[') {
            break;
        }
        if i > 0
            && let Some(rest) = trimmed.strip_prefix(field)
            && rest.trim_start().starts_with('=')
        {
            return offset + line.len() - trimmed.len();
        }
        offset += line.len();
    }
    start
}

fn shown(path: &Path) -> String {
    home_secret_toml::path::display(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Backends, String> {
        Backends::from_text(Path::new("/c/config.toml"), text)
    }

    #[test]
    fn instances_and_their_settings() {
        let backends = parse(
            "[age]\nidentity = \"x\"\n[backends.vault-prod]\ntype = \"vault\"\n\
             address = \"https://v:8200\"\nnamespace = \"team\"\ntimeout = 3\n\
             [backends.aws-dev]\ntype = \"aws-sm\"\nprofile = \"dev\"\nregion = \"eu-west-1\"\n",
        )
        .unwrap();
        let prod = backends.instance("vault-prod").unwrap();
        assert_eq!(prod.kind(), BackendType::Vault);
        assert_eq!(prod.timeout, Duration::from_secs(3));
        let Settings::Vault(v) = &prod.settings else {
            panic!("not vault")
        };
        assert_eq!(v.address.as_deref(), Some("https://v:8200"));
        assert_eq!(v.namespace.as_deref(), Some("team"));
        assert_eq!(
            backends.instance("aws-dev").unwrap().kind(),
            BackendType::AwsSecretsManager
        );
        assert_eq!(
            backends.instance("op").unwrap().kind(),
            BackendType::OnePassword
        );
        assert!(backends.instance("nope").is_none());
        assert_eq!(backends.named_schemes(), ["vault-prod", "aws-dev"]);
    }

    #[test]
    fn mistakes_are_one_line_with_their_place() {
        let cases = [
            (
                "[backends.x]\ntype = \"consul\"\n",
                "/c/config.toml:2:",
                "unknown backend type \"consul\"",
            ),
            (
                "[backends.x]\naddress = \"a\"\n",
                "/c/config.toml:",
                "needs a type",
            ),
            (
                "[backends.x]\ntype = \"vault\"\nadress = \"a\"\n",
                "/c/config.toml:",
                "adress",
            ),
            (
                "[backends.x]\ntype = \"aws-sm\"\nnamespace = \"a\"\n",
                "/c/config.toml:",
                "namespace",
            ),
            (
                "[backends.Prod]\ntype = \"vault\"\n",
                "/c/config.toml:",
                "lowercase",
            ),
            (
                "[backends.vault]\ntype = \"pass\"\n",
                "/c/config.toml:",
                "needs another name",
            ),
        ];
        for (text, place, why) in cases {
            let err = parse(text).unwrap_err();
            assert!(
                err.starts_with(place) && err.contains(why),
                "{text:?}: {err}"
            );
            assert!(!err.contains('\n'), "{err}");
        }
    }
}
