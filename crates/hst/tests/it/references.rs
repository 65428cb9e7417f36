//! References to secrets kept by a backend, through the real `hst` and `hst-tui` with a
//! scripted stand-in for 1Password's `op` on `PATH` (it records how it was called and when),
//! a missing `pass`, and a server that never answers. The real servers and tools are in
//! `references_servers`.

use std::path::PathBuf;

use crate::support::backends::{canary, files_holding, hst_watched, stub};
use crate::support::env::{Env, Finish, Program, stderr, stdout};
use crate::support::pty::Pty;

/// A stand-in for `op`: logs `start TIME ARGS` and `end TIME`, answers `op read URI` from a
/// folder of files named after the URI, and fails as op does for anything it does not hold.
const OP: &str = r#"#!/bin/sh
printf 'start %s %s\n' "$(date +%s%N)" "$*" >> "$OP_STUB_LOG"
[ -n "$OP_STUB_SLEEP" ] && sleep "$OP_STUB_SLEEP"
for last; do :; done
name=$(printf '%s' "$last" | tr '/:' '__')
if [ -f "$OP_STUB_STORE/$name" ]; then
  cat "$OP_STUB_STORE/$name"
  printf 'end %s\n' "$(date +%s%N)" >> "$OP_STUB_LOG"
else
  echo "[ERROR] 2026/12/04 10:00:00 \"$last\" isn't an item in any vault" >&2
  exit 1
fi
"#;

/// A test environment with the `op` stand-in first on `PATH` and nothing else of the
/// developer's (no `pass`, no `aws`).
struct OpStub {
    env: Env,
    store: PathBuf,
}

impl OpStub {
    fn new() -> Self {
        let mut env = Env::new();
        let bin = stub(&env, "op", OP);
        // Only what the stand-in and the tests run: no pass, no aws, whatever this machine has.
        for tool in [
            "sh", "date", "sleep", "tr", "cat", "touch", "true", "printf",
        ] {
            let real = ["/usr/bin", "/bin"]
                .iter()
                .map(|d| std::path::Path::new(d).join(tool))
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("{tool} is not in /usr/bin or /bin"));
            std::os::unix::fs::symlink(real, bin.join(tool)).unwrap();
        }
        env.set_var("PATH", &bin);
        let store = env.path("op-store");
        std::fs::create_dir_all(&store).unwrap();
        env.set_var("OP_STUB_STORE", &store);
        env.set_var("OP_STUB_LOG", env.path("op.log"));
        OpStub { env, store }
    }

    /// 1Password holds `value` at `uri` (the stand-in's own store, which is allowed to).
    fn holds(&self, uri: &str, value: &str) {
        let name = uri.replace(['/', ':'], "_");
        std::fs::write(self.store.join(name), value).unwrap();
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.env.path("op.log")).unwrap_or_default()
    }

    fn calls(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter_map(|l| l.strip_prefix("start "))
            .map(|l| l.split_once(' ').map_or("", |(_, args)| args).to_string())
            .collect()
    }
}

const TOKEN_KEY: &str = "github.accounts.work.secrets.token.value";

