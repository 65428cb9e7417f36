//! `hst ls`: every listed key with its masked value.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::Failure;
use crate::cli::args::LsArgs;
use crate::terminal_text;
use home_secret_toml::file::SecretFile;
use home_secret_toml::query::Query;

pub fn run(args: &LsArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
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
        written = if terminal {
            let masked = masked.to_string();
            writeln!(
                out,
                "{} = \"{}\"",
                terminal_text::escaped(key),
                terminal_text::escaped(&masked)
            )
        } else {
            writeln!(out, "{key} = \"{masked}\"")
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
