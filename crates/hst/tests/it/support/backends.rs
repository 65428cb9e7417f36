//! For the tests of references to backends: a canary value that must never reach a disk or a
//! command line, stand-ins for backend tools on `PATH`, and servers that stop with the test.

use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::env::{DEADLINE, Env, wait_until};

/// A value unique to one test, to look for where it must never be.
pub fn canary(what: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("fake-{what}-{nanos:x}{:x}", std::process::id())
}

/// The files under `root` (but not under `except`) that hold `canary`.
pub fn files_holding(root: &Path, canary: &str, except: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if except.iter().any(|e| path.starts_with(e)) {
                continue;
            }
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file()
                && meta.len() < 64 * 1024 * 1024
                && let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(canary.len()).any(|w| w == canary.as_bytes())
            {
                found.push(path);
            }
        }
    }
    found
}

/// Samples every process's command line until stopped: where a canary showed up.
pub struct CmdlineWatch {
    stop: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<(usize, Vec<String>)>,
}

impl CmdlineWatch {
    pub fn start(canary: &str) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let needle = canary.as_bytes().to_vec();
        let flag = Arc::clone(&stop);
        let handle = std::thread::spawn(move || {
            let mut samples = 0;
            let mut seen = Vec::new();
            while !flag.load(Ordering::Relaxed) {
                samples += 1;
                for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
                    let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
                        continue;
                    };
                    if cmdline.windows(needle.len()).any(|w| w == needle) {
                        // The program's name only: the assertion must not print the value.
                        let program = cmdline.split(|b| *b == 0).next().unwrap_or_default();
                        seen.push(String::from_utf8_lossy(program).into_owned());
                    }
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            (samples, seen)
        });
        CmdlineWatch { stop, handle }
    }

    /// Stops sampling; panics (naming programs, never the value) if any command line held it.
    pub fn assert_clean(self) {
        self.stop.store(true, Ordering::Relaxed);
        let (samples, seen) = self.handle.join().unwrap();
        assert!(samples > 0, "no sample of the command lines was taken");
        assert!(
            seen.is_empty(),
            "the value was on the command line of: {seen:?}"
        );
    }
}

/// Runs `hst ARGS` while watching command lines; then checks that no file under the test's
/// folders (HOME, TMPDIR, XDG folders) holds `canary`, except `except`.
pub fn hst_watched(
    env: &Env,
    args: &[&str],
    canary: &str,
    except: &[PathBuf],
) -> std::process::Output {
    let watch = CmdlineWatch::start(canary);
    let out = super::env::finish(env.command(super::env::Program::Hst).args(args));
    watch.assert_clean();
    let holding = files_holding(env.root(), canary, except);
    assert!(holding.is_empty(), "the value was written to {holding:?}");
    out
}

/// Writes an executable script `bin/NAME` in the test's folder; returns the folder, to put
/// first on `PATH`.
pub fn stub(env: &Env, name: &str, script: &str) -> PathBuf {
    let bin = env.path("bin");
    let path = bin.join(name);
    env.write_file(&path, script.as_bytes());
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// A free port on 127.0.0.1 (the servers of the tests listen there only).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Waits until something listens on 127.0.0.1:`port`.
pub fn wait_listening(port: u16) {
    wait_until(&format!("a server on port {port}"), DEADLINE, || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
}

/// A server a test started: stopped (and reaped) when the test ends, pass or fail.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `program ARGS` in `env` with `input` on its stdin; it must succeed. Its stdout.
pub fn run_tool(env: &Env, program: &str, args: &[&str], input: Option<&str>) -> String {
    use std::process::Stdio;
    let mut cmd = env.tool(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{program}: {e}"));
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        use std::io::Write;
        stdin.write_all(text.as_bytes()).unwrap();
    }
    let out = super::env::wait_output(child, DEADLINE);
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        super::env::stderr(&out)
    );
    super::env::stdout(&out)
}

/// A throwaway gpg key (no passphrase) and an empty `pass` store in the test's folder;
/// `GNUPGHOME` and `PASSWORD_STORE_DIR` point at them. Stop its agent with [`stop_gpg_agent`].
pub fn pass_store(env: &mut Env) {
    let gnupg = env.path("gnupg");
    std::fs::create_dir_all(&gnupg).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&gnupg, std::fs::Permissions::from_mode(0o700)).unwrap();
    env.set_var("GNUPGHOME", &gnupg);
    env.set_var("PASSWORD_STORE_DIR", env.path("store"));
    let key = [
        "--batch",
        "--passphrase",
        "",
        "--quick-gen-key",
        "hst test <t@example.invalid>",
        "default",
        "default",
        "never",
    ];
    run_tool(env, "gpg", &key, None);
    run_tool(env, "pass", &["init", "t@example.invalid"], None);
}

/// The agent gpg started for this test's keyring goes with the test.
pub fn stop_gpg_agent(env: &Env) {
    run_tool(env, "gpgconf", &["--kill", "gpg-agent"], None);
}
