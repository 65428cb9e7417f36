//! What of the secrets is exposed, and for how long: share mode, the one revealed value (and
//! how far its pane is scrolled), and the clipboard countdown. The security rules of the TUI
//! live here, in one place: share mode hides everything and refuses to reveal; a reveal ends
//! by itself; nothing is revealed while share mode is on.

use std::time::{Duration, Instant};

use super::Reveal;

pub(super) struct Exposure {
    share: bool,
    reveal: Option<Reveal>,
    reveal_for: Duration,
    /// When the last copied value leaves the clipboard (shown as a countdown).
    clipboard_clears: Option<Instant>,
    /// The revealed entry the detail pane is scrolled for, and by how many rows.
    scroll: (Option<usize>, u16),
}

/// Why a reveal was refused.
pub(super) struct ShareModeOn;

impl Exposure {
    pub(super) fn new(share: bool, reveal_for: Duration) -> Self {
        Self {
            share,
            reveal: None,
            reveal_for,
            clipboard_clears: None,
            scroll: (None, 0),
        }
    }

    pub(super) fn is_share(&self) -> bool {
        self.share
    }

    pub(super) fn reveal(&self) -> Option<Reveal> {
        self.reveal
    }

    /// Whether `entry` is the one value shown in full (never in share mode).
    pub(super) fn is_revealed(&self, entry: usize) -> bool {
        !self.share && self.reveal.is_some_and(|r| r.entry == entry)
    }

    /// Shows `entry` for the reveal time, or hides it if it is the one shown. `Ok(true)` when
    /// a value is now shown.
    pub(super) fn toggle(&mut self, entry: usize, now: Instant) -> Result<bool, ShareModeOn> {
        if self.share {
            return Err(ShareModeOn);
        }
        if self.reveal.is_some_and(|r| r.entry == entry) {
            self.reveal = None;
            return Ok(false);
        }
        self.reveal = Some(Reveal {
            entry,
            until: now + self.reveal_for,
        });
        Ok(true)
    }

    pub(super) fn hide(&mut self) {
        self.reveal = None;
    }

    pub(super) fn share_on(&mut self) {
        self.share = true;
        self.reveal = None;
    }

    pub(super) fn share_off(&mut self) {
        self.share = false;
    }

    pub(super) fn clipboard_clears(&self) -> Option<Instant> {
        self.clipboard_clears
    }

    /// A new copy replaces the old one on the clipboard, and with it its countdown.
    pub(super) fn copied(&mut self, clears_at: Option<Instant>) {
        self.clipboard_clears = clears_at;
    }

    /// Ends what has run out; `true` when the clipboard countdown just ended.
    pub(super) fn expire(&mut self, now: Instant) -> bool {
        if self.reveal.is_some_and(|r| r.until <= now) {
            self.reveal = None;
        }
        if self.reveal.map(|r| r.entry) != self.scroll.0 {
            self.scroll = (self.reveal.map(|r| r.entry), 0);
        }
        if self.clipboard_clears.is_some_and(|t| t <= now) {
            self.clipboard_clears = None;
            return true;
        }
        false
    }

    /// When something here ends by itself.
    pub(super) fn deadlines(&self) -> impl Iterator<Item = Instant> {
        self.reveal
            .map(|r| r.until)
            .into_iter()
            .chain(self.clipboard_clears)
    }

    pub(super) fn scroll(&self) -> u16 {
        self.scroll.1
    }

    /// Moves the revealed value's pane by `delta` rows, within `0..=max`.
    pub(super) fn scroll_by(&mut self, delta: i32, max: u16) {
        let now = i32::from(self.scroll.1) + delta;
        self.scroll.1 = u16::try_from(now.max(0)).unwrap_or(u16::MAX).min(max);
    }
}
