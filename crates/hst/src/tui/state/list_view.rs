//! The key list: which entries pass the tree selection and the search, in which order, and the
//! cursor. Holds entry indices only; rows are drawn from the entries when they are on screen.

use std::ops::Range;

use crate::tui::filter::Filter;

use super::tree_view::scrolled;

#[derive(Debug, Default)]
pub struct ListView {
    rows: Vec<u32>,
    cursor: usize,
    offset: usize,
    /// What `rows` was computed from, so a longer search can start from it.
    basis: Option<(Range<usize>, String)>,
    /// The rows of each text typed on the way to this search (each extends the one before):
    /// a backspace gives them back instead of ranking every key again (a million keys).
    earlier: Vec<(Range<usize>, String, Vec<u32>)>,
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
        // Typing one more character can only remove matches: rank the previous matches only,
        // when they are few (gathering a third of a million keys by index costs more than
        // ranking every key, which are in one slice).
        let narrowing = self.rows.len() < range.len() / 4
            && self
                .basis
                .as_ref()
                .is_some_and(|(r, old)| *r == range && Filter::narrows(old, text));
        // A backspace: the longer texts' rows go, and this text's rows, if kept, come back.
        while self
            .earlier
            .last()
            .is_some_and(|(r, t, _)| *r == range && t.len() > text.len() && t.starts_with(text))
        {
            self.earlier.pop();
        }
        let kept = self
            .earlier
            .last()
            .filter(|(r, t, _)| *r == range && t == text && !filter.is_all())
            .map(|(_, _, rows)| rows.clone());
        self.rows = if let Some(rows) = kept {
            rows
        } else if filter.is_all() {
            (range.start as u32..range.end as u32).collect()
        } else if narrowing {
            let mut candidates = std::mem::take(&mut self.rows);
            candidates.sort_unstable();
            let texts: Vec<&str> = candidates
                .iter()
                .map(|&i| keys.get(i as usize).copied().unwrap_or_default())
                .collect();
            filter
                .rank_indices(&texts)
                .into_iter()
                .map(|r| candidates[r as usize])
                .collect()
        } else {
            let start = range.start as u32;
            let mut rows = filter.rank_indices(keys.get(range.clone()).unwrap_or_default());
            if start > 0 {
                rows.iter_mut().for_each(|r| *r += start);
            }
            rows
        };
        let known = self
            .earlier
            .last()
            .is_some_and(|(r, t, _)| *r == range && t == text);
        if !filter.is_all() && !known {
            let extends = self
                .earlier
                .last()
                .is_some_and(|(r, t, _)| *r == range && Filter::narrows(t, text));
            if !extends {
                self.earlier.clear();
            }
            self.earlier
                .push((range.clone(), text.to_string(), self.rows.clone()));
        }
        self.basis = Some((range, text.to_string()));
        let cursor = keep
            .and_then(|k| self.rows.iter().position(|&r| r as usize == k))
            .unwrap_or(0);
        self.offset = 0;
        self.move_to(cursor, height);
    }

    /// Forgets every search result kept (the entries changed).
    pub fn forget(&mut self) {
        self.basis = None;
        self.earlier.clear();
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
mod tests {
    use super::*;

    fn entries<'k>(keys: &[&'k str]) -> Vec<&'k str> {
        keys.to_vec()
    }

    fn fresh(entries: &[&str], text: &str) -> Vec<u32> {
        let mut list = ListView::default();
        list.refilter(entries, 0..entries.len(), text, None, 10);
        list.rows().to_vec()
    }

    #[test]
    fn backspaces_give_back_what_a_fresh_search_finds() {
        let keys = entries(&[
            "github.personal.token",
            "gitlab.work.pat",
            "aws.prod.key",
            "github.work.token",
            "google.api.key",
        ]);
        let mut list = ListView::default();
        let all = 0..keys.len();
        let mut typed = String::new();
        for c in "gitw".chars() {
            typed.push(c);
            list.refilter(keys.as_slice(), all.clone(), &typed, None, 10);
            assert_eq!(list.rows(), fresh(&keys, &typed), "{typed}");
        }
        while typed.pop().is_some() {
            list.refilter(keys.as_slice(), all.clone(), &typed, None, 10);
            assert_eq!(list.rows(), fresh(&keys, &typed), "{typed:?}");
        }
        // Another word after a backspace, and a search in a narrower range.
        for text in ["g", "go", "g", "a", "aw"] {
            list.refilter(keys.as_slice(), all.clone(), text, None, 10);
            assert_eq!(list.rows(), fresh(&keys, text), "{text}");
        }
        list.refilter(keys.as_slice(), 0..2, "g", None, 10);
        assert_eq!(list.rows(), [0, 1]);
    }

    #[test]
    fn new_entries_are_searched_again() {
        let before = entries(&["a.one", "b.two"]);
        let mut list = ListView::default();
        list.refilter(before.as_slice(), 0..2, "o", None, 10);
        list.refilter(before.as_slice(), 0..2, "on", None, 10);
        let after = entries(&["b.two", "a.one", "c.once"]);
        list.forget();
        list.refilter(after.as_slice(), 0..3, "o", None, 10);
        assert_eq!(list.rows(), fresh(&after, "o"));
    }
}
