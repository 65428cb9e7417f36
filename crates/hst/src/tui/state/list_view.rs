//! The key list: which entries pass the tree selection and the search, in which order, and the
//! cursor. Holds entry indices only; rows are drawn from the entries when they are on screen.
//!
//! A fuzzy search with many matches ([`ASYNC_FROM`] keys searched, [`RANK_NOW_BELOW`] matches)
//! shows its exact matches at once in a provisional order (the previous search's, else the
//! keys'), and asks for the order by score ([`ListView::take_job`], run off the UI thread, see
//! `tui::ranking`); [`ListView::ranked`] puts it in when it comes.

use std::ops::Range;
use std::sync::Arc;

use crate::tui::filter::Filter;
use crate::tui::members::{Members, Needle, ascending};
use crate::tui::ranking::RankFor;

use super::tree_view::scrolled;

/// From this many keys searched, a fuzzy search is ranked off the UI thread.
const ASYNC_FROM: usize = 150_000;
/// Fewer matches than this are ranked at once (a few milliseconds).
const RANK_NOW_BELOW: usize = 40_000;

/// [`ASYNC_FROM`] and [`RANK_NOW_BELOW`]; debug builds take others from
/// `HST_TUI_TEST_RANK_LIMITS` ("10,5"), so end-to-end tests can rank a small file off the UI
/// thread.
fn default_limits() -> (usize, usize) {
    #[cfg(debug_assertions)]
    {
        static LIMITS: std::sync::OnceLock<Option<(usize, usize)>> = std::sync::OnceLock::new();
        let from_env = LIMITS.get_or_init(|| {
            let text = std::env::var("HST_TUI_TEST_RANK_LIMITS").ok()?;
            let (a, b) = text.split_once(',')?;
            Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
        });
        if let Some(limits) = *from_env {
            return limits;
        }
    }
    (ASYNC_FROM, RANK_NOW_BELOW)
}

/// Entry indices, shared by the list, what it keeps for a backspace and a ranking's job (a
/// million of them are 4 MB: copied three times a keystroke, the copies cost a frame's third).
type Rows = Arc<Vec<u32>>;

/// The rows of a text typed on the way to the current one.
#[derive(Debug)]
struct Kept {
    range: Range<usize>,
    text: String,
    rows: Rows,
    /// In the order by score (else provisional, its ranking not finished).
    ranked: bool,
}

#[derive(Debug, Default)]
pub struct ListView {
    rows: Rows,
    cursor: usize,
    offset: usize,
    /// What `rows` was computed from, so a longer search can start from it.
    basis: Option<(Range<usize>, String)>,
    /// The rows of each text typed on the way to this search (each extends the one before):
    /// a backspace gives them back instead of ranking every key again (a million keys).
    earlier: Vec<Kept>,
    /// The last search's matches (a search off the UI thread), for the next character.
    members: Option<Members>,
    /// Counts the times the keys changed: a ranking of other keys is not kept.
    epoch: u64,
    /// Counts the searches: only the latest one's ranking is put in.
    generation: u64,
    /// The ranking the rows wait for.
    awaiting: Option<RankFor>,
    /// The ranking to ask for (the state hands it out with the keys).
    job: Option<(RankFor, Rows)>,
    /// The cursor was put on an entry it should stay on when the ranking comes.
    hold: bool,
    /// [`ASYNC_FROM`] and [`RANK_NOW_BELOW`] (smaller in tests).
    limits: Option<(usize, usize)>,
}

