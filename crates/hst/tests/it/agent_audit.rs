//! Issue 23 through the real binary: the audit log's records and HMAC chain (30 writers at
//! once, tampering caught), agent mode by variable and by an ancestor named like an agent,
//! grants that a person gives on a terminal and that expire.

use std::path::PathBuf;

use crate::support::env::{DEADLINE, Env, Program, finish, stderr, stdout, wait_until};
use crate::support::pty::Pty;

const SECRETS: &str = "gh.token = \"ghp_fake_audit_0123456789\"\nother.key = \"fake-other-0001\"\n";
const VALUE: &str = "ghp_fake_audit_0123456789";

fn log(env: &Env) -> PathBuf {
    env.path("state/hst/audit.log")
}

fn records(env: &Env) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log(env))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_read_and_write_is_recorded_without_a_value_and_the_chain_verifies() {
    let env = Env::new();
    env.write_secrets(SECRETS);
    assert_eq!(env.hst_ok(&["get", "gh.token"]), format!("{VALUE}\n"));
    let out = env.hst(&["set", "other.key", "fake-new-0002"]);
    assert_eq!(out.status.code(), Some(0));
    env.hst(&["get", "no.such"]);
    let all = records(&env);
    assert_eq!(all.len(), 3);
    assert_eq!(all[0]["action"], "get");
    assert_eq!(all[0]["keys"][0], "gh.token");
    assert_eq!(all[0]["outcome"], "ok");
    assert_eq!(all[0]["cwd"], env.work().display().to_string());
    assert_eq!(all[0]["programs"][0], "hst");
    assert_eq!(all[1]["action"], "set");
    assert!(all[2]["outcome"].as_str().unwrap().starts_with("failed"));
    let text = std::fs::read_to_string(log(&env)).unwrap();
    assert!(!text.contains(VALUE) && !text.contains("fake-new") && !text.contains("gh***89"));
    use std::os::unix::fs::PermissionsExt;
    for file in [log(&env), env.path("state/hst/audit.key")] {
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(
        env.hst_ok(&["audit", "verify"])
            .contains("3 records, chain intact")
    );
    // Queries: by key, and as JSON.
    let about = env.hst_ok(&["audit", "--key", "gh.token"]);
    assert_eq!(about.lines().count(), 1, "{about}");
    assert!(about.contains("get") && about.contains("gh.token") && about.contains("hst"));
    let json: serde_json::Value =
        serde_json::from_str(&env.hst_ok(&["audit", "--format", "json", "--since", "1h"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
}

#[test]
fn a_removed_moved_or_edited_record_is_caught_by_verify() {
    let env = Env::new();
    env.write_secrets(SECRETS);
    for _ in 0..4 {
        env.hst_ok(&["get", "gh.token"]);
    }
    let original = std::fs::read_to_string(log(&env)).unwrap();
    let lines: Vec<&str> = original.lines().collect();
    let cases = [
        (
            format!("{}\n{}\n{}\n", lines[0], lines[2], lines[3]),
            "line 2: record 3 where record 2 belongs",
        ),
        (
            format!("{}\n{}\n{}\n{}\n", lines[0], lines[2], lines[1], lines[3]),
            "line 2: record 3 where record 2 belongs",
        ),
        (
            format!(
                "{}\n{}\n{}\n{}\n",
                lines[0],
                lines[1].replace("gh.token", "other.key"),
                lines[2],
                lines[3]
            ),
            "line 2: record 2 was changed",
        ),
    ];
    for (tampered, want) in cases {
        std::fs::write(log(&env), tampered).unwrap();
        let out = env.hst(&["audit", "verify"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains(want), "{}", stderr(&out));
    }
}

#[test]
fn thirty_processes_at_once_write_thirty_records_in_one_valid_chain() {
    let env = Env::new();
    env.write_secrets(SECRETS);
    let children: Vec<_> = (0..30)
        .map(|_| {
            env.command(Program::Hst)
                .args(["get", "gh.token"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = crate::support::env::wait_output(child, DEADLINE);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    }
    assert_eq!(records(&env).len(), 30);
    assert!(
        env.hst_ok(&["audit", "verify"])
            .contains("30 records, chain intact")
    );
}

#[test]
fn a_log_that_cannot_be_written_is_a_warning_never_a_lost_save() {
    let mut env = Env::new();
    env.write_secrets(SECRETS);
    let blocked = env.path("work/not-a-folder");
    std::fs::write(&blocked, "x").unwrap();
    env.set_var("XDG_STATE_HOME", &blocked);
    let out = env.hst(&["set", "other.key", "fake-new-0003"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Warning: the audit log"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.hst_ok(&["get", "other.key"]), "fake-new-0003\n");
}

#[test]
fn agent_mode_refuses_every_way_a_value_could_reach_the_agent() {
    let mut env = Env::new();
    env.write_secrets(SECRETS);
    env.set_var("HST_AGENT", "1");
    for args in [
        &["get", "gh.token"][..],
        &["get", "gh.token", "-c"],
        &["otp", "gh.token"],
        &["env", "--env", "A=gh.token", "--force"],
        &["export", "--force"],
        &["decrypt", "-o", "-"],
        &["edit"],
        &["run", "--env", "A=gh.token", "--", "printenv", "A"],
    ] {
        let out = env.hst(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with("Error: agent mode (HST_AGENT is set): "),
            "{args:?}: {err}"
        );
        assert!(err.contains("--mask-output"), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!stdout(&out).contains(VALUE) && !err.contains(VALUE));
    }
    assert!(env.hst_ok(&["ls"]).contains("gh.token = \"gh***89\""));
    let out = env.hst(&[
        "--path",
        env.secrets().to_str().unwrap(),
        "audit",
        "--format",
        "json",
    ]);
    assert!(stdout(&out).contains("refused: agent mode"));
    // hst-tui is for people.
    let out = finish(env.command(Program::HstTui).arg("--read-only"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("agent mode"), "{}", stderr(&out));
}

#[test]
fn a_parent_process_named_like_an_agent_turns_agent_mode_on_and_says_so() {
    let env = Env::new();
    env.write_secrets(SECRETS);
    let claude = env.path("work/claude");
    std::fs::copy("/bin/sh", &claude).unwrap();
    let hst = Program::Hst.path();
    let out = finish(
        env.tool(&claude)
            .args(["-c", &format!("'{hst}' get gh.token")])
            .current_dir(env.work()),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("agent mode (run by claude)"), "{err}");
    assert!(!stdout(&out).contains(VALUE));
}

#[test]
fn grants_are_given_on_a_terminal_and_let_an_agent_run_only_those_keys_until_they_expire() {
    let env = Env::new();
    env.write_secrets(SECRETS);
    // Without a terminal, nothing is granted.
    let out = env.hst(&["grant", "gh.token"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("on a terminal"), "{}", stderr(&out));
    let mut cmd = env.pty_command(Program::Hst);
    cmd.args(["grant", "gh.token", "--for", "3s"]);
    let mut pty = Pty::spawn(cmd, 24, 120);
    pty.wait_for("[y/N]");
    pty.keys("y\r");
    assert_eq!(pty.wait_exit(), 0);
    assert!(env.hst_ok(&["grant", "ls"]).contains("gh.token  until"));
    let agent = |args: &[&str]| finish(env.command(Program::Hst).env("HST_AGENT", "1").args(args));
    let script = "printf '%s|%s' \"$A\" \"$B\"";
    let out = agent(&[
        "run",
        "--mask-output",
        "--env",
        "A=gh.token",
        "--",
        "sh",
        "-c",
        script,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "***|",
        "the program got the value; the agent sees the mask"
    );
    let out = agent(&[
        "run",
        "--mask-output",
        "--env",
        "A=gh.token",
        "--env",
        "B=other.key",
        "--",
        "true",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("B (--env): other.key is not granted to agents here"),
        "{}",
        stderr(&out)
    );
    // Grants are given by people, not by agents.
    assert!(stderr(&agent(&["grant", "other.key"])).contains("grants are given by a person"));
    wait_until("the grant to expire", DEADLINE, || {
        env.hst_ok(&["grant", "ls"]).contains("No grants")
    });
    let out = agent(&["run", "--mask-output", "--env", "A=gh.token", "--", "true"]);
    assert!(stderr(&out).contains("not granted"), "{}", stderr(&out));
    let actions: Vec<String> = records(&env)
        .iter()
        .map(|r| r["action"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(actions.contains(&"grant".to_string()) && actions.contains(&"run".to_string()));
}
