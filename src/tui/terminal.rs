//! Entering and leaving full-screen mode. Every exit path (normal, error, panic) leaves the
//! terminal as it was: raw mode off, main screen back, mouse capture off, and the alternate
//! screen wiped first so nothing of the secrets can end up in the scrollback (terminals and
//! multiplexers without an alternate screen draw on the main one).

use std::io::{self, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::DefaultTerminal;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{Clear, ClearType};

/// Restores the terminal when dropped, so `?` and early returns cannot skip it.
pub struct Session {
    terminal: DefaultTerminal,
}

impl Session {
    pub fn start() -> io::Result<Self> {
        let terminal = ratatui::try_init()?;
        ACTIVE.store(true, Ordering::SeqCst);
        // After ratatui's hook, so ours runs first and wipes the alternate screen before
        // anything leaves it.
        install_panic_hook();
        let session = Self { terminal };
        restore_on_signals();
        execute!(io::stdout(), EnableMouseCapture)?;
        Ok(session)
    }

    pub fn terminal(&mut self) -> &mut DefaultTerminal {
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

/// Best effort: each step runs even if an earlier one failed. Only the first call does anything.
fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = execute!(out, Clear(ClearType::All), DisableMouseCapture, Show);
    let _ = ratatui::try_restore();
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
