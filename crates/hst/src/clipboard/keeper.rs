//! The helper process that owns a copied value. On X11 and Wayland the clipboard is served by
//! the program that set it, so the value would vanish when `hst` exits; like `pass -c`, a small
//! background process keeps serving it, clears it when the timeout passes (only if it is still
//! ours), and exits by itself: at the timeout, or as soon as something else is copied.
//!
//! The value reaches it through a pipe, never the command line or the environment; it keeps only
//! a keyed hash of the value to recognise it later.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use super::native;
use home_secret_toml::value::SecretValue;

/// The hidden first argument that turns either binary into the keeper.
pub const KEEPER_ARG: &str = "__hst-clipboard-keeper";

/// How often the keeper looks whether its value is still on the clipboard.
const POLL: Duration = Duration::from_millis(200);

/// Starts a keeper for `value`; returns once the value is on the clipboard.
pub fn spawn(value: &SecretValue, clear_after: Option<Duration>) -> Result<(), String> {
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot start the clipboard helper ({e})"))?;
    let millis = clear_after.map_or(0, |d| d.as_millis().max(1));
    let mut command = Command::new(exe);
    command
        .arg(KEEPER_ARG)
        .arg(millis.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    detach(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start the clipboard helper ({e})"))?;
    let sent = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(value.expose().as_bytes()));
    let mut line = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut line);
    }
    // Reap it when it ends, so a long-running TUI collects no zombies.
    std::thread::spawn(move || child.wait());
    match (sent, line.trim_end()) {
        (Some(Ok(())), "ok") => Ok(()),
        (_, reply) => Err(reply
            .strip_prefix("err ")
            .unwrap_or("the clipboard helper failed")
            .to_string()),
    }
}

/// Its own session, so closing the terminal (SIGHUP) does not end it, and none of the caller's
/// other open files: a pipe it inherited (`( hst get -c K 3>&1 ) | cat`) would keep the reader
/// waiting until the keeper exits.
#[cfg(unix)]
#[allow(unsafe_code)]
fn detach(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setsid, close_range and close are async-signal-safe system calls and touch no
    // memory of the parent; stdin, stdout and stderr (0–2) are already set up by `Command`.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            #[cfg(target_os = "linux")]
            let closed = libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32) == 0;
            #[cfg(not(target_os = "linux"))]
            let closed = false;
            if !closed {
                let max = match libc::sysconf(libc::_SC_OPEN_MAX) {
                    n if n > 3 => n.min(65_536) as libc::c_int,
                    _ => 1024,
                };
                for fd in 3..max {
                    libc::close(fd);
                }
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn detach(_command: &mut Command) {}

/// When the first argument is [`KEEPER_ARG`], runs the keeper and returns its exit code.
/// Both binaries call this before parsing their arguments.
pub fn run_if_keeper() -> Option<ExitCode> {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(std::ffi::OsStr::new(KEEPER_ARG)) {
        return None;
    }
    let millis: u64 = args
        .next()
        .and_then(|a| a.to_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0);
    let clear_after = (millis > 0).then(|| Duration::from_millis(millis));
    Some(run(clear_after))
}

fn run(clear_after: Option<Duration>) -> ExitCode {
    let mut out = std::io::stdout();
    let mut text = Zeroizing::new(String::new());
    if std::io::stdin().read_to_string(&mut text).is_err() {
        let _ = writeln!(out, "err could not read the value from the pipe");
        return ExitCode::FAILURE;
    }
    let value = SecretValue::new(std::mem::take(&mut *text));
    let mut clipboard = match native::open() {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(out, "err {e}");
            return ExitCode::FAILURE;
        }
    };
    let keys = RandomState::new();
    let ours = keys.hash_one(value.expose());
    if let Err(e) = native::set(&mut clipboard, &value) {
        let _ = writeln!(out, "err {e}");
        return ExitCode::FAILURE;
    }
    drop(value);
    let _ = writeln!(out, "ok");
    let _ = out.flush();
    let mut access = Native { clipboard, keys };
    watch(&mut access, &mut RealClock, ours, clear_after);
    ExitCode::SUCCESS
}

/// What the keeper needs from a clipboard (a fake one in the tests).
pub trait Access {
    /// The keyed hash of the text on the clipboard now (`None`: empty or not text).
    fn current(&mut self) -> Option<u64>;
    fn clear(&mut self);
}

