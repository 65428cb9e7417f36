//! `cargo bench --bench scan`: `hst scan` against ripgrep's `rg -F -f` given the same needles
//! (every value of a 1,000-entry secrets file in every form hst searches) on the same tree
//! (a generated project of text files, a few secrets planted), both whole processes, both
//! honouring .gitignore and reading hidden files. Target: within 1.5× of ripgrep. Needs `rg`
//! (Debian package ripgrep); without it only hst is timed. With `HST_BENCH_1M=1`, the same
//! for a million values (six million needles for the simple shape) over a 100 MB tree.
//!
//! Then `hst scan --history` over a generated repository of 10,000 commits against
//! `git log -p --all | rg -F -c -f` with the same needles (target: within 2×).
// A test fails by panicking, and a test script may be long: the product's lints do not apply.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::cognitive_complexity,
    unsafe_code
)]

#[path = "../tests/generate.rs"]
mod support;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use home_secret_toml::SecretFile;

const FILES: usize = 600;
const FILE_BYTES: usize = 64 * 1024;
const RUNS: usize = 9;

fn main() {
    println!("| measurement | tree | median | worst |");
    println!("|---|---:|---:|---:|");
    against_rg(1_000, FILES, RUNS, true);
    // A million values (six million needles) over a 100 MB tree.
    if std::env::var_os("HST_BENCH_1M").is_some() {
        against_rg(1_000_000, 1_600, 3, false);
    }
}

fn against_rg(keys: usize, files: usize, runs: usize, with_history: bool) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let secrets = dir.path().join("home_secret.toml");
    std::fs::write(&secrets, support::synthetic(keys)).unwrap_or_else(|e| panic!("{e}"));
    let tree = dir.path().join("tree");
    let planted = make_tree(&tree, &secrets, files);
    let patterns = dir.path().join("patterns.txt");
    write_patterns(&secrets, &patterns);
    let hst = || {
        Command::new(env!("CARGO_BIN_EXE_hst"))
            .arg("--path")
            .arg(&secrets)
            .args(["scan", "."])
            .current_dir(&tree)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.code())
    };
    let rg = || {
        Command::new("rg")
            .args(["--hidden", "-F", "-c", "-f"])
            .arg(&patterns)
            .arg(".")
            .current_dir(&tree)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.code())
    };
    let mb = (files * FILE_BYTES) as f64 / 1e6;
    let hst_times = time(hst, Some(1), runs);
    println!(
        "| `hst scan` ({} needles: {keys} values × their forms; {planted} planted hits) | {files} files, {mb:.0} MB | {} | {} |",
        needle_count(&secrets),
        ms(median(&hst_times)),
        ms(worst(&hst_times))
    );
    if rg().is_err() {
        println!("(rg not found: install ripgrep to compare)");
        return;
    }
    let rg_times = time(rg, None, runs);
    let ratio = median(&hst_times).as_secs_f64() / median(&rg_times).as_secs_f64();
    println!(
        "| `rg --hidden -F -c -f` with the same needles | {files} files, {mb:.0} MB | {} (hst takes {ratio:.2}× the time of rg) | {} |",
        ms(median(&rg_times)),
        ms(worst(&rg_times))
    );
    if with_history {
        history(dir.path(), &secrets, &patterns);
    }
}

const COMMITS: usize = 10_000;

