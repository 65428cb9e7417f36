//! `hst run --dry-run`: every entry in one table (variable, where its value comes from, what
//! it is: a secret's mask, a default's literal), missing keys marked with the `hst set` that
//! fixes them. Never a secret value.

use std::io::{IsTerminal, Write};

use super::plan::{Origin, Plan};
use crate::manifest::Manifest;
use crate::terminal_text;
use home_secret_toml::path::display;

pub fn print(manifest: &Manifest, plan: &Plan, out: &mut dyn Write) -> std::io::Result<()> {
    // On a terminal, control characters from the files are shown escaped.
    let terminal = std::io::stdout().is_terminal();
    let shown = |text: &str| terminal_text::for_output(text, terminal).into_owned();
    if manifest.path.as_os_str().is_empty() {
        writeln!(out, "Variables from --env:")?;
    } else {
        writeln!(out, "Variables from {}:", shown(&display(&manifest.path)))?;
    }
    let rows: Vec<[String; 3]> = plan
        .rows
        .iter()
        .map(|r| [r.name.clone(), shown(&source(&r.origin)), shown(&r.shown)])
        .collect();
    let header = [
        "VARIABLE".to_string(),
        "SOURCE".to_string(),
        "VALUE".to_string(),
    ];
    let width = |i: usize| {
        rows.iter()
            .chain([&header])
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1) = (width(0), width(1));
    for [name, from, value] in std::iter::once(&header).chain(&rows) {
        writeln!(out, "  {name:<w0$}  {from:<w1$}  {value}")?;
    }
    let problems = plan.problems();
    if !problems.is_empty() {
        writeln!(
            out,
            "{} cannot be set, so hst run would run nothing:",
            count(problems.len())
        )?;
        for problem in problems.iter().take(super::MAX_LISTED) {
            writeln!(out, "  {}", shown(problem))?;
        }
    }
    Ok(())
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 variable".to_string()
    } else {
        format!("{n} variables")
    }
}

/// The SOURCE column.
fn source(origin: &Origin) -> String {
    match origin {
        Origin::Key { key, line: Some(l) } => format!("key {key} (line {l})"),
        Origin::Key { key, line: None } => format!("key {key}"),
        Origin::Default => "default".to_string(),
        Origin::Environment => "environment (kept)".to_string(),
        Origin::Missing {
            key,
            placeholder: true,
            ..
        } => format!("MISSING: {key} is a placeholder"),
        Origin::Missing { key, .. } => format!("MISSING: no key {key}"),
        Origin::OptionalMissing { key } => format!("optional, no key {key}: not set"),
        Origin::Unusable { key, .. } => format!("UNUSABLE: {key}"),
    }
}
