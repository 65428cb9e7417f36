//! `hst rm`, `hst mv`, `hst cp` through the real binary: only the touched lines change, tables
//! need --recursive, nothing is overwritten, rm asks on a terminal and needs --yes elsewhere,
//! and encrypted files work the same.

use crate::support::env::{Env, Program, stderr};
use crate::support::pty::Pty;

const FILE: &str =
    "# top\n[github]\n# the token\ntoken = \"ghp_fake_0001\"\nuser = \"octo\"\n\n[gitlab]\nk = 1\n";

fn read(env: &Env) -> String {
    std::fs::read_to_string(env.secrets()).unwrap()
}

#[test]
fn rm_removes_one_line_and_keeps_the_comment_above() {
    let env = Env::new();
    env.write_secrets(FILE);
    let out = env.hst(&["rm", "github.token", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "Removed github.token.\n");
    assert_eq!(read(&env), FILE.replace("token = \"ghp_fake_0001\"\n", ""));
}

#[test]
fn rm_without_a_terminal_needs_yes_and_a_table_needs_recursive() {
    let env = Env::new();
    env.write_secrets(FILE);
    let out = env.hst(&["rm", "github.token"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("add --yes"), "{}", stderr(&out));
    let out = env.hst(&["rm", "github", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("github is a table with 2 keys under it; add --recursive"));
    let out = env.hst(&["rm", "nothing.here", "--yes"]);
    assert_eq!(stderr(&out), "Error: no key nothing.here in the file\n");
    assert_eq!(read(&env), FILE, "nothing was written");
    let out = env.hst(&["rm", "github", "-r", "--yes"]);
    assert_eq!(stderr(&out), "Removed 2 keys under github.\n");
    // The emptied [github] goes too; the comments stay.
    assert_eq!(read(&env), "# top\n# the token\n\n[gitlab]\nk = 1\n");
}

#[test]
fn rm_asks_on_a_terminal_and_no_keeps_the_key() {
    let env = Env::new();
    env.write_secrets(FILE);
    for (answer, kept) in [("n\r", true), ("y\r", false)] {
        let mut cmd = env.pty_command(Program::Hst);
        cmd.args(["rm", "gitlab.k"]);
        let mut pty = Pty::spawn(cmd, 24, 100);
        pty.wait_for("Remove gitlab.k? [y/N]");
        pty.keys(answer);
        assert_eq!(pty.wait_exit(), 0);
        assert_eq!(read(&env).contains("k = 1"), kept, "{answer:?}");
    }
}

#[test]
fn mv_moves_any_part_of_a_path_and_cp_copies_never_overwriting() {
    let env = Env::new();
    env.write_secrets(FILE);
    // The last part: renamed in place.
    let out = env.hst(&["mv", "github.user", "github.login"]);
    assert_eq!(stderr(&out), "Moved github.user to github.login.\n");
    assert!(read(&env).contains("\nlogin = \"octo\"\n"));
    // A middle part, a whole table: it lands in the [gitlab] section, relative to it.
    let out = env.hst(&["mv", "github", "gitlab.old", "--recursive"]);
    assert_eq!(stderr(&out), "Moved 2 keys from github to gitlab.old.\n");
    let text = read(&env);
    assert!(
        text.ends_with("[gitlab]\nk = 1\nold.token = \"ghp_fake_0001\"\nold.login = \"octo\"\n"),
        "{text}"
    );
    let value = env.hst_ok(&["get", "gitlab.old.token"]);
    assert_eq!(value, "ghp_fake_0001\n");
    // cp keeps the original; neither overwrites.
    let out = env.hst(&["cp", "gitlab.k", "gitlab.k2"]);
    assert_eq!(stderr(&out), "Copied gitlab.k to gitlab.k2.\n");
    assert_eq!(env.hst_ok(&["get", "gitlab.k"]), "1\n");
    assert_eq!(env.hst_ok(&["get", "gitlab.k2"]), "1\n");
    let before = read(&env);
    let out = env.hst(&["mv", "gitlab.k", "gitlab.k2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("gitlab.k2 already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&env), before);
}

/// What a move or delete leaves is the file as the user wrote it, less the key: its line
/// ending (even when the only line that showed it was the one moved), no final newline when it
/// had none, the key's comment on its new line, and no table the edit emptied (`t = {}` or a
/// `[t]` header would still be a key to TOML readers). Each result is also read by `tomllib`.
#[test]
fn moves_and_deletes_keep_the_file_as_written() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "a = \"x1\"\r\nb.c = \"x2\"",
            &["mv", "a", "b.a"],
            "b.c = \"x2\"\r\nb.a = \"x1\"",
        ),
        (
            "\u{feff}a = \"x1\"\r\nb.c = \"x2\"\r\n",
            &["mv", "a", "b.a"],
            "\u{feff}b.c = \"x2\"\r\nb.a = \"x1\"\r\n",
        ),
        (
            "a = \"x1\"\nb = \"x2\"",
            &["rm", "b", "--yes"],
            "a = \"x1\"",
        ),
        (
            "a = \"x1\"\nb.d = \"x3\"",
            &["mv", "b.d", "q"],
            "a = \"x1\"\nq = \"x3\"",
        ),
        ("[s]\r\na = \"x1\"", &["mv", "s.a", "t"], "t = \"x1\""),
        (
            "[s]\nk = 1\n[t]\na = \"x1\"",
            &["rm", "t.a", "--yes"],
            "[s]\nk = 1",
        ),
        (
            "a.\"b c\".d = \"x1\" # note\na.\"b c\".e = \"x2\"\n",
            &["mv", "a.b c.d", "z.x y"],
            "a.\"b c\".e = \"x2\"\nz.\"x y\" = \"x1\" # note\n",
        ),
        ("d=3#c\n", &["mv", "d", "e.f"], "e.f = 3#c\n"),
        (
            "[s]\nd = 3  # c\n",
            &["cp", "s.d", "u.v"],
            "u.v = 3  # c\n[s]\nd = 3  # c\n",
        ),
        (
            "t = { a = \"x1\", b = \"x2\" }\nz = 1\n",
            &["mv", "-r", "t", "u"],
            "z = 1\nu.a = \"x1\"\nu.b = \"x2\"\n",
        ),
        (
            "t = { a = \"x1\", b = \"x2\" }\nz = 1\n",
            &["rm", "-r", "t", "--yes"],
            "z = 1\n",
        ),
        (
            "x = { t = { a = 1 }, b = 2 }\n",
            &["rm", "x.t.a", "--yes"],
            "x = { b = 2 }\n",
        ),
        (
            "[a]\nx = 1\n[a.b]\ny = 2\n",
            &["mv", "-r", "a", "z"],
            "z.x = 1\nz.b.y = 2\n",
        ),
        (
            "[a]\nx = 1\n[a.b]\ny = 2\n[keep]\n",
            &["rm", "-r", "a", "--yes"],
            "[keep]\n",
        ),
    ];
    for (text, args, expected) in cases {
        let env = Env::new();
        env.write_secrets(text);
        let out = env.hst(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?} on {text:?}: {}",
            stderr(&out)
        );
        assert_eq!(read(&env), *expected, "{args:?} on {text:?}");
        let python = env
            .tool("python3")
            .args(["-c", TOMLLIB_READS])
            .arg(env.secrets())
            .output()
            .unwrap();
        assert!(
            python.status.success(),
            "tomllib: {}",
            String::from_utf8_lossy(&python.stderr)
        );
    }
}

