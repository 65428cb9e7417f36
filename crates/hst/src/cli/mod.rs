//! The `hst` command line: a drop-in for the Python `hst` 0.2.1 (same output bytes and exit
//! codes for `ls`, `get` and `gen-enum`), with one-line errors instead of tracebacks.

mod allow;
mod args;
mod audit_log;
pub mod complete;
mod crypt;
mod edit;
mod failure;
mod gen_enum;
mod get;
mod git;
pub(crate) mod grant;
mod guard;
mod init;
mod keys;
mod locked_edit;
mod ls;
mod mcp;
mod merge;
mod otp;
mod prompt;
mod recipients;
mod refs;
mod run;
mod scan;
mod set;
mod sync;
mod textconv;
mod transfer;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

pub use args::{Cli, Command};
pub use failure::Failure;

/// Entry point of the `hst` binary.
pub fn main() -> ExitCode {
    // Before anything is read: no core file may hold a value (the clipboard helper too).
    home_secret_toml::no_dumps::forbid_core_dumps();
    if let Some(code) = crate::clipboard::keeper::run_if_keeper() {
        return code;
    }
    // A completion call-back from the shell: answer it and stop.
    complete::remember_shell();
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(complete::VAR)
        .complete();
    let cli = Cli::try_parse().unwrap_or_else(|e| argument_error(e));
    use_keys(cli.identity.as_deref().map(std::path::Path::new));
    // The MCP server writes its own stdout (from tokio's threads): it must not be locked here.
    if matches!(cli.command, Some(Command::Mcp)) {
        let mut nothing = io::sink();
        return match run(cli, &mut nothing) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => failure.report(&mut nothing),
        };
    }
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let result = run(cli, &mut out).and_then(|()| out.flush().map_err(Failure::from));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(&mut out),
    }
}

/// Runs one command. Every failure comes back as a [`Failure`], which [`main`] prints (on
/// stderr, or on stdout where the reference prints it there) before exiting with 1.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<(), Failure> {
    let flag = cli.path.as_deref().map(std::path::Path::new);
    // Resolved only by commands that use the file (help and completions need none).
    let path = || home_secret_toml::locate::resolve(flag).map_err(Failure::from);
    if !matches!(cli.command, None | Some(Command::Completions { .. })) {
        check_config()?;
    }
    let audited = cli.command.as_ref().and_then(guard::event);
    if let Some(command) = &cli.command
        && let Some(mode) = crate::agent::detect()
    {
        if let crate::agent::AgentMode::Ancestor(_) = mode {
            eprintln!("hst: {}", mode.describe());
        }
        if let Some(why) = guard::refused(command, &mode) {
            if let Some((action, keys)) = &audited {
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                let file = path().ok();
                crate::audit::note(
                    action,
                    &keys,
                    file.as_deref(),
                    Err("refused: agent mode".into()),
                );
            }
            return Err(Failure::Message(why));
        }
    }
    let result = dispatch(cli.command, flag, out);
    if let Some((action, keys)) = audited {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let file = path().ok();
        let outcome = match &result {
            Ok(()) => Ok(()),
            Err(failure) => Err(format!(
                "failed: {}",
                failure.to_string().lines().next().unwrap_or("")
            )),
        };
        crate::audit::note(action, &keys, file.as_deref(), outcome);
    }
    result
}

fn dispatch(
    command: Option<Command>,
    flag: Option<&std::path::Path>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let path = || home_secret_toml::locate::resolve(flag).map_err(Failure::from);
    match command {
        None => Ok(Cli::command().write_help(out)?),
        Some(Command::Ls(args)) => ls::run(&args, &path()?, out),
        Some(Command::Get(args)) => get::run(&args, &path()?, out),
        Some(Command::GenEnum(args)) => gen_enum::run(&args, &path()?, out),
        Some(Command::Init(_)) => init::run(&path()?, out),
        Some(Command::Set(args)) => set::run(&args, &path()?),
        Some(Command::Rm(args)) => keys::rm(&args, &path()?),
        Some(Command::Mv(args)) => keys::mv(&args, &path()?, false),
        Some(Command::Cp(args)) => keys::mv(&args, &path()?, true),
        Some(Command::Edit) => edit::run(&path()?),
        Some(Command::Otp(args)) => otp::run(&args, &path()?, out),
        Some(Command::Run(args)) => run::run(&args, &path()?, out),
        Some(Command::Env(args)) => run::env(&args, &path()?, out),
        Some(Command::Import(args)) => transfer::import(&args, &path()?),
        Some(Command::Export(args)) => transfer::export(&args, &path()?, out),
        Some(Command::Allow(args)) => allow::allow(&args, out),
        Some(Command::Audit(args)) => audit_log::run(&args, out),
        Some(Command::Grant(args)) => grant::run(&args, out),
        Some(Command::Mcp) => mcp::serve(&path()?),
        Some(Command::Deny(args)) => allow::deny(&args),
        Some(Command::Scan(args)) => scan::run(&args, &path()?, out),
        Some(Command::Refs(args)) => refs::run(&args, &path()?, out),
        Some(Command::Recipients(args)) => recipients::run(&args, &path()?, out),
        Some(Command::Exposed { name }) => recipients::exposed(&name, &path()?, out),
        Some(Command::GitTextconv { file }) => textconv::run(std::path::Path::new(&file), out),
        Some(Command::GitMerge {
            base,
            ours,
            theirs,
            name,
        }) => merge::driver(base.as_ref(), ours.as_ref(), theirs.as_ref(), &name),
        Some(Command::Resolve(args)) => merge::resolve(&args, &path()?, out),
        Some(Command::Sync(args)) => match &args.action {
            // A clone has no secrets file yet: it finds the one the repository names.
            Some(args::SyncAction::Clone { .. }) => sync::run(&args, std::path::Path::new(""), out),
            _ => sync::run(&args, &path()?, out),
        },
        Some(Command::Encrypt(args)) => crypt::encrypt(&args, flag, out),
        Some(Command::Decrypt(args)) => crypt::decrypt(&args, flag, out),
        Some(Command::Completions { shell }) => Ok(complete::write_script(shell, out)?),
    }
}