impl ListView {
    /// The entries in `range` that pass `text`, best match first; the cursor stays on `keep`
    /// when it is still there, else goes to the first row.
    /// `keys`: every key's text, by entry index.
    pub fn refilter(
        &mut self,
        keys: &[&str],
        range: Range<usize>,
        text: &str,
        keep: Option<usize>,
        height: usize,
    ) {
        let mut filter = Filter::new(text);
        self.generation += 1;
        self.awaiting = None;
        self.job = None;
        // Typing one more character can only remove matches.
        let follows = self
            .basis
            .as_ref()
            .is_some_and(|(r, old)| *r == range && Filter::narrows(old, text));
        // A backspace: the longer texts' rows go, and this text's rows, if kept, come back.
        while self.earlier.last().is_some_and(|k| {
            k.range == range && k.text.len() > text.len() && k.text.starts_with(text)
        }) {
            self.earlier.pop();
        }
        let kept = self
            .earlier
            .last()
            .filter(|k| k.range == range && k.text == text && !filter.is_all())
            .map(|k| (Arc::clone(&k.rows), k.ranked));
        let (async_from, _) = self.limits();
        let needle = if filter.is_fuzzy() && range.len() >= async_from {
            Needle::new(text)
        } else {
            None
        };
        if needle.is_none() {
            self.members = None;
        }
        let mut ranked = true;
        self.rows = if let Some((rows, was_ranked)) = kept {
            if !was_ranked {
                self.ask(&range, text, Arc::new(ascending(&rows, &range)));
                ranked = false;
            }
            rows
        } else if filter.is_all() {
            Arc::new((range.start as u32..range.end as u32).collect())
        } else if let Some(needle) = needle {
            let (rows, done) = self.provisional(keys, &range, needle, follows, &mut filter);
            ranked = done;
            rows
        } else {
            Arc::new(self.ranked_now(keys, &range, follows, &mut filter))
        };
        self.keep_for_backspace(&range, text, ranked, filter.is_all());
        self.basis = Some((range, text.to_string()));
        let cursor = keep.and_then(|k| self.rows.iter().position(|&r| r as usize == k));
        self.hold = cursor.is_some();
        self.offset = 0;
        self.move_to(cursor.unwrap_or(0), height);
    }

    /// Every match ranked here and now.
    fn ranked_now(
        &mut self,
        keys: &[&str],
        range: &Range<usize>,
        follows: bool,
        filter: &mut Filter,
    ) -> Vec<u32> {
        // Only the previous matches, when they are few (gathering a third of a million keys by
        // index costs more than ranking every key, which are in one slice).
        if follows && self.rows.len() < range.len() / 4 {
            let candidates = ascending(&self.rows, range);
            return filter
                .rank_among(keys, &candidates, &|| false)
                .unwrap_or_default();
        }
        let start = range.start as u32;
        let mut rows = filter.rank_indices(keys.get(range.clone()).unwrap_or_default());
        if start > 0 {
            rows.iter_mut().for_each(|r| *r += start);
        }
        rows
    }

    /// The exact matches, in the previous order when the text only grew (else the keys'), and
    /// whether they are ranked already (few enough to rank here). Otherwise a ranking is asked.
    fn provisional(
        &mut self,
        keys: &[&str],
        range: &Range<usize>,
        needle: Needle,
        follows: bool,
        filter: &mut Filter,
    ) -> (Rows, bool) {
        let text = needle.text().to_string();
        let members = match self
            .members
            .as_ref()
            .and_then(|m| m.narrowed(keys, range, &needle))
        {
            Some(narrower) => narrower,
            None if follows => {
                let candidates = ascending(&self.rows, range);
                Members::of(keys, range.clone(), &candidates, needle)
            }
            None => Members::of_range(keys, range.clone(), needle),
        };
        let result = if members.len() < self.limits().1 {
            let rows = filter
                .rank_among(keys, members.indices(), &|| false)
                .unwrap_or_default();
            (Arc::new(rows), true)
        } else if follows {
            let bits = members.bits();
            let rows = self
                .rows
                .iter()
                .copied()
                .filter(|&r| members.is_set(&bits, r))
                .collect();
            self.ask(range, &text, members.shared());
            (Arc::new(rows), false)
        } else {
            self.ask(range, &text, members.shared());
            (members.shared(), false)
        };
        self.members = Some(members);
        result
    }

    fn limits(&self) -> (usize, usize) {
        self.limits.unwrap_or_else(default_limits)
    }

