//! `hst resolve [KEY --ours|--theirs|--edit]`: finishes a merge the driver stopped. The three
//! versions come from git's index stages (`:1:`, `:2:`, `:3:`), decrypted in memory; the
//! choices made so far are kept between runs encrypted to the user's own keys (under `.git`,
//! never in the clear); once every conflicting key has a choice, the merged file is encrypted
//! to the merged recipients, written over the working copy and staged.

use std::path::Path;

use super::sides;
use crate::cli::Failure;
use crate::cli::args::ResolveArgs;
use crate::cli::git::Repo;
use home_secret_toml::SecretFile;
use home_secret_toml::edit::set_value;
use home_secret_toml::encrypted::{self, keyring};
use home_secret_toml::key_path::KeyPath;
use home_secret_toml::merge::{Choice, merge};

/// One decision: the key (dotted), and `ours`, `theirs` or the typed value.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
struct Decision {
    key: String,
    choice: String,
    value: Option<String>,
}

pub fn resolve(
    args: &ResolveArgs,
    path: &Path,
    out: &mut dyn std::io::Write,
) -> Result<(), Failure> {
    let msg = Failure::Message;
    let repo = Repo::of(path).map_err(msg)?;
    let name = Path::new(&repo.file);
    let stage = |n: u8| repo.git(&["show", &format!(":{n}:{}", repo.file)]);
    let ours = stage(2).map_err(|_| {
        msg(format!(
            "{}: git has no merge conflict on it (nothing to resolve)",
            repo.file
        ))
    })?;
    let theirs = stage(3).unwrap_or_default();
    let base = stage(1).unwrap_or_default();
    let sealed = encrypted::is_age_bytes(&ours) || encrypted::is_age_bytes(&theirs);
    let (b, o, t) = (
        sides::open(name, &base)?,
        sides::open(name, &ours)?,
        sides::open(name, &theirs)?,
    );
    let conflicts = merge(&b, &o, &t, &[])
        .map_err(|e| msg(e.to_string()))?
        .conflicts;
    let store = Decisions::of(&repo)?;
    let mut decisions = store.load(name)?;
    if let Some(key) = &args.key {
        let Some(found) = conflicts.iter().find(|k| k.dotted() == key.as_str()) else {
            let all: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
            return Err(msg(format!(
                "{key} is not in conflict (the conflicting keys: {})",
                if all.is_empty() {
                    "none".into()
                } else {
                    all.join(", ")
                }
            )));
        };
        decisions.retain(|d| d.key != found.dotted());
        decisions.push(decide(args, found)?);
    }
    let choices: Vec<(KeyPath, Choice)> = conflicts
        .iter()
        .filter_map(|k| {
            let d = decisions.iter().find(|d| d.key == k.dotted())?;
            let choice = if d.choice == "theirs" {
                Choice::Theirs
            } else {
                Choice::Ours
            };
            Some((k.clone(), choice))
        })
        .collect();
    let merged = merge(&b, &o, &t, &choices).map_err(|e| msg(e.to_string()))?;
    if !merged.conflicts.is_empty() {
        store.save(name, &decisions)?;
        let left: Vec<String> = merged.conflicts.iter().map(ToString::to_string).collect();
        writeln!(out, "Still to resolve: {}", left.join(", "))?;
        return Err(Failure::Exit(1));
    }
    let mut file = merged.file;
    for d in decisions.iter().filter(|d| d.choice == "edit") {
        let key = KeyPath::new(d.key.split('.'));
        let typed = d.value.as_deref().unwrap_or_default();
        file = set_value(&file, &key, typed, None)
            .map_err(|e| msg(format!("{}: {e}", d.key)))?
            .1;
    }
    write_result(&repo, name, &file, sealed, &ours)?;
    store.clear(name);
    writeln!(
        out,
        "Resolved {}; staged. Go on with git commit (or git rebase --continue).",
        repo.file
    )?;
    Ok(())
}

