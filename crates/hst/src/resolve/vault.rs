//! HashiCorp Vault and OpenBao over their HTTP API: KV version 2 and version 1 mounts, told
//! apart the way Vault's own CLI does (`sys/internal/ui/mounts`), with the user's token
//! (`VAULT_TOKEN`, `BAO_TOKEN`, `~/.vault-token` or a configured token file), namespace and CA.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value as Json;
use zeroize::Zeroizing;

use super::config::VaultSettings;
use super::fetched::{Fetched, json_text};
use home_secret_toml::path::expand_tilde;
use home_secret_toml::value::SecretValue;

/// The most a response may hold: far above a KV secret.
const MAX_BODY: u64 = 1024 * 1024;

pub struct Vault {
    address: String,
    namespace: Option<String>,
    token_file: Option<PathBuf>,
    ca_cert: Option<PathBuf>,
    timeout: Duration,
}

impl Vault {
    pub fn new(settings: &VaultSettings, timeout: Duration) -> Self {
        let env = |names: [&str; 2]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
        };
        Vault {
            address: settings
                .address
                .clone()
                .or_else(|| env(["VAULT_ADDR", "BAO_ADDR"]))
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_string(),
            namespace: settings
                .namespace
                .clone()
                .or_else(|| env(["VAULT_NAMESPACE", "BAO_NAMESPACE"])),
            token_file: settings.token_file.as_deref().map(expand_tilde),
            ca_cert: settings
                .ca_cert
                .clone()
                .or_else(|| env(["VAULT_CACERT", "BAO_CACERT"]).map(PathBuf::from))
                .map(|p| expand_tilde(&p)),
            timeout,
        }
    }

    /// The secret at `path` (mount and path below it), every field of it.
    pub fn fetch(&self, path: &str) -> Result<Fetched, String> {
        if self.address.is_empty() {
            return Err(
                "VAULT_ADDR is not set (nor BAO_ADDR, nor an address in the config)".into(),
            );
        }
        let token = self.token()?;
        let agent = self.agent()?;
        let session = Session {
            vault: self,
            agent: &agent,
            token: &token,
        };
        let (mount, version) = session.mount_of(path)?;
        let below = path
            .strip_prefix(mount.as_str())
            .unwrap_or(path)
            .trim_start_matches('/');
        let fields = match version {
            Some(1) => session.read(path)?.remove("data"),
            Some(_) => session.read_v2(&mount, below).map_err(|m| m.at(path))?,
            // Not told: version 2 first (the default of a new mount), then version 1.
            None => match session.read_v2(&mount, below) {
                Err(Missing::NotFound) => session.read(path)?.remove("data"),
                other => other.map_err(|m| m.at(path))?,
            },
        };
        match fields {
            Some(Json::Object(map)) => Ok(Fetched::fields(
                map.into_iter()
                    .map(|(k, v)| (k, SecretValue::new(json_text(v))))
                    .collect(),
            )),
            _ => Err(format!("no secret at {path}")),
        }
    }

    /// Where the token comes from, in the order Vault's CLI looks.
    fn token(&self) -> Result<Zeroizing<String>, String> {
        let from_file = |path: &Path| {
            home_secret_toml::small_file::read_text(path, 64 * 1024)
                .map(|t| Zeroizing::new(t.trim().to_string()))
                .map_err(|e| format!("cannot read the token file {}: {e}", shown(path)))
        };
        if let Some(file) = &self.token_file {
            let token = from_file(file)?;
            if token.is_empty() {
                return Err(format!("the token file {} is empty", shown(file)));
            }
            return Ok(token);
        }
        for name in ["VAULT_TOKEN", "BAO_TOKEN"] {
            if let Ok(token) = std::env::var(name)
                && !token.is_empty()
            {
                return Ok(Zeroizing::new(token));
            }
        }
        let default = home_secret_toml::path::home_dir().join(".vault-token");
        match from_file(&default) {
            Ok(token) if !token.is_empty() => Ok(token),
            _ => Err(
                "no token: set VAULT_TOKEN, or log in (vault login writes ~/.vault-token)".into(),
            ),
        }
    }

    fn agent(&self) -> Result<ureq::Agent, String> {
        use ureq::tls::{RootCerts, TlsConfig};
        let roots = match &self.ca_cert {
            Some(path) => {
                let pem = home_secret_toml::small_file::read_text(path, 1024 * 1024)
                    .map_err(|e| format!("cannot read the CA file {}: {e}", shown(path)))?;
                let certs: Vec<_> = ureq::tls::parse_pem(pem.as_bytes())
                    .filter_map(|item| match item {
                        Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                        _ => None,
                    })
                    .collect();
                if certs.is_empty() {
                    return Err(format!("no certificate in the CA file {}", shown(path)));
                }
                RootCerts::new_with_certs(&certs)
            }
            None => RootCerts::PlatformVerifier,
        };
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            .http_status_as_error(false)
            // A redirect would carry the token to wherever it points.
            .max_redirects(0)
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .build();
        Ok(config.new_agent())
    }
}