/// The config file and the variables that change settings, checked before anything is done: a
/// misspelt `[clipbord]` or `backend = "xclip"` is reported now with its line and column, not
/// at the first copy after a value was already written.
pub(crate) fn check_config() -> Result<(), Failure> {
    use crate::clipboard::{Overrides, Settings};
    // A config this user cannot read (`sudo -u` with another's HOME) is not a mistake in it:
    // it stops only what needs it, as before.
    // Only a regular file is opened here: opening a FIFO would wait for a writer (the readers
    // below refuse anything else with a message).
    if let Some(config) = home_secret_toml::encrypted::config_path()
        && std::fs::metadata(&config).is_ok_and(|m| m.is_file())
        && let Err(e) = std::fs::File::open(&config)
        && e.kind() == std::io::ErrorKind::PermissionDenied
    {
        return Ok(());
    }
    Settings::resolve(Overrides::default()).map_err(Failure::Message)?;
    home_secret_toml::encrypted::AgeConfig::load().map_err(|e| Failure::Message(e.to_string()))?;
    crate::resolve::configure().map_err(Failure::Message)?;
    Ok(())
}

/// The age keys of this process: `--identity` (ahead of `$HST_AGE_IDENTITY` and the config),
/// and passphrases asked on the terminal without echo.
pub fn use_keys(identity: Option<&std::path::Path>) {
    let mut ring = home_secret_toml::encrypted::keyring();
    if let Some(identity) = identity {
        ring.use_identity(identity);
    }
    ring.set_prompter(Box::new(prompt::hidden));
}

/// Where the reference prints "Secret file not found": stdout for `ls` and `gen-enum`, stderr
/// for `get`.
#[derive(Clone, Copy)]
pub(crate) enum NotFound {
    Stdout,
    Stderr,
}

/// Loads the secrets file for a command, reporting "not found" where the reference does. A
/// file others can read gets one warning line on stderr (stdout stays the reference's).
pub(crate) fn load(
    path: &std::path::Path,
    not_found: NotFound,
) -> Result<home_secret_toml::file::SecretFile, Failure> {
    let file = load_quietly(path, not_found)?;
    if let Some(warning) = home_secret_toml::edit::mode_warning(path) {
        eprintln!("Warning: {warning}");
    }
    Ok(file)
}

/// [`load`] without the mode warning, for a command that edits the file afterwards (the edit
/// says it, once, with the mode the file has after the save).
pub(crate) fn load_quietly(
    path: &std::path::Path,
    not_found: NotFound,
) -> Result<home_secret_toml::file::SecretFile, Failure> {
    match home_secret_toml::file::SecretFile::load(path) {
        Ok(file) => Ok(file),
        Err(e) if e.is_not_found() => Err(Failure::NoFile {
            message: e.to_string(),
            on_stdout: matches!(not_found, NotFound::Stdout),
        }),
        Err(e) => Err(Failure::File(e)),
    }
}

/// Reads the secrets file's bytes for a command that parses them itself, reporting "not found"
/// and a too-open mode as [`load`] does.
pub(crate) fn read(
    path: &std::path::Path,
    not_found: NotFound,
) -> Result<home_secret_toml::store::Snapshot, Failure> {
    match home_secret_toml::store::Store::new(path).read() {
        Ok(snapshot) => {
            if let Some(warning) = home_secret_toml::edit::mode_warning(path) {
                eprintln!("Warning: {warning}");
            }
            Ok(snapshot)
        }
        Err(e) if e.is_not_found() => Err(Failure::NoFile {
            message: e.to_string(),
            on_stdout: matches!(not_found, NotFound::Stdout),
        }),
        Err(e) => Err(Failure::File(e)),
    }
}

/// An error and its causes on one line, each cause once: a cause whose text the message
/// already holds (`path: Permission denied` over `Permission denied`) is not repeated.
pub fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// A command line clap refuses, said and exited on. An unknown argument is not repeated unless
/// clap takes it for a misspelt option: `hst set KEY --s3cr3t` or `hst set KEY my secret`
/// would otherwise print (part of) the value in the message. Everything else is clap's own.
fn argument_error(e: clap::Error) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let misspelt = e.get(ContextKind::SuggestedArg).is_some();
    if e.kind() != ErrorKind::UnknownArgument || misspelt {
        e.exit();
    }
    let dashed = matches!(
        e.get(ContextKind::InvalidArg),
        Some(ContextValue::String(arg)) if arg.starts_with('-')
    );
    let hint = if dashed {
        "a value that starts with '-' goes after --, as in: hst set KEY -- VALUE"
    } else {
        "a value with spaces goes in quotes, as in: hst set KEY 'two words'"
    };
    eprintln!(
        "error: an argument the command does not take (not repeated here, in case it is a \
         value); {hint}"
    );
    if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
        eprintln!("\n{usage}");
    }
    eprintln!("\nFor more information, try '--help'.");
    std::process::exit(2);
}

/// `hst ls | head -1`: the reader went away; stop quietly, as Unix tools do.
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
