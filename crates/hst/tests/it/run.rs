//! `hst run`: the real binary puts a project's secrets into a program's environment. Manifests
//! are found from subfolders up to the repository root and never above it, every missing key is
//! reported before anything runs, the program replaces hst (same PID, exit code and signals),
//! and no value is on any command line or printed by `--dry-run`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::env::{Env, Program};

const TOKEN: &str = "ghp_fake_run_test_0123456789";

const SECRETS: &str = "github.accounts.personal.users.dev.secrets.api_token.value = \"ghp_fake_run_test_0123456789\"\ndb.postgres_local.port = 5432\nsvc.creds = { user = \"fake-user\", pass = \"fake-pass\" }\nt.when = 2024-01-01T10:00:00Z\nlist.v = [1, 2]\n";

const MANIFEST: &str = "[env]\nGITHUB_TOKEN = \"github.accounts.personal.users.dev.secrets.api_token.value\"\nPGPORT = { key = \"db.postgres_local.port\" }\nLOG_LEVEL = { default = \"info\" }\nSENTRY_DSN = { key = \"sentry.accounts.dev.dsn\", optional = true }\n";

/// A repository (with `.git`) holding `hst.toml`, a nested folder, and a secrets file outside,
/// in a hermetic environment (`support::env`); the manifest is allowed (`hst allow --yes`).
struct Project {
    env: Env,
}

