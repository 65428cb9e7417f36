//! Secrets in and out of the file: `hst import` (a `.env` file, a `pass` store, a 1Password
//! CSV export) adds keys under a prefix in one write, new keys only unless `--overwrite`, and
//! says how many, never what; `hst export` writes keys as dotenv or JSON to a pipe or a file.

mod dotenv;
mod sources;

use std::io::{IsTerminal, Write};
use std::path::Path;

use zeroize::Zeroizing;

use super::Failure;
use crate::cli::args::{ExportArgs, ExportFormat, ImportArgs, ImportFrom};
use home_secret_toml::edit::{self, InputType};
use home_secret_toml::file::SecretFile;
use home_secret_toml::key_path::KeyPath;
use home_secret_toml::value::{SecretValue, TextForm, Textual, text};

pub fn import(args: &ImportArgs, path: &Path) -> Result<(), Failure> {
    let found = read_source(args)?;
    let prefix: Vec<&str> = args.prefix.split('.').filter(|p| !p.is_empty()).collect();
    if prefix.is_empty() {
        return Err(Failure::Message(
            "--prefix names where the keys go (like apps.myproject)".to_string(),
        ));
    }
    let keys: Vec<(KeyPath, Zeroizing<String>)> = found
        .into_iter()
        .map(|(parts, value)| {
            let all = prefix.iter().map(|p| (*p).to_string()).chain(parts);
            (KeyPath::new(all), value)
        })
        .collect();
    super::load(path, super::NotFound::Stderr)?;
    let total = keys.len();
    let (added, replaced) = super::locked_edit::edit_file(
        path,
        |file| {
            let mut current = SecretFile::from_text(file.path(), file.text().to_string())
                .map_err(|e| edit::EditError::Refused(e.to_string()))?;
            let (mut added, mut replaced) = (0usize, 0usize);
            for (key, value) in &keys {
                let exists = current.leaf(key).is_some();
                if exists && !args.overwrite {
                    continue;
                }
                let (_, next) = edit::set_value(&current, key, value, Some(InputType::String))
                    .map_err(|e| edit::EditError::Refused(format!("{key}: {e}")))?;
                current = next;
                if exists { replaced += 1 } else { added += 1 }
            }
            Ok(((added, replaced), current))
        },
        "",
    )?;
    let skipped = total - added - replaced;
    let mut summary = format!(
        "Imported {total} {} under {}: {added} added",
        if total == 1 { "value" } else { "values" },
        args.prefix
    );
    if replaced > 0 {
        summary.push_str(&format!(", {replaced} replaced"));
    }
    if skipped > 0 {
        summary.push_str(&format!(
            ", {skipped} already there and kept (--overwrite replaces them)"
        ));
    }
    eprintln!("{summary}.");
    Ok(())
}

/// Everything the source holds, as key parts under the prefix and values.
fn read_source(args: &ImportArgs) -> Result<sources::Found, Failure> {
    let from = args.from.unwrap_or_else(|| match &args.source {
        Some(s) if Path::new(s).extension().is_some_and(|e| e == "csv") => ImportFrom::Onepassword,
        _ => ImportFrom::Dotenv,
    });
    let read = |file: &std::ffi::OsString| {
        home_secret_toml::small_file::read_text(
            Path::new(file),
            home_secret_toml::limits::MAX_CONFIG_FILE,
        )
        .map(Zeroizing::new)
        .map_err(|e| Failure::Message(format!("{}: {e}", Path::new(file).display())))
    };
    let needs_file = || {
        args.source
            .as_ref()
            .ok_or_else(|| Failure::Message("name the file to import".to_string()))
    };
    match from {
        ImportFrom::Dotenv => {
            let file = needs_file()?;
            let text = read(file)?;
            let pairs = dotenv::parse(&text, &|n| std::env::var(n).ok())
                .map_err(|e| Failure::Message(format!("{}: {e}", Path::new(file).display())))?;
            Ok(pairs
                .into_iter()
                .map(|(name, value)| (vec![sources::part(&name)], value))
                .collect())
        }
        ImportFrom::Onepassword => {
            let file = needs_file()?;
            let text = read(file)?;
            sources::onepassword_csv(&text)
                .map_err(|e| Failure::Message(format!("{}: {e}", Path::new(file).display())))
        }
        ImportFrom::Pass => {
            sources::pass_store(args.source.as_deref().map(Path::new)).map_err(Failure::Message)
        }
    }
}

pub fn export(args: &ExportArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    if std::io::stdout().is_terminal() && !args.force {
        return Err(Failure::Message(
            "hst export writes secret values, which on a terminal stay on screen and in the \
             scrollback; redirect it to a file or a program, or add --force"
                .to_string(),
        ));
    }
    let file = super::load(path, super::NotFound::Stderr)?;
    let prefix = args
        .prefix
        .as_deref()
        .map(|p| KeyPath::new(p.split('.').filter(|s| !s.is_empty())));
    let under = |key: &KeyPath| prefix.as_ref().is_none_or(|p| key.starts_with(p));
    let skip = prefix.as_ref().map_or(0, |p| p.segments().count());
    let entries: Vec<_> = file.entries().iter().filter(|e| under(&e.key)).collect();
    match args.format {
        ExportFormat::Json => {
            let object: serde_json::Map<String, serde_json::Value> = entries
                .iter()
                .map(|e| (relative(&e.key, skip, "."), e.value.json()))
                .collect();
            serde_json::to_writer_pretty(&mut *out, &object).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        ExportFormat::Dotenv => {
            let mut names: Vec<String> = Vec::new();
            for e in entries {
                let name = env_name(&relative(&e.key, skip, "_"));
                if names.contains(&name) {
                    return Err(Failure::Message(format!(
                        "two keys become the variable {name}; export a narrower --prefix"
                    )));
                }
                let form = if e.value.structure().is_some() {
                    TextForm::Json
                } else {
                    TextForm::Env
                };
                // An export moves the file's content: a reference as written (hst env
                // resolves it).
                let value = match e.value.as_reference() {
                    Some(reference) => SecretValue::new(reference.uri()),
                    None => text(&e.value, form)
                        .map_err(|err| Failure::Message(format!("{} {err}", e.key.dotted())))?,
                };
                writeln!(out, "{name}={}", super::run::dotenv_quote(value.expose()))?;
                names.push(name);
            }
        }
    }
    Ok(())
}

fn relative(key: &KeyPath, skip: usize, join: &str) -> String {
    key.segments().skip(skip).collect::<Vec<_>>().join(join)
}

/// An environment variable's name from key parts: upper case, other characters as `_`.
fn env_name(text: &str) -> String {
    let mut name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}
