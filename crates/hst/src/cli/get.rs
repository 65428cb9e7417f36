//! `hst get KEY`: one value, raw (strings) or as Python's `repr` (everything else).

use std::io::Write;
use std::path::Path;

use super::Failure;
use crate::cli::args::GetArgs;
use crate::clipboard::{BackendSetting, Clipboard, Facts, Overrides, Settings};
use home_secret_toml::error::Error;
use home_secret_toml::python::repr_str;
use home_secret_toml::value::SecretValue;
use home_secret_toml::value::{TextForm, text};

pub fn run(args: &GetArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let non_empty = |k: &Option<String>| k.clone().filter(|k| !k.is_empty());
    let Some(key) = non_empty(&args.key).or_else(|| non_empty(&args.key_opt)) else {
        return Err(Failure::Message(
            "key is required. Use: hst get <key> or hst get --key <key>".to_string(),
        ));
    };
    let file = super::load(path, super::NotFound::Stderr)?;
    let value = match file.lookup(&key) {
        Ok(value) => value,
        Err(e @ Error::KeyNotFound { .. }) => {
            // The reference prints `str(KeyError(msg))`, which is `repr(msg)`.
            let mut message = repr_str(&e.to_string());
            // A second line only when some key is a near miss (a typo), so a key that is
            // simply absent keeps the reference's one line.
            let keys = file.entries().iter().map(|e| e.key.dotted());
            let close = home_secret_toml::query::nearest::nearest(&key, keys, 3);
            if !close.is_empty() {
                message.push_str(&format!("\nDid you mean: {}?", close.join(", ")));
            }
            return Err(Failure::Message(message));
        }
        Err(e) => return Err(e.into()),
    };
    // A string never fails the Get form, nor does anything else (Python's repr).
    let text = text(value, TextForm::Get).map_err(|e| Failure::Message(format!("{key} {e}")))?;
    if let Some(backend) = args.clipboard {
        return copy(&text, backend, args.clipboard_timeout);
    }
    out.write_all(text.expose().as_bytes())?;
    if !args.no_newline {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `Err` when no clipboard can take a copy here (checked before anything is changed).
pub(crate) fn clipboard_ready() -> Result<(), Failure> {
    let settings = Settings::resolve(Overrides::default()).map_err(Failure::Message)?;
    let tty = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/tty")
        .ok();
    crate::clipboard::choose::choose(settings.backend, Facts::from_env(tty.is_some()))
        .map(|_| ())
        .map_err(|e| Failure::Message(format!("{e}; nothing was written")))
}

/// `hst get -c`: the value goes to the clipboard (OSC 52 goes to the controlling terminal, so it
/// works with stdout redirected); only a confirmation is printed.
pub(crate) fn copy(
    text: &SecretValue,
    backend: Option<BackendSetting>,
    timeout: Option<u64>,
) -> Result<(), Failure> {
    let settings = Settings::resolve(Overrides {
        backend,
        timeout_secs: timeout,
    })
    .map_err(Failure::Message)?;
    let mut tty = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/tty")
        .ok();
    let clipboard = Clipboard::new(settings, Facts::from_env(tty.is_some()));
    let terminal = tty.as_mut().map(|t| t as &mut dyn Write);
    let copied = clipboard
        .copy(text, true, terminal)
        .map_err(|e| Failure::Message(e.to_string()))?;
    eprintln!("Copied to clipboard ({}).", copied.describe());
    Ok(())
}
