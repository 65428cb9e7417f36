//! `hst ls`: every listed key with its masked value.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::Failure;
use crate::cli::args::{LsArgs, LsFormat};
use crate::terminal_text;
use home_secret_toml::file::{Masked, SecretFile};
use home_secret_toml::query::Query;

pub fn run(args: &LsArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    if args.format == LsFormat::Json {
        return json(args, path, out);
    }
    let snapshot = super::read(path, super::NotFound::Stdout)?;
    // `--query ""` is the same as no query.
    let raw_query = args.query.as_deref().filter(|q| !q.is_empty());
    let query = raw_query.map(Query::parse).unwrap_or_default();
    let mut printed = 0usize;
    // On a terminal, control characters in keys and masks are shown escaped (a key could
    // otherwise set the window title); through a pipe the bytes stay the Python tool's.
    let terminal = std::io::stdout().is_terminal();
    // Streamed: no entry is built for a flat file (a million keys in a few hundred MB).
    let mut written = Ok(());
    SecretFile::for_each_listed(path, snapshot, |key, masked| {
        if written.is_err() || !query.is_empty() && !query.matches(key) {
            return;
        }
        // A reference is shown as written (it is not a secret), marked as one.
        let mark = match masked {
            Masked::Reference(_) => " # reference",
            _ => "",
        };
        written = if terminal {
            let masked = masked.to_string();
            writeln!(
                out,
                "{} = \"{}\"{mark}",
                terminal_text::escaped(key),
                terminal_text::escaped(&masked)
            )
        } else {
            writeln!(out, "{key} = \"{masked}\"{mark}")
        };
        printed += 1;
    })?;
    written?;
    if printed == 0 {
        match raw_query {
            Some(q) => writeln!(out, "No secrets found matching \"{q}\"")?,
            None => writeln!(out, "No secrets found")?,
        }
    }
    Ok(())
}

/// `hst ls --format json`: an array of `{key, masked, type, line}` for scripts; never a value.
/// Everything but the array goes to stderr (a missing file too), so stdout is always JSON.
fn json(args: &LsArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let file = super::load(path, super::NotFound::Stderr)?;
    let query = args
        .query
        .as_deref()
        .filter(|q| !q.is_empty())
        .map(Query::parse)
        .unwrap_or_default();
    let rows: Vec<serde_json::Value> = file
        .entries()
        .iter()
        .filter(|e| query.is_empty() || query.matches(e.key.dotted()))
        .map(|e| {
            let mut row = serde_json::json!({
                "key": e.key.dotted(),
                "masked": home_secret_toml::mask::mask(&e.value),
                "type": e.value.kind().name(),
                "line": e.line,
            });
            if let Some(reference) = e.value.as_reference() {
                row["reference"] = reference.uri().into();
            }
            row
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}
