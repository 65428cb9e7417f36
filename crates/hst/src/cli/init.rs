//! `hst init`: write a commented starter file, readable by the owner only.

use std::io::Write;
use std::path::Path;

use super::Failure;
use home_secret_toml::path::display;

/// The starter file: comments that explain the format, and examples to uncomment.
pub const STARTER_FILE: &str = include_str!("../../../../assets/starter_home_secret.toml");

pub fn run(path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let created = if home_secret_toml::encrypted::is_age_path(path) {
        create_encrypted(path)?
    } else {
        home_secret_toml::edit::create_private(path, STARTER_FILE)
    };
    match created {
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

/// `hst init --path FILE.age`: the starter file, encrypted to the identity's key and
/// `[age] recipients` (the plaintext exists only in memory).
fn create_encrypted(path: &Path) -> Result<std::io::Result<()>, Failure> {
    use home_secret_toml::encrypted::{NewFile, keyring, seal_new};
    let found = keyring().default_recipients();
    let (recipients, config) = found.map_err(|e| Failure::Message(e.to_string()))?;
    if recipients.is_empty() {
        return Err(Failure::Message(format!(
            "{}: an encrypted file needs a key: give an identity (--identity FILE, {} or \
             identity under [age] in {config})",
            display(path),
            home_secret_toml::encrypted::IDENTITY_ENV
        )));
    }
    let sealed = seal_new(
        path,
        STARTER_FILE.as_bytes(),
        NewFile::Recipients(recipients),
        false,
    )
    .map_err(|problem| home_secret_toml::Error::age(path, problem))?;
    Ok(home_secret_toml::store::create_new(path, &sealed))
}
