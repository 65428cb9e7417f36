//! `hst run [--env NAME=KEY]... [--manifest FILE] [--dry-run] -- COMMAND [ARGS]`: the secrets a
//! project's `hst.toml` names, put into a program's environment. Every entry is resolved before
//! anything runs (all missing keys reported at once); on Unix hst then becomes the program
//! (`exec`: same PID, signals, exit code and terminal), so no process of ours outlives the
//! start and no value is ever on a command line or printed.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::Failure;
use crate::cli::args::RunArgs;
use crate::manifest::{self, Format, Manifest, Source, Variable};
use crate::terminal_text;
use home_secret_toml::file::SecretFile;
use home_secret_toml::key_path::KeyPath;
use home_secret_toml::mask::mask;
use home_secret_toml::path::display;
use home_secret_toml::value::{SecretValue, TextForm, Value, text};

/// One variable, resolved.
struct Resolved {
    name: String,
    value: Zeroizing<String>,
    /// For `--dry-run`: the key path and its line, or `default`.
    from: String,
    masked: String,
}

pub fn run(args: &RunArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let manifest = manifest_for(args)?;
    let file = super::load(path, super::NotFound::Stderr)?;
    let resolved = resolve(&manifest, &file, path)?;
    drop(file);
    if args.dry_run {
        return print_plan(&manifest, &resolved, out);
    }
    out.flush()?;
    exec(&args.command, &resolved)
}

/// The manifest (given, or the nearest one), with the `--env` entries on top.
fn manifest_for(args: &RunArgs) -> Result<Manifest, Failure> {
    let found = match &args.manifest {
        Some(file) => Some(PathBuf::from(file)),
        None => std::env::current_dir()
            .ok()
            .and_then(|dir| manifest::find(&dir)),
    };
    let mut manifest = match &found {
        Some(file) => Manifest::load(file).map_err(Failure::Message)?,
        None if !args.env.is_empty() => Manifest::default(),
        None => {
            return Err(Failure::Message(format!(
                "no {} here or above, up to the repository root; write one (hst run --help \
                 shows the format) or name variables with --env NAME=KEY",
                manifest::FILE_NAME
            )));
        }
    };
    for pair in &args.env {
        let (name, key) = pair.split_once('=').ok_or_else(|| {
            Failure::Message(format!("--env wants NAME=KEY, got {}", shown(pair)))
        })?;
        manifest::check_name(name).map_err(|e| Failure::Message(format!("--env: {e}")))?;
        manifest::check_key(key).map_err(|e| Failure::Message(format!("--env {name}: {e}")))?;
        let variable = Variable {
            name: name.to_string(),
            source: Source::Key {
                key: key.to_string(),
                optional: false,
            },
            format: Format::Plain,
            line: 0,
        };
        match manifest.variables.iter_mut().find(|v| v.name == name) {
            Some(existing) => *existing = variable,
            None => manifest.variables.push(variable),
        }
    }
    Ok(manifest)
}

/// A key path for a message: keys are aliases, not secrets, but a stray one may be long.
fn shown(text: &str) -> String {
    home_secret_toml::python::repr_str(text)
}

/// Every variable's value, or every reason some cannot be had (nothing runs then).
fn resolve(manifest: &Manifest, file: &SecretFile, path: &Path) -> Result<Vec<Resolved>, Failure> {
    let mut resolved = Vec::new();
    let mut problems = Vec::new();
    let lines = lines_of_keys(manifest, file);
    let mut suggested = 0;
    for variable in &manifest.variables {
        let where_ = if variable.line > 0 {
            format!(" (line {} of {})", variable.line, manifest_name(manifest))
        } else {
            " (--env)".to_string()
        };
        match &variable.source {
            Source::Default(text) => resolved.push(Resolved {
                name: variable.name.clone(),
                masked: mask(&Value::String(SecretValue::new(text.as_str()))),
                value: Zeroizing::new(text.clone()),
                from: "default".to_string(),
            }),
            Source::Key { key, optional } => match file.lookup(key) {
                Ok(value) => match text_of(value, variable.format) {
                    Ok(text) => {
                        let line = lines
                            .get(key.as_str())
                            .map_or_else(String::new, |line| format!(" (line {line})"));
                        resolved.push(Resolved {
                            name: variable.name.clone(),
                            masked: mask(value),
                            value: text,
                            from: format!("{key}{line}"),
                        });
                    }
                    Err(why) => problems.push(format!("{}{where_}: {key} {why}", variable.name)),
                },
                Err(_) if *optional => {}
                Err(_) => {
                    // Suggestions cost a pass over every key: the first few missing keys get
                    // them, a manifest of thousands of missing keys does not take minutes.
                    let close = if suggested < MAX_SUGGESTED {
                        suggested += 1;
                        let keys = file.entries().iter().map(|e| e.key.dotted());
                        home_secret_toml::query::nearest::nearest(key, keys, 3)
                    } else {
                        Vec::new()
                    };
                    let hint = if close.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {}?", close.join(", "))
                    };
                    problems.push(format!("{}{where_}: no key {key}{hint}", variable.name));
                }
            },
        }
    }
    if problems.is_empty() {
        return Ok(resolved);
    }
    let count = problems.len();
    if count > MAX_LISTED_PROBLEMS {
        problems.truncate(MAX_LISTED_PROBLEMS);
        problems.push(format!("… and {} more", count - MAX_LISTED_PROBLEMS));
    }
    Err(Failure::Message(format!(
        "{count} of the variables cannot be set from {}, so nothing was run:\n  {}",
        display(path),
        problems.join("\n  ")
    )))
}

