//! `cargo bench --bench tui`: the TUI's speed targets, printed as the README's table rows.
//!
//! - first frame: the real `hst-tui` started in a pseudo-terminal on a 10,000-entry file, timed
//!   from spawn until the whole first frame is on the (emulated) screen; target < 60 ms;
//! - keystroke: with 100,000 entries, each character typed in the search box re-filters and
//!   redraws (state + render into a 120×40 buffer); target < 16 ms;
//! - moving the selection and revealing (state + render), target < 16 ms;
//! - the fuzzy matchers compared on one full re-filter of 100,000 keys (why frizbee).
//!
//! Medians (and worst cases) of repeated runs; rerun on your machine before quoting numbers.
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

use std::io::Read;
use std::num::NonZero;
use std::path::Path;
use std::time::{Duration, Instant};

use home_secret_toml::SecretFile;
use hst::tui::action::{Action, Command};
use hst::tui::ui::render;
use hst::tui::{Options, State};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let dir = std::env::temp_dir().join(format!("hst-tui-bench-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return;
    }
    let (small, large) = if quick {
        (1_000, 5_000)
    } else {
        (10_000, 100_000)
    };
    let small_path = dir.join("small.toml");
    let large_path = dir.join("large.toml");
    let real_small = dir.join("real_small.toml");
    let real_large = dir.join("real_large.toml");
    if std::fs::write(&small_path, support::synthetic(small)).is_err()
        || std::fs::write(&large_path, support::synthetic(large)).is_err()
        || std::fs::write(&real_small, support::real_like(small)).is_err()
        || std::fs::write(&real_large, support::real_like(large)).is_err()
    {
        eprintln!("cannot write the synthetic files");
        return;
    }
    // Files just written are waited for (the store's settle time): let them settle first.
    std::thread::sleep(home_secret_toml::store::SETTLE);
    println!("| measurement | entries | median | worst |");
    println!("|---|---:|---:|---:|");
    // HST_BENCH_ONLY=pty,moves: only the measurements named (first-frame, in-process,
    // keystrokes, pty, moves, save, matchers).
    let only = std::env::var("HST_BENCH_ONLY").ok();
    let wants = |name: &str| {
        only.as_deref()
            .is_none_or(|only| only.split(',').any(|w| w.trim() == name))
    };
    let runs = if quick { 3 } else { 20 };
    if wants("first-frame") {
        first_frame(&small_path, small, runs, "simple");
        let frame = first_frame(&real_small, small, runs, "real-like");
        if let (Some(frame), Some(reference)) = (frame, std::env::var_os("HST_REF")) {
            python_ls_against(
                Path::new(&reference),
                &real_small,
                small,
                frame,
                "real-like",
            );
        }
    }
    if wants("in-process") {
        in_process_start(&small_path, small, runs);
    }
    if wants("keystrokes") {
        keystrokes(&large_path, large, "simple");
        keystrokes(&real_large, large, "real-like");
    }
    if wants("pty") {
        pty_keystrokes(&large_path, large, "simple");
        pty_keystrokes(&real_large, large, "real-like");
    }
    if wants("moves") {
        moves(&real_large, large, "real-like");
    }
    if !quick && std::env::var_os("HST_BENCH_1M").is_some() {
        let million = 1_000_000;
        for (shape, text) in [
            ("simple", support::synthetic(million)),
            ("real-like", support::real_like(million)),
        ] {
            let path = dir.join(format!("million_{shape}.toml"));
            if std::fs::write(&path, text).is_err() {
                eprintln!("cannot write the synthetic file");
                continue;
            }
            std::thread::sleep(home_secret_toml::store::SETTLE);
            if wants("first-frame") {
                let frame = first_frame(&path, million, 5, shape);
                if let (Some(frame), Some(reference)) = (frame, std::env::var_os("HST_REF")) {
                    python_ls_against(Path::new(&reference), &path, million, frame, shape);
                }
            }
            if wants("keystrokes") {
                keystrokes(&path, million, shape);
            }
            if wants("pty") {
                pty_keystrokes(&path, million, shape);
            }
            if wants("moves") {
                moves(&path, million, shape);
            }
            let _ = std::fs::remove_file(&path);
        }
    }
    if wants("save") {
        save_one_edit(&small_path, small, if quick { 3 } else { 20 });
    }
    if wants("matchers") {
        matchers(&large_path, large, if quick { 1 } else { 5 });
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The real binary in a pty: spawn → the status line of the first frame is on screen.
/// The Python reference's `hst ls` on the same file: how much sooner the first frame is.
fn python_ls_against(reference: &Path, path: &Path, n: usize, frame: Duration, shape: &str) {
    let mut samples: Vec<Duration> = (0..6)
        .filter_map(|_| {
            let t = Instant::now();
            std::process::Command::new(reference)
                .arg("ls")
                .arg("--path")
                .arg(path)
                .stdout(std::process::Stdio::null())
                .status()
                .ok()
                .filter(|s| s.success())
                .map(|_| t.elapsed())
        })
        .collect();
    if samples.is_empty() {
        return;
    }
    let python = median(&mut samples);
    println!(
        "| Python 0.2.1 `hst ls`, {shape} (the first frame is {:.0}× sooner) | {n} | {} | |",
        python.as_secs_f64() / frame.as_secs_f64().max(1e-9),
        ms(python)
    );
}

fn first_frame(path: &Path, n: usize, runs: usize, shape: &str) -> Option<Duration> {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let mut samples = Vec::new();
    let mut resident = Vec::new();
    for _ in 0..runs {
        let Ok(pair) = native_pty_system().openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        }) else {
            eprintln!("no pty");
            return None;
        };
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_hst-tui"));
        cmd.arg("--path");
        cmd.arg(path);
        cmd.env("TERM", "xterm-256color");
        let Ok(mut reader) = pair.master.try_clone_reader() else {
            return None;
        };
        let mut writer = pair.master.take_writer().ok();
        let mut parser = vt100::Parser::new(
            NonZero::new(40).unwrap_or(NonZero::<u16>::MIN),
            NonZero::new(120).unwrap_or(NonZero::<u16>::MIN),
            0,
        );
        let t = Instant::now();
        let Ok(mut child) = pair.slave.spawn_command(cmd) else {
            eprintln!("cannot start hst-tui");
            return None;
        };
        // Only the child holds the terminal now: when it ends, reading stops.
        drop(pair.slave);
        let mut buf = [0u8; 65536];
        let mut done = None;
        while let Ok(k) = reader.read(&mut buf) {
            if k == 0 {
                break;
            }
            parser.process(&buf[..k]);
            // The list's title ("Keys N") is drawn with the first frame.
            if parser.screen().contents().contains("Keys ") {
                done = Some(t.elapsed());
                resident.extend(child.process_id().and_then(resident_kb));
                break;
            }
        }
        if let Some(w) = writer.as_mut() {
            let _ = w.write_all(b"q");
        }
        let _ = child.wait();
        match done {
            Some(d) => samples.push(d),
            None => eprintln!("first frame never appeared"),
        }
    }
    let worst = samples.iter().max().copied().unwrap_or_default();
    let frame = median(&mut samples);
    println!(
        "| `hst-tui`: start → first frame on screen (real binary in a pty), {shape} | {n} | {} | {} |",
        ms(frame),
        ms(worst)
    );
    resident.sort_unstable();
    let file_mb = std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6);
    if let (Some(&median_kb), Some(&most_kb)) = (resident.get(resident.len() / 2), resident.last())
    {
        let mb = |kb: u64| kb as f64 * 1024.0 / 1e6;
        println!(
            "| `hst-tui`: resident memory once the first frame is on screen, {shape} ({:.1} MB file) | {n} | {:.0} MB ({:.1}× the file) | {:.0} MB |",
            file_mb,
            mb(median_kb),
            mb(median_kb) / file_mb.max(1e-9),
            mb(most_kb)
        );
    }
    Some(frame)
}

