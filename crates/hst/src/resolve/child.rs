//! Running a backend's own command-line tool (`aws`, `op`, `pass`) with a deadline. The value
//! comes back through a pipe into zeroizing memory; what the tool is told is on its command
//! line only when it is not a secret (a secret's name, a profile), never a value.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

/// The most a tool may print: far above any secret.
const MAX_OUTPUT: u64 = 1024 * 1024;

/// What a tool printed on stdout, or why there is nothing: the tool's own last words on stderr
/// (one line), that it is not installed, or that it did not finish in time.
pub fn output(mut command: Command, timeout: Duration) -> Result<Zeroizing<Vec<u8>>, String> {
    let program = command.get_program().to_string_lossy().into_owned();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        // Its own process group, so a timeout ends whatever it started too.
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = spawn(&mut command).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("the {program} command is not installed (not on PATH)")
        }
        _ => format!("cannot start {program}: {e}"),
    })?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    // The pipes are read on their own threads and handed over by channel, so that a tool
    // that exits but leaves a process holding them cannot keep hst waiting past the deadline.
    let (out_tx, out_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Zeroizing::new(Vec::new());
        if let Some(pipe) = stdout {
            let _ = pipe.take(MAX_OUTPUT).read_to_end(&mut buf);
        }
        let _ = out_tx.send(buf);
    });
    let (err_tx, err_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(pipe) = stderr {
            let _ = pipe.take(64 * 1024).read_to_end(&mut buf);
        }
        let _ = err_tx.send(buf);
    });
    let deadline = Instant::now() + timeout;
    let late = || {
        format!(
            "{program} did not answer within {} s",
            timeout.as_secs_f64()
        )
    };
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                kill(&mut child);
                return Err(late());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for {program}: {e}")),
        }
    };
    let left = || deadline.saturating_duration_since(Instant::now());
    let (Ok(stdout), Ok(stderr)) = (out_rx.recv_timeout(left()), err_rx.recv_timeout(left()))
    else {
        // What it left behind still holds the pipes: ended with it.
        kill(&mut child);
        return Err(late());
    };
    if status.success() {
        return Ok(stdout);
    }
    let said = last_words(&stderr);
    Err(match (said.is_empty(), status.code()) {
        (false, _) => format!("{program}: {said}"),
        (true, Some(code)) => format!("{program} failed (exit status {code})"),
        (true, None) => format!("{program} was killed by a signal"),
    })
}

/// Starts `command`, trying again for a moment while its program is "text file busy" (just
/// installed or updated: a writer still holds it open).
fn spawn(command: &mut Command) -> std::io::Result<std::process::Child> {
    let mut tries = 0;
    loop {
        match command.spawn() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn kill(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Some(pid) = rustix::process::Pid::from_raw(child.id().cast_signed()) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A tool's error output as one short line: its last non-empty lines, control characters out.
pub fn last_words(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    super::one_clean_line(&lines[lines.len().saturating_sub(2)..].join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_errors_and_deadline() {
        let mut ok = Command::new("sh");
        ok.args(["-c", "printf fake-out; printf note >&2"]);
        assert_eq!(
            output(ok, Duration::from_secs(10)).unwrap().as_slice(),
            b"fake-out"
        );
        let mut failing = Command::new("sh");
        failing.args(["-c", "echo first >&2; echo 'the reason' >&2; exit 3"]);
        assert_eq!(
            output(failing, Duration::from_secs(10)).unwrap_err(),
            "sh: first the reason"
        );
        let missing = Command::new("hst-no-such-tool");
        assert!(
            output(missing, Duration::from_secs(1))
                .unwrap_err()
                .contains("not installed")
        );
        let mut slow = Command::new("sh");
        slow.args(["-c", "sleep 30"]);
        let started = Instant::now();
        let err = output(slow, Duration::from_millis(200)).unwrap_err();
        assert!(err.contains("did not answer within 0.2 s"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(20));
        // It exits at once, but what it started keeps its output open.
        let mut leaves_a_child = Command::new("sh");
        leaves_a_child.args(["-c", "sleep 30 & printf fake-out"]);
        let err = output(leaves_a_child, Duration::from_millis(300)).unwrap_err();
        assert!(err.contains("did not answer within 0.3 s"), "{err}");
    }
}