fn decide(args: &ResolveArgs, key: &KeyPath) -> Result<Decision, Failure> {
    let (choice, value) = if args.theirs {
        ("theirs", None)
    } else if args.edit {
        let typed = crate::cli::prompt::hidden(&format!("New value for {key}: "))
            .map_err(|e| Failure::Message(format!("--edit asks on the terminal: {e}")))?;
        ("edit", Some(typed.to_string()))
    } else if args.ours {
        ("ours", None)
    } else {
        return Err(Failure::Message(format!(
            "say which value {key} keeps: --ours, --theirs or --edit"
        )));
    };
    Ok(Decision {
        key: key.dotted().to_string(),
        choice: choice.into(),
        value,
    })
}

/// The merged file over the working copy (encrypted to the merged recipients when the file
/// is an age file), then `git add`.
fn write_result(
    repo: &Repo,
    name: &Path,
    file: &SecretFile,
    sealed: bool,
    ours: &[u8],
) -> Result<(), Failure> {
    let bytes = if sealed {
        let list = sides::merged_recipients(&repo.root, name)?;
        let keys = sides::keys_for(&repo.root, name, list.as_ref())?;
        encrypted::seal_to(file.text().as_bytes(), &keys, encrypted::is_armored(ours))
            .map_err(|p| home_secret_toml::Error::age(name, p))?
    } else {
        file.text().as_bytes().to_vec()
    };
    let target = repo.root.join(name);
    let dir = target.parent().unwrap_or(&repo.root);
    let io = |e: std::io::Error| Failure::Message(format!("{}: {e}", target.display()));
    let mut temp = tempfile::Builder::new()
        .prefix(".hst-resolve-")
        .tempfile_in(dir)
        .map_err(io)?;
    std::io::Write::write_all(&mut temp, &bytes).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).map_or(0o600, |m| m.permissions().mode() & 0o777);
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io)?;
    }
    temp.persist(&target).map_err(|e| io(e.error))?;
    repo.git(&["add", "--", &repo.file])
        .map_err(Failure::Message)?;
    Ok(())
}

/// Choices kept between runs: `$GIT_DIR/hst-resolve/NAME.age`, encrypted to the user's keys.
struct Decisions {
    dir: std::path::PathBuf,
}

impl Decisions {
    fn of(repo: &Repo) -> Result<Self, Failure> {
        let git_dir = crate::cli::git::git_text(&repo.root, &["rev-parse", "--absolute-git-dir"])
            .map_err(Failure::Message)?;
        Ok(Self {
            dir: std::path::PathBuf::from(git_dir).join("hst-resolve"),
        })
    }

    fn file(&self, name: &Path) -> std::path::PathBuf {
        let flat: String = name
            .to_string_lossy()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(format!("{flat}.age"))
    }

    fn load(&self, name: &Path) -> Result<Vec<Decision>, Failure> {
        let file = self.file(name);
        let Ok(bytes) = std::fs::read(&file) else {
            return Ok(Vec::new());
        };
        let plain =
            encrypted::open(&file, &bytes).map_err(|p| home_secret_toml::Error::age(&file, p))?;
        Ok(serde_json::from_slice(&plain).unwrap_or_default())
    }

    fn save(&self, name: &Path, decisions: &[Decision]) -> Result<(), Failure> {
        let io = |e: std::io::Error| Failure::Message(format!("{}: {e}", self.dir.display()));
        let own = keyring()
            .own_keys()
            .map_err(|p| home_secret_toml::Error::age(name, p))?;
        let plain = zeroize::Zeroizing::new(serde_json::to_vec(decisions).unwrap_or_default());
        let sealed = encrypted::seal_to(&plain, &own, false)
            .map_err(|p| home_secret_toml::Error::age(name, p))?;
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        // Replaced whole: the old choices are in the new list.
        let _ = std::fs::remove_file(self.file(name));
        home_secret_toml::store::create_new(&self.file(name), &sealed).map_err(io)?;
        Ok(())
    }

    fn clear(&self, name: &Path) {
        let _ = std::fs::remove_file(self.file(name));
    }
}
