//! What `hst scan` reads from git: the staged blobs by object id (`git diff --cached --raw -z`
//! then `git cat-file --batch`: a file named `0:x` is never read as stage 0 of `x`, and every
//! change type counts, a symlink turned into a file included), every blob reachable in history
//! once (`git rev-list --objects`), and tracked files that `.gitignore` would hide from a walk.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// A blob to scan: where it is shown as, and its object id.
pub struct Blob {
    pub name: String,
    pub id: String,
}

pub fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(format!("git {}: {}", args.join(" "), why.trim()));
    }
    Ok(out.stdout)
}

pub fn root() -> Result<String, String> {
    let root = git(&["rev-parse", "--show-toplevel"])?;
    Ok(String::from_utf8_lossy(&root).trim().to_string())
}

/// Every staged change that leaves content (added, copied, modified, renamed, type-changed),
/// by the object id the index holds.
pub fn staged(root: &str) -> Result<Vec<Blob>, String> {
    let raw = git(&[
        "-C",
        root,
        "diff",
        "--cached",
        "--raw",
        "-z",
        "--no-abbrev",
        "-M",
        "--diff-filter=ACMRT",
    ])?;
    let mut fields = raw.split(|&b| b == 0).filter(|f| !f.is_empty());
    let mut blobs = Vec::new();
    while let Some(meta) = fields.next() {
        let meta = String::from_utf8_lossy(meta);
        // `:old-mode new-mode old-id new-id status`, then one path (two for R and C).
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        let (Some(mode), Some(id), Some(status)) = (parts.get(1), parts.get(3), parts.get(4))
        else {
            return Err("git diff --raw gave a line hst does not understand".to_string());
        };
        let mut name = fields.next();
        if status.starts_with('R') || status.starts_with('C') {
            name = fields.next();
        }
        let Some(name) = name else { break };
        // A submodule's "content" is a commit of another repository.
        if *mode == "160000" {
            continue;
        }
        blobs.push(Blob {
            name: String::from_utf8_lossy(name).into_owned(),
            id: (*id).to_string(),
        });
    }
    Ok(blobs)
}

/// Every blob reachable from `range` (default: every ref), once, with a path it has.
pub fn history(root: &str, range: Option<&str>) -> Result<Vec<Blob>, String> {
    let mut args = vec!["-C", root, "rev-list", "--objects"];
    match range {
        Some(range) => args.push(range),
        None => args.push("--all"),
    }
    let listed = git(&args)?;
    let candidates: Vec<(String, String)> = String::from_utf8_lossy(&listed)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(id, path)| (id.to_string(), path.to_string()))
        .collect();
    // Only blobs (trees have paths too).
    let kinds = batch_check(root, candidates.iter().map(|(id, _)| id.as_str()))?;
    Ok(candidates
        .into_iter()
        .zip(kinds)
        .filter(|(_, kind)| kind == "blob")
        .map(|((id, name), _)| Blob { name, id })
        .collect())
}

fn batch_check<'a>(root: &str, ids: impl Iterator<Item = &'a str>) -> Result<Vec<String>, String> {
    let input: String = ids.map(|id| format!("{id}\n")).collect();
    let out = pipe(
        root,
        &["cat-file", "--batch-check=%(objecttype)"],
        input.into_bytes(),
    )?;
    Ok(String::from_utf8_lossy(&out)
        .lines()
        .map(str::to_string)
        .collect())
}

/// Runs git with `input` on stdin (written by a thread, so a full stdout never stalls it).
fn pipe(root: &str, args: &[&str], input: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git's stdin")?;
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut out = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_end(&mut out).map_err(|e| e.to_string())?;
    }
    let _ = writer.join();
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("git {} failed", args.join(" ")));
    }
    Ok(out)
}

/// Reads each blob's content with one `git cat-file --batch`, calling `each(blob, bytes)`.
/// Blobs over `max` bytes are passed as `None` (reported, never silently skipped).
pub fn read_blobs(
    root: &str,
    blobs: &[Blob],
    max: u64,
    each: &mut dyn FnMut(&Blob, Option<&[u8]>),
) -> Result<(), String> {
    let mut child = Command::new("git")
        .args(["-C", root, "cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git's stdin")?;
    let input: String = blobs.iter().map(|b| format!("{}\n", b.id)).collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let stdout = child.stdout.take().ok_or("git's stdout")?;
    let mut reader = BufReader::with_capacity(1 << 20, stdout);
    let mut header = String::new();
    for blob in blobs {
        header.clear();
        reader.read_line(&mut header).map_err(|e| e.to_string())?;
        let size: u64 = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file: no object {}", blob.id))?;
        if size > max {
            std::io::copy(&mut (&mut reader).take(size + 1), &mut std::io::sink())
                .map_err(|e| e.to_string())?;
            each(blob, None);
            continue;
        }
        let mut bytes = vec![0u8; usize::try_from(size).unwrap_or(0)];
        reader.read_exact(&mut bytes).map_err(|e| e.to_string())?;
        let mut newline = [0u8; 1];
        reader.read_exact(&mut newline).map_err(|e| e.to_string())?;
        each(blob, Some(&bytes));
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(())
}

/// The commit that first brought each of `ids` into the history of `range`, in one pass of
/// `git log --raw` (oldest first), for reporting findings.
pub fn commits_of(
    root: &str,
    ids: &std::collections::HashSet<String>,
    range: Option<&str>,
) -> std::collections::HashMap<String, String> {
    let mut found = std::collections::HashMap::new();
    let mut args = vec![
        "-C",
        root,
        "log",
        "--reverse",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "-m",
        "--format=commit %h",
    ];
    match range {
        Some(range) => args.push(range),
        None => args.push("--all"),
    }
    let Ok(out) = git(&args) else { return found };
    let mut commit = "";
    let text = String::from_utf8_lossy(&out);
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("commit ") {
            commit = c;
        } else if let Some(raw) = line.strip_prefix(':') {
            // `old-mode new-mode old-id new-id status\tpath`
            if let Some(id) = raw.split(' ').nth(3)
                && ids.contains(id)
                && !found.contains_key(id)
            {
                found.insert(id.to_string(), commit.to_string());
            }
        }
        if found.len() == ids.len() {
            break;
        }
    }
    found
}

/// Tracked files under `paths` that ignore rules would hide from a walk (a tracked file is
/// committed whatever `.gitignore` says).
pub fn tracked_but_ignored(paths: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    let mut args = vec!["ls-files", "-z", "-c", "-i", "--exclude-standard", "--"];
    let shown: Vec<String> = paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    args.extend(shown.iter().map(String::as_str));
    let Ok(out) = git(&args) else {
        return Vec::new();
    };
    out.split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| Path::new(&*String::from_utf8_lossy(n)).to_path_buf())
        .collect()
}
