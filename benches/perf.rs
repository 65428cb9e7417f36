//! `cargo bench`: prints the performance table of the README.
//!
//! Generates synthetic secrets files (fake values), then measures
//! - the core's load time (read + parse + index) at 1k / 10k / 100k entries, in process;
//! - the real `hst` binary: `ls`, `ls --query`, `gen-enum` on 10k entries (wall time, peak RSS);
//! - the Python reference on the same file, when `HST_REF=/path/to/python/hst` is set.
//!
//! - `hst ls` against the Python reference side by side (alternating runs, so both see the same
//!   machine load), on simple and real-shaped files of 10k and 100k entries (and 1M with
//!   `HST_BENCH_1M=1`), with peak memory against the file's size.
//!
//! Medians of repeated runs. Numbers depend on the machine: rerun before quoting them; the
//! ratios are what is stable.
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

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use home_secret_toml::SecretFile;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Median wall time of a command (stdout to /dev/null) after one warm-up run, and its peak RSS.
fn time_command(program: &Path, args: &[&str], runs: usize) -> (Duration, Option<f64>) {
    let run = || time_once(program, args);
    if run().is_none() {
        eprintln!("{} {args:?} failed", program.display());
        return (Duration::ZERO, None);
    }
    let samples: Vec<Duration> = (0..runs).filter_map(|_| run()).collect();
    (median(samples), peak_rss_mb(program, args))
}

/// Wall time of one run (stdout to /dev/null), `None` if it failed.
fn time_once(program: &Path, args: &[&str]) -> Option<Duration> {
    let t = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let elapsed = t.elapsed();
    status.ok().filter(|s| s.success()).map(|_| elapsed)
}

/// Peak resident set size of one run of a command, measured by re-running this benchmark binary
/// as a helper whose only child is that command (so `RUSAGE_CHILDREN` is that command alone).
fn peak_rss_mb(program: &Path, args: &[&str]) -> Option<f64> {
    let me = std::env::current_exe().ok()?;
    let out = Command::new(me)
        .arg("--rss-child")
        .arg(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let kb: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// The helper: run the command once, print its peak RSS in kB.
fn rss_child(program: &str, args: &[String]) {
    let _ = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    // SAFETY: getrusage only writes into the struct we pass.
    let kb = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage.ru_maxrss
    };
    println!("{kb}");
}

/// `hst ls` and the Python reference on both shapes, side by side.
/// A key in the middle of `text` whose value is a string (what `get` and `set` are run on).
fn middle_key(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len() / 2..]
        .iter()
        .chain(lines.iter())
        .find_map(|l| {
            let (key, value) = l.split_once(" = ")?;
            (!l.starts_with('#') && value.starts_with('"') && !key.contains('"'))
                .then(|| key.trim().to_string())
        })
        .unwrap_or_default()
}

/// Median time and peak memory of `hst ARGS`, and of the Python tool's (alternating runs).
struct SideBySide {
    ours: Duration,
    ours_rss: Option<f64>,
    theirs: Option<(Duration, Option<f64>)>,
}

fn side_by_side(args: &[&str], runs: usize, python: bool) -> SideBySide {
    let hst = Path::new(env!("CARGO_BIN_EXE_hst"));
    let reference = std::env::var_os("HST_REF")
        .map(std::path::PathBuf::from)
        .filter(|_| python);
    // One warm-up each (page cache; the store's settle time for a file just written), then
    // alternated: each round runs both once.
    let _ = time_once(hst, args);
    if let Some(r) = &reference {
        let _ = time_once(r, args);
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.extend(time_once(hst, args));
        if let Some(r) = &reference {
            theirs.extend(time_once(r, args));
        }
    }
    SideBySide {
        ours: median(ours),
        ours_rss: peak_rss_mb(hst, args),
        theirs: reference.map(|r| (median(theirs), peak_rss_mb(&r, args))),
    }
}

fn rss_text(rss: Option<f64>, size_mb: f64) -> String {
    rss.map_or(String::new(), |mb| {
        format!("{mb:.0} MB ({:.1}× file)", mb / (size_mb / 1.048_576))
    })
}

