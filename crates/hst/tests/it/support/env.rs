//! A hermetic environment for running the programs, as jj's `TestEnvironment` and ripgrep's
//! `Dir` do: a temporary folder per test holding HOME, the XDG folders, TMPDIR and a working
//! folder, and a child environment cleared down to an allow-list. A developer's own
//! `HST_PATH`, `XDG_CONFIG_HOME`, `HST_AGE_IDENTITY`, `EDITOR`, `DISPLAY` or `TMUX` never
//! changes what a test sees; a test that needs one of them sets it itself.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The programs under test.
#[derive(Clone, Copy, Debug)]
pub enum Program {
    Hst,
    HstTui,
}

impl Program {
    pub fn path(self) -> &'static str {
        match self {
            // Defined for integration tests and benches; examples that share this module run none.
            Program::Hst => option_env!("CARGO_BIN_EXE_hst").unwrap_or("hst"),
            Program::HstTui => option_env!("CARGO_BIN_EXE_hst-tui").unwrap_or("hst-tui"),
        }
    }
}

/// Variables a child keeps from the test's own environment: where programs are (git, python3,
/// age, xclip, tmux) and nothing that changes what hst does.
const INHERITED: [&str; 1] = ["PATH"];

/// What the generous deadlines of the polling helpers are: a hang detector, never a speed target.
pub const DEADLINE: Duration = Duration::from_secs(120);

