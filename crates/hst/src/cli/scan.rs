//! `hst scan [PATH]...`: your own secrets, found where they must not be. The exact values of
//! the secrets file (and their base64, hex, percent and escaped forms) are searched in every
//! file under the paths, honouring `.gitignore` and `.ignore` like ripgrep, or in what git has
//! staged (`--staged`, also the pre-commit hook). Hits print as `path:line:column: key
//! (encoding) masked`; never a value. Exit 1 when something is found, 0 when clean, 2 on error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

use super::Failure;
use crate::cli::args::{ScanArgs, ScanFormat};
use crate::scan::{Needles, line_at, line_column};
use home_secret_toml::file::SecretFile;
use home_secret_toml::mask::mask;
use home_secret_toml::path::display;

/// A line with this marker is not reported (a test fixture, a known example).
const ALLOW: &[u8] = b"hst:allow";

/// Files larger than this are skipped (a secret pasted into a file is in a text file, and a
/// hook must stay fast).
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// Marks the pre-commit hook hst installs.
const HOOK_MARKER: &str = "# hst scan --install-hook";

/// One finding.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
struct Finding {
    path: String,
    line: usize,
    column: usize,
    key: String,
    encoding: &'static str,
    masked: String,
}

pub fn run(args: &ScanArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let error = |message: String| Failure::WithCode(2, message);
    if args.install_hook {
        return install_hook().map_err(error).and_then(|message| {
            writeln!(out, "{message}")?;
            Ok(())
        });
    }
    let file = SecretFile::load(path).map_err(|e| error(e.to_string()))?;
    let secrets: Vec<(String, home_secret_toml::value::SecretValue, String)> = file
        .entries()
        .iter()
        .map(|e| (e.key.to_string(), file.toml_text(e), mask(&e.value)))
        .collect();
    let values: Vec<&str> = secrets.iter().map(|(_, v, _)| v.expose()).collect();
    let needles = Needles::new(&values, args.min_length).map_err(error)?;
    let excludes = excludes(&args.exclude).map_err(error)?;
    let own = std::fs::canonicalize(path).ok();
    let findings = Mutex::new(Vec::new());
    let report = |shown: String, bytes: &[u8]| {
        let found = search(&needles, &secrets, &shown, bytes);
        if !found.is_empty()
            && let Ok(mut all) = findings.lock()
        {
            all.extend(found);
        }
    };
    if args.staged {
        for (shown, bytes) in staged(&excludes).map_err(error)? {
            report(shown, &bytes);
        }
    } else {
        walk(&args.paths, &excludes, own.as_deref(), &report);
    }
    let mut findings = findings.into_inner().unwrap_or_default();
    findings.sort();
    print(&findings, args.format, out)?;
    if findings.is_empty() {
        Ok(())
    } else {
        out.flush()?;
        let files = {
            let mut paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
            paths.dedup();
            paths.len()
        };
        eprintln!(
            "hst scan: {} of your secrets found in {files} file{} (mark a line with hst:allow to accept it)",
            findings.len(),
            if files == 1 { "" } else { "s" }
        );
        Err(Failure::Exit(1))
    }
}

