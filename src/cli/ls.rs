//! `hst ls`: every listed key with its masked value.

use std::io::Write;
use std::path::Path;

use super::Failure;
use crate::cli::args::LsArgs;
use crate::core::mask::mask;
use crate::core::query::Query;

pub fn run(args: &LsArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let file = super::load(path, super::NotFound::Stdout)?;
    // `--query ""` is the same as no query.
    let raw_query = args.query.as_deref().filter(|q| !q.is_empty());
    let query = raw_query.map(Query::parse).unwrap_or_default();
    let mut printed = 0usize;
    for entry in file.entries() {
        if !query.is_empty() && !query.matches(entry.key.dotted()) {
            continue;
        }
        writeln!(out, "{} = \"{}\"", entry.key, mask(&entry.value))?;
        printed += 1;
    }
    if printed == 0 {
        match raw_query {
            Some(q) => writeln!(out, "No secrets found matching \"{q}\"")?,
            None => writeln!(out, "No secrets found")?,
        }
    }
    // The process ends now: freeing every entry one by one would cost more than the listing.
    std::mem::forget(file);
    Ok(())
}
