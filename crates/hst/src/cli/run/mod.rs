//! `hst run [--env NAME=KEY]... [--manifest FILE] [--dry-run] -- COMMAND [ARGS]`: the secrets a
//! project's `hst.toml` names, put into a program's environment. Every entry is resolved before
//! anything runs (all missing keys reported at once); on Unix hst then becomes the program
//! (`exec`: same PID, signals, exit code and terminal), so no process of ours outlives the
//! start and no value is ever on a command line or printed.

//!
//! A manifest hst finds by itself runs only once allowed ([`trust`]); the plan of each variable
//! is made in [`plan`]; `--dry-run` prints it ([`table`]); `--mask-output` runs the program
//! through pipes that hide the secrets ([`masked`]); `hst env` writes the same variables for a
//! shell ([`shell`]).

pub(crate) mod masked;
pub(crate) mod plan;
mod shell;
mod table;
pub(crate) mod trust;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::Failure;
use crate::cli::args::{EnvArgs, RunArgs};
use crate::manifest::{self, Format, Manifest, Source, Variable};
use home_secret_toml::file::SecretFile;
use home_secret_toml::path::display;
use plan::{Keys, Plan};
pub(crate) use shell::dotenv_quote;

/// Problems listed one per line (a manifest of thousands of missing keys stays readable).
const MAX_LISTED: usize = 100;

pub fn run(args: &RunArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let here = std::env::current_dir()?;
    let (manifest, mut plan) = prepare(
        &args.env,
        args.manifest.as_ref(),
        &args.keep_env,
        &here,
        path,
    )?;
    if args.dry_run {
        table::print(&manifest, &plan, out)?;
        return match plan.problems().len() {
            0 => Ok(()),
            _ => Err(Failure::Exit(1)),
        };
    }
    plan.resolve();
    let refused = refuse_problems(&plan, path);
    let outcome = refused
        .as_ref()
        .map(|_| ())
        .map_err(|_| "refused: keys missing".to_string());
    crate::audit::note("run", &plan.keys_read(), Some(path), outcome);
    refused?;
    out.flush()?;
    let Some((program, rest)) = args.command.split_first() else {
        return Err(Failure::Message("no command to run (after --)".to_string()));
    };
    let found = on_callers_path(program);
    let vars: Vec<(&str, &str)> = plan.to_set().collect();
    if args.mask_output {
        let masker = masked::Masker::new(&plan.secrets()).map_err(Failure::Message)?;
        return match masked::run(&found, program, rest, &vars, masker, out)? {
            0 => Ok(()),
            code => Err(Failure::Exit(code)),
        };
    }
    exec(&found, program, rest, &vars)
}

/// The manifest for the folder `here` and the plan of its variables; in agent mode, only the
/// keys a person granted for `here` are injected.
pub(crate) fn prepare(
    env: &[String],
    manifest: Option<&OsString>,
    keep_env: &[String],
    here: &Path,
    path: &Path,
) -> Result<(Manifest, Plan), Failure> {
    let manifest = manifest_for(env, manifest, here)?;
    let mut plan = plan_for(&manifest, keep_env, path)?;
    if crate::agent::detect().is_some() {
        let grants = crate::cli::grant::current();
        let here = std::fs::canonicalize(here).unwrap_or_else(|_| here.to_path_buf());
        plan.restrict(|key| crate::cli::grant::allows(&grants, key, &here));
    }
    Ok((manifest, plan))
}

/// `hst env`: the same variables, written for a shell or a file to read.
pub fn env(args: &EnvArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    if std::io::stdout().is_terminal() && !args.force {
        return Err(Failure::Message(
            "hst env writes secret values, which on a terminal stay on screen and in the \
             scrollback; use it as eval \"$(hst env)\", redirect it, or add --force"
                .to_string(),
        ));
    }
    let here = std::env::current_dir()?;
    let (_, mut plan) = prepare(
        &args.env,
        args.manifest.as_ref(),
        &args.keep_env,
        &here,
        path,
    )?;
    plan.resolve();
    refuse_problems(&plan, path)?;
    crate::audit::note("env", &plan.keys_read(), Some(path), Ok(()));
    let vars: Vec<(&str, &str)> = plan.to_set().collect();
    shell::write(args.format, &vars, out)?;
    Ok(())
}

/// The plan for a trusted manifest, against the secrets file and this environment.
fn plan_for(manifest: &Manifest, keep_env: &[String], path: &Path) -> Result<Plan, Failure> {
    let snapshot = super::read(path, super::NotFound::Stderr)?;
    let wanted: Vec<&str> = manifest
        .variables
        .iter()
        .filter_map(|v| match &v.source {
            Source::Key { key, .. } => Some(key.as_str()),
            Source::Default(_) => None,
        })
        .collect();
    let env = |name: &str| std::env::var_os(name);
    // Only the manifest's keys are built when the scanner finds them all (the usual case).
    match SecretFile::find_each(path, snapshot, &wanted)? {
        Ok(found) => {
            let found = wanted.iter().map(|k| k.to_string()).zip(found).collect();
            Ok(Plan::make(manifest, &Keys::Found(found), keep_env, &env))
        }
        Err(file) => Ok(Plan::make(manifest, &Keys::File(&file), keep_env, &env)),
    }
}

