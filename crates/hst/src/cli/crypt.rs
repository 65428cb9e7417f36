//! `hst encrypt` and `hst decrypt`: a plain secrets file to an age-encrypted one and back.
//! Neither ever overwrites a file, and neither deletes the one it started from (the user does,
//! knowing that no tool can promise to shred a file on an SSD).

use std::io::Write;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;

use super::Failure;
use crate::cli::args::{DecryptArgs, EncryptArgs};
use home_secret_toml::encrypted::{self, NewFile, is_age_path, keyring, parse_recipient};
use home_secret_toml::file::SecretFile;
use home_secret_toml::locate::{named, plain_default, sealed_name};
use home_secret_toml::path::{display, expand_tilde};
use home_secret_toml::store::{Store, create_new};

pub fn encrypt(
    args: &EncryptArgs,
    flag: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let source = named(flag).unwrap_or_else(plain_default);
    if is_age_path(&source) {
        return Err(msg(format!(
            "{} is already encrypted (its name ends in .age)",
            display(&source)
        )));
    }
    let target = args
        .output
        .as_deref()
        .map_or_else(|| sealed_name(&source), |o| expand_tilde(Path::new(o)));
    if !is_age_path(&target) {
        return Err(msg(format!(
            "{}: an encrypted secrets file needs a name that ends in .age",
            display(&target)
        )));
    }
    refuse_existing(&target, "encrypt")?;
    // Mistyped keys are reported before anything else is looked at.
    for text in &args.recipient {
        parse_recipient(text, "--recipient").map_err(|e| msg(e.to_string()))?;
    }
    // The plain file must be a valid secrets file: what is encrypted is what hst can open.
    let file = SecretFile::load(&source)?;
    let (how, told) = how_to_encrypt(args)?;
    let sealed = encrypted::seal_new(&target, file.text().as_bytes(), how, args.armor)
        .map_err(|problem| home_secret_toml::Error::age(&target, problem))?;
    create(&target, &sealed, "encrypt")?;
    writeln!(
        out,
        "Encrypted {} to {} ({told}).",
        display(&source),
        display(&target)
    )?;
    eprintln!(
        "The plain {0} is still there. Check the new file (hst --path {1} ls), then remove the \
         plain one yourself (rm {0}): hst does not pretend to shred it, since on SSDs and on \
         copy-on-write or journaling filesystems old blocks can outlive any overwrite. If that \
         disk could be read by others, rotate the secrets that matter.",
        display(&source),
        display(&target)
    );
    if flag.is_none() && named(None).is_none() {
        eprintln!(
            "Until it is gone, hst refuses to guess between the two files in your home folder."
        );
    }
    Ok(())
}

/// The recipients (or passphrase) of a new file, and how to describe them.
fn how_to_encrypt(args: &EncryptArgs) -> Result<(NewFile, String), Failure> {
    if args.passphrase {
        return new_passphrase();
    }
    let mut recipients = Vec::new();
    for text in &args.recipient {
        let recipient = parse_recipient(text, "--recipient").map_err(|e| msg(e.to_string()))?;
        // The same key twice would make two stanzas that later saves cannot tell apart.
        let known: &[home_secret_toml::encrypted::PublicKey] = &recipients;
        if !known.contains(&recipient) {
            recipients.push(recipient);
        }
    }
    let named_count = recipients.len();
    let mut ring = keyring();
    let defaults = ring.default_recipients();
    drop(ring);
    let (own, config) = match defaults {
        Ok(found) => found,
        // With keys named on the command line, a missing identity is not a reason to stop.
        Err(_) if named_count > 0 => (Vec::new(), String::new()),
        Err(e) => return Err(msg(e.to_string())),
    };
    let kept: Vec<String> = own.iter().map(ToString::to_string).collect();
    for recipient in own {
        if !recipients
            .iter()
            .any(|r| r.to_string() == recipient.to_string())
        {
            recipients.push(recipient);
        }
    }
    if recipients.is_empty() {
        return Err(msg(format!(
            "no key to encrypt to: give an identity (--identity FILE, {} or identity under \
             [age] in {}), a --recipient age1…, or use --passphrase",
            encrypted::IDENTITY_ENV,
            if config.is_empty() {
                "the config file".to_string()
            } else {
                config.clone()
            }
        )));
    }
    let lost: Vec<String> = recipients
        .iter()
        .map(ToString::to_string)
        .filter(|r| !kept.contains(r))
        .collect();
    if !lost.is_empty() {
        eprintln!(
            "Note: hst re-encrypts every save to your identity and [age] recipients{}; add {} \
             there too, or saves will be refused rather than lock {} out.",
            if config.is_empty() {
                String::new()
            } else {
                format!(" in {config}")
            },
            lost.join(", "),
            if lost.len() == 1 {
                "that key"
            } else {
                "those keys"
            }
        );
    }
    let told = match recipients.len() {
        1 => format!("for {}", recipients[0]),
        n => format!("for {n} keys"),
    };
    Ok((NewFile::Recipients(recipients), told))
}

