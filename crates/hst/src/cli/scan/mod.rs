//! `hst scan [PATH]...`: your own secrets, found where they must not be. The exact values of
//! the secrets file (and their base64, hex, percent and escaped forms) are searched in every
//! file under the paths, honouring `.gitignore` and `.ignore` like ripgrep, or in what git has
//! staged (`--staged`, also the pre-commit hook). Hits print as `path:line:column: key
//! (encoding) masked`; never a value. Exit 1 when something is found, 0 when clean, 2 on error.

mod git;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

use super::Failure;
use crate::cli::args::{ScanArgs, ScanFormat};
use crate::scan::{Needles, line_at, line_column, views};
use home_secret_toml::file::SecretFile;
use home_secret_toml::mask::mask;
use home_secret_toml::path::display;
use home_secret_toml::value::{SecretValue, TextForm, Value};

/// A line with this marker is not reported (a test fixture, a known example).
const ALLOW: &[u8] = b"hst:allow";

/// Files larger than this are not read whole; they are reported as not scanned (stderr, exit
/// code 2 when nothing else is found), never passed silently.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// `hst:allow` counts only on a line a person writes: never on a minified file's one line.
const MAX_ALLOW_LINE: usize = 400;

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
    let secrets = secrets_of(&file, args.resolve_refs);
    let values: Vec<&str> = secrets.iter().map(|(_, v, _)| v.expose()).collect();
    let needles = Needles::new(&values, args.min_length).map_err(error)?;
    let excludes = excludes(&args.exclude).map_err(error)?;
    let own = std::fs::canonicalize(path).ok();
    let findings = Mutex::new(Vec::new());
    let too_big = Mutex::new(Vec::new());
    let report = |shown: String, bytes: Option<&[u8]>| {
        let found = match bytes {
            Some(bytes) => search(&needles, &secrets, &shown, bytes),
            None => {
                if let Ok(mut big) = too_big.lock() {
                    big.push(masked_name(&needles, &shown));
                }
                Vec::new()
            }
        };
        if !found.is_empty()
            && let Ok(mut all) = findings.lock()
        {
            all.extend(found);
        }
    };
    if args.staged || args.history.is_some() {
        let names = scan_git(args, &needles, &secrets, &excludes, &report).map_err(error)?;
        if let Ok(mut all) = findings.lock() {
            all.extend(names);
        }
    } else {
        walk(&args.paths, &excludes, own.as_deref(), &report);
        // Tracked files are committed whatever .gitignore says: scanned too.
        for file in git::tracked_but_ignored(&args.paths) {
            if own.as_deref() == std::fs::canonicalize(&file).ok().as_deref() {
                continue;
            }
            read_and_report(&file, &report);
        }
    }
    let mut findings = findings.into_inner().unwrap_or_default();
    if args.history.is_some() {
        commits(
            &mut findings,
            args.history.as_deref().filter(|r| !r.is_empty()),
        );
    }
    findings.sort();
    print(&findings, args.format, out)?;
    let too_big = too_big.into_inner().unwrap_or_default();
    conclude(&findings, &too_big, out)
}

/// The exit code, and the summary on stderr: 1 when a secret was found, 2 when only files too
/// big to read were left, 0 when clean.
/// Each value to look for: its key, its text and its mask. A reference is not a secret: its
/// value is looked for only with `--resolve-refs` (which asks every backend); one that does not
/// resolve is reported on stderr and the scan goes on with the rest.
fn secrets_of(file: &SecretFile, resolve_refs: bool) -> Vec<(String, SecretValue, String)> {
    let resolver = crate::resolve::resolver();
    if resolve_refs {
        resolver.prefetch(file.entries().iter().filter_map(|e| e.value.as_reference()));
    }
    let mut secrets = Vec::with_capacity(file.entries().len());
    for e in file.entries() {
        let key = e.key.to_string();
        let (text, masked) = match e.value.as_reference() {
            None => (file.toml_text(e), mask(&e.value)),
            Some(_) if !resolve_refs => continue,
            Some(_) => match crate::resolve::text(&key, &e.value, TextForm::Toml) {
                Ok(text) => {
                    let masked = mask(&Value::String(text.clone()));
                    (text, masked)
                }
                Err(why) => {
                    eprintln!("hst scan: not looked for: {why}");
                    continue;
                }
            },
        };
        secrets.push((key, text, masked));
    }
    secrets
}

