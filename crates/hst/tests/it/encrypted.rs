//! Age-encrypted secrets files through the real binaries: every command works on them as on a
//! plain file, saves re-encrypt, errors are one line, and no plaintext lands on disk. Keys are
//! made with the `age` crate here; `tests/encrypted_age_cli.rs` checks the same against the
//! real `age` command.

use crate::support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

use age::secrecy::ExposeSecret;
use home_secret_toml::SecretFile;
use support::env::{Env, Finish, Program, write_private};

const DEMO: &str = include_str!("../../../../assets/demo_home_secret.toml");
const KEY: &str = "aws.accounts.prod.region";

/// A hermetic environment ([`Env`]) with an age identity file.
struct Home {
    env: Env,
    identity: age::x25519::Identity,
}

impl Home {
    fn new() -> Self {
        let env = Env::new();
        std::fs::create_dir_all(env.path("keys")).unwrap();
        std::fs::create_dir_all(env.config_dir().join("hst")).unwrap();
        let identity = age::x25519::Identity::generate();
        let home = Self { env, identity };
        write_private(&home.key_file(), home.key_text(&home.identity).as_bytes());
        home
    }

    fn key_text(&self, identity: &age::x25519::Identity) -> String {
        format!(
            "# created: for a test\n# public key: {}\n{}\n",
            identity.to_public(),
            identity.to_string().expose_secret()
        )
    }

    fn home(&self) -> PathBuf {
        self.env.home()
    }

    fn tmp(&self) -> PathBuf {
        self.env.path("tmp")
    }

    fn key_file(&self) -> PathBuf {
        self.env.path("keys/key.txt")
    }

    fn keys(&self, name: &str) -> PathBuf {
        self.env.path("keys").join(name)
    }

    fn sealed(&self) -> PathBuf {
        self.home().join("home_secret.toml.age")
    }

    fn config(&self, text: &str) {
        self.env.write_config(text);
    }

    /// `hst ARGS` in this environment, run in HOME, the identity in `$HST_AGE_IDENTITY`.
    fn hst(&self, args: &[&str]) -> Output {
        self.hst_with(
            args,
            &[("HST_AGE_IDENTITY", self.key_file().to_str().unwrap())],
        )
    }

    fn hst_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.env.command(Program::Hst);
        cmd.args(args).current_dir(self.home());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.finish()
    }

    /// `program` in a pseudo-terminal in this environment, run in HOME.
    fn pty(&self, program: Program) -> portable_pty::CommandBuilder {
        let mut cmd = self.env.pty_command(program);
        cmd.cwd(self.home());
        cmd
    }

    /// The demo file encrypted to this home's identity at the default place.
    fn with_demo(self) -> Self {
        let sealed = encrypt(DEMO.as_bytes(), &[self.identity.to_public()], false);
        write_private(&self.sealed(), &sealed);
        self
    }

    fn decrypt(&self, path: &Path) -> String {
        decrypt_with(&self.identity, &std::fs::read(path).unwrap())
    }
}

fn encrypt(plain: &[u8], to: &[age::x25519::Recipient], armored: bool) -> Vec<u8> {
    let encryptor =
        age::Encryptor::with_recipients(to.iter().map(|r| r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let format = if armored {
        age::armor::Format::AsciiArmor
    } else {
        age::armor::Format::Binary
    };
    let armor = age::armor::ArmoredWriter::wrap_output(&mut out, format).unwrap();
    let mut writer = encryptor.wrap_output(armor).unwrap();
    writer.write_all(plain).unwrap();
    writer.finish().unwrap().finish().unwrap();
    out
}

fn decrypt_with(identity: &age::x25519::Identity, sealed: &[u8]) -> String {
    let decryptor = age::Decryptor::new_buffered(age::armor::ArmoredReader::new(sealed)).unwrap();
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .unwrap();
    let mut out = String::new();
    reader.read_to_string(&mut out).unwrap();
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The string values of the demo file (all fake), which must never be found on disk in clear.
fn demo_values() -> Vec<String> {
    let file = SecretFile::from_text(Path::new("demo"), DEMO.to_string()).unwrap();
    file.leaves()
        .filter_map(|e| e.value.as_secret().map(|s| s.expose().to_string()))
        .filter(|v| v.len() >= 8)
        .collect()
}

/// Every file under `dirs` (recursively) that holds one of `values`.
fn files_holding(dirs: &[PathBuf], values: &[String]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.to_vec();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let text = String::from_utf8_lossy(&bytes);
                if values.iter().any(|v| text.contains(v.as_str())) {
                    found.push(path);
                }
            }
        }
    }
    found
}

