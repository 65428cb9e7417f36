//! Recipients that live with the file (issue 24): `FILE.recipients` beside an encrypted
//! secrets file, saves encrypting to exactly that list, a changed list refused until accepted,
//! SSH keys as identities and recipients, and `hst exposed` from git history. Each "machine"
//! is its own hermetic environment with its own keys; files move between them by copying, as a
//! pull would bring them. Every value here is fake.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::env::{Env, Finish, Program, stderr, stdout, write_private};

const FILE: &str = "home_secret.toml.age";

/// One machine: a hermetic environment and the public key of its identity.
struct Machine {
    env: Env,
    public: String,
}

impl Machine {
    /// A machine whose identity is an age key named by `$HST_AGE_IDENTITY`.
    fn age() -> Self {
        let mut env = Env::new();
        let public = env.with_age_identity();
        Self { env, public }
    }

    /// A machine whose only key is the SSH key fixture `name`, at `~/.ssh/id_ed25519` (or
    /// `id_rsa`): found there without any configuration.
    fn ssh(name: &str) -> Self {
        let env = Env::new();
        let fixture = crate::support::fixture(&format!("ssh/{name}"));
        let target = if name.contains("rsa") {
            "id_rsa"
        } else {
            "id_ed25519"
        };
        let private = std::fs::read(&fixture).unwrap();
        write_private(&env.home().join(".ssh").join(target), &private);
        let public = std::fs::read_to_string(fixture.with_extension("pub")).unwrap_or_else(|_| {
            std::fs::read_to_string(format!("{}.pub", fixture.display())).unwrap()
        });
        Self {
            env,
            public: public.trim().to_string(),
        }
    }

    fn file(&self) -> PathBuf {
        self.env.home().join(FILE)
    }

    fn list(&self) -> PathBuf {
        self.env.home().join(format!("{FILE}.recipients"))
    }

    fn hst(&self, args: &[&str]) -> Output {
        self.env
            .command(Program::Hst)
            .arg("--path")
            .arg(self.file())
            .args(args)
            .current_dir(self.env.home())
            .finish()
    }

    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let out = self.hst(args);
        assert!(out.status.success(), "hst {args:?}: {}", stderr(&out));
        stdout(&out)
    }

    /// A new encrypted file with two keys in it.
    fn start(&self) {
        self.ok(&["init"]);
        self.ok(&["set", "svc.one.value", "fake-value-one"]);
        self.ok(&["set", "svc.two.value", "fake-value-two"]);
    }

    /// The file and its recipients file as another machine has them (a pull).
    fn pull_from(&self, other: &Machine) {
        for (from, to) in [(other.file(), self.file()), (other.list(), self.list())] {
            if from.exists() {
                std::fs::copy(from, to).unwrap();
            }
        }
    }
}

fn can_decrypt(identity: &age::x25519::Identity, file: &Path) -> bool {
    let bytes = std::fs::read(file).unwrap();
    let Ok(decryptor) = age::Decryptor::new_buffered(age::armor::ArmoredReader::new(&bytes[..]))
    else {
        return false;
    };
    decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .is_ok()
}