fn search(
    needles: &Needles,
    secrets: &[(String, home_secret_toml::value::SecretValue, String)],
    shown: &str,
    bytes: &[u8],
) -> Vec<Finding> {
    needles
        .find(bytes)
        .into_iter()
        .filter(|hit| !contains(line_at(bytes, hit.start), ALLOW))
        .map(|hit| {
            let origin = needles.origin(hit.needle);
            let (line, column) = line_column(bytes, hit.start);
            let (key, _, masked) = &secrets[origin.secret];
            Finding {
                path: shown.to_string(),
                line,
                column,
                key: key.clone(),
                encoding: origin.encoding.name(),
                masked: masked.clone(),
            }
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `--exclude` globs, matched like .gitignore lines relative to the current folder.
fn excludes(globs: &[String]) -> Result<Gitignore, String> {
    let root = std::env::current_dir().map_err(|e| e.to_string())?;
    let mut builder = GitignoreBuilder::new(root);
    for glob in globs {
        builder
            .add_line(None, glob)
            .map_err(|e| format!("--exclude {glob}: {e}"))?;
    }
    builder.build().map_err(|e| e.to_string())
}

/// Every file under `paths` (default `.`), in parallel, as ripgrep walks: .gitignore, .ignore
/// and global git excludes honoured, hidden files included (`.env` is where secrets leak),
/// `.git` skipped, and the secrets file itself left out.
fn walk(
    paths: &[PathBuf],
    excludes: &Gitignore,
    own: Option<&Path>,
    report: &(dyn Fn(String, &[u8]) + Sync),
) {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut builder = WalkBuilder::new(&paths[0]);
    for path in &paths[1..] {
        builder.add(path);
    }
    builder
        .hidden(false)
        .require_git(false)
        .filter_entry(|entry| entry.file_name() != ".git");
    builder.build_parallel().run(|| {
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if excludes
                .matched_path_or_any_parents(entry.path(), is_dir)
                .is_ignore()
            {
                return if is_dir {
                    WalkState::Skip
                } else {
                    WalkState::Continue
                };
            }
            if !is_file {
                return WalkState::Continue;
            }
            let path = entry.path();
            if own.is_some_and(|own| std::fs::canonicalize(path).ok().as_deref() == Some(own)) {
                return WalkState::Continue;
            }
            if entry.metadata().is_ok_and(|m| m.len() > MAX_FILE) {
                return WalkState::Continue;
            }
            if let Ok(bytes) = std::fs::read(path) {
                report(shown(path), &bytes);
            }
            WalkState::Continue
        })
    });
}

fn shown(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

/// The staged contents (the index, not the working tree) of every added, copied, modified or
/// renamed file, with its path from the repository root.
fn staged(excludes: &Gitignore) -> Result<Vec<(String, Vec<u8>)>, String> {
    let root = git(&["rev-parse", "--show-toplevel"])?;
    let root = String::from_utf8_lossy(&root).trim().to_string();
    let names = git(&[
        "-C",
        &root,
        "diff",
        "--cached",
        "--name-only",
        "-z",
        "--diff-filter=ACMR",
    ])?;
    let mut files = Vec::new();
    for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let full = Path::new(&root).join(&name);
        if excludes
            .matched_path_or_any_parents(&full, false)
            .is_ignore()
        {
            continue;
        }
        let bytes = git(&["-C", &root, "show", &format!(":{name}")])?;
        files.push((name, bytes));
    }
    Ok(files)
}

fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(format!("git {}: {}", args.join(" "), why.trim()));
    }
    Ok(out.stdout)
}

fn print(findings: &[Finding], format: ScanFormat, out: &mut dyn Write) -> Result<(), Failure> {
    match format {
        ScanFormat::Text => {
            for f in findings {
                writeln!(
                    out,
                    "{}:{}:{}: {} ({}) {}",
                    f.path, f.line, f.column, f.key, f.encoding, f.masked
                )?;
            }
        }
        ScanFormat::Json => {
            let json = serde_json::to_string_pretty(findings)
                .map_err(|e| Failure::WithCode(2, e.to_string()))?;
            writeln!(out, "{json}")?;
        }
    }
    Ok(())
}

/// Installs `hst scan --staged` as the pre-commit hook. An existing hook is kept and still
/// runs after the scan (renamed to `pre-commit.hst-chained`), never overwritten.
fn install_hook() -> Result<String, String> {
    let hooks = git(&["rev-parse", "--git-path", "hooks"])?;
    let hooks = PathBuf::from(String::from_utf8_lossy(&hooks).trim());
    std::fs::create_dir_all(&hooks).map_err(|e| format!("{}: {e}", display(&hooks)))?;
    let hook = hooks.join("pre-commit");
    let chained = hooks.join("pre-commit.hst-chained");
    if let Ok(existing) = std::fs::read_to_string(&hook) {
        if existing.contains(HOOK_MARKER) {
            return Ok(format!("The hook is already installed: {}", display(&hook)));
        }
        if chained.exists() {
            return Err(format!(
                "{} exists already; hst will not overwrite a hook",
                display(&chained)
            ));
        }
        std::fs::rename(&hook, &chained).map_err(|e| format!("{}: {e}", display(&hook)))?;
    } else if hook.symlink_metadata().is_ok() {
        // A symlink to elsewhere, or something unreadable: not ours to replace.
        return Err(format!(
            "{} exists and cannot be read; not replaced",
            display(&hook)
        ));
    }
    let hst = std::env::current_exe()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "hst".to_string());
    let script = format!(
        "#!/bin/sh\n{HOOK_MARKER}\n# Refuses a commit that holds one of your own secrets (mark a line hst:allow to accept it).\n'{}' scan --staged || exit $?\nchained=\"$(dirname \"$0\")/pre-commit.hst-chained\"\nif [ -x \"$chained\" ]; then exec \"$chained\" \"$@\"; fi\n",
        hst.replace('\'', "'\\''")
    );
    write_executable(&hook, &script).map_err(|e| format!("{}: {e}", display(&hook)))?;
    Ok(if chained.exists() {
        format!(
            "Installed {} (your previous hook still runs after it, as {})",
            display(&hook),
            display(&chained)
        )
    } else {
        format!("Installed {}", display(&hook))
    })
}

fn write_executable(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o755);
    }
    options.open(path)?.write_all(text.as_bytes())
}
