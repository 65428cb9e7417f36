//! `hst edit` through the real binary, with editors that are shell scripts: the copy is where
//! it must be (beside a plain file, on a RAM filesystem for an encrypted one) with mode 0600 and
//! is gone afterwards whatever happened; bad TOML is refused with its place (or the editor
//! reopened on a terminal); a file changed meanwhile is never overwritten.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::support::env::{DEADLINE, Env, Program, stderr, wait_output, wait_until};
use crate::support::pty::Pty;

const FILE: &str =
    "# my secrets\ngithub.token = \"ghp_fake_0001\" # personal\naws.region = \"eu-west-1\"\n";

/// An editor script: records the path it got and that file's mode, then runs `body` on `$1`.
fn editor(env: &Env, name: &str, body: &str) -> PathBuf {
    let script = env.path(&format!("work/{name}.sh"));
    let log = env.path("work/editor.log");
    env.write_file(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s %s\\n' \"$1\" \"$(stat -c %a \"$1\")\" >> '{}'\n{body}\n",
            log.display()
        )
        .as_bytes(),
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// What the editor was given: (path, mode) per run.
fn editor_runs(env: &Env) -> Vec<(PathBuf, String)> {
    std::fs::read_to_string(env.path("work/editor.log"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.rsplit_once(' '))
        .map(|(p, m)| (PathBuf::from(p), m.to_string()))
        .collect()
}

fn edit_with(env: &mut Env, script: &Path) -> std::process::Output {
    env.set_var("EDITOR", script);
    env.hst(&["edit"])
}

#[test]
fn a_plain_file_is_edited_beside_itself_and_only_the_edit_is_saved() {
    let mut env = Env::new();
    env.write_secrets(FILE);
    let script = editor(&env, "ed", "sed -i 's/eu-west-1/eu-central-1/' \"$1\"");
    let out = edit_with(&mut env, &script);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(env.secrets()).unwrap(),
        FILE.replace("eu-west-1", "eu-central-1")
    );
    let runs = editor_runs(&env);
    assert_eq!(runs.len(), 1);
    let (copy, mode) = &runs[0];
    assert_eq!(copy.parent(), env.secrets().parent(), "beside the file");
    assert_eq!(mode, "600");
    assert!(!copy.exists(), "the copy was removed");
    assert_eq!(
        std::fs::metadata(env.secrets())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    // VISUAL comes before EDITOR; no change writes nothing.
    let touch = editor(&env, "visual", "true");
    env.set_var("VISUAL", &touch);
    let before = std::fs::read(env.secrets()).unwrap();
    let out = env.hst(&["edit"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("No changes"), "{}", stderr(&out));
    assert_eq!(std::fs::read(env.secrets()).unwrap(), before);
    assert_eq!(editor_runs(&env).len(), 2);
}

#[test]
fn bad_toml_and_toml_1_1_are_refused_with_their_place_and_nothing_is_written() {
    for (body, want) in [
        ("printf 'a = \\n' >> \"$1\"", "home_secret.toml:4:"),
        (
            "printf 'a.b = 10:30\\n' >> \"$1\"",
            "4:7: this value is not TOML 1.0",
        ),
        (
            "printf 'github.token = \"x\"\\n' >> \"$1\"",
            "duplicate key github.token",
        ),
        (
            "exit 3",
            "the editor exited with exit status: 3; nothing was written",
        ),
    ] {
        let mut env = Env::new();
        env.write_secrets(FILE);
        let script = editor(&env, "bad", body);
        let out = edit_with(&mut env, &script);
        assert_eq!(out.status.code(), Some(1), "{body}");
        let err = stderr(&out);
        assert!(err.contains(want), "{body}: {err}");
        assert!(!err.contains("ghp_fake_0001"), "a value in the message");
        assert_eq!(std::fs::read_to_string(env.secrets()).unwrap(), FILE);
        for (copy, _) in editor_runs(&env) {
            assert!(!copy.exists(), "{body}: the copy was left behind");
        }
    }
}

#[test]
fn a_file_changed_while_the_editor_had_it_is_not_overwritten() {
    let mut env = Env::new();
    let secrets = env.write_secrets(FILE);
    // The editor changes its copy, and meanwhile "someone else" changes the real file.
    let body = format!(
        "sed -i 's/eu-west-1/us-east-2/' \"$1\"\nprintf 'other.key = \"fake-2\"\\n' >> '{}'",
        secrets.display()
    );
    let script = editor(&env, "race", &body);
    let out = edit_with(&mut env, &script);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("changed on disk while the editor had it"));
    let now = std::fs::read_to_string(&secrets).unwrap();
    assert_eq!(
        now,
        format!("{FILE}other.key = \"fake-2\"\n"),
        "the other change stays"
    );
}

#[test]
fn on_a_terminal_an_error_reopens_the_editor_on_the_same_text() {
    let env = Env::new();
    env.write_secrets(FILE);
    // First run: breaks the file. Second run: sees its own broken line, fixes it.
    let script = editor(
        &env,
        "twice",
        "if grep -q '^broken' \"$1\"; then sed -i 's/^broken =$/fixed = 1/' \"$1\"; \
         else printf 'broken =\\n' >> \"$1\"; fi",
    );
    let mut cmd = env.pty_command(Program::Hst);
    cmd.env("EDITOR", &script);
    cmd.arg("edit");
    let mut pty = Pty::spawn(cmd, 24, 100);
    pty.wait_for("Open the editor again");
    pty.keys("y\r");
    assert_eq!(pty.wait_exit(), 0);
    assert_eq!(
        std::fs::read_to_string(env.secrets()).unwrap(),
        format!("{FILE}fixed = 1\n")
    );
    let runs = editor_runs(&env);
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].0, runs[1].0, "the same copy both times");
    assert!(!runs[0].0.exists());
}