    fn ask(&mut self, range: &Range<usize>, text: &str, candidates: Rows) {
        let what = RankFor {
            epoch: self.epoch,
            generation: self.generation,
            range: range.clone(),
            text: text.to_string(),
        };
        self.awaiting = Some(what.clone());
        self.job = Some((what, candidates));
    }

    fn keep_for_backspace(&mut self, range: &Range<usize>, text: &str, ranked: bool, all: bool) {
        let known = self
            .earlier
            .last()
            .is_some_and(|k| k.range == *range && k.text == text);
        if all || known {
            return;
        }
        let extends = self
            .earlier
            .last()
            .is_some_and(|k| k.range == *range && Filter::narrows(&k.text, text));
        if !extends {
            self.earlier.clear();
        }
        self.earlier.push(Kept {
            range: range.clone(),
            text: text.to_string(),
            rows: Arc::clone(&self.rows),
            ranked,
        });
    }

    /// The ranking to run for the rows shown (once): which search, and its matches.
    pub fn take_job(&mut self) -> Option<(RankFor, Rows)> {
        self.job.take()
    }

    /// Whether the rows wait for their order by score.
    pub fn ranking(&self) -> bool {
        self.awaiting.is_some()
    }

    /// A ranking came: the rows take its order if it is the one they wait for (the cursor on
    /// the best match, or on the entry it was moved or kept on); kept for a backspace if it is
    /// for these keys.
    pub fn ranked(&mut self, what: &RankFor, rows: Vec<u32>, height: usize) {
        if what.epoch != self.epoch {
            return;
        }
        let rows = Arc::new(rows);
        if let Some(kept) = self
            .earlier
            .iter_mut()
            .find(|k| !k.ranked && k.range == what.range && k.text == what.text)
        {
            kept.rows = Arc::clone(&rows);
            kept.ranked = true;
        }
        if self.awaiting.as_ref() != Some(what) {
            return;
        }
        self.awaiting = None;
        let keep = if self.hold || self.cursor != 0 {
            self.selected()
        } else {
            None
        };
        // The kept key stays on its screen row, and what now ranks above it shows above it
        // (from the old scroll position the best matches could be hidden above the list).
        let row_on_screen = self.cursor.saturating_sub(self.offset);
        self.rows = rows;
        let cursor = keep.and_then(|k| self.rows.iter().position(|&r| r as usize == k));
        self.offset = cursor.map_or(0, |c| c.saturating_sub(row_on_screen));
        self.move_to(cursor.unwrap_or(0), height);
    }

    /// Ranks here and now what the rows wait for (a pick takes the best match, not the
    /// provisional first row).
    pub fn rank_now(&mut self, keys: &[&str], height: usize) {
        let Some(what) = self.awaiting.clone() else {
            return;
        };
        self.job = None;
        let candidates = ascending(&self.rows, &what.range);
        if let Some(rows) = Filter::new(&what.text).rank_among(keys, &candidates, &|| false) {
            self.ranked(&what, rows, height);
        }
    }

    /// Forgets every search result kept (the entries changed).
    pub fn forget(&mut self) {
        self.basis = None;
        self.earlier.clear();
        self.members = None;
        self.epoch += 1;
        self.awaiting = None;
        self.job = None;
    }

    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The selected entry's index.
    pub fn selected(&self) -> Option<usize> {
        self.rows.get(self.cursor).map(|&r| r as usize)
    }

    pub fn move_to(&mut self, cursor: usize, height: usize) {
        self.cursor = cursor.min(self.rows.len().saturating_sub(1));
        self.offset = scrolled(self.cursor, self.offset, height, self.rows.len());
    }

    pub fn move_by(&mut self, delta: isize, height: usize) {
        self.move_to(self.cursor.saturating_add_signed(delta), height);
    }

    /// The rows on screen: `(row number, entry index)`.
    pub fn visible(&self, height: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.rows
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, &e)| (i, e as usize))
    }
}

#[cfg(test)]
#[path = "list_view_tests.rs"]
mod tests;