fn conclude(findings: &[Finding], too_big: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    for name in too_big {
        eprintln!(
            "hst scan: {}: over {} MiB, not scanned",
            for_terminal(name, std::io::stderr().is_terminal()),
            MAX_FILE >> 20
        );
    }
    if findings.is_empty() && !too_big.is_empty() {
        out.flush()?;
        return Err(Failure::Exit(2));
    }
    if findings.is_empty() {
        return Ok(());
    }
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

/// `--staged` or `--history`: the blobs git holds, each read once by object id; returns the
/// findings in file names.
fn scan_git(
    args: &ScanArgs,
    needles: &Needles,
    secrets: &[(String, home_secret_toml::value::SecretValue, String)],
    excludes: &Gitignore,
    report: &(dyn Fn(String, Option<&[u8]>) + Sync),
) -> Result<Vec<Finding>, String> {
    let root = git::root()?;
    let range = args.history.as_deref().filter(|r| !r.is_empty());
    let blobs = if args.staged {
        git::staged(&root)?
    } else {
        git::history(&root, range)?
    };
    let blobs: Vec<git::Blob> = blobs
        .into_iter()
        .filter(|b| {
            !excludes
                .matched_path_or_any_parents(Path::new(&root).join(&b.name), false)
                .is_ignore()
        })
        .collect();
    let mut each = |blob: &git::Blob, bytes: Option<&[u8]>| {
        // History: the commit is looked up only for blobs with a finding (see `commits`).
        let shown = if args.staged {
            blob.name.clone()
        } else {
            format!("{}\0{}", blob.id, blob.name)
        };
        report(shown, bytes);
    };
    git::read_blobs(&root, &blobs, MAX_FILE, &mut each)?;
    // A value in a file name is committed too.
    Ok(blobs
        .iter()
        .flat_map(|b| search_name(needles, secrets, &b.name))
        .collect())
}

/// History findings name their blob as `ID\0path`: shown as `commit:path`, the commits that
/// brought them found in one pass over the log.
fn commits(findings: &mut [Finding], range: Option<&str>) {
    let Ok(root) = git::root() else { return };
    let ids: std::collections::HashSet<String> = findings
        .iter()
        .filter_map(|f| f.path.split_once('\0').map(|(id, _)| id.to_string()))
        .collect();
    if ids.is_empty() {
        return;
    }
    let known = git::commits_of(&root, &ids, range);
    for f in findings {
        if let Some((id, name)) = f.path.split_once('\0') {
            let commit = known.get(id).map_or("?", String::as_str);
            f.path = format!("{commit}:{name}");
        }
    }
}

fn search(
    needles: &Needles,
    secrets: &[(String, home_secret_toml::value::SecretValue, String)],
    shown: &str,
    bytes: &[u8],
) -> Vec<Finding> {
    let decoded = views::decode(bytes);
    let text: &[u8] = &decoded.text;
    let mut hits: Vec<(usize, usize)> = needles
        .find(text)
        .into_iter()
        .map(|h| (h.start, h.needle))
        .collect();
    for view in &decoded.views {
        for hit in needles.find(&view.bytes) {
            let (start, _) = view.source(hit.start, hit.end);
            hits.push((start, hit.needle));
        }
    }
    // One finding per place and secret, however many views saw it.
    hits.sort_unstable();
    hits.dedup_by(|a, b| a.0 == b.0 && needles.origin(a.1).secret == needles.origin(b.1).secret);
    let path = masked_name(needles, shown);
    hits.into_iter()
        .filter(|&(start, _)| {
            let line = line_at(text, start);
            !(line.len() <= MAX_ALLOW_LINE && contains(line, ALLOW))
        })
        .map(|(start, needle)| {
            let origin = needles.origin(needle);
            let (line, column) = line_column(text, start);
            let (key, _, masked) = &secrets[origin.secret];
            Finding {
                path: path.clone(),
                line,
                column,
                key: key.clone(),
                encoding: origin.encoding.name(),
                masked: masked.clone(),
            }
        })
        .collect()
}

/// A secret in a file's name: reported at line 0, the name shown masked.
fn search_name(
    needles: &Needles,
    secrets: &[(String, home_secret_toml::value::SecretValue, String)],
    name: &str,
) -> Vec<Finding> {
    needles
        .find(name.as_bytes())
        .into_iter()
        .map(|hit| {
            let origin = needles.origin(hit.needle);
            let (key, _, masked) = &secrets[origin.secret];
            Finding {
                path: masked_name(needles, name),
                line: 0,
                column: hit.start + 1,
                key: key.clone(),
                encoding: origin.encoding.name(),
                masked: masked.clone(),
            }
        })
        .collect()
}

/// `name` with every secret in it replaced by `***`: a path printed is never a value.
fn masked_name(needles: &Needles, name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for hit in needles.find(bytes) {
        if hit.start < at {
            continue;
        }
        out.extend_from_slice(&bytes[at..hit.start]);
        out.extend_from_slice(b"***");
        at = hit.end;
    }
    out.extend_from_slice(&bytes[at..]);
    String::from_utf8_lossy(&out).into_owned()
}

fn for_terminal(text: &str, terminal: bool) -> String {
    crate::terminal_text::for_output(text, terminal).into_owned()
}

/// Reads a file found by the walk and reports it (whole, or as too big).
fn read_and_report(path: &Path, report: &(dyn Fn(String, Option<&[u8]>) + Sync)) {
    if std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_FILE) {
        report(shown(path), None);
    } else if let Ok(bytes) = std::fs::read(path) {
        report(shown(path), Some(&bytes));
    }
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
    report: &(dyn Fn(String, Option<&[u8]>) + Sync),
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
            read_and_report(path, report);
            WalkState::Continue
        })
    });
}

fn shown(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

fn print(findings: &[Finding], format: ScanFormat, out: &mut dyn Write) -> Result<(), Failure> {
    match format {
        ScanFormat::Text => {
            // On a terminal, control characters in paths, keys and masks are shown escaped.
            let terminal = std::io::stdout().is_terminal();
            for f in findings {
                let line = format!(
                    "{}:{}:{}: {} ({}) {}",
                    f.path, f.line, f.column, f.key, f.encoding, f.masked
                );
                writeln!(out, "{}", for_terminal(&line, terminal))?;
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
    let hooks = git::git(&["rev-parse", "--git-path", "hooks"])?;
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
