//! `hst sync doctor`: what would make syncing the secrets file go wrong here, each with its
//! fix. Above all a clone where `.gitattributes` says `merge=hst` but the config names no such
//! driver: git then merges the file as text, silently.

use std::io::Write;
use std::path::Path;

use super::msg;
use crate::cli::Failure;
use crate::cli::git::{Repo, git_text};
use home_secret_toml::SecretFile;
use home_secret_toml::encrypted::recipients;
use home_secret_toml::encrypted::{Recipients, is_age_path, keyring};

pub fn run(path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let repo = Repo::of(path).map_err(|e| msg(format!("{e}; start with hst sync init")))?;
    let mut problems: Vec<String> = Vec::new();
    let mut good: Vec<String> = Vec::new();
    check_git(&repo, &mut good, &mut problems);
    check_file(path, &mut good, &mut problems);
    for line in &good {
        writeln!(out, "ok: {line}")?;
    }
    for line in &problems {
        writeln!(out, "problem: {line}")?;
    }
    if problems.is_empty() {
        writeln!(out, "Everything hst sync needs is in place.")?;
        Ok(())
    } else {
        Err(Failure::Exit(1))
    }
}

fn check_git(repo: &Repo, good: &mut Vec<String>, problems: &mut Vec<String>) {
    let attr = |name: &str| {
        git_text(&repo.root, &["check-attr", name, "--", &repo.file])
            .ok()
            .and_then(|l| l.rsplit(": ").next().map(str::to_string))
            .unwrap_or_default()
    };
    let (merge, diff) = (attr("merge"), attr("diff"));
    if merge == "hst" && diff == "hst" {
        good.push(format!(".gitattributes sends {} through hst", repo.file));
    } else {
        problems.push(format!(
            ".gitattributes does not give {} merge=hst and diff=hst (merge: {merge}, diff: \
             {diff}): git merges it as text; hst sync init adds the line",
            repo.file
        ));
    }
    match git_text(&repo.root, &["config", "merge.hst.driver"]) {
        Ok(driver) if program_exists(&driver) => good.push("the merge driver is configured".into()),
        Ok(driver) => problems.push(format!(
            "merge.hst.driver runs a program that is not there ({driver}); hst sync doctor \
             cannot fix that itself: run hst sync init again"
        )),
        Err(_) => problems.push(
            "this clone has no merge.hst.driver: with merge=hst in .gitattributes git falls \
             back to a text merge without a word; run hst sync (or hst sync init) to set it"
                .into(),
        ),
    }
    if git_text(&repo.root, &["config", "diff.hst.textconv"]).is_err() {
        problems.push("no diff.hst.textconv: git diff shows the file's raw bytes".into());
    }
    if git_text(&repo.root, &["config", "--bool", "diff.hst.cachetextconv"])
        .is_ok_and(|v| v == "true")
    {
        problems.push(
            "diff.hst.cachetextconv is on: git keeps the masked text in its notes; git config \
             --unset diff.hst.cachetextconv"
                .into(),
        );
    }
}

fn check_file(path: &Path, good: &mut Vec<String>, problems: &mut Vec<String>) {
    match SecretFile::load(path) {
        Ok(file) => good.push(format!(
            "the file opens here ({} keys)",
            file.entries().len()
        )),
        Err(e) => problems.push(format!("the file does not open here: {e}")),
    }
    if !is_age_path(path) {
        return;
    }
    let list = match Recipients::read(path) {
        Ok(Some(list)) => list,
        Ok(None) => {
            problems.push(
                "no recipients file: each machine encrypts to its own config's keys; hst \
                 recipients add NAME KEY starts one"
                    .into(),
            );
            return;
        }
        Err(e) => {
            problems.push(e.to_string());
            return;
        }
    };
    let accepted = recipients::accepted(path).ok().flatten();
    let changes = list.changes_from(accepted.as_ref().unwrap_or(&Recipients::default()));
    if accepted.is_none() || !changes.is_empty() {
        problems.push(format!(
            "the recipients list is not accepted here ({}): hst recipients accept",
            changes.summary()
        ));
    } else {
        good.push(format!("{} recipients, accepted", list.entries().len()));
    }
    let own = keyring().own_keys().unwrap_or_default();
    if own.iter().any(|k| list.keys().any(|l| l == k)) {
        good.push("your key is a recipient".into());
    } else {
        problems.push(
            "your key is not in the recipients list: saves are refused; ask someone to run hst \
             recipients add NAME YOUR-KEY"
                .into(),
        );
    }
}

/// Whether the first word of a configured command (quoted or not) is a program that exists.
fn program_exists(command: &str) -> bool {
    let command = command.trim();
    let program = if let Some(rest) = command.strip_prefix('\'') {
        rest.split('\'').next().unwrap_or("")
    } else {
        command.split_whitespace().next().unwrap_or("")
    };
    if program.contains('/') {
        Path::new(program).is_file()
    } else {
        std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
    }
}