impl Project {
    fn new(manifest: &str) -> Self {
        let p = Self::untrusted(manifest);
        let out = p.run(&p.repo(), &["allow", "--yes"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        p
    }

    /// The same, its manifest not allowed yet.
    fn untrusted(manifest: &str) -> Self {
        let env = Env::new();
        let repo = env.path("outer/repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(repo.join("src/deep")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(repo.join("hst.toml"), manifest).unwrap_or_else(|e| panic!("{e}"));
        crate::support::env::write_private(&env.path("home_secret.toml"), SECRETS.as_bytes());
        Self { env }
    }

    fn dir(&self) -> &Path {
        self.env.root()
    }

    fn repo(&self) -> PathBuf {
        self.env.path("outer/repo")
    }

    fn hst(&self, cwd: &Path, args: &[&str]) -> Command {
        let mut cmd = self.env.command(Program::Hst);
        cmd.arg("--path")
            .arg(self.env.path("home_secret.toml"))
            .args(args)
            .current_dir(cwd);
        cmd
    }

    fn run(&self, cwd: &Path, args: &[&str]) -> Output {
        crate::support::env::finish(&mut self.hst(cwd, args))
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_manifest_is_found_from_a_subfolder_and_the_values_reach_the_program() {
    let p = Project::new(MANIFEST);
    let out = p.run(
        &p.repo().join("src/deep"),
        &[
            "run",
            "--",
            "sh",
            "-c",
            "printf '%s|%s|%s|%s' \"$GITHUB_TOKEN\" \"$PGPORT\" \"$LOG_LEVEL\" \"${SENTRY_DSN-unset}\"",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{TOKEN}|5432|info|unset"));
}

#[test]
fn a_manifest_above_the_repository_root_is_never_used() {
    let p = Project::new(MANIFEST);
    // Move the manifest out of the repository, into the folder above its root.
    std::fs::rename(p.repo().join("hst.toml"), p.dir().join("outer/hst.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = p.run(&p.repo().join("src"), &["run", "--", "true"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no hst.toml"),
        "{}",
        text(&out.stderr)
    );
    // An explicit --manifest is the user's choice.
    let out = p.run(
        &p.repo(),
        &[
            "run",
            "--manifest",
            "../hst.toml",
            "--",
            "sh",
            "-c",
            "printf %s \"$PGPORT\"",
        ],
    );
    assert_eq!(text(&out.stdout), "5432", "{}", text(&out.stderr));
}

#[test]
fn every_missing_key_is_reported_at_once_and_nothing_runs() {
    let p = Project::new(
        "[env]\nA = \"github.accounts.personal.users.dev.secrets.api_tokn.value\"\nB = \"nothing.like.it\"\nC = \"db.postgres_local.port\"\n",
    );
    let marker = p.dir().join("ran");
    let out = p.run(
        &p.repo(),
        &["run", "--", "touch", marker.to_str().unwrap_or_default()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("2 of the variables"), "{err}");
    assert!(
        err.contains("A (line 2") && err.contains("B (line 3"),
        "{err}"
    );
    assert!(
        err.contains("did you mean github.accounts.personal.users.dev.secrets.api_token.value"),
        "{err}"
    );
    assert!(!marker.exists(), "the program ran");
    assert!(!err.contains(TOKEN));
}

#[test]
#[cfg(unix)]
fn the_program_replaces_hst_exit_codes_and_signals_pass_through() {
    use std::os::unix::process::ExitStatusExt;
    let p = Project::new(MANIFEST);
    let out = p.run(&p.repo(), &["run", "--", "sh", "-c", "exit 7"]);
    assert_eq!(out.status.code(), Some(7));
    let out = p.run(&p.repo(), &["run", "--", "sh", "-c", "kill -TERM $$"]);
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGTERM),
        "killed by the signal"
    );
    // Same process: the PID the program sees is the one hst was started with.
    let child = p
        .hst(&p.repo(), &["run", "--", "sh", "-c", "printf %s $$"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let pid = child.id();
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text(&out.stdout), pid.to_string());
    let out = p.run(&p.repo(), &["run", "--", "no-such-program-here"]);
    assert_eq!(out.status.code(), Some(127));
}

#[test]
#[cfg(target_os = "linux")]
fn no_value_is_ever_on_a_command_line() {
    let p = Project::new(MANIFEST);
    let mut child = p
        .hst(&p.repo(), &["run", "--", "sleep", "2"])
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // Until hst has become `sleep` (it first waits for the new secrets file to settle).
    let own = format!("/proc/{}/cmdline", child.id());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::fs::read(&own).unwrap_or_default() != b"sleep\x002\x00" {
        assert!(
            std::time::Instant::now() < deadline,
            "hst never became the program"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut seen = 0;
    for entry in std::fs::read_dir("/proc")
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            seen += 1;
            assert!(
                !String::from_utf8_lossy(&cmdline).contains(TOKEN),
                "a value is on the command line of process {:?}",
                entry.file_name()
            );
        }
    }
    assert!(seen > 1);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn dry_run_shows_names_sources_and_masks_never_a_value() {
    let p = Project::new(MANIFEST);
    let marker = p.dir().join("ran");
    let out = p.run(
        &p.repo(),
        &[
            "run",
            "--dry-run",
            "--",
            "touch",
            marker.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        !shown.contains(TOKEN) && !shown.contains("5432"),
        "a value was printed"
    );
    for expected in [
        "GITHUB_TOKEN",
        "github.accounts.personal.users.dev.secrets.api_token.value (line 1)",
        "gh***89",
        "PGPORT",
        "LOG_LEVEL",
        "default",
        "optional",
    ] {
        assert!(shown.contains(expected), "{expected:?} missing:\n{shown}");
    }
    assert!(!marker.exists(), "--dry-run ran the program");
}

#[test]
fn types_are_passed_as_toml_writes_them_and_tables_only_as_json() {
    let p = Project::new(
        "[env]\nWHEN = \"t.when\"\nCREDS = { key = \"svc.creds\", format = \"json\" }\nLIST = { key = \"list.v\", format = \"json\" }\n",
    );
    let out = p.run(
        &p.repo(),
        &[
            "run",
            "--",
            "sh",
            "-c",
            "printf '%s|%s|%s' \"$WHEN\" \"$CREDS\" \"$LIST\"",
        ],
    );
    assert_eq!(
        text(&out.stdout),
        "2024-01-01T10:00:00Z|{\"user\":\"fake-user\",\"pass\":\"fake-pass\"}|[1,2]",
        "{}",
        text(&out.stderr)
    );
    let out = p.run(&p.repo(), &["run", "--env", "T=svc.creds", "--", "true"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("format = \"json\""),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stderr).contains("fake-pass"));
}

#[test]
fn env_flags_add_and_override_and_validation_errors_are_one_line() {
    let p = Project::new(MANIFEST);
    let out = p.run(
        &p.repo(),
        &[
            "run",
            "--env",
            "PGPORT=t.when",
            "--env",
            "EXTRA=db.postgres_local.port",
            "--",
            "sh",
            "-c",
            "printf '%s|%s' \"$PGPORT\" \"$EXTRA\"",
        ],
    );
    assert_eq!(text(&out.stdout), "2024-01-01T10:00:00Z|5432");
    for (manifest, expected) in [
        (
            "[env]\nA = { key = \"a\", secret = true }\n",
            "unknown field `secret`",
        ),
        // Issue 22: key + default is a fallback now; a variable that changes what runs is
        // what gets refused.
        (
            "[env]\nPATH = { default = \"./bin\" }\n",
            "hst.toml:2:1: PATH changes which program runs",
        ),
        (
            "[env]\n\"9LIVES\" = \"a\"\n",
            "not a valid environment variable name",
        ),
        ("[env]\nA = \"a.\\u202eb\"\n", "bidirectional"),
        ("[env]\nA = \"a\\u0000b\"\n", "control characters"),
        ("[enviro]\n", "unknown field `enviro`"),
    ] {
        let p = Project::untrusted(manifest);
        let out = p.run(&p.repo(), &["run", "--", "true"]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{manifest:?}");
        assert!(err.contains(expected), "{manifest:?}: {err}");
        assert!(
            err.contains("hst.toml:"),
            "{manifest:?}: line and column: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let out = p.run(&p.repo(), &["run", "--env", "NOEQUALS", "--", "true"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_empty_env_table_runs_the_program_with_nothing_added() {
    let p = Project::new("[env]\n");
    let out = p.run(&p.repo(), &["run", "--", "sh", "-c", "printf ok"]);
    assert_eq!(text(&out.stdout), "ok", "{}", text(&out.stderr));
}