/// The lines that differ between two texts of the same number of lines.
fn changed_lines<'a>(before: &'a str, after: &'a str) -> Vec<(&'a str, &'a str)> {
    assert_eq!(before.lines().count(), after.lines().count());
    before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect()
}

#[test]
fn ls_get_and_gen_enum_give_the_same_bytes_as_on_the_plain_file() {
    let home = Home::new().with_demo();
    let plain = home.env.path("plain/home_secret.toml");
    write_private(&plain, DEMO.as_bytes());
    let plain = plain.to_str().unwrap();
    let sealed = home.sealed();
    let sealed = sealed.to_str().unwrap();
    for args in [
        vec!["ls"],
        vec!["ls", "--query", "aws"],
        vec!["get", KEY],
        vec![
            "get",
            "github.accounts.personal.users.dev.secrets.api_token.value",
        ],
        vec!["get", "no.such.key"],
    ] {
        let on_plain = home.hst(&[&["--path", plain], &args[..]].concat());
        // Found by default: only the encrypted file is in the home folder.
        let on_sealed = home.hst(&args);
        assert_eq!(on_plain.status.code(), on_sealed.status.code(), "{args:?}");
        assert_eq!(stdout(&on_plain), stdout(&on_sealed), "{args:?}");
        let explicit = home.hst(&[&["--path", sealed], &args[..]].concat());
        assert_eq!(stdout(&on_plain), stdout(&explicit), "{args:?}");
    }
    let out = home.hst(&["gen-enum", "--output", "enum_sealed.py"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = home.hst(&["--path", plain, "gen-enum", "--output", "enum_plain.py"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |name: &str| std::fs::read_to_string(home.home().join(name)).unwrap();
    assert_eq!(read("enum_sealed.py"), read("enum_plain.py"));
    assert!(files_holding(&[home.home(), home.tmp()], &demo_values()).is_empty());
}

#[test]
fn set_changes_only_that_value_and_the_file_stays_encrypted_private_and_armored_as_it_was() {
    for armored in [false, true] {
        let home = Home::new();
        let sealed = encrypt(DEMO.as_bytes(), &[home.identity.to_public()], armored);
        write_private(&home.sealed(), &sealed);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(home.sealed(), std::fs::Permissions::from_mode(0o640))
                .unwrap();
        }
        let out = home.hst(&["set", KEY, "eu-west-3"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let after = home.decrypt(&home.sealed());
        assert_eq!(
            changed_lines(DEMO, &after),
            [(
                "aws.accounts.prod.region = \"us-east-1\"",
                "aws.accounts.prod.region = \"eu-west-3\""
            )]
        );
        assert_eq!(after.len(), DEMO.len());
        let raw = std::fs::read(home.sealed()).unwrap();
        assert_eq!(
            raw.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"),
            armored,
            "armor kept as it was"
        );
        assert_ne!(raw, sealed, "re-encrypted, with a new file key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(home.sealed())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o640, "mode kept");
        }
        assert!(files_holding(&[home.home(), home.tmp()], &demo_values()).is_empty());
    }
}

#[test]
fn run_and_scan_use_the_decrypted_values() {
    let home = Home::new().with_demo();
    let token_key = "github.accounts.personal.users.dev.secrets.api_token.value";
    let token = stdout(&home.hst(&["get", token_key]));
    let token = token.trim_end();
    assert!(token.len() > 8);
    let env = format!("TOKEN={token_key}");
    let check = format!("test \"$TOKEN\" = '{token}'");
    let out = home.hst(&["run", "--env", &env, "--", "sh", "-c", &check]);
    assert!(out.status.success(), "{}", stderr(&out));

    let leak = home.home().join("project");
    std::fs::create_dir_all(&leak).unwrap();
    std::fs::write(leak.join("config.py"), format!("TOKEN = '{token}'\n")).unwrap();
    let out = home.hst(&["scan", "project"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains(token_key));
    assert!(!stdout(&out).contains(token));
}

#[test]
fn errors_are_one_line_name_the_cause_and_write_nothing() {
    let home = Home::new().with_demo();
    let original = std::fs::read(home.sealed()).unwrap();
    let values = demo_values();
    let one_line = |out: &Output, want: &str| {
        let err = stderr(out);
        assert_ne!(out.status.code(), Some(0), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{want:?} not in: {err}");
        assert!(!values.iter().any(|v| err.contains(v.as_str())));
    };

    one_line(&home.hst_with(&["ls"], &[]), "no identity was given");

    let other = age::x25519::Identity::generate();
    let other_file = home.keys("other.txt");
    write_private(&other_file, home.key_text(&other).as_bytes());
    let other_file = other_file.to_str().unwrap();
    one_line(
        &home.hst(&["--identity", other_file, "ls"]),
        "wrong identity",
    );
    one_line(
        &home.hst(&["--identity", "missing.txt", "ls"]),
        "identity file missing.txt not found",
    );
    let bad = home.keys("bad.txt");
    std::fs::write(&bad, "AGE-SECRET-KEY-1NOTAREALKEY\n").unwrap();
    one_line(
        &home.hst(&["--identity", bad.to_str().unwrap(), "ls"]),
        "bad.txt:1: not an age secret key",
    );

    let plain_named_age = home.home().join("plain.toml.age");
    write_private(&plain_named_age, DEMO.as_bytes());
    one_line(
        &home.hst(&["--path", plain_named_age.to_str().unwrap(), "ls"]),
        "is not an age-encrypted file",
    );

    let mut flipped = original.clone();
    let at = flipped.len() - 20;
    flipped[at] ^= 1;
    let corrupted = home.home().join("flipped.toml.age");
    write_private(&corrupted, &flipped);
    one_line(
        &home.hst(&["--path", corrupted.to_str().unwrap(), "ls"]),
        "corrupted",
    );
    let truncated = home.home().join("cut.toml.age");
    write_private(&truncated, &original[..original.len() - 30]);
    one_line(
        &home.hst(&["--path", truncated.to_str().unwrap(), "get", KEY]),
        "corrupted",
    );
    let garbled = home.home().join("garbled.toml.age");
    write_private(&garbled, b"age-encryption.org/v1\n-> X25519\n");
    one_line(
        &home.hst(&["--path", garbled.to_str().unwrap(), "ls"]),
        "corrupted",
    );
    let disguised = home.home().join("disguised.toml");
    write_private(&disguised, &original);
    one_line(
        &home.hst(&["--path", disguised.to_str().unwrap(), "ls"]),
        "is an age-encrypted file",
    );

    // Both default files: no guessing, for every command that uses the file.
    write_private(&home.home().join("home_secret.toml"), DEMO.as_bytes());
    for args in [vec!["ls"], vec!["get", KEY], vec!["set", KEY, "x-fake"]] {
        one_line(&home.hst(&args), "both");
    }
    std::fs::remove_file(home.home().join("home_secret.toml")).unwrap();

    one_line(&home.hst_with(&["set", KEY, "x-fake"], &[]), "no identity");

    // The key itself where its file's path belongs: said so, and the key is never quoted.
    let secret = home.identity.to_string().expose_secret().to_string();
    let whole_file = home.key_text(&home.identity);
    for given in [secret.as_str(), whole_file.as_str()] {
        let out = home.hst_with(&["ls"], &[("HST_AGE_IDENTITY", given)]);
        one_line(&out, "is a secret key itself");
        assert!(!stderr(&out).contains(&secret[16..]));
    }
    let out = home.hst(&["encrypt", "-r", &secret, "-o", "k.toml.age"]);
    one_line(&out, "where a public key (age1…, ssh-ed25519 …) belongs");
    assert!(!stderr(&out).contains(&secret[16..]));
    home.config(&format!("[age]\nrecipients = \"{secret}\"\n"));
    let out = home.hst(&["ls"]);
    one_line(&out, "config.toml:2:");
    assert!(!stderr(&out).contains(&secret[16..]));
    home.config("");
    assert_eq!(std::fs::read(home.sealed()).unwrap(), original);
}

#[test]
fn a_save_keeps_every_recipient_from_the_config_and_refuses_to_drop_one() {
    let home = Home::new();
    let laptop = age::x25519::Identity::generate();
    let to = [home.identity.to_public(), laptop.to_public()];
    write_private(&home.sealed(), &encrypt(DEMO.as_bytes(), &to, false));
    let before = std::fs::read(home.sealed()).unwrap();

    let out = home.hst(&["set", KEY, "eu-west-3"]);
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        err.contains("encrypted to 2 age keys") && err.contains("[age] recipients"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(std::fs::read(home.sealed()).unwrap(), before);

    home.config(&format!(
        "[clipboard]\ntimeout = 30\n\n[age]\nrecipients = [\"{}\"]\n",
        laptop.to_public()
    ));
    let out = home.hst(&["set", KEY, "eu-west-3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sealed = std::fs::read(home.sealed()).unwrap();
    for identity in [&home.identity, &laptop] {
        assert!(decrypt_with(identity, &sealed).contains("\"eu-west-3\""));
    }

    // SSH keys are recipients too (issue 24); a broken one is named as such.
    home.config("[age]\nrecipients = [\"ssh-ed25519 AAAAC3Nza\"]\n");
    let out = home.hst(&["set", KEY, "eu-west-2"]);
    assert!(
        stderr(&out).contains("not a valid SSH public key"),
        "{}",
        stderr(&out)
    );
    home.config("[age]\nrecipint = []\n");
    let out = home.hst(&["ls"]);
    assert!(stderr(&out).contains("config.toml:2:1"), "{}", stderr(&out));
    assert_eq!(std::fs::read(home.sealed()).unwrap(), sealed);
}

#[test]
fn the_identity_comes_from_the_flag_then_the_environment_then_the_config() {
    let home = Home::new().with_demo();
    let key = home.key_file();
    let key = key.to_str().unwrap();
    let wrong = home.keys("wrong.txt");
    write_private(
        &wrong,
        home.key_text(&age::x25519::Identity::generate()).as_bytes(),
    );
    let wrong = wrong.to_str().unwrap();

    home.config(&format!("[age]\nidentity = \"{key}\"\n"));
    assert!(home.hst_with(&["ls"], &[]).status.success());
    let out = home.hst_with(&["ls"], &[("HST_AGE_IDENTITY", wrong)]);
    assert!(stderr(&out).contains("wrong identity"), "{}", stderr(&out));
    let out = home.hst_with(&["--identity", key, "ls"], &[("HST_AGE_IDENTITY", wrong)]);
    assert!(out.status.success(), "{}", stderr(&out));
    // `~` in the config means the home folder.
    std::fs::copy(key, home.home().join("key.txt")).unwrap();
    home.config("[age]\nidentity = \"~/key.txt\"\n");
    assert!(home.hst_with(&["ls"], &[]).status.success());
}

#[test]
fn encrypt_and_decrypt_round_trip_never_overwrite_and_leave_private_files() {
    let home = Home::new();
    let plain = home.home().join("home_secret.toml");
    write_private(&plain, DEMO.as_bytes());

    let out = home.hst(&["encrypt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("rm "),
        "says what to do with the plaintext"
    );
    assert!(plain.exists(), "the plain file is the user's to remove");
    assert_eq!(home.decrypt(&home.sealed()), DEMO);
    let mode = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    };
    assert_eq!(mode(&home.sealed()), 0o600);
    let sealed_bytes = std::fs::read(home.sealed()).unwrap();
    let again = home.hst(&["encrypt"]);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read(home.sealed()).unwrap(), sealed_bytes);
    // Both in the home folder now: the commands that read refuse to guess.
    assert!(stderr(&home.hst(&["ls"])).contains("both"));

    std::fs::remove_file(&plain).unwrap();
    let out = home.hst(&["decrypt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&plain).unwrap(), DEMO);
    assert_eq!(mode(&plain), 0o600);
    let out = home.hst(&["decrypt"]);
    assert!(stderr(&out).contains("already exists"));
    let out = home.hst(&["--path", "home_secret.toml.age", "decrypt", "-o", "-"]);
    assert_eq!(stdout(&out), DEMO);

    // Another machine's key: the file opens with it; the note says to add it to the config.
    let laptop = age::x25519::Identity::generate();
    let laptop_key = laptop.to_public().to_string();
    let out = home.hst(&["encrypt", "-r", &laptop_key, "-a", "-o", "both.toml.age"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains(&laptop_key), "{}", stderr(&out));
    let both = std::fs::read(home.home().join("both.toml.age")).unwrap();
    assert!(both.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
    assert_eq!(decrypt_with(&laptop, &both), DEMO);
    assert_eq!(decrypt_with(&home.identity, &both), DEMO);

    // The same key twice is one recipient: later saves with that key configured go through.
    let out = home.hst(&[
        "encrypt",
        "-r",
        &laptop_key,
        "-r",
        &format!(" {laptop_key}"),
        "-o",
        "twice.toml.age",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    home.config(&format!("[age]\nrecipients = [\"{laptop_key}\"]\n"));
    let out = home.hst(&["--path", "twice.toml.age", "set", KEY, "eu-west-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    home.config("");

    let out = home.hst(&["encrypt", "-r", "age1notakey", "-o", "x.toml.age"]);
    assert!(
        stderr(&out).contains("not a public key (age1…, ssh-ed25519 … or ssh-rsa …)"),
        "{}",
        stderr(&out)
    );
    let out = home.hst(&["encrypt", "-o", "x.toml"]);
    assert!(stderr(&out).contains("ends in .age"), "{}", stderr(&out));
    assert!(!home.home().join("x.toml.age").exists());
    let out = home.hst_with(&["encrypt", "-o", "y.toml.age"], &[]);
    assert!(
        stderr(&out).contains("no key to encrypt to"),
        "{}",
        stderr(&out)
    );

    // Invalid TOML is not encrypted (the error has its line and column).
    let broken = home.home().join("broken.toml");
    write_private(&broken, b"a = 1\nb = \n");
    let out = home.hst(&["--path", broken.to_str().unwrap(), "encrypt"]);
    assert!(stderr(&out).contains("broken.toml:2:"), "{}", stderr(&out));
    assert!(!home.home().join("broken.toml.age").exists());
}

#[test]
fn init_on_an_encrypted_path_writes_the_starter_file_encrypted() {
    let home = Home::new();
    let out = home.hst(&["--path", "new.toml.age", "init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = home.decrypt(&home.home().join("new.toml.age"));
    assert!(text.starts_with('#'), "the commented starter file");
    let out = home.hst(&["--path", "new.toml.age", "set", "a.b", "fake-value-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        home.decrypt(&home.home().join("new.toml.age"))
            .ends_with("a.b = \"fake-value-1\"\n")
    );
}

#[test]
fn concurrent_sets_on_an_encrypted_file_all_keep_their_change() {
    let home = Home::new().with_demo();
    let home = std::sync::Arc::new(home);
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let home = std::sync::Arc::clone(&home);
            std::thread::spawn(move || {
                let out = home.hst(&["set", &format!("race.k{i}"), &format!("fake-{i}")]);
                assert!(out.status.success(), "{}", stderr(&out));
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let text = home.decrypt(&home.sealed());
    for i in 0..8 {
        assert!(
            text.contains(&format!("race.k{i} = \"fake-{i}\"")),
            "k{i} lost"
        );
    }
    assert!(text.starts_with(DEMO));
}

#[test]
fn a_passphrase_file_asks_on_the_terminal_and_saves_with_the_same_passphrase() {
    use support::pty::Pty;
    let home = Home::new();
    let plain = home.home().join("pp.toml");
    write_private(&plain, DEMO.as_bytes());
    let pty_hst = |args: &[&str]| {
        let mut cmd = home.pty(Program::Hst);
        cmd.args(args);
        Pty::spawn(cmd, 24, 120)
    };
    let secret = "fake-passphrase-4411";
    let mut pty = pty_hst(&["--path", "pp.toml", "encrypt", "--passphrase"]);
    pty.wait_for("Passphrase for the encrypted file");
    pty.keys(&format!("{secret}\r"));
    pty.wait_for("Again");
    pty.keys(&format!("{secret}\r"));
    assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
    assert!(!pty.screen().contains(secret), "the passphrase was echoed");
    let sealed = home.home().join("pp.toml.age");
    let header = std::fs::read(&sealed).unwrap();
    assert!(String::from_utf8_lossy(&header[..60]).contains("-> scrypt "));

    let mut pty = pty_hst(&["--path", "pp.toml.age", "set", KEY, "eu-west-3"]);
    pty.wait_for("Passphrase for pp.toml.age");
    pty.keys(&format!("{secret}\r"));
    assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
    let identity = age::scrypt::Identity::new(secret.into());
    let bytes = std::fs::read(&sealed).unwrap();
    let decryptor = age::Decryptor::new_buffered(&bytes[..]).unwrap();
    assert!(decryptor.is_scrypt(), "still a passphrase file");
    let mut text = String::new();
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(changed_lines(DEMO, &text).len(), 1);

    let mut pty = pty_hst(&["--path", "pp.toml.age", "ls"]);
    pty.wait_for("Passphrase for pp.toml.age");
    pty.keys("fake-wrong-passphrase\r");
    assert_eq!(pty.wait_exit(), 1);
    assert!(
        pty.screen().contains("wrong passphrase"),
        "{}",
        pty.screen()
    );

    // No terminal: a clear error, not a hang.
    let out = home.hst(&["--path", "pp.toml.age", "ls"]);
    assert!(stderr(&out).contains("no terminal"), "{}", stderr(&out));
}

#[test]
fn the_library_opens_an_encrypted_file_with_the_identity_from_the_environment() {
    // The library path: SecretFile::load on a .age file, keys from the keyring.
    let home = Home::new().with_demo();
    let mut ring = home_secret_toml::encrypted::keyring();
    ring.use_identity(&home.key_file());
    drop(ring);
    let file = SecretFile::load(&home.sealed()).unwrap();
    let plain = SecretFile::from_text(Path::new("x"), DEMO.to_string()).unwrap();
    assert_eq!(file.text(), DEMO);
    assert_eq!(file.entries().len(), plain.entries().len());
    let debug = format!(
        "{:?}",
        home_secret_toml::store::Store::new(&home.sealed())
            .read()
            .unwrap()
    );
    assert!(!demo_values().iter().any(|v| debug.contains(v.as_str())));
}

#[test]
fn the_tui_opens_an_encrypted_file_and_saves_an_edit_encrypted() {
    use support::pty::Pty;
    let home = Home::new().with_demo();
    let mut cmd = home.pty(Program::HstTui);
    cmd.args(["--identity", home.key_file().to_str().unwrap()]);
    let mut tui = Pty::spawn(cmd, 30, 100);
    tui.wait_for("Keys 33");
    tui.keys("/region\r");
    tui.wait_for("Keys 1 of 33");
    tui.keys("e");
    tui.wait_for("New value for aws.accounts.prod.region");
    tui.keys("eu-west-3\r");
    tui.wait_for("Saved aws.accounts.prod.region");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    let after = home.decrypt(&home.sealed());
    assert_eq!(
        changed_lines(DEMO, &after),
        [(
            "aws.accounts.prod.region = \"us-east-1\"",
            "aws.accounts.prod.region = \"eu-west-3\""
        )]
    );
    assert!(files_holding(&[home.home(), home.tmp()], &demo_values()).is_empty());
}

#[test]
fn the_tui_asks_for_the_passphrase_before_it_takes_the_screen() {
    use support::pty::Pty;
    let home = Home::new();
    let secret = "fake-passphrase-9902";
    let encryptor = age::Encryptor::with_user_passphrase(secret.into());
    let mut sealed = Vec::new();
    let mut writer = encryptor.wrap_output(&mut sealed).unwrap();
    writer.write_all(DEMO.as_bytes()).unwrap();
    writer.finish().unwrap();
    write_private(&home.sealed(), &sealed);
    let cmd = home.pty(Program::HstTui);
    let mut tui = Pty::spawn(cmd, 30, 100);
    tui.wait_for("Passphrase for");
    assert!(
        !tui.parser.screen().alternate_screen(),
        "asked on the plain terminal"
    );
    tui.keys(&format!("{secret}\r"));
    tui.wait_for("Keys 33");
    tui.keys("q");
    assert_eq!(tui.wait_exit(), 0);
    assert!(!String::from_utf8_lossy(tui.raw()).contains(secret));
}
