//! The one error type of the `hst` commands, printed in one place.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// Why a command failed. Messages never hold a secret value (see the core's errors).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Printed as `Error: …` on stderr.
    #[error("{0}")]
    Message(String),
    /// Printed as `Error: …` on stdout, where the Python reference prints it (`ls` and
    /// `gen-enum` report a missing file or an existing output there).
    #[error("{0}")]
    OnStdout(String),
    /// Printed as `Error: …` on stderr, with its own exit code (127: a program that cannot be
    /// run, as shells say).
    #[error("{1}")]
    WithCode(u8, String),
    /// No secrets file: the reference's message (on stdout where it prints it there), then a
    /// hint on stderr naming `hst init`.
    #[error("{message}")]
    NoFile { message: String, on_stdout: bool },
    /// Nothing more to print (the command said it already); just this exit code.
    #[error("exit {0}")]
    Exit(u8),
    /// The library's error, kept typed until it is printed (`Error: …` on stderr).
    #[error(transparent)]
    File(#[from] home_secret_toml::Error),
    /// Anything else (I/O on stdout, a clipboard failure…), its causes on one line.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Other(e.into())
    }
}

impl Failure {
    /// Prints the failure and gives the exit code: 1, or 0 when stdout's reader went away
    /// (`hst ls | head -1` stops quietly, as Unix tools do).
    pub fn report(self, out: &mut dyn Write) -> ExitCode {
        match self {
            Failure::Other(e) if super::is_broken_pipe(&e) => return ExitCode::SUCCESS,
            Failure::OnStdout(message) => {
                let printed = writeln!(out, "Error: {message}").and_then(|()| out.flush());
                if let Err(e) = printed
                    && e.kind() == io::ErrorKind::BrokenPipe
                {
                    return ExitCode::SUCCESS;
                }
            }
            Failure::NoFile { message, on_stdout } => {
                if on_stdout {
                    let _ = writeln!(out, "Error: {message}").and_then(|()| out.flush());
                } else {
                    let _ = out.flush();
                    eprintln!("Error: {}", for_stderr(&message));
                }
                eprintln!("{NO_FILE_HINT}");
            }
            Failure::Exit(code) => {
                let _ = out.flush();
                return ExitCode::from(code);
            }
            Failure::WithCode(code, message) => {
                let _ = out.flush();
                eprintln!("Error: {}", for_stderr(&message));
                return ExitCode::from(code);
            }
            Failure::File(e) => {
                let _ = out.flush();
                eprintln!("Error: {}", for_stderr(&e.to_string()));
            }
            Failure::Message(message) => {
                // What was printed before comes first; a failure here changes nothing.
                let _ = out.flush();
                eprintln!("Error: {}", for_stderr(&message));
            }
            Failure::Other(e) => {
                let _ = out.flush();
                eprintln!("Error: {}", for_stderr(&super::one_line(&e)));
            }
        }
        ExitCode::FAILURE
    }
}

/// What a new user needs after "Secret file not found" (stderr: stdout keeps the reference's
/// bytes).
pub const NO_FILE_HINT: &str = "hint: create one with `hst init` (or pick another file with \
     --path or $HST_PATH)";

/// A message for stderr: on a terminal, control characters (from a key of the file, a path)
/// are shown escaped, line by line; through a pipe the bytes stay as they are.
fn for_stderr(message: &str) -> String {
    if !io::stderr().is_terminal() {
        return message.to_string();
    }
    message
        .split('\n')
        .map(crate::terminal_text::escaped)
        .collect::<Vec<_>>()
        .join("\n")
}
