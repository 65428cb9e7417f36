//! Key-aware shell completion: the real `hst` answers the shell's call-back with the file's key
//! paths (never values), for `get` and `set`, taking `--path` from the line being completed.

use crate::support;

use std::path::{Path, PathBuf};

use support::env::Finish;

fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.toml");
    std::fs::copy(support::fixture("seed003.toml"), &path).unwrap_or_else(|e| panic!("{e}"));
    (dir, path)
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_hst"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// What bash offers for `words` with the cursor on the last one, through the script
/// `hst completions bash` prints.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let script = crate::support::env::hst()
        .args(["completions", "bash"])
        .finish();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "{}\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_TYPE=9\n_clap_complete_hst hst '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        String::from_utf8_lossy(&script.stdout),
        quoted.join(" "),
        words.len() - 1,
        words.last().copied().unwrap_or_default(),
        words
            .get(words.len().saturating_sub(2))
            .copied()
            .unwrap_or_default(),
    );
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = support::env::shared("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .env("PATH", path)
        .finish();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_key_paths_of_the_file_named_on_the_line() {
    let (_dir, path) = fixture_copy();
    let path = path.to_string_lossy().into_owned();
    let got = bash_completes(&["hst", "get", "--path", &path, "github.accounts.personal.u"]);
    assert_eq!(
        got,
        [
            "github.accounts.personal.users.dev.email",
            "github.accounts.personal.users.dev.secrets.api_token.description",
            "github.accounts.personal.users.dev.secrets.api_token.name",
            "github.accounts.personal.users.dev.secrets.api_token.value",
            "github.accounts.personal.users.dev.user_id",
        ]
    );
    let got = bash_completes(&["hst", "set", "--path", &path, "aws.accounts.prod.adm"]);
    assert_eq!(got, ["aws.accounts.prod.admin_email"]);
    // Values never come back, only keys.
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let all = bash_completes(&["hst", "get", "--path", &path, ""]);
    assert!(all.len() > 10);
    for value in text
        .lines()
        .filter_map(|l| l.split_once(" = \""))
        .map(|(_, v)| v.trim_end_matches('"'))
        .filter(|v| v.len() > 3)
    {
        assert!(
            all.iter().all(|c| !c.contains(value)),
            "a value was offered"
        );
    }
}

#[test]
fn subcommands_and_flags_still_complete_and_hst_tui_is_registered() {
    let got = bash_completes(&["hst", "ge"]);
    assert!(
        got.iter().any(|c| c == "get") && got.iter().any(|c| c == "gen-enum"),
        "{got:?}"
    );
    let script = crate::support::env::hst()
        .args(["completions", "bash"])
        .finish();
    let script = String::from_utf8_lossy(&script.stdout);
    assert!(script.contains("hst-tui"));
    assert!(script.contains("HST_COMPLETE"));
}

#[test]
fn fish_and_zsh_call_backs_answer_with_keys() {
    let (_dir, path) = fixture_copy();
    for shell in ["fish", "zsh"] {
        let mut cmd = crate::support::env::hst();
        cmd.args(["--", "hst", "get", "--path"])
            .arg(&path)
            .arg("aws.accounts.prod.adm")
            .env("HST_COMPLETE", shell)
            .env("_CLAP_IFS", "\n")
            .env("_CLAP_COMPLETE_INDEX", "4");
        let out = cmd.finish();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("aws.accounts.prod.admin_email"),
            "{shell}: {text}"
        );
    }
}
