//! `hst init`: write a commented starter file, readable by the owner only.

use std::io::Write;
use std::path::Path;

use super::Failure;
use crate::core::path::display;

/// The starter file: comments that explain the format, and examples to uncomment.
pub const STARTER_FILE: &str = include_str!("../../assets/starter_home_secret.toml");

pub fn run(path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    match crate::core::edit::create_private(path, STARTER_FILE) {
        Ok(()) => {
            writeln!(
                out,
                "Created {} (mode 600). Add your secrets, then run hst-tui.",
                display(path)
            )?;
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Failure::Message(format!(
            "{} already exists; hst init never overwrites a file",
            display(path)
        ))),
        Err(e) => Err(Failure::Other(
            anyhow::Error::new(e).context(format!("cannot create {}", display(path))),
        )),
    }
}