/// A table the user left empty is a key all the same: nothing moves or is set in its place.
#[test]
fn an_empty_table_is_not_overwritten() {
    for (text, args) in [
        ("t = {}\nz = 1\n", &["mv", "z", "t"][..]),
        ("t = {}\nz = 1\n", &["set", "t", "x"][..]),
        ("[t]\n[u]\nz = 1\n", &["mv", "u.z", "t"][..]),
        ("x = { t = {} }\nz = 1\n", &["cp", "z", "x.t"][..]),
    ] {
        let env = Env::new();
        env.write_secrets(text);
        let out = env.hst(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("already exists, as an empty table"),
            "{}",
            stderr(&out)
        );
        assert_eq!(read(&env), text);
    }
}

/// Python's `tomllib` reads the file as the Python `hst` does (text mode, BOM taken off).
const TOMLLIB_READS: &str = "import sys, tomllib\n\
    tomllib.loads(open(sys.argv[1], encoding='utf-8-sig').read())\n";

/// A file others can read is warned about once per command, as `get` and `set` do; a move
/// onto a table says why it cannot, in a move's words.
#[test]
fn one_mode_warning_and_a_move_onto_a_table_is_explained() {
    use std::os::unix::fs::PermissionsExt;
    for args in [
        &["rm", "a.b", "--yes"][..],
        &["mv", "a.b", "z"][..],
        &["cp", "a.b", "z"][..],
    ] {
        let env = Env::new();
        env.write_secrets("a.b = 1\na.c = 2\nq = 3\n");
        std::fs::set_permissions(env.secrets(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = env.hst(args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(
            stderr(&out).matches("Warning: chmod 600").count(),
            1,
            "{}",
            stderr(&out)
        );
    }
    let env = Env::new();
    env.write_secrets("a.b = 1\na.c = 2\nq = 3\n");
    for args in [&["mv", "q", "a"][..], &["cp", "q", "a"][..]] {
        let out = env.hst(args);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            stderr(&out),
            "Error: a is a table with 2 keys under it (like a.b); a key cannot take its place: \
             choose a new name\n"
        );
    }
}
