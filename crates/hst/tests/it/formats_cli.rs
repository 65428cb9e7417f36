//! What a new user reached for, through the real binary: `--format` on `get` and `ls`, `--stdin`
//! on a terminal, suggestions for a missing middle, the `hst init` hint, named duplicate keys,
//! config mistakes caught at start, and no message that starts with `: `.

use crate::support::env::{Env, Program, stderr, stdout};
use crate::support::pty::Pty;

const FILE: &str = r#"# fake values only
openai.accounts.me.secrets.api_key.value = "sk-fake-0123456789"
app.enabled = true
app.expires = 2025-12-31
app.quote = "say \"hi\"\n"
app.keys = { access_key = "AKIAFAKE", region = "eu" }
"#;

fn env_with_file() -> Env {
    let env = Env::new();
    env.write_secrets(FILE);
    env
}

#[test]
fn get_formats_python_raw_toml_and_json() {
    let env = env_with_file();
    let get = |key: &str, format: Option<&str>| {
        let mut args = vec!["get", key];
        if let Some(f) = format {
            args.extend(["--format", f]);
        }
        env.hst_ok(&args)
    };
    // The default stays the Python tool's bytes.
    assert_eq!(get("app.enabled", None), "True\n");
    assert_eq!(get("app.enabled", Some("python")), "True\n");
    assert_eq!(get("app.expires", None), "datetime.date(2025, 12, 31)\n");
    assert_eq!(get("app.enabled", Some("raw")), "true\n");
    assert_eq!(get("app.expires", Some("raw")), "2025-12-31\n");
    assert_eq!(get("app.quote", Some("raw")), "say \"hi\"\n\n");
    assert_eq!(get("app.quote", Some("toml")), "\"say \\\"hi\\\"\\n\"\n");
    assert_eq!(get("app.quote", Some("json")), "\"say \\\"hi\\\"\\n\"\n");
    assert_eq!(
        get("app.keys", Some("json")),
        "{\"access_key\":\"AKIAFAKE\",\"region\":\"eu\"}\n"
    );
    assert_eq!(
        get("app.keys", Some("toml")),
        "{ access_key = \"AKIAFAKE\", region = \"eu\" }\n"
    );
    assert_eq!(
        get("app.keys", None),
        "{'access_key': 'AKIAFAKE', 'region': 'eu'}\n"
    );
    let out = env.hst(&["get", "app.enabled", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("possible values: python, raw, toml, json"));
}

#[test]
fn ls_json_has_key_mask_type_and_line_and_never_a_value() {
    let env = env_with_file();
    let out = env.hst_ok(&["ls", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 6, "every listed key");
    assert_eq!(
        rows[0],
        serde_json::json!({
            "key": "openai.accounts.me.secrets.api_key.value",
            "masked": "sk***89",
            "type": "string",
            "line": 2
        })
    );
    assert_eq!(rows[1]["type"], "boolean");
    assert_eq!(rows[1]["masked"], "*");
    assert_eq!(rows[2]["type"], "datetime");
    assert_eq!(rows[4]["key"], "app.keys.access_key");
    assert_eq!(rows[4]["line"], 6);
    for secret in ["sk-fake-0123456789", "AKIAFAKE", "say"] {
        assert!(!out.contains(secret), "ls --format json printed a value");
    }
    // The query applies; nothing found is an empty array, not a sentence.
    let out = env.hst_ok(&["ls", "--format", "json", "--query", "app keys"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        env.hst_ok(&["ls", "--format", "json", "--query", "zzz"]),
        "[]\n"
    );
    // The text form keeps the Python tool's bytes.
    assert!(
        env.hst_ok(&["ls"])
            .starts_with("openai.accounts.me.secrets.api_key.value = \"sk***89\"\n")
    );
}

#[test]
fn a_missing_middle_of_the_path_is_suggested() {
    let env = env_with_file();
    let out = env.hst(&["get", "openai.api_key"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "Error: \"Key 'openai.api_key' not found in the provided data.\"\n\
         Did you mean: openai.accounts.me.secrets.api_key.value?\n"
    );
    // A key that is simply absent keeps the reference's one line.
    let out = env.hst(&["get", "nothing.like.it"]);
    assert_eq!(
        stderr(&out),
        "Error: \"Key 'nothing' not found in the provided data.\"\n"
    );
}

#[test]
fn a_missing_file_names_hst_init_and_keeps_stdout_the_reference() {
    let env = Env::new();
    let out = env.hst(&["ls"]);
    assert_eq!(out.status.code(), Some(1));
    let path = env.secrets();
    assert_eq!(
        stdout(&out),
        format!("Error: Secret file not found at {}\n", path.display())
    );
    assert!(stderr(&out).contains("hst init"), "{}", stderr(&out));
    let out = env.hst(&["get", "a.b"]);
    assert!(stderr(&out).starts_with("Error: Secret file not found at "));
    assert!(stderr(&out).contains("create one with `hst init`"));
    // JSON output never gets a sentence on stdout.
    let out = env.hst(&["ls", "--format", "json"]);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("hst init"));
}

#[test]
fn duplicate_keys_are_named_with_line_and_column() {
    let env = Env::new();
    for (text, want) in [
        (
            "a = 1\na = 2\n",
            "2:1: duplicate key a (it is defined above)",
        ),
        (
            "[x]\nb = 1\n[x]\nc = 2\n",
            "3:2: duplicate key x (it is defined above)",
        ),
        (
            "[x]\nb = 1\nb = 2\n",
            "3:1: duplicate key x.b (it is defined above)",
        ),
        ("x.b = 1\nx.b.c = 2\n", "x.b.c: cannot extend"),
    ] {
        env.write_secrets(text);
        let out = env.hst(&["ls"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains(want), "{text:?}: {}", stderr(&out));
    }
}

#[test]
fn config_mistakes_stop_every_command_at_start_with_line_and_column() {
    let env = env_with_file();
    for (config, want) in [
        (
            "[clipbord]\ntimeout = 5\n",
            "config.toml:1:2: unknown field `clipbord`",
        ),
        ("[clipboard]\nbackend = \"xclip\"\n", "config.toml:2:11:"),
        (
            "[clipboard]\ntimeout = \"soon\"\n",
            "whole number of seconds",
        ),
        (
            "[age]\nidentity = \"~/k.txt\"\nrecipient = \"age1x\"\n",
            "config.toml:3:1: unknown field `recipient`",
        ),
        (
            "[age]\nrecipients = 7\n",
            "age.recipients must be public keys in quotes",
        ),
    ] {
        env.write_config(config);
        let out = env.hst(&["get", "app.enabled"]);
        assert_eq!(out.status.code(), Some(1), "{config:?}");
        assert_eq!(stdout(&out), "", "{config:?}: nothing done");
        let err = stderr(&out);
        assert!(
            err.starts_with("Error: ") && err.contains(want),
            "{config:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // One recipient as a plain string is what people write first: accepted.
    env.write_config(
        "[age]\nrecipients = \"age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\"\n",
    );
    assert_eq!(env.hst_ok(&["get", "app.enabled"]), "True\n");
}

#[test]
fn no_message_starts_with_a_colon() {
    let env = env_with_file();
    for args in [
        &["set", "", "x"][..],
        &["set", ".", "x"],
        &["set", "a..b", "x"],
        &["get", ""],
        &["rm", "", "--yes"],
        &["mv", "", "x"],
        &["otp", ""],
    ] {
        let out = env.hst(args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let err = stderr(&out);
        assert!(!err.contains("Error: :"), "{args:?}: {err}");
        assert!(
            err.starts_with("Error: ") || err.starts_with("error: "),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read_to_string(env.secrets()).unwrap(), FILE);
}

#[test]
fn stdin_on_a_terminal_asks_without_echo() {
    let env = env_with_file();
    let mut cmd = env.pty_command(Program::Hst);
    cmd.args(["set", "app.token", "--stdin"]);
    let mut pty = Pty::spawn(cmd, 24, 100);
    pty.wait_for("Value for app.token:");
    pty.keys("fake-typed-9f3\r");
    pty.wait_for("Again, to be sure:");
    pty.keys("fake-typed-9f3\r");
    assert_eq!(pty.wait_exit(), 0);
    assert!(
        !String::from_utf8_lossy(pty.raw()).contains("fake-typed-9f3"),
        "the typed value was echoed"
    );
    assert_eq!(env.hst_ok(&["get", "app.token"]), "fake-typed-9f3\n");
}