#[test]
fn a_second_machine_joins_through_the_recipients_file_and_accepts_it_once() {
    let a = Machine::age();
    let b = Machine::age();
    a.start();
    let said = a.ok(&["recipients", "add", "laptop-b", &b.public]);
    assert!(said.contains("Started"), "{said}");
    assert!(said.contains("Added laptop-b (age "), "{said}");
    let list = std::fs::read_to_string(a.list()).unwrap();
    assert!(
        list.contains(&format!("# laptop-b\n{}\n", b.public)),
        "{list}"
    );
    assert!(
        list.contains(&a.public),
        "the first list holds the user's own key"
    );
    let shown = a.ok(&["recipients", "ls"]);
    assert!(
        shown.contains("laptop-b") && shown.contains("(you)"),
        "{shown}"
    );
    assert!(!shown.contains("Not accepted"), "{shown}");

    // B pulls: it reads at once, and saves once it accepted the list.
    b.pull_from(&a);
    assert_eq!(b.ok(&["get", "svc.one.value"]), "fake-value-one\n");
    let before = std::fs::read(b.file()).unwrap();
    let out = b.hst(&["set", "svc.three.value", "fake-value-three"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("has not accepted yet") && err.contains("hst recipients accept"),
        "{err}"
    );
    assert!(err.contains("+ laptop-b age "), "the list is shown: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(std::fs::read(b.file()).unwrap(), before, "nothing written");
    let accepted = b.ok(&["recipients", "accept"]);
    assert!(accepted.contains("+ laptop-b"), "{accepted}");
    b.ok(&["set", "svc.three.value", "fake-value-three"]);

    // A reads what B saved: it was encrypted to the whole list.
    a.pull_from(&b);
    assert_eq!(a.ok(&["get", "svc.three.value"]), "fake-value-three\n");
    assert!(!err.contains("fake-value"));
}

#[test]
fn a_pushed_recipient_is_refused_until_accepted_and_never_gets_a_save_before() {
    let a = Machine::age();
    a.start();
    let b = Machine::age();
    a.ok(&["recipients", "add", "laptop-b", &b.public]);
    // Someone with push access adds their own key to the list.
    let mallory = age::x25519::Identity::generate();
    let mut list = std::fs::read_to_string(a.list()).unwrap();
    list.push_str(&format!("# new-laptop\n{}\n", mallory.to_public()));
    std::fs::write(a.list(), list).unwrap();
    let before = std::fs::read(a.file()).unwrap();
    let out = a.hst(&["set", "svc.one.value", "fake-rotated"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("changed since this machine last encrypted to it"),
        "{err}"
    );
    assert!(err.contains("+ new-laptop age age1"), "{err}");
    assert_eq!(std::fs::read(a.file()).unwrap(), before, "nothing written");
    assert!(!can_decrypt(&mallory, &a.file()));
    let shown = a.ok(&["recipients", "ls"]);
    assert!(
        shown.contains("Not accepted") && shown.contains("+ new-laptop"),
        "{shown}"
    );
    // The other commands that encrypt are refused too.
    let out = a.hst(&[
        "recipients",
        "add",
        "ci",
        &age::x25519::Identity::generate().to_public().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("not accepted"), "{}", stderr(&out));

    a.ok(&["recipients", "accept"]);
    a.ok(&["set", "svc.one.value", "fake-rotated"]);
    assert!(
        can_decrypt(&mallory, &a.file()),
        "saves encrypt to exactly the accepted list"
    );
    assert_eq!(
        a.ok(&["recipients", "accept"]),
        "Already accepted: nothing changed.\n"
    );
}

#[test]
fn a_list_without_the_savers_key_is_refused() {
    let a = Machine::age();
    a.start();
    let b = Machine::age();
    a.ok(&["recipients", "add", "laptop-b", &b.public]);
    let own_name = std::fs::read_to_string(a.list())
        .unwrap()
        .lines()
        .rev()
        .skip_while(|l| !l.contains(&a.public))
        .nth(1)
        .and_then(|l| l.strip_prefix("# "))
        .unwrap()
        .to_string();
    let out = a.hst(&["recipients", "rm", &own_name]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("does not list your key"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read_to_string(a.list())
            .unwrap()
            .contains(&a.public),
        "the list is put back"
    );
    assert_eq!(a.ok(&["get", "svc.one.value"]), "fake-value-one\n");
}

#[test]
fn removing_a_recipient_re_encrypts_lists_its_keys_and_names_recipients_in_errors() {
    let a = Machine::age();
    a.start();
    let b = Machine::age();
    a.ok(&["recipients", "add", "laptop-b", &b.public]);
    let said = a.ok(&["recipients", "rm", "laptop-b"]);
    assert!(said.contains("Removed laptop-b"), "{said}");
    assert!(
        said.contains("  svc.one.value\n") && said.contains("  svc.two.value\n"),
        "every key it could read: {said}"
    );
    assert!(!said.contains("fake-value"));
    b.pull_from(&a);
    let out = b.hst(&["get", "svc.one.value"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("wrong identity"), "{err}");
    assert!(
        err.contains(".recipients lists them"),
        "recipients named: {err}"
    );
    assert!(err.contains("keys/key.txt"), "the identity tried: {err}");
    let out = a.hst(&["recipients", "rm", "laptop-b"]);
    assert!(
        stderr(&out).contains("no recipient is named laptop-b"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn ssh_keys_open_files_from_their_default_place_and_are_recipients() {
    let s = Machine::ssh("test_only_ed25519");
    // No configuration at all: ~/.ssh/id_ed25519 is the identity, its public key the recipient.
    s.start();
    assert_eq!(s.ok(&["get", "svc.two.value"]), "fake-value-two\n");
    let r = Machine::ssh("test_only_rsa");
    let pub_file = crate::support::fixture("ssh/test_only_rsa.pub");
    let said = s.ok(&["recipients", "add", "ci", pub_file.to_str().unwrap()]);
    assert!(said.contains("Added ci (ssh-rsa SHA256:"), "{said}");
    let shown = s.ok(&["recipients", "ls"]);
    assert!(
        shown.contains("ssh-ed25519") && shown.contains("(you)"),
        "{shown}"
    );
    r.pull_from(&s);
    assert_eq!(r.ok(&["get", "svc.one.value"]), "fake-value-one\n");
    // The README's setup: a key at ~/.config/age/key.txt works without a config line.
    let c = Machine::age();
    let key = std::fs::read(c.env.path("keys/key.txt")).unwrap();
    let mut plain = Env::new();
    write_private(&plain.config_dir().join("age/key.txt"), &key);
    plain.set_var("HST_PATH", plain.home().join(FILE));
    let out = plain.command(Program::Hst).arg("init").finish();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = plain
        .command(Program::Hst)
        .args(["set", "a.b", "fake-v"])
        .finish();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_protected_ssh_key_asks_on_the_terminal_and_fails_fast_without_one() {
    use crate::support::pty::Pty;
    let s = Machine::ssh("test_only_ed25519_protected");
    let public = s.public.clone();
    // The file is encrypted to the key by another machine that lists it.
    let a = Machine::age();
    a.start();
    a.ok(&["recipients", "add", "protected", &public]);
    s.pull_from(&a);
    let out = s.hst(&["get", "svc.one.value"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("needs the passphrase of the SSH key"),
        "{}",
        stderr(&out)
    );
    let mut cmd = s.env.pty_command(Program::Hst);
    cmd.args(["--path", s.file().to_str().unwrap(), "get", "svc.one.value"]);
    let mut pty = Pty::spawn(cmd, 24, 120);
    pty.wait_for("Passphrase for the SSH key");
    pty.keys("fake-ssh-passphrase\r");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
    assert!(pty.screen().contains("fake-value-one"), "{}", pty.screen());
    assert!(!pty.screen().contains("fake-ssh-passphrase"), "echoed");
}

#[test]
fn exposed_lists_the_values_a_removed_recipient_read_that_have_not_changed() {
    let a = Machine::age();
    a.start();
    let b = Machine::age();
    let git = |args: &[&str]| {
        let out = a
            .env
            .tool("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(a.env.home())
            .finish();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    };
    git(&["init", "-q", "."]);
    a.ok(&["recipients", "add", "laptop-b", &b.public]);
    git(&["add", FILE, &format!("{FILE}.recipients")]);
    git(&["commit", "-qm", "share with laptop-b"]);
    a.ok(&["recipients", "rm", "laptop-b"]);
    git(&["commit", "-qam", "laptop-b is gone"]);
    a.ok(&["set", "svc.one.value", "fake-value-rotated"]);
    let said = a.ok(&["exposed", "laptop-b"]);
    assert!(said.contains("  svc.two.value\n"), "{said}");
    assert!(!said.contains("svc.one.value"), "rotated since: {said}");
    assert!(!said.contains("fake-value"));
    let out = a.hst(&["exposed", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no commit"), "{}", stderr(&out));
}

#[test]
fn recipients_are_for_encrypted_files_and_names_are_checked() {
    let env = Env::new();
    let path = env.write_secrets("a.b = \"fake\"\n");
    let out = env
        .command(Program::Hst)
        .args(["recipients", "ls", "--path"])
        .arg(&path)
        .finish();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("encrypted file"), "{}", stderr(&out));
    let a = Machine::age();
    a.start();
    let key = age::x25519::Identity::generate().to_public().to_string();
    for (name, why) in [
        ("two words", "no recipient name"),
        ("x\x1b[2J", "no recipient name"),
    ] {
        let out = a.hst(&["recipients", "add", name, &key]);
        assert_eq!(out.status.code(), Some(1), "{name:?}");
        assert!(stderr(&out).contains(why), "{}", stderr(&out));
        assert!(!stderr(&out).contains('\x1b'));
    }
    let out = a.hst(&["recipients", "add", "ci", "ssh-ed25519 AAAAnotakey"]);
    assert!(
        stderr(&out).contains("not a valid SSH public key"),
        "{}",
        stderr(&out)
    );
    assert!(!a.list().exists(), "nothing written");
}

#[test]
fn the_tui_asks_for_a_protected_ssh_key_before_it_takes_the_screen() {
    use crate::support::pty::Pty;
    let s = Machine::ssh("test_only_ed25519_protected");
    let a = Machine::age();
    a.start();
    a.ok(&["recipients", "add", "protected", &s.public]);
    s.pull_from(&a);
    let mut cmd = s.env.pty_command(Program::HstTui);
    cmd.args(["--path", s.file().to_str().unwrap()]);
    let mut tui = Pty::spawn(cmd, 30, 100);
    tui.wait_for("Passphrase for the SSH key");
    assert!(
        !tui.parser.screen().alternate_screen(),
        "asked on the plain terminal"
    );
    tui.keys("fake-ssh-passphrase\r");
    tui.wait_for("Keys 2");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    assert!(!String::from_utf8_lossy(tui.raw()).contains("fake-ssh-passphrase"));
}
