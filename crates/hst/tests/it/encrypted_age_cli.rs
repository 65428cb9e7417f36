//! Interoperability with the real `age` command (Debian package `age`, installed by
//! `.ci/run`): files it makes open in hst, files hst saves open in it. Ignored by a plain
//! `cargo test`, since a fresh machine has no `age`; `.ci/run` runs them.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::env::{Env, Finish, Program};

const DEMO: &str = include_str!("../../../../assets/demo_home_secret.toml");
const KEY: &str = "aws.accounts.prod.region";

/// A hermetic environment with an identity made by `age-keygen`.
struct Scratch {
    env: Env,
}

impl Scratch {
    fn new() -> Self {
        let env = Env::new();
        let out = env
            .tool("age-keygen")
            .arg("-o")
            .arg(env.path("key.txt"))
            .finish();
        assert!(out.status.success(), "age-keygen: {}", stderr(&out));
        Self { env }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.env.home().join(name)
    }

    fn key(&self) -> PathBuf {
        self.env.path("key.txt")
    }

    fn age(&self) -> Command {
        self.env.tool("age")
    }

    fn public_key(&self) -> String {
        let out = self
            .env
            .tool("age-keygen")
            .arg("-y")
            .arg(self.key())
            .finish();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// `hst ARGS` in HOME, the identity in `$HST_AGE_IDENTITY`.
    fn hst(&self, args: &[&str]) -> Output {
        self.env
            .command(Program::Hst)
            .args(args)
            .current_dir(self.env.home())
            .env("HST_AGE_IDENTITY", self.key())
            .finish()
    }

    fn age_decrypt(&self, file: &Path) -> String {
        let out = self
            .age()
            .arg("-d")
            .arg("-i")
            .arg(self.key())
            .arg(file)
            .finish();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
#[ignore = "needs the age command (apt install age); .ci/run runs it"]
fn a_file_made_by_age_opens_in_hst_and_an_hst_save_opens_in_age() {
    for armor in [false, true] {
        let s = Scratch::new();
        let plain = s.path("plain.toml");
        std::fs::write(&plain, DEMO).unwrap();
        let sealed = s.path("home_secret.toml.age");
        let mut age = s.age();
        age.arg("-r").arg(s.public_key());
        if armor {
            age.arg("-a");
        }
        let out = age.arg("-o").arg(&sealed).arg(&plain).finish();
        assert!(out.status.success(), "{}", stderr(&out));

        let on_plain = s.hst(&["--path", "plain.toml", "ls"]);
        let on_sealed = s.hst(&["ls"]);
        assert!(on_sealed.status.success(), "{}", stderr(&on_sealed));
        assert_eq!(stdout(&on_plain), stdout(&on_sealed));

        let out = s.hst(&["set", KEY, "eu-west-3"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let after = s.age_decrypt(&sealed);
        let expected = DEMO.replace(
            "aws.accounts.prod.region = \"us-east-1\"",
            "aws.accounts.prod.region = \"eu-west-3\"",
        );
        assert_ne!(expected, DEMO);
        assert_eq!(after, expected, "exactly the plaintext, one value changed");
        let head = std::fs::read(&sealed).unwrap();
        assert_eq!(head.starts_with(b"-----BEGIN AGE"), armor);
    }
}

#[test]
#[ignore = "needs the age command (apt install age); .ci/run runs it"]
fn hst_encrypt_makes_a_file_age_decrypts_and_hst_decrypt_reads_one_age_made() {
    let s = Scratch::new();
    std::fs::write(s.path("home_secret.toml"), DEMO).unwrap();
    let out = s.hst(&["encrypt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.age_decrypt(&s.path("home_secret.toml.age")), DEMO);

    std::fs::remove_file(s.path("home_secret.toml")).unwrap();
    std::fs::remove_file(s.path("home_secret.toml.age")).unwrap();
    std::fs::write(s.path("input.toml"), DEMO).unwrap();
    let out = s
        .age()
        .arg("-r")
        .arg(s.public_key())
        .arg("-o")
        .arg(s.path("home_secret.toml.age"))
        .arg(s.path("input.toml"))
        .finish();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = s.hst(&["decrypt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(s.path("home_secret.toml")).unwrap(),
        DEMO
    );
}

#[test]
#[ignore = "needs the age command (apt install age); .ci/run runs it"]
fn passphrase_files_made_by_either_side_open_in_the_other() {
    use support::pty::Pty;
    let s = Scratch::new();
    let secret = "fake-passphrase-5120";
    std::fs::write(s.path("input.toml"), DEMO).unwrap();
    // age asks on the terminal only: drive it in a pty.
    let mut cmd = s.env.pty_tool("age");
    cmd.args(["-p", "-o"]);
    cmd.arg(s.path("pp.toml.age"));
    cmd.arg(s.path("input.toml"));
    let mut pty = Pty::spawn(cmd, 24, 120);
    pty.wait_for("passphrase");
    pty.keys(&format!("{secret}\r"));
    pty.wait_for("Confirm");
    pty.keys(&format!("{secret}\r"));
    assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());

    let mut cmd = s.env.pty_command(Program::Hst);
    cmd.args(["--path"]);
    cmd.arg(s.path("pp.toml.age"));
    cmd.args(["set", KEY, "eu-west-3"]);
    let mut pty = Pty::spawn(cmd, 24, 120);
    pty.wait_for("Passphrase for");
    pty.keys(&format!("{secret}\r"));
    assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());

    let mut cmd = s.env.pty_tool("age");
    cmd.args(["-d", "-o"]);
    cmd.arg(s.path("out.toml"));
    cmd.arg(s.path("pp.toml.age"));
    let mut pty = Pty::spawn(cmd, 24, 120);
    pty.wait_for("passphrase");
    pty.keys(&format!("{secret}\r"));
    assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
    let after = std::fs::read_to_string(s.path("out.toml")).unwrap();
    assert_eq!(
        after,
        DEMO.replace(
            "aws.accounts.prod.region = \"us-east-1\"",
            "aws.accounts.prod.region = \"eu-west-3\""
        )
    );
}

#[test]
#[ignore = "needs the age command (apt install age); .ci/run runs it"]
fn a_file_hst_saves_for_ssh_recipients_opens_in_age_with_each_ssh_key() {
    let s = Scratch::new();
    std::fs::write(s.path("home_secret.toml"), DEMO).unwrap();
    let out = s.hst(&["encrypt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(s.path("home_secret.toml")).unwrap();
    for (name, key) in [
        ("laptop-ed", "ssh/test_only_ed25519.pub"),
        ("ci-rsa", "ssh/test_only_rsa.pub"),
    ] {
        let public = support::fixture(key);
        let out = s.hst(&["recipients", "add", name, public.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = s.hst(&["set", KEY, "eu-west-3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = DEMO.replace(
        "aws.accounts.prod.region = \"us-east-1\"",
        "aws.accounts.prod.region = \"eu-west-3\"",
    );
    for private in ["ssh/test_only_ed25519", "ssh/test_only_rsa"] {
        let key = s.env.path(private.trim_start_matches("ssh/"));
        support::env::write_private(&key, &std::fs::read(support::fixture(private)).unwrap());
        let out = s
            .age()
            .arg("-d")
            .arg("-i")
            .arg(&key)
            .arg(s.path("home_secret.toml.age"))
            .finish();
        assert!(out.status.success(), "{private}: {}", stderr(&out));
        assert_eq!(stdout(&out), expected, "{private}");
    }
}
