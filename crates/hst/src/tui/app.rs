//! The loop: draw, wait for an event or a deadline, turn it into an action, apply it, perform
//! the effects, feed their results back.

use std::io;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    self, Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::action::{Action, Mouse};
use super::effects::Effects;
use super::keymap;
use super::state::{Effect, State};
use super::terminal::Screen;
use super::ui;
use home_secret_toml::store::{Stamp, Store};

/// With nothing timed on screen there is nothing to redraw until an event arrives.
const IDLE: Duration = Duration::from_secs(60);
/// While a countdown is shown, wake often enough that it ticks every second.
const COUNTDOWN: Duration = Duration::from_millis(250);
/// How often the file is checked for changes made outside (besides after every key).
const WATCH: Duration = Duration::from_secs(2);
/// How often to look for a search's ranking while one is on its way.
const RANKING: Duration = Duration::from_millis(4);
/// How soon to look again at a file another program was changing.
const RETRY: Duration = Duration::from_millis(250);

pub fn run(terminal: &mut Screen, state: &mut State, effects: &mut dyn Effects) -> io::Result<()> {
    let size = terminal.size()?;
    dispatch(
        state,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
        effects,
    );
    let mut watcher = Watcher::new(state.file().path());
    loop {
        terminal.draw(|frame| ui::render(state, frame))?;
        // Lets the end-to-end tests check that a panic gives the terminal back (debug builds only).
        #[cfg(debug_assertions)]
        #[allow(clippy::panic)]
        if std::env::var_os("HST_TUI_TEST_PANIC").is_some() {
            panic!("panic requested by HST_TUI_TEST_PANIC");
        }
        if state.should_quit() {
            return Ok(());
        }
        let timeout = match state.next_deadline() {
            Some(deadline) => deadline
                .saturating_duration_since(Instant::now())
                .min(COUNTDOWN),
            None => IDLE,
        }
        .min(watcher.interval())
        .min(if effects.ranking() { RANKING } else { IDLE });
        let action = if event::poll(timeout)? {
            translate(&event::read()?, state)
        } else {
            Some(Action::Tick)
        };
        if let Some(action) = action {
            let before = (state.reveal(), state.clipboard_clears());
            dispatch(state, action, effects);
            audit_exposure(state, before);
        }
        while let Some(ranked) = effects.ranked() {
            dispatch(state, ranked, effects);
        }
        if watcher.gone() {
            dispatch(state, Action::FileGone, effects);
        }
        if !state.has_pending_edit() && watcher.changed() {
            // Read only once the file is left alone: a file another program is rewriting is
            // not shown half-written (nor saved over later). Busy now: the next tick asks again.
            match effects.read(state.file().path(), false) {
                Ok(snapshot) => {
                    watcher.seen();
                    if snapshot.revision != state.file().revision() {
                        dispatch(
                            state,
                            Action::Reloaded {
                                snapshot: Ok(snapshot),
                                external: true,
                            },
                            effects,
                        );
                    }
                }
                Err(_) => watcher.retry(),
            }
        }
    }
}

/// Notices when the file's inode, size or times change (one `stat`, no read).
struct Watcher {
    store: Store,
    seen: Option<Stamp>,
    /// The stamp last looked at, taken as seen once a read of it succeeded.
    latest: Option<Stamp>,
    /// A change is waiting for the file to be left alone.
    pending: bool,
    /// The file's absence was reported (once per disappearance).
    gone: bool,
}

impl Watcher {
    fn new(path: &std::path::Path) -> Self {
        let store = Store::new(path);
        let seen = store.stamp();
        Self {
            store,
            seen,
            latest: seen,
            pending: false,
            gone: false,
        }
    }

    fn changed(&mut self) -> bool {
        self.latest = self.store.stamp();
        if self.latest.is_some() {
            self.gone = false;
        }
        self.latest.is_some() && self.latest != self.seen
    }

    /// Whether the file has just disappeared (true once, until it is back).
    fn gone(&mut self) -> bool {
        let now_gone = self.store.stamp().is_none();
        let news = now_gone && !self.gone;
        self.gone = now_gone;
        news
    }

    /// The change was read (or was hst's own save).
    fn seen(&mut self) {
        self.seen = self.latest;
        self.pending = false;
    }

    /// The file could not be read safely yet; look again soon.
    fn retry(&mut self) {
        self.pending = true;
    }

    fn interval(&self) -> Duration {
        if self.pending { RETRY } else { WATCH }
    }
}

/// Applies `action` and everything that follows from it.
pub fn dispatch(state: &mut State, action: Action, effects: &mut dyn Effects) {
    let mut queue = vec![action];
    while let Some(action) = queue.pop() {
        for effect in state.apply(action, Instant::now()) {
            match effect {
                Effect::Copy { what, text } => queue.push(Action::Copied {
                    what,
                    result: effects.copy(what, &text),
                }),
                Effect::Save {
                    path,
                    expected,
                    new,
                } => {
                    queue.push(Action::Saved(effects.save(&path, &expected, &new)));
                }
                Effect::Reload { path } => queue.push(Action::Reloaded {
                    snapshot: effects.read(&path, true),
                    external: false,
                }),
                Effect::Resolve { reference, then } => queue.push(Action::Resolved {
                    uri: reference.uri().to_string(),
                    then,
                    result: effects.resolve(&reference),
                }),
                Effect::Rank(job) => queue.extend(effects.rank(job)),
                Effect::WriteEnum {
                    path,
                    code,
                    overwrite,
                } => queue.push(Action::EnumWritten(
                    effects.write_enum(&path, &code, overwrite),
                )),
            }
        }
    }
}

/// A terminal event as an action, through the keymap for keys.
pub fn translate(event: &Event, state: &State) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if let Some(command) = keymap::lookup(state.scope(), key) {
                return Some(Action::Command(command));
            }
            if state.editor().is_some() {
                return tui_input::backend::crossterm::to_input_request(event)
                    .map(Action::EditInput);
            }
            match key.code {
                KeyCode::Char(c)
                    if state.is_searching()
                        && !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    Some(Action::Input(c))
                }
                _ => None,
            }
        }
        Event::Mouse(mouse) => {
            let (column, row) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => {
                    Some(Action::Mouse(Mouse::Click { column, row }))
                }
                MouseEventKind::ScrollUp => Some(Action::Mouse(Mouse::ScrollUp { column, row })),
                MouseEventKind::ScrollDown => {
                    Some(Action::Mouse(Mouse::ScrollDown { column, row }))
                }
                _ => None,
            }
        }
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        Event::FocusGained => Some(Action::Tick),
        _ => None,
    }
}

/// A value the user just revealed or copied goes on the audit log (the real loop only: state
/// tests dispatch without it).
fn audit_exposure(state: &State, before: (Option<crate::tui::state::Reveal>, Option<Instant>)) {
    let key = || {
        state
            .selected()
            .map(|(_, e)| e.key.dotted().to_string())
            .unwrap_or_default()
    };
    let file = Some(state.file().path());
    if let Some(now) = state.reveal()
        && before.0.is_none_or(|was| was.entry != now.entry)
    {
        crate::audit::note("reveal", &[&key()], file, Ok(()));
    }
    if let Some(clears) = state.clipboard_clears()
        && before.1 != Some(clears)
    {
        crate::audit::note("copy", &[&key()], file, Ok(()));
    }
}
