//! `hst scan` against what a hostile tester tried (issue 19), in real git repositories: staged
//! blobs read by object id (a file named `0:x`, a symlink turned into a file), values in file
//! names (shown masked), tracked files that `.gitignore` names, history, every encoded form,
//! UTF-16 files, files too big to read, `hst:allow` on a minified line.

use std::path::Path;
use std::process::Output;

use crate::support::env::{Env, Program, finish, stderr, stdout};

const SECRET: &str = "fake-Scan-Secret-9876/Ü é+x";
const PLAIN: &str = "fakeplainsecretvalue0042";

fn repo() -> Env {
    let mut env = Env::new();
    env.write_secrets(&format!(
        "svc.token = \"{}\"\nsvc.plain = \"{PLAIN}\"\n",
        SECRET.replace('\\', "\\\\")
    ));
    for (k, v) in [
        ("GIT_AUTHOR_NAME", "t"),
        ("GIT_AUTHOR_EMAIL", "t@example.invalid"),
        ("GIT_COMMITTER_NAME", "t"),
        ("GIT_COMMITTER_EMAIL", "t@example.invalid"),
    ] {
        env.set_var(k, v);
    }
    git(&env, &["init", "-q", "."]);
    env
}

fn git(env: &Env, args: &[&str]) {
    let out = finish(env.tool("git").args(args).current_dir(env.work()));
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

fn write(env: &Env, name: &str, bytes: &[u8]) {
    env.write_file(&env.work().join(name), bytes);
}

fn scan(env: &Env, args: &[&str]) -> Output {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    finish(env.command(Program::Hst).args(&all))
}

fn assert_no_value(out: &Output) {
    for text in [stdout(out), stderr(out)] {
        assert!(
            !text.contains(SECRET) && !text.contains(PLAIN),
            "a value was printed"
        );
    }
}

#[test]
fn staged_blobs_are_read_by_object_id_and_names_are_scanned() {
    let env = repo();
    write(&env, "x", b"clean\n");
    std::os::unix::fs::symlink("x", env.work().join("link")).unwrap();
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "clean"]);
    // `0:x` would be read as stage 0 of `x` by `git show :0:x`.
    write(&env, "0:x", format!("token={PLAIN}\n").as_bytes());
    // A symlink replaced by a file (a type change).
    std::fs::remove_file(env.work().join("link")).unwrap();
    write(&env, "link", format!("{PLAIN}\n").as_bytes());
    // A value in a file name.
    write(&env, &format!("notes-{PLAIN}.txt"), b"nothing\n");
    git(&env, &["add", "-A"]);
    let out = scan(&env, &["--staged"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("0:x:1:7: svc.plain (raw)"), "{text}");
    assert!(text.contains("link:1:1: svc.plain (raw)"), "{text}");
    assert!(
        text.contains("notes-***.txt:0:7: svc.plain (raw)"),
        "{text}"
    );
    assert_no_value(&out);
}

#[test]
fn tracked_files_are_scanned_even_when_gitignored_and_history_is_scanned_once_per_blob() {
    let env = repo();
    write(&env, "cfg.env", format!("TOKEN={PLAIN}\n").as_bytes());
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "add"]);
    write(&env, ".gitignore", b"cfg.env\n");
    git(&env, &["add", ".gitignore"]);
    git(&env, &["commit", "-qm", "ignore"]);
    let out = scan(&env, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("cfg.env:1:7: svc.plain"),
        "{}",
        stdout(&out)
    );
    // Gone from the tree, still in history: found once, with the commit that brought it.
    git(&env, &["rm", "-q", "--cached", "cfg.env"]);
    git(&env, &["commit", "-qm", "remove"]);
    std::fs::remove_file(env.work().join("cfg.env")).unwrap();
    write(&env, "other.txt", b"unrelated\n");
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "more"]);
    assert_eq!(scan(&env, &[]).status.code(), Some(0));
    let out = scan(&env, &["--history"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains(":cfg.env:1:7: svc.plain (raw)"), "{text}");
    assert_no_value(&out);
}

#[test]
fn every_encoded_form_and_utf16_are_found() {
    let env = repo();
    let json_ascii: String = SECRET
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                format!("\\u{:04X}", c as u32)
            } else if c.is_ascii() {
                c.to_string()
            } else {
                format!("\\u{:04x}", c as u32)
            }
        })
        .collect();
    let python = serde_json::to_string(SECRET)
        .unwrap()
        .replace('Ü', "\\u00dc")
        .replace('é', "\\u00e9");
    let php = python.replace('/', "\\/");
    let toml = format!(
        "k = \"{}\"",
        SECRET.replace('Ü', "\\u00DC").replace('é', "\\U000000E9")
    );
    let percent_lower: String = SECRET
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else if b == b' ' {
                "+".to_string()
            } else {
                format!("%{b:02x}")
            }
        })
        .collect();
    let b64 = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}{SECRET}{}", "x".repeat(70), "y".repeat(90)),
    );
    let wrap = |width: usize, nl: &str| -> String {
        b64.as_bytes()
            .chunks(width)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(nl)
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "json_escapes.json",
            format!("{{\"t\": \"{json_ascii}\"}}\n").into_bytes(),
        ),
        ("python.json", format!("{{\"t\": {python}}}\n").into_bytes()),
        ("php.json", format!("{{\"t\": {php}}}\n").into_bytes()),
        ("conf.toml", format!("{toml}\n").into_bytes()),
        ("form.txt", format!("q={percent_lower}\n").into_bytes()),
        (
            "mime64.txt",
            format!("{}\r\n", wrap(76, "\r\n")).into_bytes(),
        ),
        (
            "pem64.txt",
            format!("-----BEGIN X-----\n{}\n-----END X-----\n", wrap(64, "\n")).into_bytes(),
        ),
    ];
    for (name, bytes) in &cases {
        write(&env, name, bytes);
    }
    let utf16 = |little: bool, bom: bool| {
        let mut out = Vec::new();
        if bom {
            out.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for unit in format!("token = {SECRET}\r\n").encode_utf16() {
            out.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    };
    for (name, little, bom) in [
        ("le-bom.txt", true, true),
        ("le.txt", true, false),
        ("be-bom.txt", false, true),
        ("be.txt", false, false),
    ] {
        write(&env, name, &utf16(little, bom));
    }
    let out = scan(&env, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for name in
        cases
            .iter()
            .map(|(n, _)| *n)
            .chain(["le-bom.txt", "le.txt", "be-bom.txt", "be.txt"])
    {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{name}:")) && l.contains("svc.token")),
            "{name} not found:\n{text}"
        );
    }
    assert_no_value(&out);
}

#[test]
fn a_file_too_big_is_reported_and_allow_counts_only_on_a_short_line() {
    let env = repo();
    let big = env.work().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let out = scan(&env, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("big.bin: over 64 MiB, not scanned"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(&big).unwrap();
    // hst:allow on its own short line: accepted.
    write(
        &env,
        "ok.txt",
        format!("example = {PLAIN} # hst:allow\n").as_bytes(),
    );
    assert_eq!(scan(&env, &[]).status.code(), Some(0));
    // One minified line: the marker does not hide what else is on it.
    let minified = format!(
        "{}hst:allow{}{PLAIN}{}",
        "a".repeat(200),
        "b".repeat(300),
        "c".repeat(100)
    );
    write(&env, "min.js", minified.as_bytes());
    let out = scan(&env, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("min.js:1:"), "{}", stdout(&out));
    assert!(!Path::new(&env.work().join("big.bin")).exists());
}
