//! Entering and leaving full-screen mode. Every exit path (normal, error, panic) leaves the
//! terminal as it was: raw mode off, main screen back, mouse capture off, and the alternate
//! screen wiped first so nothing of the secrets can end up in the scrollback (terminals and
//! multiplexers without an alternate screen draw on the main one).

use std::io::{self, Write};
use std::sync::Once;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{Clear, ClearType};

/// Restores the terminal when dropped, so `?` and early returns cannot skip it.
pub struct Session {
    terminal: DefaultTerminal,
}

impl Session {
    pub fn start() -> io::Result<Self> {
        install_panic_hook();
        let terminal = ratatui::try_init()?;
        let session = Self { terminal };
        execute!(io::stdout(), EnableMouseCapture)?;
        Ok(session)
    }

    pub fn terminal(&mut self) -> &mut DefaultTerminal {
        &mut self.terminal
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.terminal.clear();
        restore();
    }
}

/// Best effort: each step runs even if an earlier one failed.
fn restore() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, Clear(ClearType::All));
    let _ = ratatui::try_restore();
    let _ = out.flush();
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
