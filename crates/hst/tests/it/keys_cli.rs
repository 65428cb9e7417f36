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
    assert_eq!(
        read(&env),
        "# top\n[github]\n# the token\n\n[gitlab]\nk = 1\n"
    );
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
