//! The file on every machine through git (issue 24): a local bare repository and three
//! machines, each a hermetic environment with its own HOME and key (an age key, an SSH
//! ed25519 key, a CI key). Concurrent edits of neighbouring keys and of the same key, appends
//! on both sides, a plain merge and a rebase through hst's merge driver, `hst resolve`, a clone
//! without the driver (`doctor`), and after it all: no value in any git object of any clone.
//! Every value here is fake.

use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine;

use crate::support::env::{Env, Finish, Program, stderr, stdout, write_private};

const FILE: &str = "home_secret.toml.age";

struct Machine {
    env: Env,
    public: String,
    /// The clone's folder (its secrets file is `FILE` in it).
    repo: PathBuf,
}

impl Machine {
    fn age_key() -> Self {
        let mut env = Env::new();
        let public = env.with_age_identity();
        Self::finish(env, public)
    }

    fn ssh_key() -> Self {
        let env = Env::new();
        let fixture = crate::support::fixture("ssh/test_only_ed25519");
        write_private(
            &env.home().join(".ssh/id_ed25519"),
            &std::fs::read(&fixture).unwrap(),
        );
        let public = std::fs::read_to_string(fixture.with_extension("pub")).unwrap();
        Self::finish(env, public.trim().to_string())
    }

    fn finish(mut env: Env, public: String) -> Self {
        let repo = env.home().join("secrets");
        env.set_var("HST_PATH", repo.join(FILE));
        // No git identity of the developer's: hst sync supplies one where none is set.
        env.set_var("GIT_CONFIG_NOSYSTEM", "1");
        env.set_var("GIT_EDITOR", "true");
        Self { env, public, repo }
    }

    fn hst(&self, args: &[&str]) -> Output {
        self.env
            .command(Program::Hst)
            .args(args)
            .current_dir(self.env.home())
            .finish()
    }

    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let out = self.hst(args);
        assert!(
            out.status.success(),
            "hst {args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    }

    fn git(&self, args: &[&str]) -> Output {
        self.env
            .tool("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(&self.repo)
            .finish()
    }

    #[track_caller]
    fn git_ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
        stdout(&out)
    }

    fn value(&self, key: &str) -> String {
        self.ok(&["get", key]).trim_end().to_string()
    }
}

/// A bare repository for the machines to share.
fn bare(env: &Env) -> PathBuf {
    let path = env.path("remote.git");
    let out = env
        .tool("git")
        .args(["init", "-q", "--bare"])
        .arg(&path)
        .finish();
    assert!(out.status.success(), "{}", stderr(&out));
    path
}

/// The values, their base64 and hex: none may be in any object or file of a clone.
fn forms(values: &[&str]) -> Vec<String> {
    let mut all = Vec::new();
    for v in values {
        all.push((*v).to_string());
        all.push(base64::engine::general_purpose::STANDARD.encode(v));
        all.push(v.bytes().map(|b| format!("{b:02x}")).collect());
    }
    all
}

fn assert_no_value_in_git(dir: &Path, env: &Env, values: &[&str]) {
    let objects = env
        .tool("git")
        .args(["cat-file", "--batch-all-objects", "--batch"])
        .current_dir(dir)
        .finish();
    assert!(objects.status.success(), "{}", stderr(&objects));
    let text = String::from_utf8_lossy(&objects.stdout);
    let mut files = Vec::new();
    let mut stack = vec![dir.join(if dir.join(".git").exists() {
        ".git"
    } else {
        "."
    })];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                files.push((p, bytes));
            }
        }
    }
    for form in forms(values) {
        assert!(
            !text.contains(&form),
            "a value is in a git object of {}",
            dir.display()
        );
        for (p, bytes) in &files {
            assert!(
                !bytes.windows(form.len()).any(|w| w == form.as_bytes()),
                "a value is in {}",
                p.display()
            );
        }
    }
}

