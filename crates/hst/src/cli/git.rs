//! The git command line, which hst drives (no git library): run in a given folder, never
//! asking on the terminal (`GIT_TERMINAL_PROMPT=0`), its error output kept for the message.

use std::path::Path;
use std::process::{Command, Stdio};

/// `git ARGS` in `dir`; its standard output, or its first error line.
pub fn git_in(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
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