#[test]
fn get_resolves_through_op_read_in_memory_and_never_on_a_command_line() {
    let op = OpStub::new();
    let value = canary("op-token");
    op.holds("op://Work/GitHub/token", &value);
    op.env.write_secrets(&format!(
        "{TOKEN_KEY} = \"op://Work/GitHub/token\"\nother.value = \"fake-plain-1234567\"\n"
    ));
    let out = hst_watched(
        &op.env,
        &["get", TOKEN_KEY],
        &value,
        std::slice::from_ref(&op.store),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{value}\n"));
    assert_eq!(
        op.calls(),
        ["read --no-newline op://Work/GitHub/token"],
        "op is asked for the reference, and nothing else is on its command line"
    );
    assert!(!op.log().contains(&value));
    // As JSON and as TOML, the value is a string like any other.
    let json = op.env.hst_ok(&["get", TOKEN_KEY, "--format", "json"]);
    assert_eq!(json, format!("\"{value}\"\n"));
}

#[test]
fn ls_dry_run_and_no_resolve_show_the_reference_and_ask_no_backend() {
    let op = OpStub::new();
    op.holds("op://Work/GitHub/token", &canary("never-fetched"));
    op.env.write_secrets(&format!(
        "{TOKEN_KEY} = \"op://Work/GitHub/token\"\ndb.url = \"postgres://u:fake-pw@h/db\"\n"
    ));
    let ls = op.env.hst_ok(&["ls"]);
    assert_eq!(
        ls,
        format!("{TOKEN_KEY} = \"op://Work/GitHub/token\" # reference\ndb.url = \"po***db\"\n"),
        "a reference is shown as written and marked; a database URL stays a masked secret"
    );
    let json = op.env.hst_ok(&["ls", "--format", "json"]);
    assert!(
        json.contains("\"type\": \"reference\"")
            && json.contains("\"reference\": \"op://Work/GitHub/token\""),
        "{json}"
    );
    assert_eq!(
        op.env.hst_ok(&["get", "--no-resolve", TOKEN_KEY]),
        "op://Work/GitHub/token\n"
    );
    assert_eq!(
        op.env.hst_ok(&["get", "db.url"]),
        "postgres://u:fake-pw@h/db\n"
    );
    op.env.write_file(
        &op.env.work().join("hst.toml"),
        format!("[env]\nGH = \"{TOKEN_KEY}\"\n").as_bytes(),
    );
    op.env.hst_ok(&["allow", "--yes"]);
    let dry = op.env.hst_ok(&["run", "--dry-run", "--", "true"]);
    assert!(dry.contains("op://Work/GitHub/token (reference)"), "{dry}");
    assert!(
        op.calls().is_empty(),
        "nothing was resolved: {:?}",
        op.calls()
    );
}

#[test]
fn run_fetches_each_secret_once_and_all_at_once() {
    let mut op = OpStub::new();
    op.env.set_var("OP_STUB_SLEEP", "1");
    let values: Vec<String> = (0..3).map(|i| canary(&format!("run{i}"))).collect();
    let mut file = String::new();
    for (i, value) in values.iter().enumerate() {
        op.holds(&format!("op://V/item{i}/f"), value);
        file.push_str(&format!("k{i}.value = \"op://V/item{i}/f\"\n"));
    }
    op.env.write_secrets(&file);
    // Two variables from the same secret: one round trip.
    let manifest =
        "[env]\nA = \"k0.value\"\nB = \"k1.value\"\nC = \"k2.value\"\nD = \"k0.value\"\n";
    op.env
        .write_file(&op.env.work().join("hst.toml"), manifest.as_bytes());
    op.env.hst_ok(&["allow", "--yes"]);
    let out = hst_watched(
        &op.env,
        &[
            "run",
            "--",
            "sh",
            "-c",
            "printf '%s|%s|%s|%s' \"$A\" \"$B\" \"$C\" \"$D\"",
        ],
        &values[0],
        std::slice::from_ref(&op.store),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("{0}|{1}|{2}|{0}", values[0], values[1], values[2])
    );
    assert_eq!(
        op.calls().len(),
        3,
        "one call per distinct secret: {:?}",
        op.calls()
    );
    // In parallel: every call started before any of them ended.
    let times = |what: &str| -> Vec<u128> {
        op.log()
            .lines()
            .filter_map(|l| l.strip_prefix(what))
            .filter_map(|l| l.split(' ').next()?.parse().ok())
            .collect()
    };
    let (starts, ends) = (times("start "), times("end "));
    assert_eq!(ends.len(), 3);
    assert!(
        starts.iter().max() < ends.iter().min(),
        "the three fetches overlapped: starts {starts:?}, ends {ends:?}"
    );
}

#[test]
fn run_reports_every_failure_at_once_and_runs_nothing() {
    let op = OpStub::new();
    op.env.write_secrets(
        "a.value = \"op://Work/Missing/token\"\nb.value = \"pass://email/app\"\nc.value = \"fake-plain\"\n",
    );
    let manifest = "[env]\nA = \"a.value\"\nB = \"b.value\"\nC = \"c.value\"\n";
    op.env
        .write_file(&op.env.work().join("hst.toml"), manifest.as_bytes());
    op.env.hst_ok(&["allow", "--yes"]);
    let marker = op.env.path("ran");
    let out = op
        .env
        .hst(&["run", "--", "touch", marker.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("A (line 2): a.value op://Work/Missing/token: op: [ERROR]")
            && err.contains("isn't an item in any vault"),
        "{err}"
    );
    assert!(
        err.contains("B (line 3): b.value pass://email/app: the pass command is not installed"),
        "{err}"
    );
    assert!(!marker.exists(), "nothing runs while a value is missing");
    // hst get: one line naming the key, the reference and the backend's reason.
    let get = op.env.hst(&["get", "a.value"]);
    assert_eq!(get.status.code(), Some(1));
    let line = stderr(&get);
    assert!(
        line.starts_with("Error: a.value: op://Work/Missing/token: op: [ERROR]")
            && line.trim_end().lines().count() == 1,
        "{line}"
    );
}

#[test]
fn a_vault_that_does_not_answer_times_out_with_the_reason() {
    // Accepts connections and never answers, on 127.0.0.1 only; ends with the test.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let mut env = Env::new();
    env.set_var("VAULT_TOKEN", "fake-token");
    env.write_config(&format!(
        "[backends.vault]\ntype = \"vault\"\naddress = \"http://127.0.0.1:{port}\"\ntimeout = 1\n"
    ));
    env.write_secrets("stripe.api_key = \"vault://secret/stripe#api_key\"\n");
    let out = env.hst(&["get", "stripe.api_key"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "Error: stripe.api_key: vault://secret/stripe#api_key: vault at http://127.0.0.1:{port} did not answer within 1 s\n"
        )
    );
    // Without an address or a token, it says what is missing.
    let bare = Env::new();
    bare.write_secrets("stripe.api_key = \"vault://secret/stripe#api_key\"\n");
    let err = stderr(&bare.hst(&["get", "stripe.api_key"]));
    assert!(err.contains("VAULT_ADDR is not set"), "{err}");
}

#[test]
fn named_instances_resolve_through_their_settings() {
    let op = OpStub::new();
    let value = canary("team");
    op.holds("op://Work/X/y", &value);
    op.env
        .write_config("[backends.team-op]\ntype = \"op\"\naccount = \"team.1password.com\"\n");
    op.env
        .write_secrets("x.value = \"team-op://Work/X/y\"\ny.value = \"other-op://Work/X/y\"\n");
    assert_eq!(op.env.hst_ok(&["get", "x.value"]), format!("{value}\n"));
    assert_eq!(
        op.calls(),
        ["read --no-newline --account team.1password.com op://Work/X/y"]
    );
    // An unconfigured scheme is no reference: a plain (masked) string.
    let ls = op.env.hst_ok(&["ls"]);
    assert!(
        ls.contains("x.value = \"team-op://Work/X/y\" # reference"),
        "{ls}"
    );
    assert!(ls.contains("y.value = \"ot***/y\"\n"), "{ls}");
    let refs = op.env.hst_ok(&["refs", "ls"]);
    assert_eq!(refs, "x.value = \"team-op://Work/X/y\"  # team-op (op)\n");
}

#[test]
fn backend_config_mistakes_stop_every_command_with_their_place() {
    let env = Env::new();
    env.write_secrets("a = \"fake\"\n");
    for (config, want) in [
        (
            "[backends.x]\ntype = \"consul\"\n",
            ":2:1: backends.x: unknown backend type \"consul\"; the types are vault, aws-sm, op and pass",
        ),
        (
            "[backends.x]\ntype = \"vault\"\nadress = \"h\"\n",
            ":3:1: backends.x: unknown field `adress`",
        ),
        (
            "[backends.vault]\ntype = \"op\"\n",
            "the vault:// scheme is a vault backend",
        ),
    ] {
        env.write_config(config);
        let out = env.hst(&["ls"]);
        assert_eq!(out.status.code(), Some(1), "{config}");
        let err = stderr(&out);
        assert!(
            err.contains("config.toml") && err.contains(want),
            "{config}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn set_ref_writes_a_reference_only_once_it_resolves() {
    let op = OpStub::new();
    let value = canary("set");
    op.holds("op://Work/Real/token", &value);
    let path = op
        .env
        .write_secrets("# mine\nold.value = \"fake-old-123456\"\n");
    let out = op
        .env
        .hst(&["set", "new.value", "--ref", "op://Work/Gone/token"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("new.value: op://Work/Gone/token: op: [ERROR]")
            && stderr(&out).contains("nothing was written (--no-check writes it anyway)"),
        "{}",
        stderr(&out)
    );
    let unchanged = "# mine\nold.value = \"fake-old-123456\"\n";
    assert_eq!(std::fs::read_to_string(&path).unwrap(), unchanged);
    let bad = op
        .env
        .hst(&["set", "new.value", "--ref", "fake-not-a-ref-0001"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        !stderr(&bad).contains("fake-not-a-ref-0001"),
        "the refused text is not echoed"
    );
    op.env
        .hst_ok(&["set", "new.value", "--ref", "op://Work/Real/token"]);
    op.env.hst_ok(&[
        "set",
        "old.value",
        "--ref",
        "op://Work/Later/token",
        "--no-check",
    ]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# mine\nold.value = \"op://Work/Later/token\"\nnew.value = \"op://Work/Real/token\"\n"
    );
    assert_eq!(op.env.hst_ok(&["get", "new.value"]), format!("{value}\n"));
    assert!(files_holding(op.env.root(), &value, std::slice::from_ref(&op.store)).is_empty());
}

#[test]
fn refs_check_lists_the_broken_ones_and_never_a_value() {
    let op = OpStub::new();
    let value = canary("check");
    op.holds("op://W/a/f", &value);
    op.env.write_secrets(
        "a.value = \"op://W/a/f\"\nb.value = \"op://W/b/f\"\nc.value = \"fake-plain-value\"\n",
    );
    let out = op.env.hst(&["refs", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("ok      a.value  op://W/a/f\nBROKEN  b.value  op://W/b/f: op: [ERROR]"),
        "{text}"
    );
    assert!(
        text.ends_with("2 references: 1 resolved, 1 broken\n"),
        "{text}"
    );
    assert!(!text.contains(&value) && !stderr(&out).contains(&value));
    op.holds("op://W/b/f", "fake-now-there");
    assert!(
        op.env
            .hst_ok(&["refs", "check"])
            .ends_with("2 references: 2 resolved, 0 broken\n")
    );
}

#[test]
fn scan_looks_for_resolved_values_only_when_asked() {
    let op = OpStub::new();
    let value = canary("leak");
    op.holds("op://W/a/f", &value);
    op.env
        .write_secrets("a.value = \"op://W/a/f\"\nb.value = \"fake-plain-value-77\"\n");
    let leak = op.env.work().join("leak.txt");
    op.env
        .write_file(&leak, format!("token={value}\n").as_bytes());
    let out = op.env.hst(&["scan", "leak.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        op.calls().is_empty(),
        "no backend is asked without --resolve-refs"
    );
    let out = op.env.hst(&["scan", "--resolve-refs", "leak.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("a.value"), "{}", stdout(&out));
    assert!(!stdout(&out).contains(&value) && !stderr(&out).contains(&value));
}

#[test]
fn agent_mode_never_fetches_a_key_not_granted() {
    let mut op = OpStub::new();
    op.holds("op://W/a/f", &canary("agent"));
    op.env.write_secrets("a.value = \"op://W/a/f\"\n");
    op.env
        .write_file(&op.env.work().join("hst.toml"), b"[env]\nA = \"a.value\"\n");
    op.env.hst_ok(&["allow", "--yes"]);
    op.env.set_var("HST_AGENT", "1");
    let out = op.env.hst(&["run", "--mask-output", "--", "true"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("not granted"), "{}", stderr(&out));
    assert!(op.calls().is_empty(), "{:?}", op.calls());
}

#[test]
fn the_tui_lists_a_reference_and_fetches_it_to_reveal() {
    let op = OpStub::new();
    let value = canary("tui");
    op.holds("op://Work/GitHub/token", &value);
    op.env.write_secrets(&format!(
        "{TOKEN_KEY} = \"op://Work/GitHub/token\"\nplain.value = \"fake-plain-value-1\"\n"
    ));
    let mut tui = Pty::spawn(op.env.pty_command(Program::HstTui), 30, 140);
    tui.wait_for("→ op://Work/GitHub/token");
    tui.keys("/token\r");
    tui.wait_for("Keys 1 of 2");
    tui.wait_for("Backend");
    assert!(op.calls().is_empty(), "listing fetches nothing");
    tui.keys("r");
    tui.wait_for(&value);
    tui.keys("r");
    tui.wait_gone(&value);
    tui.keys("r");
    tui.wait_for(&value);
    tui.keys("q");
    tui.wait_exit();
    assert_eq!(
        op.calls().len(),
        1,
        "fetched once for the session: {:?}",
        op.calls()
    );
    assert!(files_holding(op.env.root(), &value, std::slice::from_ref(&op.store)).is_empty());
}

#[test]
fn pass_missing_and_aws_missing_name_the_tool() {
    let op = OpStub::new();
    op.env
        .write_secrets("a.value = \"aws-sm://prod/deploy#k\"\n");
    let out = op
        .env
        .command(Program::Hst)
        .args(["get", "a.value"])
        .finish();
    assert_eq!(
        stderr(&out),
        "Error: a.value: aws-sm://prod/deploy#k: the aws command is not installed (not on PATH)\n"
    );
}

#[test]
fn env_and_otp_resolve_too() {
    let op = OpStub::new();
    let value = canary("env");
    op.holds("op://W/env/f", &value);
    // RFC 6238's published test seed, not anyone's secret.
    let seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    op.holds(
        "op://W/otp/f",
        &format!("otpauth://totp/Site:me?secret={seed}"),
    );
    op.env
        .write_secrets("e.value = \"op://W/env/f\"\no.value = \"op://W/otp/f\"\n");
    op.env
        .write_file(&op.env.work().join("hst.toml"), b"[env]\nE = \"e.value\"\n");
    op.env.hst_ok(&["allow", "--yes"]);
    let out = hst_watched(&op.env, &["env"], &value, std::slice::from_ref(&op.store));
    assert_eq!(
        stdout(&out),
        format!("export E='{value}'\n"),
        "{}",
        stderr(&out)
    );
    let totp = home_secret_toml::otp::Totp::parse(&format!("otpauth://totp/Site:me?secret={seed}"))
        .unwrap();
    let before = totp.code_at(home_secret_toml::otp::now_unix());
    let code = op.env.hst_ok(&["otp", "o.value"]);
    let after = totp.code_at(home_secret_toml::otp::now_unix());
    // The code of the window the command ran in (it may have crossed into the next one).
    assert!(
        code.trim() == before.expose() || code.trim() == after.expose(),
        "the code is the fetched seed's"
    );
}

#[test]
fn the_tui_copies_a_reference_after_fetching_it_once() {
    use home_secret_toml::value::SecretValue;
    use hst::tui::action::{Action, AfterResolve, Command};
    use hst::tui::state::Effect;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, format!("{TOKEN_KEY} = \"op://Work/GitHub/token\"\n")).unwrap();
    let file = home_secret_toml::SecretFile::load(&path).unwrap();
    let now = crate::support::start();
    let mut state = hst::tui::State::new(file, hst::tui::Options::default(), now);
    state.apply(
        Action::Resize {
            width: 120,
            height: 30,
        },
        now,
    );
    let effects = state.apply(Action::Command(Command::CopyValue), now);
    let [Effect::Resolve { reference, then }] = effects.as_slice() else {
        panic!("a copy of a reference fetches it first: {}", effects.len());
    };
    assert_eq!(
        (reference.uri(), *then),
        ("op://Work/GitHub/token", AfterResolve::Copy)
    );
    let fetched = Action::Resolved {
        uri: reference.uri().to_string(),
        then: AfterResolve::Copy,
        result: Ok(SecretValue::new("fake-fetched-1")),
    };
    let effects = state.apply(fetched, now);
    let [Effect::Copy { text, .. }] = effects.as_slice() else {
        panic!("then copied");
    };
    assert_eq!(text.expose(), "fake-fetched-1");
    // Kept for the session: the next copy needs no fetch.
    let effects = state.apply(Action::Command(Command::CopyValue), now);
    assert!(matches!(effects.as_slice(), [Effect::Copy { .. }]));
    // A fetch that fails says why on the status line, and copies nothing.
    let mut state2 = hst::tui::State::new(
        home_secret_toml::SecretFile::load(&path).unwrap(),
        hst::tui::Options::default(),
        now,
    );
    state2.apply(
        Action::Resize {
            width: 120,
            height: 30,
        },
        now,
    );
    state2.apply(Action::Command(Command::CopyValue), now);
    let failed = Action::Resolved {
        uri: "op://Work/GitHub/token".into(),
        then: AfterResolve::Copy,
        result: Err("op: not signed in".into()),
    };
    assert!(state2.apply(failed, now).is_empty());
}

#[test]
fn git_diffs_show_references_as_written() {
    let env = Env::new();
    let path = env
        .write_secrets("a.value = \"vault://secret/app#key\"\nb.value = \"fake-plain-secret-9\"\n");
    let out = env.hst_ok(&["git-textconv", path.to_str().unwrap()]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "a.value = \"vault://secret/app#key\"");
    assert!(lines[1].starts_with("b.value = \"<masked:"), "{}", lines[1]);
    assert!(!out.contains("fake-plain-secret-9"));
}
