//! `hst sync`: the secrets file on every machine through git, the distributed engine users
//! already run (no server of hst's). `init` makes the repository around the file, `clone`
//! brings it to another machine, `hst sync` commits, pulls with a rebase through hst's merge
//! driver, checks the file still opens, and pushes; `doctor` says what is missing. Commit
//! messages never name a key. hst drives the git command line with `GIT_TERMINAL_PROMPT=0`.

mod doctor;
mod setup;

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;
use crate::cli::args::{SyncAction, SyncArgs};
use crate::cli::git::{Repo, git_in, git_output, git_text};
use home_secret_toml::SecretFile;
use home_secret_toml::encrypted::recipients;
use home_secret_toml::encrypted::{Recipients, is_age_path, keyring};
use home_secret_toml::path::display;

pub fn run(args: &SyncArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let cloning = matches!(args.action, Some(SyncAction::Clone { .. }));
    if !cloning && !is_age_path(path) {
        return Err(msg(format!(
            "{}: hst sync keeps only an encrypted file in git (every git object of every clone \
             would hold your values in the clear otherwise); run hst encrypt first, then hst \
             sync init on the .age file",
            display(path)
        )));
    }
    match &args.action {
        None => sync(path, args.accept_recipients, out),
        Some(SyncAction::Init { remote }) => init(path, remote.as_deref(), out),
        Some(SyncAction::Clone { url, dir }) => clone(url, dir.as_deref().map(Path::new), out),
        Some(SyncAction::Doctor) => doctor::run(path, out),
    }
}

fn msg(text: String) -> Failure {
    Failure::Message(text)
}

/// `-c user.name=… -c user.email=…` when git has no identity configured: a sync must not stop
/// on a machine (a CI runner) where nobody set one.
fn identity_args(root: &Path) -> Vec<String> {
    let has = |key: &str| git_text(root, &["config", key]).is_ok_and(|v| !v.is_empty());
    let mut args = Vec::new();
    if !has("user.name") {
        args.extend(["-c".into(), "user.name=hst".into()]);
    }
    if !has("user.email") {
        args.extend(["-c".into(), "user.email=hst@localhost".into()]);
    }
    args
}

fn machine() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "a machine".into())
}