#[test]
fn three_machines_share_one_file_and_merge_key_by_key() {
    let laptop = Machine::age_key();
    let desktop = Machine::ssh_key();
    let ci = Machine::age_key();
    let remote = bare(&laptop.env);
    let remote = remote.to_str().unwrap();
    std::fs::create_dir_all(&laptop.repo).unwrap();
    laptop.ok(&["init"]);
    laptop.ok(&["set", "svc.one.value", "fake-one-v1"]);
    laptop.ok(&["set", "svc.two.value", "fake-two-v1"]);
    let said = laptop.ok(&["sync", "init", "--remote", remote]);
    assert!(said.contains("Started"), "{said}");
    let attributes = std::fs::read_to_string(laptop.repo.join(".gitattributes")).unwrap();
    assert_eq!(attributes, format!("/{FILE} diff=hst merge=hst -text\n"));
    laptop.ok(&["recipients", "add", "desktop", &desktop.public]);
    laptop.ok(&["recipients", "add", "ci", &ci.public]);
    laptop.ok(&["sync"]);

    for m in [&desktop, &ci] {
        let said = m.ok(&["sync", "clone", remote, m.repo.to_str().unwrap()]);
        assert!(said.contains("opens here"), "{said}");
        assert_eq!(m.value("svc.one.value"), "fake-one-v1");
        let doctor = m.ok(&["sync", "doctor"]);
        assert!(
            doctor.contains("Everything hst sync needs is in place"),
            "{doctor}"
        );
    }

    // Neighbouring keys changed on two machines: both changes everywhere.
    laptop.ok(&["set", "svc.one.value", "fake-one-v2"]);
    desktop.ok(&["set", "svc.two.value", "fake-two-v2"]);
    laptop.ok(&["sync"]);
    desktop.ok(&["sync"]);
    // Appends on both sides.
    laptop.ok(&["set", "new.laptop.value", "fake-laptop-new"]);
    ci.ok(&["set", "new.ci.value", "fake-ci-new"]);
    laptop.ok(&["sync"]);
    ci.ok(&["sync"]);
    laptop.ok(&["sync"]);
    desktop.ok(&["sync"]);
    for m in [&laptop, &desktop, &ci] {
        m.ok(&["sync"]);
        assert_eq!(m.value("svc.one.value"), "fake-one-v2");
        assert_eq!(m.value("svc.two.value"), "fake-two-v2");
        assert_eq!(m.value("new.laptop.value"), "fake-laptop-new");
        assert_eq!(m.value("new.ci.value"), "fake-ci-new");
    }

    // The same key changed on two machines: the second sync stops, names the key, and leaves
    // a clean tree with its own commit; hst resolve finishes it.
    laptop.ok(&["set", "svc.one.value", "fake-one-laptop"]);
    desktop.ok(&["set", "svc.one.value", "fake-one-desktop"]);
    laptop.ok(&["sync"]);
    let out = desktop.hst(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("svc.one.value") && err.contains("hst resolve"),
        "{err}"
    );
    assert!(!err.contains("fake-one"), "{err}");
    assert_eq!(
        desktop.git_ok(&["status", "--porcelain"]),
        "",
        "a clean tree"
    );
    assert_eq!(desktop.value("svc.one.value"), "fake-one-desktop");
    let pulled = desktop.git(&["pull", "-q", "--rebase"]);
    assert!(!pulled.status.success(), "the driver stops the rebase");
    let resolved = desktop.ok(&["resolve", "svc.one.value", "--theirs"]);
    assert!(resolved.contains("Resolved"), "{resolved}");
    desktop.git_ok(&["rebase", "--continue"]);
    desktop.ok(&["sync"]);
    laptop.ok(&["sync"]);
    // In a rebase "theirs" is the commit being replayed: the desktop's own value.
    assert_eq!(laptop.value("svc.one.value"), "fake-one-desktop");
    assert_eq!(laptop.value("new.ci.value"), "fake-ci-new");

    let values = [
        "fake-one-v1",
        "fake-one-v2",
        "fake-two-v2",
        "fake-laptop-new",
        "fake-ci-new",
        "fake-one-laptop",
        "fake-one-desktop",
    ];
    for m in [&laptop, &desktop, &ci] {
        assert_no_value_in_git(&m.repo, &m.env, &values);
        let log = m.git_ok(&["log", "--format=%B"]);
        assert!(
            !log.contains("svc.") && !log.contains("new."),
            "commit messages name no key"
        );
    }
    assert_no_value_in_git(Path::new(remote), &laptop.env, &values);
}

