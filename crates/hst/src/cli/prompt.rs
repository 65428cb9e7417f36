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

/// Asks `question` on the controlling terminal; true for `y` or `yes` (any case).
pub fn confirm(question: &str) -> io::Result<bool> {
    let tty = File::options().read(true).write(true).open("/dev/tty")?;
    (&tty).write_all(question.as_bytes())?;
    (&tty).flush()?;
    let mut line = String::new();
    BufReader::new(&tty).read_line(&mut line)?;
    Ok(matches!(line.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Echo off while alive (the terminal's settings as they were come back on drop).
struct EchoOff<'t> {
    #[cfg(unix)]
    tty: &'t File,
    #[cfg(unix)]
    saved: rustix::termios::Termios,
    #[cfg(not(unix))]
    _tty: std::marker::PhantomData<&'t File>,
}

#[cfg(unix)]
impl<'t> EchoOff<'t> {
    fn new(tty: &'t File) -> io::Result<Self> {
        use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
        let saved = tcgetattr(tty)?;
        let mut quiet = saved.clone();
        quiet.local_modes.remove(LocalModes::ECHO);
        quiet.local_modes.insert(LocalModes::ECHONL);
        // Now (not after draining): what is already typed is kept, only no longer echoed.
        tcsetattr(tty, OptionalActions::Now, &quiet)?;
        Ok(Self { tty, saved })
    }
}

#[cfg(unix)]
impl Drop for EchoOff<'_> {
    fn drop(&mut self) {
        let _ = rustix::termios::tcsetattr(
            self.tty,
            rustix::termios::OptionalActions::Now,
            &self.saved,
        );
    }
}

#[cfg(not(unix))]
impl EchoOff<'_> {
    fn new(_tty: &File) -> io::Result<Self> {
        Err(io::Error::other(
            "asking without echo needs a Unix terminal; use --stdin",
        ))
    }
}