/// Missing keys that get "did you mean" suggestions, and problems listed one per line.
const MAX_SUGGESTED: usize = 20;
const MAX_LISTED_PROBLEMS: usize = 100;

/// The line of each key the manifest names, in one pass over the file's leaves.
fn lines_of_keys<'m>(
    manifest: &'m Manifest,
    file: &SecretFile,
) -> std::collections::HashMap<&'m str, usize> {
    let wanted: std::collections::HashMap<KeyPath, &str> = manifest
        .variables
        .iter()
        .filter_map(|v| match &v.source {
            Source::Key { key, .. } => Some((KeyPath::new(key.split('.')), key.as_str())),
            Source::Default(_) => None,
        })
        .collect();
    file.leaves()
        .filter_map(|leaf| wanted.get(&leaf.key).map(|key| (*key, leaf.line)))
        .collect()
}

fn manifest_name(manifest: &Manifest) -> String {
    display(&manifest.path)
}

/// A value as a variable holds it: a string as it is, a number, boolean or date as TOML writes
/// it; a table or array only as JSON, when the entry asks for it.
fn text_of(value: &Value, format: Format) -> Result<Zeroizing<String>, String> {
    let form = match format {
        Format::Plain => TextForm::Env,
        Format::Json => TextForm::Json,
    };
    text(value, form)
        .map(|t| Zeroizing::new(t.expose().to_string()))
        .map_err(|e| e.to_string())
}

/// `--dry-run`: name, source and masked value per variable; never a value.
fn print_plan(
    manifest: &Manifest,
    resolved: &[Resolved],
    out: &mut dyn Write,
) -> Result<(), Failure> {
    // On a terminal, control characters from the files are shown escaped.
    let terminal = std::io::stdout().is_terminal();
    let shown = |text: &str| terminal_text::for_output(text, terminal).into_owned();
    if manifest.path.as_os_str().is_empty() {
        writeln!(out, "Variables from --env:")?;
    } else {
        writeln!(out, "Variables from {}:", shown(&display(&manifest.path)))?;
    }
    let rows: Vec<(&str, String, String)> = resolved
        .iter()
        .map(|r| (r.name.as_str(), shown(&r.from), shown(&r.masked)))
        .collect();
    let name_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let from_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    for (name, from, masked) in rows {
        writeln!(
            out,
            "  {name:<name_width$}  from {from:<from_width$}  value {masked}"
        )?;
    }
    let skipped = manifest.variables.len() - resolved.len();
    if skipped > 0 {
        writeln!(
            out,
            "  ({skipped} optional variable(s) not in the file: not set)"
        )?;
    }
    Ok(())
}

/// Becomes the program (Unix), or runs it and passes its exit code on.
fn exec(command: &[OsString], resolved: &[Resolved]) -> Result<(), Failure> {
    let Some((program, args)) = command.split_first() else {
        return Err(Failure::Message("no command to run (after --)".to_string()));
    };
    let mut child = std::process::Command::new(program);
    child.args(args);
    for r in resolved {
        child.env(&r.name, r.value.as_str());
    }
    let name = program.to_string_lossy().into_owned();
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // The program gets the core limit hst started with; no value of the file is in the
        // new program's memory but its own environment.
        home_secret_toml::no_dumps::restore_for_exec();
        // Only returns on failure.
        let error = child.exec();
        Err(Failure::WithCode(
            127,
            format!("cannot run {name}: {error}"),
        ))
    }
    #[cfg(not(unix))]
    {
        let status = child
            .status()
            .map_err(|e| Failure::WithCode(127, format!("cannot run {name}: {e}")))?;
        std::process::exit(status.code().unwrap_or(1));
    }
}
