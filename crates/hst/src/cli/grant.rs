//! `hst grant KEY... [--for 30m] [--project DIR]`: a person, on a terminal, lets an agent's
//! `hst run --mask-output` inject these keys in this project until the grant expires.
//! `hst grant ls`, `hst grant revoke [KEY...|--all]`. Grants are key paths, a project folder and
//! an expiry in `$XDG_DATA_HOME/hst/grants.json` (0600, replaced atomically), never a value;
//! each change is in the audit log.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::Failure;
use crate::cli::args::{GrantAction, GrantArgs};
use home_secret_toml::otp::now_unix;

/// One grant.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Grant {
    pub keys: Vec<String>,
    pub project: PathBuf,
    /// Seconds since 1970 when it ends.
    pub expires: u64,
}

fn file() -> Result<PathBuf, Failure> {
    dirs::data_dir()
        .map(|d| d.join("hst").join("grants.json"))
        .ok_or_else(|| Failure::Message("no data folder for grants".to_string()))
}

/// The grants that have not expired.
pub fn current() -> Vec<Grant> {
    let Ok(path) = file() else { return Vec::new() };
    let now = now_unix();
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<Vec<Grant>>(&t).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|g| g.expires > now)
        .collect()
}

/// Whether `key` is granted for the folder `dir` (inside the grant's project) now.
pub fn allows(grants: &[Grant], key: &str, dir: &Path) -> bool {
    grants
        .iter()
        .any(|g| dir.starts_with(&g.project) && g.keys.iter().any(|k| k == key))
}

pub fn run(args: &GrantArgs, out: &mut dyn Write) -> Result<(), Failure> {
    match &args.action {
        Some(GrantAction::Ls) => list(out),
        Some(GrantAction::Revoke { keys, all }) => revoke(keys, *all),
        None => grant(args),
    }
}

fn grant(args: &GrantArgs) -> Result<(), Failure> {
    if args.keys.is_empty() {
        return Err(Failure::Message(
            "name the keys to grant: hst grant KEY... [--for 30m]".to_string(),
        ));
    }
    if let Some(mode) = crate::agent::detect() {
        return Err(Failure::Message(format!(
            "{}: grants are given by a person, not by an agent",
            mode.describe()
        )));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Message(
            "grants are given on a terminal, by a person; nothing was granted".to_string(),
        ));
    }
    let seconds = duration(&args.duration).map_err(Failure::Message)?;
    let project = match &args.project {
        Some(dir) => PathBuf::from(dir),
        None => std::env::current_dir()?,
    };
    let project = std::fs::canonicalize(&project)
        .map_err(|e| Failure::Message(format!("{}: {e}", project.display())))?;
    let question = format!(
        "Let an agent's hst run use {} in {} for {}? [y/N] ",
        args.keys.join(", "),
        project.display(),
        args.duration
    );
    if !super::prompt::confirm(&question)? {
        eprintln!("Nothing was granted.");
        return Err(Failure::Exit(1));
    }
    let mut all = stored()?;
    all.push(Grant {
        keys: args.keys.clone(),
        project: project.clone(),
        expires: now_unix() + seconds,
    });
    save(&all)?;
    let keys: Vec<&str> = args.keys.iter().map(String::as_str).collect();
    crate::audit::note("grant", &keys, None, Ok(()));
    eprintln!(
        "Granted until {}.",
        crate::audit::clock::format(now_unix() + seconds)
    );
    Ok(())
}

fn list(out: &mut dyn Write) -> Result<(), Failure> {
    let grants = current();
    if grants.is_empty() {
        writeln!(out, "No grants.")?;
    }
    for g in grants {
        writeln!(
            out,
            "{}  until {}  in {}",
            g.keys.join(", "),
            crate::audit::clock::format(g.expires),
            g.project.display()
        )?;
    }
    Ok(())
}

fn revoke(keys: &[String], all: bool) -> Result<(), Failure> {
    let mut grants = stored()?;
    let before: usize = grants.iter().map(|g| g.keys.len()).sum();
    for g in &mut grants {
        g.keys.retain(|k| !all && !keys.contains(k));
    }
    grants.retain(|g| !g.keys.is_empty());
    let after: usize = grants.iter().map(|g| g.keys.len()).sum();
    save(&grants)?;
    let named: Vec<&str> = keys.iter().map(String::as_str).collect();
    crate::audit::note("revoke", &named, None, Ok(()));
    eprintln!("Revoked {} granted key(s).", before - after);
    Ok(())
}

fn stored() -> Result<Vec<Grant>, Failure> {
    let path = file()?;
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|e| Failure::Message(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Failure::Message(format!("{}: {e}", path.display()))),
    }
}

fn save(grants: &[Grant]) -> Result<(), Failure> {
    let path = file()?;
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".grants-")
        .tempfile_in(folder)?;
    serde_json::to_writer_pretty(&mut temp, grants).map_err(std::io::Error::from)?;
    temp.as_file().sync_all()?;
    temp.persist(&path).map_err(|e| Failure::from(e.error))?;
    Ok(())
}

/// `30m`, `2h`, `1d`, `90s` (a plain number is minutes).
fn duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, unit) = match text.chars().last() {
        Some(c) if c.is_ascii_alphabetic() => (&text[..text.len() - 1], c),
        _ => (text, 'm'),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("--for wants 30m, 2h or 1d, not {text:?}"))?;
    let unit = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(format!("--for wants 30m, 2h or 1d, not {text:?}")),
    };
    Ok(n.saturating_mul(unit))
}
