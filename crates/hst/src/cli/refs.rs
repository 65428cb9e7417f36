//! `hst refs ls` and `hst refs check`: the file's references to secrets kept by backends.
//! `check` fetches every one (in parallel, once per secret) and prints only whether it
//! resolved: a team's CI can gate on its file still pointing at real secrets.

use std::io::Write;
use std::path::Path;

use super::Failure;
use crate::cli::args::{RefsAction, RefsArgs};
use crate::terminal_text::escaped;
use home_secret_toml::value::{Reference, Resolve};

pub fn run(args: &RefsArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let file = super::load(path, super::NotFound::Stderr)?;
    let references: Vec<(&str, &Reference)> = file
        .entries()
        .iter()
        .filter_map(|e| e.value.as_reference().map(|r| (e.key.dotted(), r)))
        .collect();
    if references.is_empty() {
        writeln!(
            out,
            "No references in {}",
            home_secret_toml::path::display(path)
        )?;
        return Ok(());
    }
    let resolver = crate::resolve::resolver();
    match args.action {
        None | Some(RefsAction::Ls) => {
            for (key, reference) in &references {
                let backend = resolver.describe(reference);
                writeln!(
                    out,
                    "{} = \"{}\"  # {backend}",
                    escaped(key),
                    escaped(reference.uri())
                )?;
            }
            Ok(())
        }
        Some(RefsAction::Check) => check(&references, out),
    }
}

fn check(references: &[(&str, &Reference)], out: &mut dyn Write) -> Result<(), Failure> {
    let resolver = crate::resolve::resolver();
    resolver.prefetch(references.iter().map(|(_, r)| *r));
    let mut broken = 0usize;
    for (key, reference) in references {
        // The value is dropped at once: only whether it came is printed.
        match resolver.resolve(reference) {
            Ok(_) => writeln!(
                out,
                "ok      {}  {}",
                escaped(key),
                escaped(reference.uri())
            )?,
            Err(why) => {
                broken += 1;
                writeln!(
                    out,
                    "BROKEN  {}  {}: {}",
                    escaped(key),
                    escaped(reference.uri()),
                    escaped(&why.reason)
                )?;
            }
        }
    }
    let total = references.len();
    let noun = if total == 1 {
        "reference"
    } else {
        "references"
    };
    writeln!(
        out,
        "{total} {noun}: {} resolved, {broken} broken",
        total - broken
    )?;
    match broken {
        0 => Ok(()),
        _ => Err(Failure::Exit(1)),
    }
}
