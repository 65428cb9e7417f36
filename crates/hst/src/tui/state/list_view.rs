//! The key list: which entries pass the tree selection and the search, in which order, and the
//! cursor. Holds entry indices only; rows are drawn from the entries when they are on screen.

use std::ops::Range;

use crate::tui::filter::Filter;
use home_secret_toml::entry::Entry;

use super::tree_view::scrolled;

#[derive(Debug, Default)]
pub struct ListView {
    rows: Vec<u32>,
    cursor: usize,
    offset: usize,
    /// What `rows` was computed from, so a longer search can start from it.
    basis: Option<(Range<usize>, String)>,
}

impl ListView {
    /// The entries in `range` that pass `text`, best match first; the cursor stays on `keep`
    /// when it is still there, else goes to the first row.
    pub fn refilter(
        &mut self,
        entries: &[Entry],
        range: Range<usize>,
        text: &str,
        keep: Option<usize>,
        height: usize,
    ) {
        let mut filter = Filter::new(text);
        // Typing one more character can only remove matches: rank the previous matches only.
        let narrowing = self
            .basis
            .as_ref()
            .is_some_and(|(r, old)| *r == range && Filter::narrows(old, text));
        self.rows = if filter.is_all() {
            (range.start as u32..range.end as u32).collect()
        } else if narrowing {
            let mut candidates = std::mem::take(&mut self.rows);
            candidates.sort_unstable();
            let keys: Vec<&str> = candidates
                .iter()
                .map(|&i| entries[i as usize].key.dotted())
                .collect();
            filter
                .rank(&keys)
                .into_iter()
                .map(|r| candidates[r.index as usize])
                .collect()
        } else {
            let start = range.start as u32;
            let keys: Vec<&str> = entries[range.clone()]
                .iter()
                .map(|e| e.key.dotted())
                .collect();
            filter
                .rank(&keys)
                .into_iter()
                .map(|r| start + r.index)
                .collect()
        };
        self.basis = Some((range, text.to_string()));
        let cursor = keep
            .and_then(|k| self.rows.iter().position(|&r| r as usize == k))
            .unwrap_or(0);
        self.offset = 0;
        self.move_to(cursor, height);
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