/// A process's resident memory in KiB (`VmRSS` in `/proc/PID/status`).
fn resident_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

use std::io::Write as _;

fn new_state(path: &Path, width: u16, height: u16) -> Option<State> {
    let file = SecretFile::load(path).ok()?;
    let now = Instant::now();
    let mut state = State::new(file, Options::default(), now);
    state.apply(Action::Resize { width, height }, now);
    Some(state)
}

fn terminal() -> Option<Terminal<TestBackend>> {
    Terminal::new(TestBackend::new(120, 40)).ok()
}

/// The state of `path` with its first frame drawn on a 120×40 test terminal.
fn on_screen(path: &Path) -> Option<(State, Terminal<TestBackend>)> {
    let state = new_state(path, 120, 40)?;
    let mut terminal = terminal()?;
    let _ = terminal.draw(|f| render(&state, f));
    Some((state, terminal))
}

/// One table row: `label`'s median and worst of `samples` (nothing when there are none).
fn row(label: &str, n: usize, samples: &mut [Duration]) {
    let Some(worst) = samples.iter().max().copied() else {
        return;
    };
    println!(
        "| {label} | {n} | {} | {} |",
        ms(median(samples)),
        ms(worst)
    );
}

/// Load + tree + list + first render, in process (the part of the first frame that is ours).
fn in_process_start(path: &Path, n: usize, runs: usize) {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let Some(state) = new_state(path, 120, 40) else {
            return;
        };
        let Some(mut terminal) = terminal() else {
            return;
        };
        let _ = terminal.draw(|f| render(&state, f));
        samples.push(t.elapsed());
    }
    let worst = samples.iter().max().copied().unwrap_or_default();
    println!(
        "| `hst-tui`: load + tree + first render, in process | {n} | {} | {} |",
        ms(median(&mut samples)),
        ms(worst)
    );
}

