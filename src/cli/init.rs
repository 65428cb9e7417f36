//! `hst init`: write a commented starter file, readable by the owner only.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::args::InitArgs;
use crate::core::path::{display, resolve};

/// The starter file: comments that explain the format, and examples to uncomment.
pub const STARTER_FILE: &str = include_str!("../../assets/starter_home_secret.toml");

pub fn run(args: &InitArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let path = resolve(args.path.as_deref().map(Path::new));
    match crate::core::edit::create_private(&path, STARTER_FILE) {
        Ok(()) => {
            writeln!(
                out,
                "Created {} (mode 600). Add your secrets, then run hst-tui.",
                display(&path)
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "Error: {} already exists; hst init never overwrites a file",
                display(&path)
            );
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot create {}", display(&path)))),
    }
}
