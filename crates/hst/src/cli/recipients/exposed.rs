//! `hst exposed NAME`: after a recipient was removed, which keys still hold a value it could
//! read. The commit that removed NAME from the recipients file is found in git history; the
//! secrets file as it was just before (the last version NAME could decrypt) is decrypted in
//! memory and compared, key by key, with the file now.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{msg, need_encrypted};
use crate::cli::Failure;
use crate::cli::git::{git_in, git_text};
use home_secret_toml::SecretFile;
use home_secret_toml::encrypted::{self, Recipients};
use home_secret_toml::path::display;

pub fn exposed(name: &str, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    need_encrypted(path)?;
    let current = SecretFile::load(path)?;
    if Recipients::read(path)
        .ok()
        .flatten()
        .is_some_and(|list| list.find(name).is_some())
    {
        return Err(msg(format!(
            "{name} is still a recipient of {}: it can read every value (hst recipients rm \
             {name} removes it)",
            display(path)
        )));
    }
    let repo = Repo::of(path)?;
    let (commit, when) = repo.removal_of(name)?;
    let old_bytes = git_in(&repo.root, &["show", &format!("{commit}^:{}", repo.file)])
        .map_err(Failure::Message)?;
    let plain =
        encrypted::open(path, &old_bytes).map_err(|p| home_secret_toml::Error::age(path, p))?;
    let old = SecretFile::from_bytes(path, plain.to_vec())?;
    let mut still = Vec::new();
    for entry in old.entries() {
        let now = current
            .entries()
            .iter()
            .find(|e| e.key.dotted() == entry.key.dotted());
        match now {
            Some(now) if now.value == entry.value => still.push(entry.key.to_string()),
            Some(_) => {}
            None => still.push(format!("{} (no longer in the file)", entry.key)),
        }
    }
    let short: String = commit.chars().take(10).collect();
    if still.is_empty() {
        writeln!(
            out,
            "Nothing: every value {name} could read (before commit {short}, {when}) has changed \
             since."
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{name} was removed in commit {short} ({when}); these keys still hold the values it could \
         read: rotate them at their source."
    )?;
    for key in still {
        writeln!(out, "  {key}")?;
    }
    Ok(())
}

/// The git repository holding the secrets file, and the file's and its recipients file's
/// paths in it.
struct Repo {
    root: PathBuf,
    file: String,
    list: String,
}

impl Repo {
    fn of(path: &Path) -> Result<Self, Failure> {
        let repo = crate::cli::git::Repo::of(path)
            .map_err(|e| msg(format!("there is no history to read: {e}")))?;
        let list = format!("{}{}", repo.file, encrypted::recipients::SUFFIX);
        Ok(Self {
            root: repo.root,
            file: repo.file,
            list,
        })
    }

    /// The recipients file's text at `rev`, if it existed there.
    fn list_at(&self, rev: &str) -> Option<String> {
        git_in(&self.root, &["show", &format!("{rev}:{}", self.list)])
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// The newest commit whose parent's recipients file names `name` and whose own does not,
    /// with its date.
    fn removal_of(&self, name: &str) -> Result<(String, String), Failure> {
        let log = git_text(&self.root, &["log", "--format=%H %cs", "--", &self.list])
            .map_err(Failure::Message)?;
        let names = |text: Option<String>| {
            text.and_then(|t| Recipients::parse("", &t).ok())
                .is_some_and(|list| list.find(name).is_some())
        };
        for line in log.lines() {
            let (commit, when) = line.split_once(' ').unwrap_or((line, ""));
            if names(self.list_at(&format!("{commit}^"))) && !names(self.list_at(commit)) {
                return Ok((commit.to_string(), when.to_string()));
            }
        }
        Err(msg(format!(
            "no commit in this repository's history removes {name} from {} (was it ever a \
             recipient, and is the removal committed?)",
            self.list
        )))
    }
}