/// A passphrase for a new file, asked twice on the terminal.
fn new_passphrase() -> Result<(NewFile, String), Failure> {
    let first = ask("Passphrase for the encrypted file: ")?;
    if first.is_empty() {
        return Err(msg(
            "an empty passphrase protects nothing; nothing was written".into(),
        ));
    }
    let second = ask("Again, to be sure: ")?;
    if first != second {
        return Err(msg("the two passphrases differ; nothing was written".into()));
    }
    let passphrase = SecretString::from(first.as_str());
    Ok((NewFile::Passphrase(passphrase), "with a passphrase".into()))
}

pub fn decrypt(
    args: &DecryptArgs,
    flag: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let source = named(flag).unwrap_or_else(|| sealed_name(&plain_default()));
    if !is_age_path(&source) {
        return Err(msg(format!(
            "{} is not an encrypted secrets file (its name does not end in .age)",
            display(&source)
        )));
    }
    let target = match args.output.as_deref() {
        Some(o) if o == "-" => None,
        Some(o) => Some(expand_tilde(Path::new(o))),
        None => Some(plain_name(&source)),
    };
    if let Some(target) = &target {
        refuse_existing(target, "decrypt")?;
    }
    let snapshot = Store::new(&source).read().map_err(|e| {
        if e.is_not_found() {
            msg(format!("{} not found", display(&source)))
        } else {
            Failure::from(e)
        }
    })?;
    if let Some(warning) = home_secret_toml::edit::mode_warning(&source) {
        eprintln!("Warning: {warning}");
    }
    let Some(target) = target else {
        out.write_all(&snapshot.bytes)?;
        return Ok(());
    };
    create(&target, &snapshot.bytes, "decrypt")?;
    writeln!(
        out,
        "Decrypted {} to {} (mode 600).",
        display(&source),
        display(&target)
    )?;
    if target == plain_default() {
        eprintln!(
            "The encrypted {} is unchanged. While both files are in your home folder, hst asks \
             you to choose: remove one, or name it with --path.",
            display(&source)
        );
    }
    Ok(())
}

/// `NAME.age` → `NAME`.
fn plain_name(sealed: &Path) -> PathBuf {
    let text = sealed.as_os_str().to_string_lossy();
    PathBuf::from(text.strip_suffix(encrypted::SUFFIX).unwrap_or(&text))
}

fn refuse_existing(target: &Path, verb: &str) -> Result<(), Failure> {
    if std::fs::symlink_metadata(target).is_ok() {
        return Err(msg(format!(
            "{} already exists; hst {verb} never overwrites a file (nothing was written)",
            display(target)
        )));
    }
    Ok(())
}

fn create(target: &Path, bytes: &[u8], verb: &str) -> Result<(), Failure> {
    create_new(target, bytes).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            msg(format!(
                "{} already exists; hst {verb} never overwrites a file (nothing was written)",
                display(target)
            ))
        } else {
            msg(format!("cannot create {}: {e}", display(target)))
        }
    })
}

fn ask(prompt: &str) -> Result<zeroize::Zeroizing<String>, Failure> {
    super::prompt::hidden(prompt)
        .map_err(|e| msg(format!("cannot read the passphrase from the terminal: {e}")))
}

fn msg(message: String) -> Failure {
    Failure::Message(message)
}