#[test]
fn a_plain_merge_uses_the_driver_and_without_an_identity_it_fails_fast_writing_nothing() {
    let m = Machine::age_key();
    std::fs::create_dir_all(&m.repo).unwrap();
    m.ok(&["init"]);
    m.ok(&["set", "a.one", "fake-a1"]);
    m.ok(&["set", "b.two", "fake-b2"]);
    m.ok(&["sync", "init"]);
    m.git_ok(&["checkout", "-q", "-b", "side"]);
    m.ok(&["set", "b.two", "fake-b2-side"]);
    m.git_ok(&["commit", "-qam", "side"]);
    m.git_ok(&["checkout", "-q", "-"]);
    m.ok(&["set", "a.one", "fake-a1-main"]);
    m.git_ok(&["commit", "-qam", "main"]);
    // Without an identity: the driver says so at once; git keeps our version.
    let before = std::fs::read(m.repo.join(FILE)).unwrap();
    let out = m
        .env
        .tool("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "merge",
            "-q",
            "side",
        ])
        .env("HST_AGE_IDENTITY", m.env.path("keys/none.txt"))
        .current_dir(&m.repo)
        .finish();
    assert!(!out.status.success());
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains("hst git-merge"), "{said}");
    assert!(said.contains("identity file"), "{said}");
    assert_eq!(
        std::fs::read(m.repo.join(FILE)).unwrap(),
        before,
        "nothing written"
    );
    m.git_ok(&["merge", "--abort"]);
    m.git_ok(&["merge", "-q", "--no-edit", "side"]);
    assert_eq!(m.value("a.one"), "fake-a1-main");
    assert_eq!(m.value("b.two"), "fake-b2-side");
    // Cherry-picking a change of one key brings only that key.
    m.git_ok(&["checkout", "-q", "-b", "pick", "HEAD~1"]);
    let side = m.git_ok(&["rev-parse", "side"]);
    m.git_ok(&["cherry-pick", side.trim()]);
    assert_eq!(m.value("b.two"), "fake-b2-side");
    assert_eq!(m.value("a.one"), "fake-a1-main");
}

#[test]
fn doctor_finds_a_clone_whose_merges_would_silently_be_text_merges() {
    let a = Machine::age_key();
    let remote = bare(&a.env);
    std::fs::create_dir_all(&a.repo).unwrap();
    a.ok(&["init"]);
    a.ok(&["set", "a.b", "fake-doctor"]);
    a.ok(&["sync", "init", "--remote", remote.to_str().unwrap()]);
    // A plain git clone of the same repository, on the same machine.
    let other = a.env.home().join("plain-clone");
    let out = a
        .env
        .tool("git")
        .args(["clone", "-q"])
        .arg(&remote)
        .arg(&other)
        .finish();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = a
        .env
        .command(Program::Hst)
        .args(["sync", "doctor"])
        .env("HST_PATH", other.join(FILE))
        .finish();
    assert_eq!(out.status.code(), Some(1));
    let said = stdout(&out);
    assert!(said.contains("no merge.hst.driver"), "{said}");
    assert!(said.contains("falls back to a text merge"), "{said}");
    assert!(said.contains("not accepted here"), "{said}");
}

#[test]
fn a_recipient_added_while_another_machine_edits_is_shown_and_accepted_once() {
    let laptop = Machine::age_key();
    let ci = Machine::age_key();
    let remote = bare(&laptop.env);
    let remote = remote.to_str().unwrap();
    std::fs::create_dir_all(&laptop.repo).unwrap();
    laptop.ok(&["init"]);
    laptop.ok(&["set", "svc.one.value", "fake-one"]);
    laptop.ok(&["sync", "init", "--remote", remote]);
    laptop.ok(&["recipients", "add", "ci", &ci.public]);
    laptop.ok(&["sync"]);
    ci.ok(&["sync", "clone", remote, ci.repo.to_str().unwrap()]);

    // The laptop adds a recipient while the CI machine edits a key.
    let newcomer = age::x25519::Identity::generate();
    laptop.ok(&[
        "recipients",
        "add",
        "newcomer",
        &newcomer.to_public().to_string(),
    ]);
    laptop.ok(&["sync"]);
    ci.ok(&["set", "svc.two.value", "fake-two-from-ci"]);
    let out = ci.hst(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("adds newcomer age age1"), "{err}");
    assert!(err.contains("--accept-recipients"), "{err}");
    let said = ci.ok(&["sync", "--accept-recipients"]);
    assert!(said.contains("Accepted recipients: newcomer"), "{said}");
    laptop.ok(&["sync"]);
    assert_eq!(laptop.value("svc.two.value"), "fake-two-from-ci");
    // The merged file is encrypted to the merged list: the newcomer reads the CI's change.
    let bytes = std::fs::read(laptop.repo.join(FILE)).unwrap();
    let decryptor = age::Decryptor::new_buffered(&bytes[..]).unwrap();
    let mut plain = String::new();
    std::io::Read::read_to_string(
        &mut decryptor
            .decrypt(std::iter::once(&newcomer as &dyn age::Identity))
            .unwrap(),
        &mut plain,
    )
    .unwrap();
    assert!(plain.contains("svc.two.value"));
    // Both machines stay accepted: their next saves go through.
    ci.ok(&["set", "svc.three.value", "fake-three"]);
    ci.ok(&["sync"]);
    laptop.ok(&["sync"]);
    assert_eq!(laptop.value("svc.three.value"), "fake-three");
    for m in [&laptop, &ci] {
        let tmp: Vec<_> = std::fs::read_dir(m.env.path("tmp")).unwrap().collect();
        assert!(tmp.is_empty(), "nothing left under TMPDIR");
    }
}

