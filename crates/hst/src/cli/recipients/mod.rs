//! `hst recipients ls|add|rm|accept`: the public keys an encrypted file is encrypted to, kept
//! in `FILE.recipients` beside it (committed with it). `add` and `rm` re-encrypt at once, under
//! the file's lock; `accept` records a list changed by someone else (a pull) so that saves
//! encrypt to it again. `hst exposed` ([`exposed`]) reads git history.

mod exposed;

use std::io::Write;
use std::path::Path;

use super::Failure;
use crate::cli::args::{RecipientsAction, RecipientsArgs};
use home_secret_toml::encrypted::recipients::{self, path_for};
use home_secret_toml::encrypted::{PublicKey, Recipients, is_age_path, keyring};
use home_secret_toml::path::display;
use home_secret_toml::store::{Snapshot, Store};

pub use exposed::exposed;

pub fn run(args: &RecipientsArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    need_encrypted(path)?;
    match &args.action {
        None | Some(RecipientsAction::Ls) => ls(path, out),
        Some(RecipientsAction::Add { name, key }) => add(path, name, key, out),
        Some(RecipientsAction::Rm { name }) => rm(path, name, out),
        Some(RecipientsAction::Accept) => accept(path, out),
    }
}

fn need_encrypted(path: &Path) -> Result<(), Failure> {
    if is_age_path(path) {
        return Ok(());
    }
    Err(msg(format!(
        "{}: recipients are the keys of an encrypted file (a name ending in .age); hst encrypt \
         makes one",
        display(path)
    )))
}

fn msg(text: String) -> Failure {
    Failure::Message(text)
}

fn key_error(e: home_secret_toml::encrypted::KeyError) -> Failure {
    msg(e.to_string())
}

fn own_keys() -> Result<Vec<PublicKey>, Failure> {
    keyring()
        .own_keys()
        .map_err(|p| msg(format!("cannot read your identity: {p}")))
}

fn ls(path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let Some(list) = Recipients::read(path).map_err(key_error)? else {
        writeln!(
            out,
            "{} has no recipients file ({}): saves encrypt to your identity and [age] \
             recipients. `hst recipients add NAME KEY` starts one, with your own key in it.",
            display(path),
            display(&path_for(path))
        )?;
        return Ok(());
    };
    let own = own_keys().unwrap_or_default();
    let width = list
        .entries()
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0);
    for e in list.entries() {
        let you = if own.contains(&e.key) { "  (you)" } else { "" };
        writeln!(
            out,
            "{:width$}  {:11}  {}{you}",
            e.name,
            e.key.kind(),
            e.key.fingerprint()
        )?;
    }
    match recipients::accepted(path).map_err(key_error)? {
        Some(accepted) if list.changes_from(&accepted).is_empty() => {}
        accepted => {
            let changes = list.changes_from(accepted.as_ref().unwrap_or(&Recipients::default()));
            writeln!(
                out,
                "\nNot accepted on this machine yet; saves are refused until `hst recipients \
                 accept`. Changes since this machine last encrypted to it:\n{changes}"
            )?;
        }
    }
    Ok(())
}

/// A key as typed, or the first key line of the file it names (`~/.ssh/id_ed25519.pub`).
fn read_key(text: &str) -> Result<PublicKey, Failure> {
    match PublicKey::parse(text, "KEY") {
        Ok(key) => Ok(key),
        Err(e) => {
            let file = home_secret_toml::path::expand_tilde(Path::new(text));
            if !file.is_file() {
                return Err(key_error(e));
            }
            let content = home_secret_toml::small_file::read_text(&file, 64 * 1024)
                .map_err(|e| msg(format!("{}: {e}", display(&file))))?;
            let line = content
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('#'))
                .unwrap_or("");
            PublicKey::parse(line, &display(&file)).map_err(key_error)
        }
    }
}

/// This machine's name, as a recipient name (a new list names the user's own key by it).
fn machine_name() -> String {
    let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_default();
    let name: String = raw
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
        .take(64)
        .collect();
    if name.is_empty() {
        "this-machine".into()
    } else {
        name
    }
}

/// The file locked and read (which proves this machine's identity opens it), the list as it
/// is now (or a new one holding the user's own key), and that list accepted.
struct Session {
    snapshot: Snapshot,
    list: Recipients,
    /// The recipients file's text before the change (`None`: there was none).
    before: Option<String>,
    accepted_before: Option<Recipients>,
}