/// `hst scan --history` against `git log -p --all | rg -F -c -f` on a repository of
/// `COMMITS` commits, each changing one of 50 files; a few commits plant a secret.
fn history(dir: &Path, secrets: &Path, patterns: &Path) {
    let repo = dir.join("history");
    std::fs::create_dir_all(&repo).unwrap_or_else(|e| panic!("{e}"));
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&repo)
            .stdout(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    git(&["init", "-q", "."]);
    let file = SecretFile::load(secrets).unwrap_or_else(|e| panic!("{e}"));
    let planted = file.toml_text(&file.entries()[3]).expose().to_string();
    let mut stream = String::new();
    for i in 0..COMMITS {
        let mut body = String::new();
        for line in 0..40 {
            let _ = writeln!(
                body,
                "line {line} of version {i}: some ordinary text, nothing to see"
            );
        }
        if i % 1000 == 7 {
            let _ = writeln!(body, "token = \"{planted}\"");
        }
        let _ = write!(
            stream,
            "commit refs/heads/main\ncommitter t <t@example.invalid> {} +0000\ndata 3\nc{}\n",
            1_700_000_000 + i,
            i % 10
        );
        // Commits to one branch in one stream chain on their own.
        let _ = write!(
            stream,
            "M 644 inline src/f{}.txt\ndata {}\n{body}\n",
            i % 50,
            body.len()
        );
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(&repo)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        stdin
            .write_all(stream.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    child.wait().unwrap_or_else(|e| panic!("{e}"));
    let hst = || {
        Command::new(env!("CARGO_BIN_EXE_hst"))
            .arg("--path")
            .arg(secrets)
            .args(["scan", "--history"])
            .current_dir(&repo)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.code())
    };
    let pipeline = format!("git log -p --all | rg -F -c -f '{}'", patterns.display());
    let rg = || {
        Command::new("sh")
            .args(["-c", &pipeline])
            .current_dir(&repo)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.code())
    };
    let hst_times = time(hst, Some(1), RUNS);
    let rg_times = time(rg, None, RUNS);
    let ratio = median(&hst_times).as_secs_f64() / median(&rg_times).as_secs_f64();
    println!(
        "| `hst scan --history` | {COMMITS} commits | {} | {} |",
        ms(median(&hst_times)),
        ms(worst(&hst_times))
    );
    println!(
        "| `git log -p --all \\| rg -F -c -f` with the same needles | {COMMITS} commits | {} (hst takes {ratio:.2}× the time) | {} |",
        ms(median(&rg_times)),
        ms(worst(&rg_times))
    );
}

/// A project-like tree of text files; a few hold a secret (raw or base64).
fn make_tree(tree: &Path, secrets: &Path, files: usize) -> usize {
    let file = SecretFile::load(secrets).unwrap_or_else(|e| panic!("{e}"));
    let values: Vec<String> = file
        .entries()
        .iter()
        .map(|e| file.toml_text(e).expose().to_string())
        .collect();
    let mut planted = 0;
    for i in 0..files {
        let sub = tree.join(format!("src/mod{:02}", i % 40));
        std::fs::create_dir_all(&sub).unwrap_or_else(|e| panic!("{e}"));
        let mut text = String::with_capacity(FILE_BYTES + 200);
        let mut line = 0;
        while text.len() < FILE_BYTES {
            let _ = writeln!(
                text,
                "    let value_{line} = config.get(\"section_{i}.key_{line}\").unwrap_or(\"default-{line}-abcdefghij\"); // note {line}"
            );
            line += 1;
        }
        if i % 97 == 0 {
            let _ = writeln!(text, "token = \"{}\"", values[i % values.len()]);
            planted += 1;
        }
        std::fs::write(sub.join(format!("file{i}.rs")), text).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(tree.join(".gitignore"), "target/\n").unwrap_or_else(|e| panic!("{e}"));
    planted
}

/// Every form of every value, one per line (the needles hst builds).
fn write_patterns(secrets: &Path, out: &Path) {
    let file = SecretFile::load(secrets).unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::new();
    for entry in file.entries() {
        let value = file.toml_text(entry);
        if value.expose().chars().count() < hst::scan::DEFAULT_MIN_LENGTH {
            continue;
        }
        for (_, form) in hst::scan::forms(value.expose()) {
            if form.chars().count() >= hst::scan::DEFAULT_MIN_LENGTH {
                text.push_str(&form);
                text.push('\n');
            }
        }
    }
    std::fs::write(out, text).unwrap_or_else(|e| panic!("{e}"));
}

fn needle_count(secrets: &Path) -> usize {
    let file = SecretFile::load(secrets).unwrap_or_else(|e| panic!("{e}"));
    let owned: Vec<String> = file
        .entries()
        .iter()
        .map(|e| file.toml_text(e).expose().to_string())
        .collect();
    let values: Vec<&str> = owned.iter().map(String::as_str).collect();
    hst::scan::Needles::new(&values, hst::scan::DEFAULT_MIN_LENGTH)
        .map(|n| n.len())
        .unwrap_or(0)
}

fn time(
    run: impl Fn() -> std::io::Result<Option<i32>>,
    expect: Option<i32>,
    runs: usize,
) -> Vec<Duration> {
    let _ = run(); // warm the page cache
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            let code = run().unwrap_or_else(|e| panic!("{e}"));
            let elapsed = t.elapsed();
            if let Some(expect) = expect {
                assert_eq!(code, Some(expect), "hst scan found the planted secrets");
            }
            elapsed
        })
        .collect()
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn worst(samples: &[Duration]) -> Duration {
    samples.iter().max().copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
