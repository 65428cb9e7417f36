//! The status line's message: what it says, in which tone, until when.

use std::time::{Duration, Instant};

use super::{Status, Tone};

#[derive(Default)]
pub(super) struct StatusLine {
    current: Option<Status>,
}

impl StatusLine {
    pub(super) fn get(&self) -> Option<&Status> {
        self.current.as_ref()
    }

    pub(super) fn say(&mut self, tone: Tone, text: String, until: Instant) {
        self.current = Some(Status { text, tone, until });
    }

    pub(super) fn clear(&mut self) {
        self.current = None;
    }

    /// A new command makes an old notice stale (warnings and errors stay their time).
    pub(super) fn clear_info(&mut self) {
        if self.current.as_ref().is_some_and(|s| s.tone == Tone::Info) {
            self.current = None;
        }
    }

    pub(super) fn expire(&mut self, now: Instant) {
        if self.current.as_ref().is_some_and(|s| s.until <= now) {
            self.current = None;
        }
    }

    pub(super) fn deadline(&self) -> Option<Instant> {
        self.current.as_ref().map(|s| s.until)
    }
}

/// How long a status message stays.
pub(super) const STATUS_FOR: Duration = Duration::from_secs(5);
