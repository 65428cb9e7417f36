//! The backends reached through their own command-line tools, so that every way their users
//! sign in works as it does for them: `aws secretsmanager get-secret-value` (profiles, SSO,
//! `AWS_ENDPOINT_URL`), `op read` (1Password's session and biometric unlock), `pass show`.
//! Each gets the secret's name as an argument (a name is not a secret) and gives the value on
//! its stdout, read into memory only.

use std::process::Command;
use std::time::Duration;

use zeroize::Zeroizing;

use super::child;
use super::config::{AwsSettings, OpSettings, PassSettings};
use super::fetched::{Fetched, json_fields};
use home_secret_toml::value::SecretValue;

/// `aws secretsmanager get-secret-value --secret-id ID`: the secret string (or binary, as
/// text); its keys are fields when it is a JSON object.
pub fn aws(settings: &AwsSettings, id: &str, timeout: Duration) -> Result<Fetched, String> {
    let mut command = Command::new("aws");
    command.args([
        "secretsmanager",
        "get-secret-value",
        "--output",
        "json",
        "--secret-id",
        id,
    ]);
    for (flag, value) in [
        ("--profile", &settings.profile),
        ("--region", &settings.region),
        ("--endpoint-url", &settings.endpoint_url),
    ] {
        if let Some(value) = value {
            command.args([flag, value]);
        }
    }
    // Never a pager or a prompt: nobody is there to answer.
    command.env("AWS_PAGER", "");
    let out = child::output(command, timeout)?;
    let answer: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&out)
        .map_err(|_| "aws printed something that is not its JSON answer".to_string())?;
    let text = match (answer.get("SecretString"), answer.get("SecretBinary")) {
        (Some(serde_json::Value::String(s)), _) => SecretValue::new(s.as_str()),
        (_, Some(serde_json::Value::String(b64))) => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| format!("{id}'s SecretBinary is not base64"))?;
            SecretValue::new(
                String::from_utf8(bytes).map_err(|_| format!("{id}'s SecretBinary is not text"))?,
            )
        }
        _ => return Err(format!("{id} has no SecretString")),
    };
    Ok(Fetched {
        fields: json_fields(text.expose()),
        text: Some(text),
        names_private: false,
    })
}

/// `op read op://…`: one field, as 1Password's CLI reads it.
pub fn op(settings: &OpSettings, uri: &str, timeout: Duration) -> Result<Fetched, String> {
    let mut command = Command::new("op");
    command.args(["read", "--no-newline"]);
    if let Some(account) = &settings.account {
        command.args(["--account", account]);
    }
    command.arg(uri);
    let text = text_of(&child::output(command, timeout)?, "op")?;
    // --no-newline: what op prints is the value, trailing line breaks of its own included.
    Ok(Fetched {
        text: Some(SecretValue::new(text.as_str())),
        ..Fetched::default()
    })
}

/// `pass show ENTRY`: the first line is the value; later `name: value` lines are fields, the
/// convention of pass's own extensions and browser plugins.
pub fn pass(settings: &PassSettings, entry: &str, timeout: Duration) -> Result<Fetched, String> {
    let mut command = Command::new("pass");
    command.args(["show", "--", entry]);
    if let Some(dir) = &settings.store_dir {
        command.env(
            "PASSWORD_STORE_DIR",
            home_secret_toml::path::expand_tilde(dir),
        );
    }
    let text = text_of(&child::output(command, timeout)?, "pass")?;
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let fields = lines.filter_map(pass_field).collect();
    Ok(Fetched {
        text: Some(SecretValue::new(first)),
        fields,
        names_private: true,
    })
}

/// A `name: value` line of a pass entry; an `otpauth://` line is the field `otpauth` (as
/// pass-otp keeps it).
fn pass_field(line: &str) -> Option<(String, SecretValue)> {
    if line.starts_with("otpauth://") {
        return Some(("otpauth".to_string(), SecretValue::new(line.trim())));
    }
    let (name, value) = line.split_once(':')?;
    if name.is_empty() || name.contains(char::is_whitespace) || value.starts_with("//") {
        return None;
    }
    Some((name.to_string(), SecretValue::new(value.trim())))
}

/// A tool's output as text, in zeroizing memory.
fn text_of(out: &[u8], program: &str) -> Result<Zeroizing<String>, String> {
    std::str::from_utf8(out)
        .map(|t| Zeroizing::new(t.to_string()))
        .map_err(|_| format!("{program} printed something that is not text"))
}