#[test]
fn a_criss_cross_merge_goes_through_the_driver_for_its_virtual_base_too() {
    let m = Machine::age_key();
    std::fs::create_dir_all(&m.repo).unwrap();
    m.ok(&["init"]);
    for k in ["k1", "k2", "k3", "k4"] {
        m.ok(&["set", &format!("s.{k}"), "fake-base"]);
    }
    m.ok(&["sync", "init"]);
    m.git_ok(&["branch", "x"]);
    m.git_ok(&["branch", "y"]);
    let commit = |branch: &str, key: &str, value: &str| {
        m.git_ok(&["checkout", "-q", branch]);
        m.ok(&["set", key, value]);
        m.git_ok(&["commit", "-qam", "change"]);
    };
    commit("x", "s.k1", "fake-x1");
    commit("y", "s.k2", "fake-y1");
    let (x1, y1) = (m.git_ok(&["rev-parse", "x"]), m.git_ok(&["rev-parse", "y"]));
    // Each branch merges the other's first commit: two merge bases from now on.
    m.git_ok(&["checkout", "-q", "x"]);
    m.git_ok(&["merge", "-q", "--no-edit", y1.trim()]);
    m.git_ok(&["checkout", "-q", "y"]);
    m.git_ok(&["merge", "-q", "--no-edit", x1.trim()]);
    commit("x", "s.k3", "fake-x2");
    commit("y", "s.k4", "fake-y2");
    m.git_ok(&["checkout", "-q", "x"]);
    let bases = m.git_ok(&["merge-base", "--all", "x", "y"]);
    assert_eq!(bases.lines().count(), 2, "a criss-cross: {bases}");
    m.git_ok(&["merge", "-q", "--no-edit", "y"]);
    assert_eq!(m.value("s.k1"), "fake-x1");
    assert_eq!(m.value("s.k2"), "fake-y1");
    assert_eq!(m.value("s.k3"), "fake-x2");
    assert_eq!(m.value("s.k4"), "fake-y2");
    assert_no_value_in_git(
        &m.repo,
        &m.env,
        &["fake-x1", "fake-y1", "fake-x2", "fake-y2"],
    );
}

/// `age -d` (the real command) opens `m`'s copy with `m`'s own key, and the text has `key`.
fn age_cli_opens(m: &Machine, key: &str) {
    let out = m
        .env
        .tool("age")
        .arg("-d")
        .arg("-i")
        .arg(m.env.path("keys/key.txt"))
        .arg(m.repo.join(FILE))
        .finish();
    assert!(out.status.success(), "age -d: {}", stderr(&out));
    assert!(stdout(&out).contains(key), "{key} missing");
}

