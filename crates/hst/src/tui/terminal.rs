//! Entering and leaving full-screen mode. Every exit path (normal, error, panic) leaves the
//! terminal as it was: raw mode off, main screen back, mouse capture off, and the alternate
//! screen wiped first so nothing of the secrets can end up in the scrollback (terminals and
//! multiplexers without an alternate screen draw on the main one).

use std::io::{self, BufWriter, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Where the screen is drawn: stdout, or stderr when stdout carries a result (`--pick`, as
/// fzf does, so `key=$(hst-tui --pick)` works).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Stdout,
    Stderr,
}

/// The writer for [`Target`]; stderr is unbuffered, so it gets a buffer (flushed per frame).
pub enum Output {
    Stdout(io::Stdout),
    Stderr(BufWriter<io::Stderr>),
}

impl Output {
    fn new(target: Target) -> Self {
        match target {
            Target::Stdout => Output::Stdout(io::stdout()),
            Target::Stderr => Output::Stderr(BufWriter::with_capacity(64 * 1024, io::stderr())),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::Stderr(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::Stderr(w) => w.flush(),
        }
    }
}

pub type Screen = Terminal<CrosstermBackend<Output>>;

/// Restores the terminal when dropped, so `?` and early returns cannot skip it.
pub struct Session {
    terminal: Screen,
}

impl Session {
    pub fn start(target: Target) -> io::Result<Self> {
        TO_STDERR.store(target == Target::Stderr, Ordering::SeqCst);
        let mut out = Output::new(target);
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        install_panic_hook();
        restore_on_signals();
        // From here on a failure still restores (the session is dropped on `?`).
        let terminal = Terminal::new(CrosstermBackend::new(Output::new(target)));
        let session = Self {
            terminal: match terminal {
                Ok(t) => t,
                Err(e) => {
                    restore();
                    return Err(e);
                }
            },
        };
        execute!(out, EnterAlternateScreen, EnableMouseCapture)?;
        Ok(session)
    }

    pub fn terminal(&mut self) -> &mut Screen {
        &mut self.terminal
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        restore();
    }
}

/// Whether the TUI has the terminal; restoring twice would wipe the main screen (and with it a
/// panic message printed in between).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether the screen is on stderr (see [`Target`]).
static TO_STDERR: AtomicBool = AtomicBool::new(false);

/// Best effort: each step runs even if an earlier one failed. Only the first call does anything.
fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let target = if TO_STDERR.load(Ordering::SeqCst) {
        Target::Stderr
    } else {
        Target::Stdout
    };
    let mut out = Output::new(target);
    // Blank every cell before clearing: a terminal without an alternate screen (tmux with
    // `alternate-screen off`, VTE…) moves a cleared screen into the scrollback, and it must
    // hold blanks then, never a revealed value.
    if let Ok((cols, rows)) = ratatui::crossterm::terminal::size() {
        let blank = " ".repeat(usize::from(cols));
        for row in 0..rows {
            let _ = execute!(out, ratatui::crossterm::cursor::MoveTo(0, row));
            let _ = out.write_all(blank.as_bytes());
        }
    }
    let _ = execute!(out, Clear(ClearType::All), DisableMouseCapture, Show);
    let _ = execute!(out, LeaveAlternateScreen);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// `kill`, a closed terminal window or `kill -INT` from outside (Ctrl-C itself is a key in raw
/// mode) must not leave the alternate screen, mouse reporting and a revealed value behind:
/// a thread waits for those signals, restores (wiping the screen first) and exits the way a
/// process killed by that signal is reported by shells (128 + signal).
fn restore_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            let Ok(mut signals) =
                signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
            else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    restore();
                    std::process::exit(128 + signal);
                }
            });
        });
    }
}

/// Restores the terminal before the panic message is printed, so it is readable and the
/// terminal is usable. ratatui's own hook does not turn mouse capture off.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
