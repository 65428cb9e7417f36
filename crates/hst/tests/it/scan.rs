//! `hst scan`: the real binary finds the secrets file's own values, raw and encoded, with the
//! right line and column and the key named, and never prints a value or its encoded form.

use std::path::PathBuf;
use std::process::Output;

use crate::support::env::Finish;

use base64::Engine;

const TOKEN: &str = "ghp_fake_scan_0123456789";
const ODD: &str = "fake\"pa\\ss wo/rd+1";

struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let secrets = dir.path().join("home_secret.toml");
        let text = format!(
            "github.token.value = \"{TOKEN}\"\nshort.v = \"abcdefg\"\nsvc.pass = {}\n",
            serde_json::to_string(ODD).unwrap_or_default()
        );
        std::fs::write(&secrets, text).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("proj")).unwrap_or_else(|e| panic!("{e}"));
        Self { dir }
    }

    fn proj(&self) -> PathBuf {
        self.dir.path().join("proj")
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.proj().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    fn hst(&self, args: &[&str]) -> Output {
        crate::support::env::hst()
            .arg("--path")
            .arg(self.dir.path().join("home_secret.toml"))
            .args(args)
            .current_dir(self.proj())
            .finish()
    }

    /// `git commit`, which runs the installed hook (hst finds the file through HST_PATH).
    fn commit(&self) -> Output {
        crate::support::env::shared("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(["commit", "-qm", "x"])
            .current_dir(self.proj())
            .env("HST_PATH", self.dir.path().join("home_secret.toml"))
            .finish()
    }

    fn git(&self, args: &[&str]) {
        let ok = crate::support::env::shared("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(self.proj())
            .finish();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Nothing of a value, raw or encoded, in what hst printed.
fn assert_nothing_leaked(out: &Output) {
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    let b64 = base64::engine::general_purpose::STANDARD.encode(TOKEN);
    let hex: String = TOKEN.bytes().map(|b| format!("{b:02x}")).collect();
    for leak in [TOKEN, ODD, &b64[..16], &hex[..16], "0123456789"] {
        assert!(!all.contains(leak), "a value or its encoding was printed");
    }
}

#[test]
fn every_encoding_is_found_with_line_column_and_key() {
    let t = Tree::new();
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!("user:{TOKEN}"));
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("xy{TOKEN}"));
    let hex: String = TOKEN.bytes().map(|b| format!("{b:02x}")).collect();
    let percent = "fake%22pa%5Css%20wo%2Frd%2B1";
    t.write("raw.txt", &format!("first line\n  token = {TOKEN}\n"));
    t.write("basic.txt", &format!("Authorization: Basic {b64}\n"));
    t.write("url.txt", &format!("u={url}\n"));
    t.write("hex.txt", &format!("\n\nh:{hex}\n"));
    t.write("HEX.txt", &hex.to_uppercase());
    t.write("percent.txt", &format!("?p={percent}&x=1\n"));
    t.write(
        "escaped.json",
        &format!(
            "{{\"p\": {}}}\n",
            serde_json::to_string(ODD).unwrap_or_default()
        ),
    );
    let out = t.hst(&["scan"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    let expect = [
        "HEX.txt:1:1: github.token.value (HEX) gh***89",
        "basic.txt:1:29: github.token.value (base64) gh***89",
        "escaped.json:1:8: svc.pass (escaped) fa***+1",
        "hex.txt:3:3: github.token.value (hex) gh***89",
        "percent.txt:1:4: svc.pass (percent-encoded) fa***+1",
        "raw.txt:2:11: github.token.value (raw) gh***89",
    ];
    for e in expect {
        assert!(lines.iter().any(|l| l == e), "missing {e:?} in {lines:#?}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("url.txt:1:") && l.contains("github.token.value (base64")),
        "{lines:#?}"
    );
    assert_nothing_leaked(&out);
}

#[test]
fn gitignore_short_values_allow_marks_exclude_and_the_secrets_file_itself() {
    let t = Tree::new();
    t.git(&["init", "-q", "."]);
    t.write(".gitignore", "build/\n");
    t.write("build/out.txt", TOKEN);
    t.write(".ignore", "vendor/\n");
    t.write("vendor/lib.txt", TOKEN);
    t.write("short.txt", "abcdefg abcdefg\n");
    t.write(
        "allowed.txt",
        &format!("example = \"{TOKEN}\"  # hst:allow\n"),
    );
    t.write("docs/readme.md", &format!("{TOKEN}\n"));
    let out = t.hst(&["scan"]);
    assert_eq!(
        text(&out.stdout),
        "docs/readme.md:1:1: github.token.value (raw) gh***89\n"
    );
    assert_eq!(out.status.code(), Some(1));
    let out = t.hst(&["scan", "--exclude", "docs/"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty());
    // The secrets file itself is not a leak; scanning its folder finds nothing there.
    let out = crate::support::env::hst()
        .args(["--path", "home_secret.toml", "scan", "--exclude", "proj/"])
        .current_dir(t.dir.path())
        .finish();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // A lower minimum length finds the short value.
    let out = t.hst(&["scan", "--min-length", "6", "short.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("short.txt:1:1: short.v (raw)"));
}

#[test]
fn json_output_and_exit_codes() {
    let t = Tree::new();
    t.write("clean.txt", "nothing to see\n");
    let out = t.hst(&["scan"]);
    assert_eq!(out.status.code(), Some(0));
    t.write("leak.txt", TOKEN);
    let out = t.hst(&["scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let parsed: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed[0]["path"], "leak.txt");
    assert_eq!(parsed[0]["line"], 1);
    assert_eq!(parsed[0]["column"], 1);
    assert_eq!(parsed[0]["key"], "github.token.value");
    assert_eq!(parsed[0]["encoding"], "raw");
    assert_nothing_leaked(&out);
    let out = crate::support::env::hst()
        .args(["--path", "/nonexistent/home_secret.toml", "scan"])
        .finish();
    assert_eq!(out.status.code(), Some(2), "an error is 2");
    assert_eq!(
        text(&out.stderr).lines().next(),
        Some("Error: Secret file not found at /nonexistent/home_secret.toml"),
        "and says why"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn staged_sees_the_index_not_the_working_tree_and_the_hook_chains() {
    let t = Tree::new();
    t.git(&["init", "-q", "."]);
    t.write("a.txt", "clean\n");
    t.git(&["add", "a.txt"]);
    // Staged clean, working tree leaking: --staged is clean.
    t.write("a.txt", &format!("{TOKEN}\n"));
    let out = t.hst(&["scan", "--staged"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // Staged leaking, working tree clean again: --staged finds it.
    t.git(&["add", "a.txt"]);
    t.write("a.txt", "clean\n");
    let out = t.hst(&["scan", "--staged"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "a.txt:1:1: github.token.value (raw) gh***89\n"
    );
    // An existing hook is kept and still runs after ours.
    let hooks = t.proj().join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap_or_else(|e| panic!("{e}"));
    let marker = t.dir.path().join("old-hook-ran");
    let old = format!("#!/bin/sh\ntouch '{}'\n", marker.display());
    std::fs::write(hooks.join("pre-commit"), &old).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            hooks.join("pre-commit"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = t.hst(&["scan", "--install-hook"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.hst-chained")).unwrap_or_default(),
        old,
        "the previous hook is kept"
    );
    let again = t.hst(&["scan", "--install-hook"]);
    assert!(text(&again.stdout).contains("already installed"));
    // The hook refuses the commit of the staged secret, and the old hook does not run then.
    let commit = t.commit();
    assert!(!commit.status.success(), "the commit went through");
    let said = format!("{}{}", text(&commit.stdout), text(&commit.stderr));
    assert!(
        said.contains("a.txt:1:1: github.token.value (raw) gh***89"),
        "the hook names the finding: {said}"
    );
    assert!(!said.contains(TOKEN));
    assert!(!marker.exists());
    // With the secret unstaged, the commit passes and the old hook runs too.
    t.git(&["add", "a.txt"]);
    let commit = t.commit();
    assert!(commit.status.success(), "{}", text(&commit.stderr));
    assert!(marker.exists(), "the chained hook ran");
}

#[test]
fn the_pre_commit_framework_can_use_it() {
    let spec = std::fs::read_to_string(crate::support::root().join(".pre-commit-hooks.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(spec.contains("id: hst-scan"));
    assert!(spec.contains("entry: hst scan --staged"));
}

/// Past 50,000 needles hst searches with its window index instead of Aho-Corasick: the same
/// hits, line for line.
#[test]
fn many_values_find_what_few_values_find() {
    let t = Tree::new();
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!("user:{TOKEN}"));
    t.write(
        "raw.txt",
        &format!("first line\n  token = {TOKEN}{TOKEN}\n"),
    );
    t.write("basic.txt", &format!("Authorization: Basic {b64}\n"));
    t.write(
        "escaped.json",
        &format!(
            "{{\"p\": {}}}\n",
            serde_json::to_string(ODD).unwrap_or_default()
        ),
    );
    let few = t.hst(&["scan"]);
    assert_eq!(few.status.code(), Some(1), "{}", text(&few.stderr));
    let secrets = t.dir.path().join("home_secret.toml");
    let mut file = std::fs::read_to_string(&secrets).unwrap_or_else(|e| panic!("{e}"));
    for i in 0..10_000 {
        file.push_str(&format!("bulk.k{i} = \"fake-bulk-value-{i:05}\"\n"));
    }
    std::fs::write(&secrets, file).unwrap_or_else(|e| panic!("{e}"));
    let many = t.hst(&["scan"]);
    assert_eq!(many.status.code(), Some(1), "{}", text(&many.stderr));
    assert_eq!(text(&many.stdout), text(&few.stdout));
    assert_eq!(
        text(&many.stdout).lines().count(),
        4,
        "{}",
        text(&many.stdout)
    );
    t.write("bulk.txt", "x fake-bulk-value-09999 y\n");
    let planted = t.hst(&["scan", "bulk.txt"]);
    assert_eq!(
        text(&planted.stdout).lines().next().unwrap_or_default(),
        "bulk.txt:1:3: bulk.k9999 (raw) fa***99"
    );
    assert_nothing_leaked(&many);
}