/// Why a read found nothing.
enum Missing {
    NotFound,
    Failed(String),
}

impl Missing {
    fn at(self, path: &str) -> String {
        match self {
            Missing::NotFound => format!("no secret at {path}"),
            Missing::Failed(why) => why,
        }
    }
}

struct Session<'a> {
    vault: &'a Vault,
    agent: &'a ureq::Agent,
    token: &'a str,
}

impl Session<'_> {
    /// The mount holding `path` and its KV version, when the token may ask.
    fn mount_of(&self, path: &str) -> Result<(String, Option<u8>), String> {
        let first = path.split('/').next().unwrap_or_default().to_string();
        match self.get(&format!("sys/internal/ui/mounts/{path}")) {
            Ok(mut body) => {
                let data = body.remove("data").unwrap_or_default();
                let mount = data["path"]
                    .as_str()
                    .map(|p| p.trim_end_matches('/').to_string());
                let version = match data["options"]["version"].as_str() {
                    Some("2") => Some(2),
                    _ => Some(1),
                };
                Ok(mount.map_or((first, None), |m| (m, version)))
            }
            Err(Missing::NotFound) => Ok((first, None)),
            // An older server or a token without this right: guess from the path.
            Err(Missing::Failed(why)) if why.contains("403") => Ok((first, None)),
            Err(Missing::Failed(why)) => Err(why),
        }
    }

    fn read_v2(&self, mount: &str, below: &str) -> Result<Option<Json>, Missing> {
        let mut body = self.get(&format!("{mount}/data/{below}"))?;
        Ok(body
            .remove("data")
            .and_then(|mut d| d.get_mut("data").map(Json::take)))
    }

    fn read(&self, path: &str) -> Result<serde_json::Map<String, Json>, String> {
        self.get(path).map_err(|m| m.at(path))
    }

    /// `GET /v1/{path}`: the body as JSON, or why not (Vault's own `errors`).
    fn get(&self, path: &str) -> Result<serde_json::Map<String, Json>, Missing> {
        let vault = self.vault;
        let url = format!("{}/v1/{}", vault.address, encode_path(path));
        let mut request = self
            .agent
            .get(&url)
            .header("X-Vault-Token", self.token)
            .header("X-Vault-Request", "true");
        if let Some(ns) = &vault.namespace {
            request = request.header("X-Vault-Namespace", ns);
        }
        let mut response = request
            .call()
            .map_err(|e| Missing::Failed(self.failed(&e)))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map(Zeroizing::new)
            .map_err(|e| Missing::Failed(self.failed(&e)))?;
        let json: Option<serde_json::Map<String, Json>> = serde_json::from_slice(&body).ok();
        match status {
            200 => json.ok_or_else(|| {
                Missing::Failed(format!(
                    "vault at {} answered with something that is not JSON",
                    vault.address
                ))
            }),
            404 if errors(json.as_ref()).is_empty() => Err(Missing::NotFound),
            _ => {
                let said = errors(json.as_ref());
                let said = if said.is_empty() {
                    String::new()
                } else {
                    format!(": {said}")
                };
                Err(Missing::Failed(format!(
                    "vault at {} answered {status}{said}",
                    vault.address
                )))
            }
        }
    }

    fn failed(&self, e: &ureq::Error) -> String {
        let vault = self.vault;
        match e {
            ureq::Error::Timeout(_) => format!(
                "vault at {} did not answer within {} s",
                vault.address,
                vault.timeout.as_secs_f64()
            ),
            other => format!("cannot reach vault at {}: {other}", vault.address),
        }
    }
}

/// Vault's `{"errors": [...]}`, joined (its words, never a value).
fn errors(json: Option<&serde_json::Map<String, Json>>) -> String {
    let Some(Json::Array(items)) = json.and_then(|j| j.get("errors")) else {
        return String::new();
    };
    let words: Vec<String> = items
        .iter()
        .filter_map(Json::as_str)
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    words.join("; ")
}

/// Each part of a path percent-encoded, the `/` between them kept (it is written into the URL).
fn encode_path(path: &str) -> String {
    let parts: Vec<String> = path.split('/').map(crate::scan::percent_encode).collect();
    parts.join("/")
}

fn shown(path: &Path) -> String {
    home_secret_toml::path::display(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_for_the_url() {
        assert_eq!(encode_path("secret/a b/ü?x"), "secret/a%20b/%C3%BC%3Fx");
        assert_eq!(encode_path("kv/team-a/db_1.x~"), "kv/team-a/db_1.x~");
    }

    #[test]
    fn vault_errors_are_joined() {
        let json: serde_json::Map<String, Json> =
            serde_json::from_str(r#"{"errors":["permission denied","1 error\noccurred"]}"#)
                .unwrap();
        assert_eq!(errors(Some(&json)), "permission denied; 1 error occurred");
    }
}
