//! The `hst` command line: a drop-in for the Python `hst` 0.2.1 (same output bytes and exit
//! codes for `ls`, `get` and `gen-enum`), with one-line errors instead of tracebacks.

mod args;
pub mod complete;
mod gen_enum;
mod get;
mod init;
mod ls;
mod set;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

pub use args::{Cli, Command};

/// Entry point of the `hst` binary.
pub fn main() -> ExitCode {
    if let Some(code) = crate::clipboard::keeper::run_if_keeper() {
        return code;
    }
    // A completion call-back from the shell: answer it and stop.
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(complete::VAR)
        .complete();
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let result = run(cli, &mut out).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Flush what was printed before the error; a failure here changes nothing.
            let _ = out.flush();
            eprintln!("Error: {}", one_line(&err));
            ExitCode::FAILURE
        }
    }
}

/// Runs one command. Handled failures print their own message and return exit code 1;
/// `Err` is for everything else, printed by [`main`] as one `Error: …` line on stderr.
pub fn run(cli: Cli, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => {
            Cli::command().write_help(out)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Ls(args)) => ls::run(&args, out),
        Some(Command::Get(args)) => get::run(&args, out),
        Some(Command::GenEnum(args)) => gen_enum::run(&args, out),
        Some(Command::Init(args)) => init::run(&args, out),
        Some(Command::Set(args)) => set::run(&args),
        Some(Command::Completions { shell }) => {
            complete::write_script(shell, out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Where the reference prints "Secret file not found": stdout for `ls` and `gen-enum`, stderr
/// for `get`.
#[derive(Clone, Copy)]
pub(crate) enum NotFound {
    Stdout,
    Stderr,
}

/// Loads the secrets file for a command. `Ok(Err(code))`: the failure was reported as the
/// reference reports it. A file others can read gets one warning line on stderr (stdout stays
/// byte for byte the reference's).
pub(crate) fn load(
    path: &std::path::Path,
    not_found: NotFound,
    out: &mut dyn Write,
) -> anyhow::Result<Result<crate::core::file::SecretFile, ExitCode>> {
    match crate::core::file::SecretFile::load(path) {
        Ok(file) => {
            if let Some(warning) = crate::core::edit::mode_warning(path) {
                eprintln!("Warning: {warning}");
            }
            Ok(Ok(file))
        }
        Err(e) if e.is_not_found() => {
            match not_found {
                NotFound::Stdout => writeln!(out, "Error: {e}")?,
                NotFound::Stderr => eprintln!("Error: {e}"),
            }
            Ok(Err(ExitCode::FAILURE))
        }
        Err(e) => Err(e.into()),
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

/// `hst ls | head -1`: the reader went away; stop quietly, as Unix tools do.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