#[test]
fn an_encrypted_file_is_edited_only_on_a_ram_filesystem_and_saved_encrypted() {
    let mut env = Env::new();
    env.write_secrets(FILE);
    let identity = age::x25519::Identity::generate();
    let key_file = env.path("home/key.txt");
    {
        use age::secrecy::ExposeSecret;
        crate::support::env::write_private(
            &key_file,
            format!("{}\n", identity.to_string().expose_secret()).as_bytes(),
        );
    }
    env.set_var("HST_AGE_IDENTITY", &key_file);
    let public = identity.to_public().to_string();
    let out = env.hst(&["encrypt", "-r", &public]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::remove_file(env.secrets()).unwrap();
    let age_file = env.path("home/home_secret.toml.age");
    let script = editor(&env, "ed", "sed -i 's/eu-west-1/ap-south-1/' \"$1\"");
    env.set_var("EDITOR", &script);
    let out = env.hst(&["--path", age_file.to_str().unwrap(), "edit"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (copy, mode) = editor_runs(&env).remove(0);
    assert_eq!(mode, "600");
    assert!(!copy.exists());
    let folder = copy.parent().unwrap();
    assert!(!folder.exists(), "its private folder is gone too");
    // The copy was on tmpfs (the test's runtime folder is not, so /dev/shm was chosen).
    assert!(copy.starts_with("/dev/shm") || copy.starts_with(env.path("runtime")));
    let bytes = std::fs::read(&age_file).unwrap();
    assert!(
        bytes.starts_with(b"age-encryption.org/v1"),
        "still encrypted"
    );
    assert!(!String::from_utf8_lossy(&bytes).contains("ap-south-1"));
    let got = env.hst_ok(&["--path", age_file.to_str().unwrap(), "get", "aws.region"]);
    assert_eq!(got, "ap-south-1\n");
}

#[test]
fn a_termination_while_the_editor_runs_removes_the_copy_and_writes_nothing() {
    let env = Env::new();
    env.write_secrets(FILE);
    let script = editor(&env, "slow", "exec sleep 60");
    let mut cmd = env.command(Program::Hst);
    cmd.env("EDITOR", &script)
        .arg("edit")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn().unwrap();
    wait_until("the editor to start", DEADLINE, || {
        !editor_runs(&env).is_empty()
    });
    let (copy, _) = editor_runs(&env).remove(0);
    assert!(copy.exists());
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: kill(2) on the child this test started.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let out = wait_output(child, DEADLINE);
    assert_eq!(out.status.code(), Some(128 + libc::SIGTERM));
    assert!(!copy.exists(), "the copy was left behind");
    assert_eq!(std::fs::read_to_string(env.secrets()).unwrap(), FILE);
}
