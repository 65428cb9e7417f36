//! What `hst sync init` and `hst sync clone` set up in a repository: `.gitattributes` lines
//! that send the secrets file through hst's diff and merge, and the local git config that
//! names hst for them (git falls back to a text merge, silently, without it).

use std::path::Path;

use crate::cli::git::git_in;

/// The `.gitattributes` line for the secrets file `name`: hst's diff and merge, and no
/// end-of-line conversion of an age file's bytes.
pub fn attributes_line(name: &str) -> String {
    let pattern = git_pattern(name);
    if name.ends_with(".age") {
        format!("{pattern} diff=hst merge=hst -text")
    } else {
        format!("{pattern} diff=hst merge=hst")
    }
}

/// `name` as a `.gitattributes` pattern anchored at the top (spaces escaped).
fn git_pattern(name: &str) -> String {
    let mut out = String::from("/");
    for c in name.chars() {
        if matches!(c, ' ' | '\\' | '#' | '!' | '*' | '?' | '[') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Adds the attributes line for `name` to `.gitattributes` at `root` unless it is there.
pub fn write_attributes(root: &Path, name: &str) -> std::io::Result<bool> {
    let file = root.join(".gitattributes");
    let line = attributes_line(name);
    let mut text = std::fs::read_to_string(&file).unwrap_or_default();
    if text.lines().any(|l| l.trim() == line) {
        return Ok(false);
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&line);
    text.push('\n');
    std::fs::write(&file, text)?;
    Ok(true)
}

/// Adds hst's own lock and temporary files next to `name` to `.gitignore` at `root`.
pub fn write_ignores(root: &Path, name: &str) -> std::io::Result<()> {
    let file = root.join(".gitignore");
    let (dir, base) = match name.rsplit_once('/') {
        Some((dir, base)) => (format!("/{dir}/"), base),
        None => ("/".to_string(), name),
    };
    let wanted = [
        "# hst's lock and temporary files".to_string(),
        format!("{dir}.{base}.lock"),
        ".*.hst-*.tmp".into(),
        ".hst-recipients-*".into(),
        ".hst-resolve-*".into(),
    ];
    let mut text = std::fs::read_to_string(&file).unwrap_or_default();
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|w| !text.lines().any(|l| l.trim() == w.as_str()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(&file, text)
}

/// This program, quoted for git's shell.
pub fn hst_command() -> String {
    let exe = std::env::current_exe()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "hst".into());
    format!("'{}'", exe.replace('\'', "'\\''"))
}

/// The repository's own config for hst's merge driver and diff (never `cachetextconv`: git
/// would keep the masked text in its notes for no gain, and a later version could hold more).
pub fn configure(root: &Path) -> Result<(), String> {
    let hst = hst_command();
    for (key, value) in [
        (
            "merge.hst.name",
            "hst: key-by-key merge of a secrets file".to_string(),
        ),
        ("merge.hst.driver", format!("{hst} git-merge %O %A %B %P")),
        ("diff.hst.textconv", format!("{hst} git-textconv")),
    ] {
        git_in(root, &["config", "--local", key, &value])?;
    }
    let _ = git_in(
        root,
        &["config", "--local", "--unset", "diff.hst.cachetextconv"],
    );
    Ok(())
}
