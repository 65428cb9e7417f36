//! The git command line, which hst drives (no git library): run in a given folder, never
//! asking on the terminal (`GIT_TERMINAL_PROMPT=0`), its error output kept for the message.

use std::path::Path;
use std::process::{Command, Stdio};

/// `git ARGS` in `dir`; its standard output, or its first error line.
pub fn git_in(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = git_output(dir, args)?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Err(format!("git {} failed: {}", args.join(" "), first.trim()))
}

/// `git ARGS` in `dir` as text (lossy), trailing newline removed.
pub fn git_text(dir: &Path, args: &[&str]) -> Result<String, String> {
    git_in(dir, args).map(|b| String::from_utf8_lossy(&b).trim_end().to_string())
}

/// The repository holding a file: its top folder and the file's path in it.
pub struct Repo {
    pub root: std::path::PathBuf,
    pub file: String,
}

impl Repo {
    pub fn of(path: &Path) -> Result<Self, String> {
        let shown = home_secret_toml::path::display(path);
        let real = std::fs::canonicalize(path).map_err(|e| format!("{shown}: {e}"))?;
        let dir = real.parent().unwrap_or(Path::new("/"));
        let root = git_text(dir, &["rev-parse", "--show-toplevel"])
            .map_err(|e| format!("{shown} is not in a git repository ({e})"))?;
        let root = std::path::PathBuf::from(root);
        let file = real
            .strip_prefix(&root)
            .map_err(|_| format!("{shown} is outside {}", root.display()))?
            .to_string_lossy()
            .into_owned();
        Ok(Self { root, file })
    }

    /// `git ARGS` at the top of the repository.
    pub fn git(&self, args: &[&str]) -> Result<Vec<u8>, String> {
        git_in(&self.root, args)
    }
}

/// `git ARGS` in `dir` with its whole output kept, whatever its exit (for messages that
/// come from a merge driver git ran).
pub fn git_output(dir: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}