/// `hst ls` and `hst get` against the Python tool, and `hst set` and `hst run` (20 variables)
/// against `ls` and `get`, on both shapes.
fn commands_against_python(dir: &Path, quick: bool) {
    let mut sizes = if quick {
        vec![1_000]
    } else {
        vec![10_000, 100_000]
    };
    if !quick && std::env::var_os("HST_BENCH_1M").is_some() {
        sizes.push(1_000_000);
    }
    println!();
    println!(
        "| command | shape | entries | file | hst | hst peak RSS | Python 0.2.1 | Python peak RSS | Python ÷ hst |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut relative = Vec::new();
    for n in sizes {
        for (shape, text) in [
            ("simple", support::synthetic(n)),
            ("real-like", support::real_like(n)),
        ] {
            let path = dir.join(format!("cmd_{shape}_{n}.toml"));
            std::fs::write(&path, &text).unwrap();
            let size_mb = text.len() as f64 / 1e6;
            let key = middle_key(&text);
            drop(text);
            let p = path.to_string_lossy().into_owned();
            let runs = match n {
                0..=10_000 => 15,
                10_001..=100_000 => 5,
                _ => 2,
            };
            let mut times = std::collections::HashMap::new();
            for (label, args) in [
                ("`hst ls`", vec!["ls", "--path", p.as_str()]),
                (
                    "`hst get KEY`",
                    vec!["get", "--path", p.as_str(), key.as_str()],
                ),
            ] {
                let m = side_by_side(&args, runs, true);
                times.insert(label, m.ours);
                let (py, py_rss, ratio) = match m.theirs {
                    Some((py, rss)) => (
                        ms(py),
                        rss.map_or(String::new(), |mb| format!("{mb:.0} MB")),
                        format!("{:.0}×", py.as_secs_f64() / m.ours.as_secs_f64().max(1e-9)),
                    ),
                    None => ("(set HST_REF)".into(), String::new(), String::new()),
                };
                println!(
                    "| {label} | {shape} | {n} | {size_mb:.1} MB | {} | {} | {py} | {py_rss} | {ratio} |",
                    ms(m.ours),
                    rss_text(m.ours_rss, size_mb)
                );
            }
            let set = side_by_side(
                &["set", "--path", &p, &key, "fake-bench-value"],
                runs,
                false,
            );
            relative.push(format!(
                "| `hst set KEY VALUE` | {shape} | {n} | {} | {} | {:.2}× `hst ls` |",
                ms(set.ours),
                rss_text(set.ours_rss, size_mb),
                set.ours.as_secs_f64() / times["`hst ls`"].as_secs_f64().max(1e-9)
            ));
            let run = run_twenty(dir, &p, &key, runs);
            relative.push(format!(
                "| `hst run` (20 variables) | {shape} | {n} | {} | {} | {:.2}× `hst get` |",
                ms(run.ours),
                rss_text(run.ours_rss, size_mb),
                run.ours.as_secs_f64() / times["`hst get KEY`"].as_secs_f64().max(1e-9)
            ));
            for (label, (time, rss)) in verbs(&p, &key, runs) {
                relative.push(format!(
                    "| {label} | {shape} | {n} | {} | {} | {:.2}× `hst ls` |",
                    ms(time),
                    rss_text(rss, size_mb),
                    time.as_secs_f64() / times["`hst ls`"].as_secs_f64().max(1e-9)
                ));
            }
            let _ = std::fs::remove_file(&path);
        }
    }
    println!();
    println!("| command | shape | entries | hst | hst peak RSS | against |");
    println!("|---|---|---:|---:|---:|---:|");
    for line in relative {
        println!("{line}");
    }
}

/// `hst mv KEY` to a sibling and back, `hst cp KEY` to a new key and `hst rm` of the copy,
/// each run leaving the file as it was: the median time and the peak RSS of each verb.
fn verbs(path: &str, key: &str, runs: usize) -> [(&'static str, (Duration, Option<f64>)); 3] {
    let hst = Path::new(env!("CARGO_BIN_EXE_hst"));
    let moved = format!("{key}_moved");
    let copied = format!("{key}_copied");
    let there = ["mv", "--path", path, key, moved.as_str()];
    let back = ["mv", "--path", path, moved.as_str(), key];
    let cp = vec!["cp", "--path", path, key, copied.as_str()];
    let rm = vec!["rm", "--path", path, "--yes", copied.as_str()];
    let (mut mvs, mut cps, mut rms) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        mvs.extend(time_once(hst, &there));
        mvs.extend(time_once(hst, &back));
        cps.extend(time_once(hst, &cp));
        rms.extend(time_once(hst, &rm));
    }
    let mv_rss = peak_rss_mb(hst, &there);
    let _ = time_once(hst, &back);
    let cp_rss = peak_rss_mb(hst, &cp);
    let rm_rss = peak_rss_mb(hst, &rm);
    let at = |samples: Vec<Duration>| {
        if samples.is_empty() {
            Duration::ZERO
        } else {
            median(samples)
        }
    };
    [
        ("`hst mv KEY NEW` (renamed)", (at(mvs), mv_rss)),
        ("`hst cp KEY NEW`", (at(cps), cp_rss)),
        ("`hst rm KEY --yes`", (at(rms), rm_rss)),
    ]
}

/// `hst run -- true` with a manifest of 20 variables, all from `key` (allowed first).
fn run_twenty(dir: &Path, path: &str, key: &str, runs: usize) -> SideBySide {
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap();
    let mut manifest = String::from("[env]\n");
    for i in 0..20 {
        manifest.push_str(&format!("V{i} = \"{key}\"\n"));
    }
    let manifest_path = project.join("hst.toml");
    std::fs::write(&manifest_path, manifest).unwrap();
    let m = manifest_path.to_string_lossy().into_owned();
    let hst = Path::new(env!("CARGO_BIN_EXE_hst"));
    let _ = Command::new(hst)
        .args(["allow", "--yes", &m])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    side_by_side(
        &["run", "--path", path, "--manifest", &m, "--", "true"],
        runs,
        false,
    )
}

/// Opening the same file plain and age-encrypted (X25519), side by side: in process, and
/// `hst ls` as a whole command. The difference is the price of encryption.
fn encrypted_open(dir: &Path, plain: &Path, n: usize, runs: usize) {
    use std::io::Write;
    let identity = age::x25519::Identity::generate();
    let key = dir.join("key.txt");
    let secret = {
        use age::secrecy::ExposeSecret;
        identity.to_string().expose_secret().to_string()
    };
    std::fs::write(&key, format!("{secret}\n")).unwrap();
    let text = std::fs::read(plain).unwrap();
    let recipient = identity.to_public();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut sealed_bytes = Vec::new();
    let mut writer = encryptor.wrap_output(&mut sealed_bytes).unwrap();
    writer.write_all(&text).unwrap();
    writer.finish().unwrap();
    let sealed = dir.join(format!("secrets_{n}.toml.age"));
    std::fs::write(&sealed, &sealed_bytes).unwrap();
    home_secret_toml::encrypted::keyring().use_identity(&key);

    let load = |path: &Path| {
        median(
            (0..runs)
                .filter_map(|_| {
                    let t = Instant::now();
                    let file = SecretFile::load(path).ok()?;
                    let elapsed = t.elapsed();
                    std::hint::black_box(file.entries().len());
                    Some(elapsed)
                })
                .collect(),
        )
    };
    // Alternated, so that both see the same machine load.
    let (mut p, mut e) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        p.push(load(plain));
        e.push(load(&sealed));
    }
    let (p, e) = (median(p), median(e));
    println!("| core: load, plain file | {n} | {} | |", ms(p));
    println!(
        "| core: load, age-encrypted file (+{} for decryption) | {n} | {} | |",
        ms(e.saturating_sub(p)),
        ms(e)
    );
    let hst = Path::new(env!("CARGO_BIN_EXE_hst"));
    let (plain_str, sealed_str, key_str) = (
        plain.to_string_lossy().into_owned(),
        sealed.to_string_lossy().into_owned(),
        key.to_string_lossy().into_owned(),
    );
    let (tp, rp) = time_command(hst, &["ls", "--path", &plain_str], runs);
    let (te, re) = time_command(
        hst,
        &["ls", "--path", &sealed_str, "--identity", &key_str],
        runs,
    );
    let rss = |r: Option<f64>| r.map_or(String::new(), |mb| format!("{mb:.1} MB"));
    println!("| `hst ls`, plain file | {n} | {} | {} |", ms(tp), rss(rp));
    println!(
        "| `hst ls`, age-encrypted file (+{}) | {n} | {} | {} |",
        ms(te.saturating_sub(tp)),
        ms(te),
        rss(re)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--rss-child") {
        if let Some(program) = args.get(i + 1) {
            rss_child(program, &args[i + 2..]);
        }
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: then do a quick run.
    let quick = !std::env::args().any(|a| a == "--bench");
    let dir = std::env::temp_dir().join(format!("hst-bench-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return;
    }
    let sizes: &[usize] = if quick {
        &[1_000]
    } else {
        &[1_000, 10_000, 100_000]
    };

    println!("| measurement | entries | median | peak RSS |");
    println!("|---|---:|---:|---:|");
    for &n in sizes {
        let path = dir.join(format!("secrets_{n}.toml"));
        if std::fs::write(&path, support::synthetic(n)).is_err() {
            eprintln!("cannot write {}", path.display());
            return;
        }
        let runs = if quick {
            3
        } else if n >= 100_000 {
            10
        } else {
            30
        };
        let samples: Vec<Duration> = (0..runs)
            .filter_map(|_| {
                let t = Instant::now();
                let file = SecretFile::load(&path).ok()?;
                let elapsed = t.elapsed();
                std::hint::black_box(file.entries().len());
                Some(elapsed)
            })
            .collect();
        println!(
            "| core: load (read + parse + index) | {n} | {} | |",
            ms(median(samples))
        );
        // The same file through the complete TOML parser: one `[table]` header at its end is
        // what sends a file there (the flat-file scanner cannot judge tables). The price the
        // fast path avoids.
        let text = std::fs::read_to_string(&path).unwrap_or_default() + "\n[zz_bench]\nend = 1\n";
        let samples: Vec<Duration> = (0..runs)
            .filter_map(|_| {
                let t = Instant::now();
                let file = SecretFile::from_text(&path, text.clone()).ok()?;
                let elapsed = t.elapsed();
                std::hint::black_box(file.entries().len());
                Some(elapsed)
            })
            .collect();
        println!(
            "| core: load with the complete TOML parser | {n} | {} | |",
            ms(median(samples))
        );
    }

    let n = if quick { 1_000 } else { 10_000 };
    let path = dir.join(format!("secrets_{n}.toml"));
    encrypted_open(&dir, &path, n, if quick { 3 } else { 30 });
    let path_str = path.to_string_lossy().into_owned();
    let out = dir.join("out.py").to_string_lossy().into_owned();
    let hst = Path::new(env!("CARGO_BIN_EXE_hst"));
    let runs = if quick { 3 } else { 30 };
    let commands: [(&str, Vec<&str>); 3] = [
        ("`hst ls`", vec!["ls", "--path", &path_str]),
        (
            "`hst ls --query 'provider_001 acc1'`",
            vec!["ls", "--path", &path_str, "--query", "provider_001 acc1"],
        ),
        (
            "`hst gen-enum --overwrite`",
            vec![
                "gen-enum",
                "--path",
                &path_str,
                "--output",
                &out,
                "--overwrite",
            ],
        ),
    ];
    let reference = std::env::var_os("HST_REF");
    for (label, args) in &commands {
        let (ours, rss) = time_command(hst, args, runs);
        let rss = rss.map_or(String::new(), |mb| format!("{mb:.1} MB"));
        println!("| {label} | {n} | {} | {rss} |", ms(ours));
        if let Some(reference) = &reference {
            let (theirs, rss) = time_command(Path::new(reference), args, runs.min(10));
            let rss = rss.map_or(String::new(), |mb| format!("{mb:.1} MB"));
            let speedup = theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9);
            println!(
                "| {label}, Python reference 0.2.1 ({speedup:.0}× slower) | {n} | {} | {rss} |",
                ms(theirs)
            );
        }
    }
    commands_against_python(&dir, quick);
    let _ = std::fs::remove_dir_all(&dir);
}