pub trait Clock {
    fn now(&self) -> Instant;
    fn sleep(&mut self, d: Duration);
}

struct RealClock;

impl Clock for RealClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn sleep(&mut self, d: Duration) {
        std::thread::sleep(d);
    }
}

struct Native {
    clipboard: arboard::Clipboard,
    keys: RandomState,
}

impl Access for Native {
    fn current(&mut self) -> Option<u64> {
        let text = Zeroizing::new(self.clipboard.get_text().ok()?);
        Some(self.keys.hash_one(text.as_str()))
    }
    fn clear(&mut self) {
        let _ = self.clipboard.clear();
    }
}

/// What happened to the copied value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Something else was copied (or the clipboard emptied): left alone.
    Replaced,
    /// Still ours at the timeout: cleared.
    Cleared,
}

/// Waits until the value is replaced (then leaves the clipboard alone) or the timeout passes
/// (then clears it, only if it still holds the value). Without a timeout it waits for the
/// replacement alone.
pub fn watch(
    access: &mut dyn Access,
    clock: &mut dyn Clock,
    ours: u64,
    clear_after: Option<Duration>,
) -> Outcome {
    let deadline = clear_after.map(|d| clock.now() + d);
    loop {
        let until = deadline.map(|d| d.saturating_duration_since(clock.now()));
        clock.sleep(until.map_or(POLL, |u| u.min(POLL)));
        if access.current() != Some(ours) {
            return Outcome::Replaced;
        }
        if deadline.is_some_and(|d| clock.now() >= d) {
            access.clear();
            return Outcome::Cleared;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A clipboard holding our value (hash 7) until `later` replaces it; fake time.
    struct Fake<'a> {
        time: &'a Cell<Instant>,
        content: Option<u64>,
        later: Option<(Instant, Option<u64>)>,
        cleared: bool,
    }

    impl Access for Fake<'_> {
        fn current(&mut self) -> Option<u64> {
            if let Some((at, content)) = self.later
                && self.time.get() >= at
            {
                self.content = content;
            }
            self.content
        }
        fn clear(&mut self) {
            self.cleared = true;
            self.content = None;
        }
    }

    struct FakeClock<'a>(&'a Cell<Instant>);

    impl Clock for FakeClock<'_> {
        fn now(&self) -> Instant {
            self.0.get()
        }
        fn sleep(&mut self, d: Duration) {
            self.0.set(self.0.get() + d);
        }
    }

    /// Runs the keeper against the fake; returns what happened, whether it cleared, how long.
    fn run_fake(
        later: Option<(u64, Option<u64>)>,
        clear_after: Option<Duration>,
    ) -> (Outcome, bool, Duration) {
        let start = Instant::now();
        let time = Cell::new(start);
        let mut fake = Fake {
            time: &time,
            content: Some(7),
            later: later.map(|(secs, c)| (start + Duration::from_secs(secs), c)),
            cleared: false,
        };
        let outcome = watch(&mut fake, &mut FakeClock(&time), 7, clear_after);
        (outcome, fake.cleared, time.get() - start)
    }

    #[test]
    fn clears_at_the_timeout_when_still_ours() {
        let (outcome, cleared, took) = run_fake(None, Some(Duration::from_secs(45)));
        assert_eq!(outcome, Outcome::Cleared);
        assert!(cleared);
        assert_eq!(took, Duration::from_secs(45));
    }

    #[test]
    fn leaves_a_later_copy_alone_and_stops_at_once() {
        let (outcome, cleared, took) =
            run_fake(Some((10, Some(99))), Some(Duration::from_secs(45)));
        assert_eq!(outcome, Outcome::Replaced);
        assert!(!cleared, "someone else's copy must survive");
        assert!(took < Duration::from_secs(11));
    }

    #[test]
    fn a_copy_just_before_the_timeout_is_not_cleared() {
        let (outcome, cleared, _) = run_fake(Some((44, Some(99))), Some(Duration::from_secs(45)));
        assert_eq!(outcome, Outcome::Replaced);
        assert!(!cleared);
    }

    #[test]
    fn without_a_timeout_it_serves_until_replaced() {
        let (outcome, cleared, took) = run_fake(Some((3600, None)), None);
        assert_eq!(outcome, Outcome::Replaced);
        assert!(!cleared);
        assert!(took >= Duration::from_secs(3600));
    }
}