/// Moving the selection (line, page, both ends, the other pane and back) and revealing the
/// value: the state's change and the redraw, in process.
fn moves(path: &Path, n: usize, shape: &str) {
    let Some((mut state, mut terminal)) = on_screen(path) else {
        return;
    };
    let now = Instant::now();
    let script = [
        Command::Down,
        Command::Down,
        Command::PageDown,
        Command::Reveal,
        Command::Down,
        Command::Reveal,
        Command::Bottom,
        Command::Reveal,
        Command::Up,
        Command::Top,
        Command::FocusNext,
        Command::Down,
        Command::Expand,
        Command::Down,
        Command::FocusNext,
    ];
    let mut samples = Vec::new();
    for _ in 0..4 {
        for &command in &script {
            let t = Instant::now();
            state.apply(Action::Command(command), now);
            let _ = terminal.draw(|f| render(&state, f));
            samples.push(t.elapsed());
        }
    }
    let label = format!(
        "`hst-tui`: move the selection or reveal, state + redraw ({} keys), {shape}",
        samples.len()
    );
    row(&label, n, &mut samples);
}

/// Each keystroke typed into the search box: re-filter every key and redraw.
fn keystrokes(path: &Path, n: usize, shape: &str) {
    let Some((mut state, mut terminal)) = on_screen(path) else {
        return;
    };
    let now = Instant::now();
    let mut samples = Vec::new();
    let mut rankings = Vec::new();
    // The ranking a large search asks for, run here after the redraw is timed (the real loop
    // runs it on a thread of its own).
    let mut rank = |state: &mut State, effects: Vec<hst::tui::state::Effect>| {
        for effect in effects {
            if let hst::tui::state::Effect::Rank(job) = effect {
                let t = Instant::now();
                if let Some(ranked) = job.run(&|| false) {
                    state.apply(Action::Ranked(ranked), now);
                }
                rankings.push(t.elapsed());
            }
        }
    };
    for query in ["provider_05acc1", "late9", "secret2value", "p5u2s1", "zzzz"] {
        state.apply(Action::Command(Command::Search), now);
        for c in query.chars() {
            let t = Instant::now();
            let effects = state.apply(Action::Input(c), now);
            let _ = terminal.draw(|f| render(&state, f));
            samples.push(t.elapsed());
            rank(&mut state, effects);
        }
        for _ in query.chars() {
            let t = Instant::now();
            let effects = state.apply(Action::Command(Command::SearchBackspace), now);
            let _ = terminal.draw(|f| render(&state, f));
            samples.push(t.elapsed());
            rank(&mut state, effects);
        }
        state.apply(Action::Command(Command::SearchCancel), now);
    }
    let label = format!(
        "`hst-tui`: one search keystroke, re-filter + redraw ({} keystrokes), {shape}",
        samples.len()
    );
    row(&label, n, &mut samples);
    let label = format!(
        "`hst-tui`: order by score of a large search, off the UI thread ({} rankings), {shape}",
        rankings.len()
    );
    row(&label, n, &mut rankings);
}

