//! `hst rm`, `hst mv`, `hst cp`: the verbs a password store has, through the library's one
//! edit pipeline and the store (lock, conflict check, TOML 1.0, encrypted files alike). A table
//! (a key with keys under it) needs `--recursive`; `rm` asks first on a terminal.

use std::io::IsTerminal;
use std::path::Path;

use super::Failure;
use super::args::{MoveArgs, RmArgs};
use super::locked_edit::{Made, edit_error, edit_read};
use home_secret_toml::edit::{self, Edit, EditError, RemoveInPlace};
use home_secret_toml::file::SecretFile;
use home_secret_toml::key_path::KeyPath;

pub fn rm(args: &RmArgs, path: &Path) -> Result<(), Failure> {
    let key = parse_key(&args.key)?;
    let file = super::load_quietly(path, super::NotFound::Stderr)?;
    let count = count(&file, &key, args.recursive, "remove")?;
    drop(file);
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(msg(
                "hst rm asks before it removes a key; add --yes to remove it without asking"
                    .to_string(),
            ));
        }
        let question = if count == 1 {
            format!("Remove {key}? [y/N] ")
        } else {
            format!("Remove the {count} keys under {key}? [y/N] ")
        };
        if !super::prompt::confirm(&question)? {
            eprintln!("Nothing was removed.");
            return Ok(());
        }
    }
    // A key on a line of its own: that line taken out (the scan still checks every line);
    // anything else through the general edit.
    let removed = edit_read(path, |snapshot| {
        match edit::remove_in_place(path, snapshot, &key)? {
            RemoveInPlace::Spliced(spliced) => Ok((spliced.keys(), Made::Spliced(spliced))),
            RemoveInPlace::Whole(file) => {
                let n = count_now(&file, &key);
                let edited = edit::apply(&file, &Edit::Delete { key: key.clone() })
                    .map_err(|e| edit_error(&e, &key.to_string()))?;
                Ok((n, Made::File(Box::new(edited), file.revision())))
            }
        }
    })?;
    match removed {
        1 => eprintln!("Removed {key}."),
        n => eprintln!("Removed {n} keys under {key}."),
    }
    Ok(())
}

/// `hst mv` (`copy` false) and `hst cp` (`copy` true).
pub fn mv(args: &MoveArgs, path: &Path, copy: bool) -> Result<(), Failure> {
    let from = parse_key(&args.from)?;
    let to = parse_key(&args.to)?;
    let verb = if copy { "copy" } else { "move" };
    let file = super::load_quietly(path, super::NotFound::Stderr)?;
    count(&file, &from, args.recursive, verb)?;
    drop(file);
    let edit = if copy {
        Edit::Copy {
            from: from.clone(),
            to: to.clone(),
        }
    } else {
        Edit::Move {
            from: from.clone(),
            to: to.clone(),
        }
    };
    // A key on a line of its own to a new key: that line renamed, or moved or copied (the scan
    // still checks every line); anything else through the general edit.
    let moved = edit_read(path, |snapshot| {
        match edit::move_in_place(path, snapshot, &from, &to, !copy)? {
            RemoveInPlace::Spliced(spliced) => Ok((spliced.keys(), Made::Spliced(spliced))),
            RemoveInPlace::Whole(file) => {
                let n = count_now(&file, &from);
                let edited = edit::apply(&file, &edit).map_err(|e| move_error(&e))?;
                Ok((n, Made::File(Box::new(edited), file.revision())))
            }
        }
    })?;
    let done = if copy { "Copied" } else { "Moved" };
    match moved {
        1 => eprintln!("{done} {from} to {to}."),
        n => eprintln!("{done} {n} keys from {from} to {to}."),
    }
    Ok(())
}

/// A move's or copy's refusal; onto a table, said for a move (the general wording asks to set
/// a key under it).
fn move_error(e: &EditError) -> Failure {
    match e {
        EditError::IsTable {
            key,
            count,
            example,
        } => msg(crate::terminal_text::escaped(&format!(
            "{key} is a table with {count} {} under it (like {example}); a key cannot take its \
             place: choose a new name",
            if *count == 1 { "key" } else { "keys" }
        ))
        .into_owned()),
        e => edit_error(e, ""),
    }
}

/// How many keys the command touches: 1 for a key, every key under a table (with
/// `--recursive` only), an error for a path that names nothing.
fn count(file: &SecretFile, key: &KeyPath, recursive: bool, verb: &str) -> Result<usize, Failure> {
    // Looked up without building an entry per key (a million keys).
    if file.listed_position(key).is_some() || file.unlisted_position(key).is_some() {
        return Ok(1);
    }
    match count_now(file, key) {
        0 => Err(Failure::Message(
            EditError::NoSuchKey(key.to_string()).to_string(),
        )),
        n if !recursive => Err(msg(format!(
            "{key} is a table with {n} {} under it; add --recursive to {verb} all of them",
            if n == 1 { "key" } else { "keys" }
        ))),
        n => Ok(n),
    }
}

fn count_now(file: &SecretFile, key: &KeyPath) -> usize {
    file.leaves_under(key)
}

/// A key path as `hst get` reads it (split at every dot); empty parts are refused here with
/// the key named.
fn parse_key(text: &str) -> Result<KeyPath, Failure> {
    if text.is_empty() {
        return Err(msg("the key is empty".to_string()));
    }
    Ok(KeyPath::new(text.split('.')))
}

fn msg(message: String) -> Failure {
    Failure::Message(message)
}
