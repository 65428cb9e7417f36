//! `hst allow [MANIFEST]` and `hst deny [MANIFEST]`: which projects' `hst.toml` `hst run` may
//! read (see `run::trust`). `allow` shows every key the manifest reads before it asks.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::Failure;
use super::run::trust;
use crate::cli::args::AllowArgs;
use crate::manifest::{self, Manifest, Source};
use home_secret_toml::path::display;

pub fn allow(args: &AllowArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let file = manifest_path(args)?;
    let manifest = Manifest::load(&file).map_err(Failure::Message)?;
    let shown =
        |t: &str| crate::terminal_text::for_output(t, std::io::stdout().is_terminal()).into_owned();
    writeln!(
        out,
        "{} gives hst run these variables:",
        shown(&display(&file))
    )?;
    for variable in &manifest.variables {
        let from = match &variable.source {
            Source::Key { key, .. } => format!("key {key}"),
            Source::Default(text) => {
                format!("default {}", home_secret_toml::python::repr_str(text))
            }
        };
        writeln!(out, "  {}  ← {}", variable.name, shown(&from))?;
    }
    out.flush()?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(Failure::Message(
                "not on a terminal: add --yes to allow it without asking".to_string(),
            ));
        }
        let question = format!(
            "Let hst run hand {} to this project's programs? [y/N] ",
            super::run::keys_count(&manifest)
        );
        if !super::prompt::confirm(&question)? {
            eprintln!("Not allowed.");
            return Err(Failure::Exit(1));
        }
    }
    let allowed = trust::allow(&file).map_err(Failure::Message)?;
    eprintln!(
        "Allowed {} as it is now; any change to it needs hst allow again.",
        display(&allowed)
    );
    Ok(())
}

pub fn deny(args: &AllowArgs) -> Result<(), Failure> {
    let file = manifest_path(args)?;
    if trust::deny(&file).map_err(Failure::Message)? {
        eprintln!("{} is no longer allowed.", display(&file));
    } else {
        eprintln!("{} was not allowed.", display(&file));
    }
    Ok(())
}

fn manifest_path(args: &AllowArgs) -> Result<PathBuf, Failure> {
    match &args.manifest {
        Some(path) => Ok(PathBuf::from(path)),
        None => std::env::current_dir()
            .ok()
            .and_then(|dir| manifest::find(&dir))
            .ok_or_else(|| {
                Failure::Message(format!(
                    "no {} here or above, up to the repository root",
                    manifest::FILE_NAME
                ))
            }),
    }
}
