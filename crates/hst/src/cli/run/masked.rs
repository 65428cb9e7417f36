//! `hst run --mask-output`: for CI logs, as `op run` does. The program runs with its stdout and
//! stderr through pipes, and every injected secret (and its encoded forms, as `hst scan` knows
//! them) is replaced by `***` before a line reaches the terminal or the log. Line-buffered;
//! the program's exit code is passed on, and a termination hst receives is passed to it.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use aho_corasick::{AhoCorasick, MatchKind};
use zeroize::Zeroizing;

use crate::cli::Failure;

/// What replaces a secret in the output.
pub const MASK: &str = "***";

/// A line longer than this is passed on in pieces (a program printing megabytes without a
/// line break must not make hst hold them all).
const MAX_HELD: usize = 64 * 1024;

/// Finds the secrets in output.
pub struct Masker {
    finder: Option<AhoCorasick>,
    longest: usize,
}

impl Masker {
    /// Needles: each secret and its encodings, shortest ones left out (they would match by
    /// chance and hide ordinary output).
    pub fn new(secrets: &[&str]) -> Result<Self, String> {
        let mut needles: Vec<Zeroizing<String>> = Vec::new();
        for secret in secrets {
            if secret.chars().count() < crate::scan::DEFAULT_MIN_LENGTH {
                continue;
            }
            needles.push(Zeroizing::new((*secret).to_string()));
            for (_, form) in crate::scan::forms(secret) {
                needles.push(form);
            }
            // Whole base64, padding included (the scan's forms stop before the last partial
            // character, which would otherwise be left after the mask).
            use base64::Engine;
            for engine in [
                base64::engine::general_purpose::STANDARD,
                base64::engine::general_purpose::URL_SAFE,
            ] {
                needles.push(Zeroizing::new(engine.encode(secret)));
            }
        }
        needles.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        needles.dedup_by(|a, b| a.as_str() == b.as_str());
        let longest = needles.iter().map(|n| n.len()).max().unwrap_or(0);
        let finder = if needles.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(needles.iter().map(|n| n.as_bytes()))
                    .map_err(|e| format!("cannot prepare the output mask: {e}"))?,
            )
        };
        Ok(Self { finder, longest })
    }

    /// `bytes` with every secret replaced.
    pub fn mask(&self, bytes: &[u8]) -> Vec<u8> {
        match &self.finder {
            Some(finder) => {
                let mut out = Vec::with_capacity(bytes.len());
                finder.replace_all_with_bytes(bytes, &mut out, |_, _, dst| {
                    dst.extend_from_slice(MASK.as_bytes());
                    true
                });
                out
            }
            None => bytes.to_vec(),
        }
    }

    /// Where `held` may be cut so that no secret straddles the cut: before the last
    /// `longest - 1` bytes, or before a match that crosses that point.
    fn safe_cut(&self, held: &[u8]) -> usize {
        let cut = held.len().saturating_sub(self.longest.saturating_sub(1));
        match &self.finder {
            Some(finder) => finder
                .find_iter(held)
                .find(|m| m.start() < cut && m.end() > cut)
                .map_or(cut, |m| m.start()),
            None => held.len(),
        }
    }
}

/// Copies `from` to `to` line by line, masked.
fn pump(from: impl Read, mut to: impl Write, masker: &Masker) {
    let mut reader = BufReader::new(from);
    let mut held: Vec<u8> = Vec::new();
    loop {
        let before = held.len();
        let read = (&mut reader)
            .take(MAX_HELD as u64)
            .read_until(b'\n', &mut held);
        let ended = matches!(read, Ok(0) | Err(_));
        if held.ends_with(b"\n") || ended {
            let _ = to.write_all(&masker.mask(&held));
            let _ = to.flush();
            held.clear();
        } else if held.len() >= MAX_HELD && held.len() > before {
            let cut = masker.safe_cut(&held);
            let _ = to.write_all(&masker.mask(&held[..cut]));
            let _ = to.flush();
            held.drain(..cut);
        }
        if ended {
            return;
        }
    }
}