/// Commits the secrets file, its recipients file and `.gitattributes` if they changed; the
/// message names the machine, never a key.
fn commit(repo: &Repo, what: &str) -> Result<bool, Failure> {
    let list = format!("{}{}", repo.file, recipients::SUFFIX);
    let mut paths = vec![
        repo.file.clone(),
        ".gitattributes".to_string(),
        ".gitignore".to_string(),
    ];
    if repo.root.join(&list).exists() {
        paths.push(list);
    }
    let mut add = vec!["add", "--"];
    add.extend(
        paths
            .iter()
            .map(String::as_str)
            .filter(|p| repo.root.join(p).exists()),
    );
    repo.git(&add).map_err(msg)?;
    if git_in(&repo.root, &["diff", "--cached", "--quiet"]).is_ok() {
        return Ok(false);
    }
    let message = format!("{what} from {}", machine());
    let mut args: Vec<String> = identity_args(&repo.root);
    args.extend(["commit".into(), "-q".into(), "-m".into(), message]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    repo.git(&args).map_err(msg)?;
    Ok(true)
}

fn init(path: &Path, remote: Option<&str>, out: &mut dyn Write) -> Result<(), Failure> {
    let real = std::fs::canonicalize(path).map_err(|e| msg(format!("{}: {e}", display(path))))?;
    let dir = real.parent().unwrap_or(Path::new("/")).to_path_buf();
    if dirs::home_dir().is_some_and(|h| h == dir) && Repo::of(&real).is_err() {
        return Err(msg(format!(
            "{} is in your home folder itself; hst will not make your whole home a git \
             repository. Move it into a folder of its own (mkdir ~/secrets && mv {} ~/secrets/) \
             and set HST_PATH to it, then run hst sync init again",
            display(&real),
            display(&real)
        )));
    }
    if Repo::of(&real).is_err() {
        git_in(&dir, &["init", "-q"]).map_err(msg)?;
        writeln!(out, "Made a git repository in {}.", display(&dir))?;
    }
    let repo = Repo::of(&real).map_err(msg)?;
    setup::write_attributes(&repo.root, &repo.file).map_err(|e| msg(e.to_string()))?;
    setup::write_ignores(&repo.root, &repo.file).map_err(|e| msg(e.to_string()))?;
    setup::configure(&repo.root).map_err(msg)?;
    if is_age_path(&real)
        && Recipients::read(&real)
            .map_err(|e| msg(e.to_string()))?
            .is_none()
    {
        start_recipients(&real, out)?;
    }
    if let Some(url) = remote
        && git_in(&repo.root, &["remote", "get-url", "origin"]).is_err()
    {
        repo.git(&["remote", "add", "origin", url]).map_err(msg)?;
    }
    commit(&repo, "hst sync init")?;
    if remote.is_some() {
        repo.git(&["push", "-q", "-u", "origin", "HEAD"])
            .map_err(msg)?;
    }
    writeln!(
        out,
        "{} is kept in git at {}: git diff shows keys, never values; merges go key by key. \
         Run `hst sync` to share changes.",
        display(&real),
        display(&repo.root)
    )?;
    Ok(())
}

/// A recipients file holding this machine's keys (accepted, since this machine wrote it).
fn start_recipients(path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let own = keyring()
        .own_keys()
        .map_err(|p| home_secret_toml::Error::age(path, p))?;
    if own.is_empty() {
        return Ok(());
    }
    let mut list = Recipients::default();
    let name: String = machine()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
        .collect();
    for (i, key) in own.into_iter().enumerate() {
        let name = if i == 0 {
            name.clone()
        } else {
            format!("{name}-{}", i + 1)
        };
        list.add(&name, key).map_err(|e| msg(e.to_string()))?;
    }
    list.write(path).map_err(|e| msg(e.to_string()))?;
    recipients::accept(path, &list).map_err(|e| msg(e.to_string()))?;
    writeln!(
        out,
        "Started {} with this machine's key.",
        display(&recipients::path_for(path))
    )?;
    Ok(())
}

/// The secrets file of a clone: the path `.gitattributes` sends through hst's merge.
fn file_in(root: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(root.join(".gitattributes")).ok()?;
    text.lines()
        .filter(|l| l.contains("merge=hst"))
        .filter_map(|l| l.split_whitespace().next())
        .map(|p| p.trim_start_matches('/').replace('\\', ""))
        .map(|p| root.join(p))
        .find(|p| p.is_file())
}

fn clone(url: &str, dir: Option<&Path>, out: &mut dyn Write) -> Result<(), Failure> {
    let target = dir.map_or_else(
        || {
            let base = url
                .trim_end_matches('/')
                .rsplit(['/', ':'])
                .next()
                .unwrap_or("secrets");
            PathBuf::from(base.trim_end_matches(".git"))
        },
        Path::to_path_buf,
    );
    let here = std::env::current_dir().map_err(|e| msg(e.to_string()))?;
    let cloned =
        git_output(&here, &["clone", "-q", url, &target.to_string_lossy()]).map_err(msg)?;
    if !cloned.status.success() {
        return Err(msg(format!(
            "git clone {url} failed: {}",
            String::from_utf8_lossy(&cloned.stderr).trim()
        )));
    }
    let root = std::fs::canonicalize(&target).map_err(|e| msg(e.to_string()))?;
    setup::configure(&root).map_err(msg)?;
    let file = file_in(&root).ok_or_else(|| {
        msg(format!(
            "{}: no file in .gitattributes has merge=hst (was it made with hst sync init?)",
            display(&root)
        ))
    })?;
    writeln!(
        out,
        "Cloned into {}; hst's diff and merge are set up.",
        display(&root)
    )?;
    if let Ok(Some(list)) = Recipients::read(&file) {
        writeln!(out, "Its recipients:")?;
        for e in list.entries() {
            writeln!(out, "  {} {} {}", e.name, e.key.kind(), e.key.fingerprint())?;
        }
        // Cloning is the choice to trust the list as it is now; later changes need accepting.
        recipients::accept(&file, &list).map_err(|e| msg(e.to_string()))?;
    }
    match SecretFile::load(&file) {
        Ok(opened) => writeln!(
            out,
            "{} opens here ({} keys). Use it with: export HST_PATH={}",
            display(&file),
            opened.entries().len(),
            display(&file)
        )?,
        Err(e) => {
            let own = keyring().own_keys().unwrap_or_default();
            writeln!(out, "{} does not open here yet: {e}", display(&file))?;
            if own.is_empty() {
                writeln!(out, "Make a key first: age-keygen -o ~/.config/age/key.txt")?;
            }
            for key in own {
                writeln!(
                    out,
                    "Ask someone who can open it to run: hst recipients add {} {key}",
                    machine().replace(' ', "-")
                )?;
            }
            return Err(Failure::Exit(1));
        }
    }
    Ok(())
}

fn sync(path: &Path, accept: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let repo = Repo::of(path).map_err(|e| msg(format!("{e}; start with hst sync init")))?;
    if git_text(&repo.root, &["config", "merge.hst.driver"]).is_err() {
        setup::configure(&repo.root).map_err(msg)?;
        writeln!(out, "Set up hst's merge driver and diff in this clone.")?;
    }
    let committed = commit(&repo, "hst sync")?;
    let remote = git_text(&repo.root, &["remote"]).unwrap_or_default();
    if !remote.trim().is_empty() {
        let before = incoming_recipients(&repo, path, accept, out)?;
        pull(&repo)?;
        settle_recipients(path, before.as_ref())?;
    }
    SecretFile::load(path).map_err(|e| msg(format!("after the pull, {e}; nothing was pushed")))?;
    if !remote.trim().is_empty() {
        let pushed = git_output(&repo.root, &["push", "-q"]).map_err(msg)?;
        if !pushed.status.success() {
            return Err(msg(format!(
                "git push failed: {}",
                String::from_utf8_lossy(&pushed.stderr).trim()
            )));
        }
    }
    writeln!(
        out,
        "Synced {}{}.",
        display(path),
        if committed {
            " (your changes committed)"
        } else {
            ""
        }
    )?;
    Ok(())
}

/// Fetches, and stops when the upstream recipients list adds keys this machine has not
/// accepted, unless `accept`: then they are accepted for the pull (the merge driver encrypts
/// only to accepted keys). Returns what was accepted before, to settle on after the pull.
fn incoming_recipients(
    repo: &Repo,
    path: &Path,
    accept: bool,
    out: &mut dyn Write,
) -> Result<Option<Recipients>, Failure> {
    if !is_age_path(path) {
        return Ok(None);
    }
    let fetched = git_output(&repo.root, &["fetch", "-q"]).map_err(msg)?;
    if !fetched.status.success() {
        return Err(msg(format!(
            "git fetch failed: {}",
            String::from_utf8_lossy(&fetched.stderr).trim()
        )));
    }
    let list = format!("{}{}", repo.file, recipients::SUFFIX);
    let Some(upstream) = git_in(&repo.root, &["show", &format!("@{{u}}:{list}")])
        .ok()
        .and_then(|b| Recipients::parse(&list, &String::from_utf8_lossy(&b)).ok())
    else {
        return Ok(None);
    };
    let accepted = recipients::accepted(path)
        .map_err(|e| msg(e.to_string()))?
        .unwrap_or_default();
    let local = Recipients::read(path).ok().flatten().unwrap_or_default();
    // Only what upstream added since the common commit: a key removed here is no news there.
    let base = git_text(&repo.root, &["merge-base", "HEAD", "@{u}"])
        .ok()
        .and_then(|b| git_in(&repo.root, &["show", &format!("{}:{list}", b.trim())]).ok())
        .and_then(|b| Recipients::parse(&list, &String::from_utf8_lossy(&b)).ok())
        .unwrap_or_default();
    let new: Vec<&home_secret_toml::encrypted::Named> = upstream
        .entries()
        .iter()
        .filter(|e| {
            !accepted.entries().contains(e)
                && !local.entries().contains(e)
                && !base.entries().contains(e)
        })
        .collect();
    if new.is_empty() {
        return Ok(Some(accepted));
    }
    let shown: Vec<String> = new
        .iter()
        .map(|e| format!("{} {} {}", e.name, e.key.kind(), e.key.fingerprint()))
        .collect();
    if !accept {
        return Err(msg(format!(
            "sync stopped before pulling: the recipients list upstream adds {}, which this \
             machine has not accepted; check them, then run hst sync --accept-recipients",
            shown.join(", ")
        )));
    }
    let mut allowed = accepted.clone();
    for e in new {
        let _ = allowed.add(&e.name, e.key.clone());
    }
    recipients::accept(path, &allowed).map_err(|e| msg(e.to_string()))?;
    writeln!(out, "Accepted recipients: {}", shown.join(", "))?;
    Ok(Some(accepted))
}

/// After a pull, the recipients list in the tree becomes the accepted one when it holds only
/// keys that were accepted (a removal needs no acceptance); else the old acceptance stays.
fn settle_recipients(path: &Path, before: Option<&Recipients>) -> Result<(), Failure> {
    let Some(before) = before else {
        return Ok(());
    };
    let Ok(Some(now)) = Recipients::read(path) else {
        return Ok(());
    };
    let allowed = recipients::accepted(path)
        .map_err(|e| msg(e.to_string()))?
        .unwrap_or_else(|| before.clone());
    if now
        .entries()
        .iter()
        .all(|e| allowed.entries().contains(e) || before.entries().contains(e))
    {
        recipients::accept(path, &now).map_err(|e| msg(e.to_string()))?;
    }
    Ok(())
}

/// `git pull --rebase` through hst's merge driver; on a conflict the rebase is undone (the
/// tree is clean again, the local commit kept) and the keys are named.
fn pull(repo: &Repo) -> Result<(), Failure> {
    // A rebase makes commits: it needs an identity as a commit does.
    let mut args = identity_args(&repo.root);
    args.extend(["pull".into(), "-q".into(), "--rebase".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let pulled = git_output(&repo.root, &args).map_err(msg)?;
    if pulled.status.success() {
        return Ok(());
    }
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&pulled.stdout),
        String::from_utf8_lossy(&pulled.stderr)
    );
    let rebasing = git_text(&repo.root, &["rev-parse", "--git-path", "rebase-merge"])
        .is_ok_and(|p| repo.root.join(p).exists());
    if rebasing {
        let _ = git_in(&repo.root, &["rebase", "--abort"]);
    }
    let driver: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("hst git-merge"))
        .map(|l| l.trim_start_matches("Error: "))
        .collect();
    let why = if driver.is_empty() {
        said.lines().last().unwrap_or("").trim().to_string()
    } else {
        driver.join("; ")
    };
    Err(msg(format!(
        "sync stopped, nothing was pushed, the tree is as before the pull: {why}. To settle \
         it: git pull --rebase, then hst resolve KEY --ours|--theirs for each key named, git \
         rebase --continue, and hst sync"
    )))
}
