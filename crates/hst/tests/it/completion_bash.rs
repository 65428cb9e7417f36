//! Key completion in a real bash: the registration script `hst completions bash` prints is
//! sourced, its completion function is called as readline calls it, and what it puts in
//! `COMPREPLY` is put on a command line that bash then parses: the word must be the key,
//! whatever it holds (spaces, quotes, `$`, backslashes).

use crate::support::env::{Env, Program, stderr, stdout};

const FILE: &str = r#"a."my key".value = "fake-1"
a."it's $HOME".value = "fake-2"
a."back\\slash \"q\"".value = "fake-3"
a.plain.value = "fake-4"
"#;

/// Runs the completion for `typed` (the raw word as the user typed it, quotes included) and
/// returns the words bash parses from `hst get <typed completed>`.
fn complete_and_parse(env: &Env, typed: &str) -> Vec<String> {
    let script = env.hst_ok(&["completions", "bash"]);
    let script_path = env.path("work/hst.bash");
    env.write_file(&script_path, script.as_bytes());
    // Readline gives the function the word without an opening quote ($2) while COMP_WORDS
    // keeps it; after completing inside a quote readline closes it.
    let quote = typed.chars().next().filter(|c| *c == '"' || *c == '\'');
    let unquoted = quote.map_or(typed, |_| &typed[1..]);
    let close = quote.map(String::from).unwrap_or_default();
    let driver = format!(
        r#"source {script}
COMP_WORDS=(hst get {typed_q})
COMP_CWORD=2
COMP_LINE="hst get "{typed_q}
COMP_POINT=${{#COMP_LINE}}
_clap_complete_hst hst {unquoted_q} get
quote={quote_q}
for reply in "${{COMPREPLY[@]}}"; do
  line="hst get $quote$reply$quote"
  eval "words=($line)"
  printf '%s\0' "${{words[2]}}"
done
"#,
        script = script_path.display(),
        typed_q = shell_quote(typed),
        unquoted_q = shell_quote(unquoted),
        quote_q = shell_quote(&close),
    );
    let bin_dir = std::path::Path::new(Program::Hst.path())
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = crate::support::env::finish(
        env.tool("bash")
            .args(["--norc", "--noprofile", "-c", &driver])
            .env("PATH", path)
            .current_dir(env.work()),
    );
    assert!(out.status.success(), "bash: {}", stderr(&out));
    stdout(&out)
        .split('\0')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// `text` in single quotes for a bash script.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[test]
fn completed_keys_parse_back_as_the_key_in_bash() {
    let env = Env::new();
    env.write_secrets(FILE);
    // Unquoted: keys with spaces, a quote, `$` and a backslash come back escaped.
    let mut got = complete_and_parse(&env, "a.");
    got.sort();
    assert_eq!(
        got,
        [
            "a.back\\slash \"q\".value",
            "a.it's $HOME.value",
            "a.my key.value",
            "a.plain.value"
        ]
    );
    // What was typed escaped is matched unescaped.
    assert_eq!(complete_and_parse(&env, "a.my\\ k"), ["a.my key.value"]);
    // Inside an opened quote readline closes it: the key comes back as it is.
    assert_eq!(complete_and_parse(&env, "\"a.my k"), ["a.my key.value"]);
    assert_eq!(complete_and_parse(&env, "'a.my"), ["a.my key.value"]);
}