/// Runs `program` with `vars` set and its output masked; its exit code.
pub fn run(
    found: &OsString,
    program: &OsString,
    args: &[OsString],
    vars: &[(&str, &str)],
    masker: Masker,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let signals = Forwarded::watch()?;
    let mut cmd = Command::new(found);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::arg0(&mut cmd, program);
    cmd.args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let name = program.to_string_lossy().into_owned();
    let mut child = cmd
        .spawn()
        .map_err(|e| Failure::WithCode(127, format!("cannot run {name}: {e}")))?;
    // stdout is written here, through `out` (main holds stdout's lock); stderr by a thread; a
    // third passes signals on until the program is gone.
    let masker = Arc::new(masker);
    let errors = child.stderr.take().map(|pipe| {
        let masker = Arc::clone(&masker);
        std::thread::spawn(move || pump(pipe, std::io::stderr(), &masker))
    });
    let done = Arc::new(AtomicBool::new(false));
    let forwarding = {
        let done = Arc::clone(&done);
        let pid = child.id();
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                signals.forward(pid);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    if let Some(pipe) = child.stdout.take() {
        pump(pipe, &mut *out, &masker);
    }
    let status = child.wait();
    done.store(true, Ordering::Relaxed);
    let _ = forwarding.join();
    if let Some(thread) = errors {
        let _ = thread.join();
    }
    Ok(exit_code(status?))
}

fn exit_code(status: std::process::ExitStatus) -> u8 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128u8.saturating_add(u8::try_from(signal).unwrap_or(0));
        }
    }
    status
        .code()
        .and_then(|c| u8::try_from(c).ok())
        .unwrap_or(1)
}

/// Signals hst receives while the program runs: Ctrl-C reaches the program from the terminal
/// (hst stays to pass its last output on); a termination or hang-up sent to hst is sent on.
struct Forwarded {
    _interrupt: Arc<AtomicBool>,
    pending: Arc<AtomicUsize>,
}

impl Forwarded {
    #[cfg(unix)]
    fn watch() -> Result<Self, Failure> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        let interrupt = Arc::new(AtomicBool::new(false));
        let pending = Arc::new(AtomicUsize::new(0));
        let failed = |e: std::io::Error| Failure::Message(format!("signal handler: {e}"));
        signal_hook::flag::register(SIGINT, Arc::clone(&interrupt)).map_err(failed)?;
        for signal in [SIGTERM, SIGHUP, SIGQUIT] {
            signal_hook::flag::register_usize(signal, Arc::clone(&pending), signal as usize)
                .map_err(failed)?;
        }
        Ok(Self {
            _interrupt: interrupt,
            pending,
        })
    }

    #[cfg(not(unix))]
    fn watch() -> Result<Self, Failure> {
        Ok(Self {
            _interrupt: Arc::new(AtomicBool::new(false)),
            pending: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Sends a pending signal on to the program.
    fn forward(&self, pid: u32) {
        let signal = self.pending.swap(0, Ordering::Relaxed);
        #[cfg(unix)]
        if signal != 0
            && let Some(pid) = i32::try_from(pid)
                .ok()
                .and_then(rustix::process::Pid::from_raw)
            && let Some(signal) = i32::try_from(signal)
                .ok()
                .and_then(rustix::process::Signal::from_named_raw)
        {
            let _ = rustix::process::kill_process(pid, signal);
        }
        #[cfg(not(unix))]
        let _ = (signal, pid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_their_encodings_are_masked_and_short_values_are_not() {
        let masker = Masker::new(&["fake-token-0123456789", "ab"]).unwrap();
        let out = masker.mask(b"token=fake-token-0123456789 ab\n");
        assert_eq!(String::from_utf8_lossy(&out), "token=*** ab\n");
        let b64 = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "fake-token-0123456789",
        );
        let out = masker.mask(format!("auth {b64}\n").as_bytes());
        assert_eq!(String::from_utf8_lossy(&out), "auth ***\n");
    }

    #[test]
    fn a_long_line_is_cut_where_no_secret_straddles_the_cut() {
        let masker = Masker::new(&["fake-token-0123456789"]).unwrap();
        let mut line = vec![b'x'; MAX_HELD + 10];
        line.extend_from_slice(b"fake-token-0123456789");
        let mut out = Vec::new();
        pump(&line[..], &mut out, &masker);
        assert!(String::from_utf8_lossy(&out).ends_with("x***"));
        assert!(!String::from_utf8_lossy(&out).contains("fake-token"));
    }
}