/// What the search line says after each keystroke of `query` and after each backspace that
/// follows: the text in the box and the number of matches (the same ranking, in process).
fn expected_search_lines(path: &Path, query: &str) -> Option<Vec<(String, usize)>> {
    let file = SecretFile::load(path).ok()?;
    let keys: Vec<&str> = file.entries().iter().map(|e| e.key.dotted()).collect();
    let mut typed: Vec<String> = (1..=query.len()).map(|i| query[..i].to_string()).collect();
    typed.extend((0..query.len()).rev().map(|i| query[..i].to_string()));
    Some(
        typed
            .into_iter()
            .map(|text| {
                let n = hst::tui::filter::Filter::new(&text).rank(&keys).len();
                (text, n)
            })
            .collect(),
    )
}

/// The real binary in a pty: each keystroke in the search box (the first characters of a query
/// included, and the backspaces that clear it), timed from the write until the search line
/// shows that text and its number of matches (the list is drawn in the same frame), the next
/// key typed at once; then again, each keystroke timed until its matches are in their order by
/// score (a large search is ranked off the UI thread; the line says "ranking…" until then).
fn pty_keystrokes(path: &Path, n: usize, shape: &str) {
    pty_keystrokes_until(path, n, shape, false);
    pty_keystrokes_until(path, n, shape, true);
}

fn pty_keystrokes_until(path: &Path, n: usize, shape: &str, ranked: bool) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let queries = ["provider_05acc1", "secret2value", "p5u2s1"];
    let Some(expected): Option<Vec<Vec<(String, usize)>>> = queries
        .iter()
        .map(|q| expected_search_lines(path, q))
        .collect()
    else {
        return;
    };
    let Ok(pair) = native_pty_system().openpty(PtySize {
        rows: 40,
        cols: 120,
        pixel_width: 0,
        pixel_height: 0,
    }) else {
        return;
    };
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_hst-tui"));
    cmd.arg("--path");
    cmd.arg(path);
    cmd.env("TERM", "xterm-256color");
    let (Ok(mut reader), Ok(mut writer)) =
        (pair.master.try_clone_reader(), pair.master.take_writer())
    else {
        return;
    };
    let Ok(mut child) = pair.slave.spawn_command(cmd) else {
        return;
    };
    drop(pair.slave);
    let mut parser = vt100::Parser::new(
        NonZero::new(40).unwrap_or(NonZero::<u16>::MIN),
        NonZero::new(120).unwrap_or(NonZero::<u16>::MIN),
        0,
    );
    let mut buf = [0u8; 65536];
    let mut wait_for = |parser: &mut vt100::Parser, done: &dyn Fn(&str) -> bool| -> bool {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if done(&parser.screen().contents()) {
                return true;
            }
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => return false,
                Ok(k) => parser.process(&buf[..k]),
            }
        }
        false
    };
    let mut samples = Vec::new();
    if wait_for(&mut parser, &|screen| screen.contains("Keys ")) {
        for (query, lines) in queries.iter().zip(&expected) {
            let _ = writer.write_all(b"/");
            let mut keys: Vec<u8> = query.bytes().collect();
            keys.extend(std::iter::repeat_n(0x7f, query.len()));
            for (key, (text, matches)) in keys.iter().zip(lines) {
                let want = format!("/{text}█");
                let count = format!("{matches} match");
                let t = Instant::now();
                let _ = writer.write_all(&[*key]);
                let shown = wait_for(&mut parser, &|screen| {
                    screen.lines().any(|l| {
                        l.starts_with(&want)
                            && l.contains(&count)
                            && !(ranked && l.contains("ranking"))
                    })
                });
                if !shown {
                    eprintln!("the search line never showed {text:?} with {matches} matches");
                    break;
                }
                samples.push(t.elapsed());
            }
            let _ = writer.write_all(b"\x1b");
        }
    }
    let _ = writer.write_all(b"q");
    let _ = child.kill();
    let _ = child.wait();
    if samples.is_empty() {
        return;
    }
    let worst = samples.iter().max().copied().unwrap_or_default();
    let until = if ranked {
        "matches in their order by score"
    } else {
        "matches on screen"
    };
    println!(
        "| `hst-tui`: one search keystroke until its {until} (real binary in a pty, {} keystrokes), {shape} | {n} | {} | {} |",
        samples.len(),
        ms(median(&mut samples)),
        ms(worst)
    );
}