#[test]
#[ignore = "needs the age command (apt install age); .ci/run runs it"]
fn the_age_command_opens_every_machines_file_after_every_step() {
    let a = Machine::age_key();
    let b = Machine::age_key();
    let remote = bare(&a.env);
    let remote = remote.to_str().unwrap();
    std::fs::create_dir_all(&a.repo).unwrap();
    a.ok(&["init"]);
    a.ok(&["set", "svc.one.value", "fake-one"]);
    age_cli_opens(&a, "svc.one.value");
    a.ok(&["sync", "init", "--remote", remote]);
    age_cli_opens(&a, "svc.one.value");
    a.ok(&["recipients", "add", "b", &b.public]);
    age_cli_opens(&a, "svc.one.value");
    a.ok(&["sync"]);
    b.ok(&["sync", "clone", remote, b.repo.to_str().unwrap()]);
    age_cli_opens(&b, "svc.one.value");
    a.ok(&["set", "svc.a.value", "fake-a"]);
    b.ok(&["set", "svc.b.value", "fake-b"]);
    a.ok(&["sync"]);
    b.ok(&["sync"]);
    age_cli_opens(&b, "svc.a.value");
    a.ok(&["sync"]);
    age_cli_opens(&a, "svc.b.value");
    a.ok(&["set", "svc.one.value", "fake-one-a"]);
    b.ok(&["set", "svc.one.value", "fake-one-b"]);
    a.ok(&["sync"]);
    assert!(!b.hst(&["sync"]).status.success());
    age_cli_opens(&b, "svc.one.value");
    assert!(!b.git(&["pull", "-q", "--rebase"]).status.success());
    age_cli_opens(&b, "svc.one.value");
    b.ok(&["resolve", "svc.one.value", "--ours"]);
    age_cli_opens(&b, "svc.b.value");
    b.git_ok(&["rebase", "--continue"]);
    b.ok(&["sync"]);
    a.ok(&["sync"]);
    age_cli_opens(&a, "svc.b.value");
    assert_eq!(
        a.value("svc.one.value"),
        "fake-one-a",
        "--ours in a rebase is upstream's"
    );
    a.ok(&["recipients", "rm", "b"]);
    age_cli_opens(&a, "svc.one.value");
    a.ok(&["sync"]);
    let out = b.hst(&["sync"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "b can no longer open what it pulled"
    );
    assert!(stderr(&out).contains("wrong identity"), "{}", stderr(&out));
    let out = b
        .env
        .tool("age")
        .args(["-d", "-i"])
        .arg(b.env.path("keys/key.txt"))
        .arg(b.repo.join(FILE))
        .finish();
    assert!(
        !out.status.success(),
        "a removed recipient's key no longer opens it"
    );
}

#[test]
fn a_passphrase_file_without_a_terminal_stops_the_merge_at_once_writing_nothing() {
    let m = Machine::age_key();
    std::fs::create_dir_all(&m.repo).unwrap();
    // A passphrase-encrypted file, made by the age crate, with two keys.
    let plain = "a.one = \"fake-p1\"\nb.two = \"fake-p2\"\n";
    let encryptor = age::Encryptor::with_user_passphrase("fake-passphrase-77".into());
    let mut sealed = Vec::new();
    let mut writer = encryptor.wrap_output(&mut sealed).unwrap();
    std::io::Write::write_all(&mut writer, plain.as_bytes()).unwrap();
    writer.finish().unwrap();
    std::fs::write(m.repo.join(FILE), &sealed).unwrap();
    m.git_ok(&["init", "-q"]);
    std::fs::write(
        m.repo.join(".gitattributes"),
        format!("/{FILE} merge=hst -text\n"),
    )
    .unwrap();
    let hst = Program::Hst.path();
    m.git_ok(&[
        "config",
        "merge.hst.driver",
        &format!("'{hst}' git-merge %O %A %B %P"),
    ]);
    m.git_ok(&["add", "."]);
    m.git_ok(&["commit", "-qm", "start"]);
    // Two branches that both change the file's bytes (any bytes: the driver must decrypt).
    m.git_ok(&["checkout", "-q", "-b", "other"]);
    std::fs::write(m.repo.join(FILE), [&sealed[..], b"x"].concat()).unwrap();
    m.git_ok(&["commit", "-qam", "other"]);
    m.git_ok(&["checkout", "-q", "-"]);
    std::fs::write(m.repo.join(FILE), [&sealed[..], b"y"].concat()).unwrap();
    m.git_ok(&["commit", "-qam", "mine"]);
    let before = std::fs::read(m.repo.join(FILE)).unwrap();
    // `finish` fails the test at its hang detector if the driver waited for a terminal.
    let out = m.git(&["merge", "-q", "other"]);
    assert!(!out.status.success());
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains("hst git-merge"), "{said}");
    assert!(said.contains("no terminal"), "{said}");
    assert_eq!(
        std::fs::read(m.repo.join(FILE)).unwrap(),
        before,
        "nothing written"
    );
}

#[test]
fn a_plain_file_is_never_put_in_git_by_hst_sync() {
    let env = Env::new();
    let dir = env.home().join("secrets");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("home_secret.toml");
    write_private(&file, b"a.b = \"fake-plain-value\"\n");
    for args in [&["sync", "init"][..], &["sync"][..]] {
        let out = env
            .command(Program::Hst)
            .args(args)
            .arg("--path")
            .arg(&file)
            .finish();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("only an encrypted file"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!dir.join(".git").exists(), "no repository was made");
}