/// Nothing runs while any variable cannot be set; all are reported at once.
pub(crate) fn refuse_problems(plan: &Plan, path: &Path) -> Result<(), Failure> {
    let mut problems = plan.problems();
    if problems.is_empty() {
        return Ok(());
    }
    let count = problems.len();
    if count > MAX_LISTED {
        problems.truncate(MAX_LISTED);
        problems.push(format!("… and {} more", count - MAX_LISTED));
    }
    Err(Failure::Message(format!(
        "{count} of the variables cannot be set from {}, so nothing was run:\n  {}",
        display(path),
        problems.join("\n  ")
    )))
}

/// The manifest (given, or the nearest one), with the `--env` entries on top. One hst found by
/// itself must have been allowed (`hst allow`) as it is now; `--manifest` and `--env` were
/// typed by the user.
fn manifest_for(
    env: &[String],
    given: Option<&OsString>,
    here: &Path,
) -> Result<Manifest, Failure> {
    let found = match given {
        Some(file) => Some(here.join(file)),
        None => manifest::find(here),
    };
    let mut manifest = match &found {
        Some(file) => Manifest::load(file).map_err(Failure::Message)?,
        None if !env.is_empty() => Manifest::default(),
        None => {
            return Err(Failure::Message(format!(
                "no {} here or above, up to the repository root; write one (hst run --help \
                 shows the format) or name variables with --env NAME=KEY",
                manifest::FILE_NAME
            )));
        }
    };
    if given.is_none()
        && let Some(file) = &found
        && !trust::is_allowed(file).map_err(Failure::Message)?
    {
        return Err(Failure::Message(format!(
            "{} is not allowed yet: it hands {} to this project's programs. Read it, then run \
             hst allow (needed again after every change to it)",
            display(file),
            keys_count(&manifest)
        )));
    }
    for pair in env {
        add_env(&mut manifest, pair)?;
    }
    Ok(manifest)
}

/// One `--env NAME=KEY`, over the manifest's entry of that name.
fn add_env(manifest: &mut Manifest, pair: &str) -> Result<(), Failure> {
    let (name, key) = pair
        .split_once('=')
        .ok_or_else(|| Failure::Message(format!("--env wants NAME=KEY, got {}", shown(pair))))?;
    manifest::check_name(name).map_err(|e| Failure::Message(format!("--env: {e}")))?;
    manifest::check_key(key).map_err(|e| Failure::Message(format!("--env {name}: {e}")))?;
    if manifest::is_forbidden(name) {
        eprintln!(
            "Warning: --env {name} changes how programs run (the command itself is still looked \
             up on hst's own PATH)"
        );
    }
    let variable = Variable {
        name: name.to_string(),
        source: Source::Key {
            key: key.to_string(),
            optional: false,
            default: None,
            keep_env: false,
        },
        format: Format::Plain,
        line: 0,
    };
    match manifest.variables.iter_mut().find(|v| v.name == name) {
        Some(existing) => *existing = variable,
        None => manifest.variables.push(variable),
    }
    Ok(())
}

/// "3 keys of your secrets file", for messages.
pub(crate) fn keys_count(manifest: &Manifest) -> String {
    let n = manifest
        .variables
        .iter()
        .filter(|v| matches!(v.source, Source::Key { .. }))
        .count();
    if n == 1 {
        "1 key of your secrets file".to_string()
    } else {
        format!("{n} keys of your secrets file")
    }
}

/// A key path for a message: keys are aliases, not secrets, but a stray one may be long.
fn shown(text: &str) -> String {
    home_secret_toml::python::repr_str(text)
}

/// The program looked up on the `PATH` hst was started with (`--env PATH=…` changes only the
/// program's own environment, never which program runs).
fn on_callers_path(program: &OsString) -> OsString {
    let name = Path::new(program);
    if name.components().count() != 1 {
        return program.clone();
    }
    let Some(search) = std::env::var_os("PATH") else {
        return program.clone();
    };
    std::env::split_paths(&search)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
        .map_or_else(|| program.clone(), PathBuf::into_os_string)
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Becomes the program (Unix), or runs it and passes its exit code on.
fn exec(
    found: &OsString,
    program: &OsString,
    args: &[OsString],
    vars: &[(&str, &str)],
) -> Result<(), Failure> {
    let mut child = std::process::Command::new(found);
    child.args(args);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::arg0(&mut child, program);
    for (name, value) in vars {
        child.env(name, value);
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