pub struct Env {
    root: PathBuf,
    /// Removes the folder when the test ends; `None` for [`Env::shared`], which stays in
    /// cargo's target folder.
    _dir: Option<tempfile::TempDir>,
    extra: Vec<(OsString, OsString)>,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
        let env = Self::at(dir.path().to_path_buf());
        Self {
            _dir: Some(dir),
            ..env
        }
    }

    /// One environment for the whole test run, for tests that make their own files and name
    /// them with `--path`: its HOME holds no secrets file, its state (the audit log), data
    /// (allowed manifests, grants) and config are under cargo's `CARGO_TARGET_TMPDIR`.
    pub fn shared() -> &'static Env {
        use std::sync::OnceLock;
        static SHARED: OnceLock<Env> = OnceLock::new();
        SHARED.get_or_init(|| Self::at(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hst-env")))
    }

    fn at(root: PathBuf) -> Self {
        for sub in [
            "home", "config", "data", "state", "cache", "runtime", "tmp", "work",
        ] {
            std::fs::create_dir_all(root.join(sub)).unwrap_or_else(|e| panic!("{e}"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let runtime = root.join("runtime");
            let _ = std::fs::set_permissions(runtime, std::fs::Permissions::from_mode(0o700));
        }
        Self {
            root,
            _dir: None,
            extra: Vec::new(),
        }
    }

    /// The scratch folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path under the scratch folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// `$HOME`.
    pub fn home(&self) -> PathBuf {
        self.path("home")
    }

    /// The folder commands run in.
    pub fn work(&self) -> PathBuf {
        self.path("work")
    }

    /// `$XDG_CONFIG_HOME`; hst's config file is `hst/config.toml` in it.
    pub fn config_dir(&self) -> PathBuf {
        self.path("config")
    }

    /// The default secrets file, `$HOME/home_secret.toml`.
    pub fn secrets(&self) -> PathBuf {
        self.home().join("home_secret.toml")
    }

    /// Writes the default secrets file, readable by its owner only.
    pub fn write_secrets(&self, text: &str) -> PathBuf {
        let path = self.secrets();
        write_private(&path, text.as_bytes());
        path
    }

    /// Writes hst's config file.
    pub fn write_config(&self, text: &str) -> PathBuf {
        let path = self.config_dir().join("hst/config.toml");
        self.write_file(&path, text.as_bytes());
        path
    }

    /// Writes `bytes` at `path` (folders made as needed).
    pub fn write_file(&self, path: &Path, bytes: &[u8]) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// Adds a variable to every command this environment makes from now on (`DISPLAY` for
    /// the X11 tests, `HST_AGE_IDENTITY`…).
    pub fn set_var(&mut self, name: impl AsRef<OsStr>, value: impl AsRef<OsStr>) {
        let name = name.as_ref().to_os_string();
        self.extra.retain(|(n, _)| *n != name);
        self.extra.push((name, value.as_ref().to_os_string()));
    }

    /// Gives this environment a new age identity (`keys/key.txt`, named by
    /// `$HST_AGE_IDENTITY`); returns its public key.
    pub fn with_age_identity(&mut self) -> String {
        use age::secrecy::ExposeSecret;
        let identity = age::x25519::Identity::generate();
        let key = self.path("keys/key.txt");
        write_private(
            &key,
            format!("{}\n", identity.to_string().expose_secret()).as_bytes(),
        );
        self.set_var("HST_AGE_IDENTITY", &key);
        identity.to_public().to_string()
    }

    /// The child environment: the allow-list, the scratch folders, the extra variables.
    pub fn vars(&self) -> Vec<(OsString, OsString)> {
        let mut vars: Vec<(OsString, OsString)> = INHERITED
            .iter()
            .filter_map(|name| std::env::var_os(name).map(|v| (OsString::from(name), v)))
            .collect();
        let own = [
            ("HOME", "home"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_RUNTIME_DIR", "runtime"),
            ("TMPDIR", "tmp"),
        ];
        for (name, sub) in own {
            vars.push((name.into(), self.path(sub).into_os_string()));
        }
        vars.push(("LANG".into(), "C.UTF-8".into()));
        vars.push(("TERM".into(), "xterm-256color".into()));
        for (name, value) in &self.extra {
            vars.retain(|(n, _)| n != name);
            vars.push((name.clone(), value.clone()));
        }
        vars
    }

    /// `program` with this environment only, run in [`Env::work`], stdin empty.
    pub fn command(&self, program: Program) -> Command {
        self.tool(program.path())
    }

    /// Any other program (`git`, `age`, `sh`, `tmux`) in this environment, as [`Env::command`].
    pub fn tool(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        // A session of its own, with no controlling terminal: a program that would ask on
        // /dev/tty fails at once as on CI, instead of asking on the developer's terminal.
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: setsid is async-signal-safe and touches no memory of this process.
            unsafe {
                cmd.pre_exec(|| {
                    libc::setsid();
                    Ok(())
                });
            }
        }
        cmd.env_clear()
            .envs(self.vars())
            .current_dir(self.work())
            .stdin(Stdio::null());
        cmd
    }

    /// `hst ARGS`, run to its end.
    pub fn hst(&self, args: &[&str]) -> Output {
        finish(self.command(Program::Hst).args(args))
    }

    /// `hst ARGS`, which must succeed; its stdout.
    pub fn hst_ok(&self, args: &[&str]) -> String {
        let out = self.hst(args);
        assert!(
            out.status.success(),
            "hst {args:?} failed ({:?}): {}",
            out.status.code(),
            stderr(&out)
        );
        stdout(&out)
    }

    /// A command for `program` in a pseudo-terminal, with this environment.
    pub fn pty_command(&self, program: Program) -> portable_pty::CommandBuilder {
        self.pty_tool(program.path())
    }

    /// Any other program in a pseudo-terminal, with this environment.
    pub fn pty_tool(&self, program: impl AsRef<OsStr>) -> portable_pty::CommandBuilder {
        let mut cmd = portable_pty::CommandBuilder::new(program);
        cmd.env_clear();
        for (name, value) in self.vars() {
            cmd.env(name, value);
        }
        cmd.cwd(self.work());
        cmd
    }
}

/// Writes `bytes` at `path` with mode 0600.
pub fn write_private(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `cmd` to its end with its output read as it comes (a full pipe would stall it); a
/// command still running after [`DEADLINE`] is killed and the test fails: it hangs.
pub fn finish(cmd: &mut Command) -> Output {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    // A program a test has just written (a copy of sh named like an agent) can be "busy" for
    // a moment: another test thread's fork may hold the writer's descriptor until it execs.
    let end = Instant::now() + DEADLINE;
    let child = loop {
        match cmd.spawn() {
            Ok(child) => break child,
            Err(e) if e.raw_os_error() == Some(26) && Instant::now() < end => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("cannot start {cmd:?}: {e}"),
        }
    };
    wait_output(child, DEADLINE)
}

/// [`finish`] for a child already started with piped stdout and stderr.
pub fn wait_output(mut child: Child, deadline: Duration) -> Output {
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let end = Instant::now() + deadline;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break status;
        }
        if Instant::now() > end {
            let _ = child.kill();
            panic!("the command was still running after {deadline:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// Polls `done` until it holds, failing with `what` at the deadline. The way tests wait.
#[track_caller]
pub fn wait_until(what: &str, deadline: Duration, mut done: impl FnMut() -> bool) {
    let end = Instant::now() + deadline;
    while !done() {
        assert!(
            Instant::now() < end,
            "timed out after {deadline:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `hst` in the [shared](Env::shared) environment.
pub fn hst() -> Command {
    Env::shared().command(Program::Hst)
}

/// `hst-tui` in the [shared](Env::shared) environment.
pub fn hst_tui() -> Command {
    Env::shared().command(Program::HstTui)
}

/// Any program in the [shared](Env::shared) environment.
pub fn shared(program: impl AsRef<OsStr>) -> Command {
    Env::shared().tool(program)
}

/// Running a command to its end, its output read as it comes, with a deadline ([`finish`]).
pub trait Finish {
    /// Runs with the stdin it was given (empty for the environment's commands).
    fn finish(&mut self) -> Output;
    /// Runs with `input` on stdin.
    fn finish_with(&mut self, input: &[u8]) -> Output;
}

impl Finish for Command {
    fn finish(&mut self) -> Output {
        finish(self)
    }

    fn finish_with(&mut self, input: &[u8]) -> Output {
        let mut child = self
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {self:?}: {e}"));
        if let Some(mut stdin) = child.stdin.take() {
            let input = input.to_vec();
            // A program that exits without reading all of it closes the pipe: not an error here.
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(&input);
            });
        }
        wait_output(child, DEADLINE)
    }
}
