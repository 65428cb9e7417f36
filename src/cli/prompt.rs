//! Asking for a secret on the terminal without echo. Echo is turned off *before* the prompt is
//! shown, so even input typed (or sent by a script) the moment the prompt appears is never
//! echoed; it is turned back on whatever happens.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use zeroize::Zeroizing;

/// Shows `prompt` on the controlling terminal and reads one line with echo off.
pub fn hidden(prompt: &str) -> io::Result<Zeroizing<String>> {
    let tty = File::options().read(true).write(true).open("/dev/tty")?;
    let _echo_off = EchoOff::new(&tty)?;
    (&tty).write_all(prompt.as_bytes())?;
    (&tty).flush()?;
    let mut line = Zeroizing::new(String::new());
    // ECHONL echoes the Enter that ends the line, so the next output starts on a new line.
    BufReader::new(&tty).read_line(&mut line)?;
    let end = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(end);
    Ok(line)
}

/// Echo off while alive (the terminal's settings as they were come back on drop).
struct EchoOff {
    #[cfg(unix)]
    fd: std::os::fd::RawFd,
    #[cfg(unix)]
    saved: libc::termios,
}

#[cfg(unix)]
#[allow(unsafe_code)]
impl EchoOff {
    fn new(tty: &File) -> io::Result<Self> {
        use std::os::fd::AsRawFd;
        let fd = tty.as_raw_fd();
        // SAFETY: `termios` is plain data, fully written by tcgetattr before it is read;
        // `fd` is an open terminal that outlives this guard (it borrows the same file).
        let saved = unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(fd, &mut t) != 0 {
                return Err(io::Error::last_os_error());
            }
            t
        };
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        // SAFETY: as above; TCSANOW keeps what is already typed (TCSAFLUSH would drop it).
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Self { fd, saved })
    }
}

#[cfg(unix)]
#[allow(unsafe_code)]
impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `new` on the same, still open terminal.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSANOW, &self.saved);
        }
    }
}

#[cfg(not(unix))]
impl EchoOff {
    fn new(_tty: &File) -> io::Result<Self> {
        Err(io::Error::other(
            "asking without echo needs a Unix terminal; use --stdin",
        ))
    }
}