fn begin(path: &Path) -> Result<(Session, home_secret_toml::store::Guard), Failure> {
    let guard = Store::new(path).lock().map_err(|e| msg(e.to_string()))?;
    let snapshot = guard.read()?;
    let before = std::fs::read_to_string(path_for(path)).ok();
    let accepted_before = recipients::accepted(path).map_err(key_error)?;
    let list = match Recipients::read(path).map_err(key_error)? {
        Some(list) => {
            let changes =
                list.changes_from(accepted_before.as_ref().unwrap_or(&Recipients::default()));
            if accepted_before.is_none() || !changes.is_empty() {
                return Err(msg(format!(
                    "{} is not accepted on this machine ({}); check it and run `hst recipients \
                     accept` first",
                    display(&path_for(path)),
                    changes.summary()
                )));
            }
            list
        }
        None => Recipients::default(),
    };
    let session = Session {
        snapshot,
        list,
        before,
        accepted_before,
    };
    Ok((session, guard))
}

/// Writes the new list, accepts it, and re-encrypts the file to it; on failure, puts the list
/// and the acceptance back as they were.
fn commit(
    path: &Path,
    session: &Session,
    guard: &home_secret_toml::store::Guard,
) -> Result<(), Failure> {
    let io = |e: std::io::Error| msg(format!("{}: {e}", display(&path_for(path))));
    session.list.write(path).map_err(io)?;
    recipients::accept(path, &session.list).map_err(io)?;
    let written = guard.write(&session.snapshot.bytes, &session.snapshot.revision);
    if let Err(e) = written {
        match &session.before {
            Some(text) => {
                let _ = Recipients::parse("", text).map(|old| old.write(path));
            }
            None => {
                let _ = std::fs::remove_file(path_for(path));
            }
        }
        if let Some(old) = &session.accepted_before {
            let _ = recipients::accept(path, old);
        }
        return Err(msg(e.to_string()));
    }
    Ok(())
}

fn add(path: &Path, name: &str, key: &str, out: &mut dyn Write) -> Result<(), Failure> {
    let key = read_key(key)?;
    let (mut session, guard) = begin(path)?;
    session.list.add(name, key.clone()).map_err(key_error)?;
    // A new list starts with the user's own keys too: a save must never lock them out.
    let mut seeded = Vec::new();
    if session.before.is_none() {
        let machine = machine_name();
        for own in own_keys()? {
            if session.list.keys().any(|k| *k == own) {
                continue;
            }
            let mut name = machine.clone();
            let mut n = 1;
            while session.list.find(&name).is_some() {
                n += 1;
                name = format!("{machine}-{n}");
            }
            session.list.add(&name, own).map_err(key_error)?;
            seeded.push(name);
        }
    }
    commit(path, &session, &guard)?;
    if !seeded.is_empty() {
        writeln!(
            out,
            "Started {} with your own key as {}.",
            display(&path_for(path)),
            seeded.join(", ")
        )?;
    }
    writeln!(
        out,
        "Added {name} ({} {}); {} is re-encrypted to {} keys. Commit both files.",
        key.kind(),
        key.fingerprint(),
        display(path),
        session.list.entries().len()
    )?;
    Ok(())
}

fn rm(path: &Path, name: &str, out: &mut dyn Write) -> Result<(), Failure> {
    let (mut session, guard) = begin(path)?;
    if session.before.is_none() {
        return Err(msg(format!(
            "{} has no recipients file: there is no {name} to remove",
            display(path)
        )));
    }
    let removed = session.list.remove(name).map_err(key_error)?;
    commit(path, &session, &guard)?;
    let text = String::from_utf8_lossy(&session.snapshot.bytes).into_owned();
    let file = home_secret_toml::SecretFile::from_text(path, text)?;
    writeln!(
        out,
        "Removed {name} ({} {}); {} is re-encrypted to {} keys.",
        removed.key.kind(),
        removed.key.fingerprint(),
        display(path),
        session.list.entries().len()
    )?;
    writeln!(
        out,
        "{name} could read every value until now: rotate these at their source (later, `hst \
         exposed {name}` lists those still unchanged):"
    )?;
    for entry in file.entries() {
        writeln!(out, "  {}", entry.key)?;
    }
    Ok(())
}

fn accept(path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let Some(list) = Recipients::read(path).map_err(key_error)? else {
        return Err(msg(format!(
            "{} has no recipients file ({}) to accept",
            display(path),
            display(&path_for(path))
        )));
    };
    let accepted = recipients::accepted(path).map_err(key_error)?;
    let changes = list.changes_from(accepted.as_ref().unwrap_or(&Recipients::default()));
    if accepted.is_some() && changes.is_empty() {
        writeln!(out, "Already accepted: nothing changed.")?;
        return Ok(());
    }
    recipients::accept(path, &list)
        .map_err(|e| msg(format!("cannot record the accepted list: {e}")))?;
    write!(
        out,
        "Accepted {} ({} keys); saves encrypt to it now. Changes:\n{changes}",
        display(&path_for(path)),
        list.entries().len()
    )?;
    Ok(())
}