/// One value changed and saved: splice, re-parse and compare every leaf, atomic write.
fn save_one_edit(path: &Path, n: usize, runs: usize) {
    use home_secret_toml::edit::{self, Edit};
    use home_secret_toml::store::Store;
    let mut samples = Vec::new();
    for i in 0..runs {
        let Ok(file) = SecretFile::load(path) else {
            return;
        };
        let Some(entry) = file.entries().get(file.entries().len() / 2) else {
            return;
        };
        let literal = format!("\"bench-value-{i}\"");
        let edit = Edit::Set {
            key: entry.key.clone(),
            literal,
        };
        let t = Instant::now();
        let saved = edit::apply(&file, &edit)
            .map_err(|e| e.to_string())
            .and_then(|edited| {
                Store::new(path)
                    .save(edited.text().as_bytes(), &file.revision())
                    .map_err(|e| e.to_string())
            });
        let elapsed = t.elapsed();
        if let Err(e) = saved {
            eprintln!("save failed: {e}");
            return;
        }
        samples.push(elapsed);
    }
    let worst = samples.iter().max().copied().unwrap_or_default();
    println!(
        "| save one edit (splice, re-parse, check every leaf, lock, re-read, atomic write + fsync) | {n} | {} | {} |",
        ms(median(&mut samples)),
        ms(worst)
    );
}

/// One full re-filter (match + sort by score) of every key, per matcher.
fn matchers(path: &Path, n: usize, runs: usize) {
    let Ok(file) = SecretFile::load(path) else {
        return;
    };
    let keys: Vec<&str> = file.entries().iter().map(|e| e.key.dotted()).collect();
    let queries = [
        "p",
        "acc1",
        "provider_05",
        "user2sec1",
        "secret1.value",
        "zzzq",
    ];
    type Run<'a> = Box<dyn FnMut(&str) -> usize + 'a>;
    let frizbee: Run = Box::new(|q| hst::tui::filter::Filter::new(q).rank(&keys).len());
    let nucleo: Run = Box::new(|q| {
        use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
        let mut matcher = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
        let pattern = Pattern::parse(q, CaseMatching::Smart, Normalization::Smart);
        let mut buf = Vec::new();
        let mut hits: Vec<(u32, usize)> = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                pattern
                    .score(nucleo_matcher::Utf32Str::new(k, &mut buf), &mut matcher)
                    .map(|s| (s, i))
            })
            .collect();
        hits.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.len()
    });
    let skim: Run = Box::new(|q| {
        use fuzzy_matcher::FuzzyMatcher;
        let matcher = fuzzy_matcher::skim::SkimMatcherV2::default();
        let mut hits: Vec<(i64, usize)> = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| matcher.fuzzy_match(k, q).map(|s| (s, i)))
            .collect();
        hits.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.len()
    });
    for (name, mut run) in [
        ("frizbee 0.13 (used)", frizbee),
        ("nucleo-matcher 0.3", nucleo),
        ("fuzzy-matcher 0.3 (skim v2)", skim),
    ] {
        let mut per_query = Vec::new();
        for q in queries {
            let mut samples: Vec<Duration> = (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(run(q));
                    t.elapsed()
                })
                .collect();
            per_query.push(median(&mut samples));
        }
        let best = per_query.iter().min().copied().unwrap_or_default();
        let worst = per_query.iter().max().copied().unwrap_or_default();
        println!(
            "| matcher: {name}, one re-filter of every key (fastest–slowest of {} queries) | {n} | {} | {} |",
            queries.len(),
            ms(best),
            ms(worst)
        );
    }
}
