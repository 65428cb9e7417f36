//! `hst get KEY`: one value, raw (strings) or as Python's `repr` (everything else), or in the
//! `--format` asked for.

use std::io::Write;
use std::path::Path;

use super::Failure;
use crate::cli::args::{GetArgs, GetFormat};
use crate::clipboard::{BackendSetting, Clipboard, Facts, Overrides, Settings};
use home_secret_toml::error::Error;
use home_secret_toml::file::SecretFile;
use home_secret_toml::python::repr_str;
use home_secret_toml::value::SecretValue;
use home_secret_toml::value::TextForm;

pub fn run(args: &GetArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let non_empty = |k: &Option<String>| k.clone().filter(|k| !k.is_empty());
    let Some(key) = non_empty(&args.key).or_else(|| non_empty(&args.key_opt)) else {
        return Err(Failure::Message(
            "key is required. Use: hst get <key> or hst get --key <key>".to_string(),
        ));
    };
    // One value is built, not the whole file's, and the file streams past, never held whole
    // (a million keys: 30 MB where the text and its key trie were 180 MB, in the same time).
    // Anything else (a table, an encrypted file), and every error, through the whole text.
    let found = match SecretFile::find_streamed(path, &key) {
        Some((value, _)) => {
            if let Some(warning) = home_secret_toml::edit::mode_warning(path) {
                eprintln!("Warning: {warning}");
            }
            Ok(value)
        }
        None => SecretFile::find(path, super::read(path, super::NotFound::Stderr)?, &key)?,
    };
    let value = match &found {
        Ok(value) => value,
        Err(file) => match file.lookup(&key) {
            Ok(value) => value,
            Err(e @ Error::KeyNotFound { .. }) => return Err(not_found_message(file, &key, &e)),
            Err(e) => return Err(e.into()),
        },
    };
    let form = form(args.format, args.clipboard.is_some());
    let text = match value.as_reference() {
        Some(reference) if args.no_resolve => {
            let written = home_secret_toml::Value::String(SecretValue::new(reference.uri()));
            home_secret_toml::value::text(&written, form)
                .map_err(|e| Failure::Message(format!("{key} {e}")))?
        }
        _ => crate::resolve::text(&key, value, form).map_err(Failure::Message)?,
    };
    if let Some(backend) = args.clipboard {
        return copy(&text, backend, args.clipboard_timeout);
    }
    out.write_all(text.expose().as_bytes())?;
    if !args.no_newline {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The reference's line for a missing key (`str(KeyError(msg))`, which is `repr(msg)`), and a
/// second line only when some key is a near miss, so a key that is simply absent keeps the
/// reference's one line.
pub(crate) fn not_found_message(file: &SecretFile, key: &str, e: &Error) -> Failure {
    let mut message = repr_str(&e.to_string());
    let keys = file.entries().iter().map(|e| e.key.dotted());
    let close = home_secret_toml::query::nearest::nearest(key, keys, 3);
    if !close.is_empty() {
        message.push_str(&format!("\nDid you mean: {}?", close.join(", ")));
    }
    Failure::Message(message)
}

/// The text form of `--format`. What goes to the clipboard is text to paste somewhere, so it is
/// never Python's repr: raw text unless TOML or JSON is asked for.
fn form(format: Option<GetFormat>, copying: bool) -> TextForm {
    match format {
        Some(GetFormat::Toml) => TextForm::Literal,
        Some(GetFormat::Json) => TextForm::Json,
        Some(GetFormat::Raw) => TextForm::Toml,
        Some(GetFormat::Python) | None if copying => TextForm::Toml,
        Some(GetFormat::Python) | None => TextForm::Get,
    }
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
