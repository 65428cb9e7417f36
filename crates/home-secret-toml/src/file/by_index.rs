//! A file's leaves one at a time, by index or key, without building the others: what a screen
//! of a million keys needs (a file the scanner read keeps each leaf as its line; see
//! `flat_scan::Lean`). Each answer is what [`SecretFile::entries`] and
//! [`SecretFile::unlisted`] would give.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::SecretFile;
use crate::entry::Entry;
use crate::flatten;
use crate::key_path::KeyPath;

impl SecretFile {
    /// How many listed leaves there are ([`SecretFile::entries`]`.len()`, without building them).
    pub fn listed_len(&self) -> usize {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.len(true),
            _ => self.entries().len(),
        }
    }

    /// How many unlisted leaves there are ([`SecretFile::unlisted`]`.len()`).
    pub fn unlisted_len(&self) -> usize {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.len(false),
            _ => self.unlisted().len(),
        }
    }

    /// Listed leaf `i`'s key, dotted, without building its entry (from the file's text when
    /// the scanner read it): what a search compares.
    pub fn listed_key(&self, i: usize) -> Option<&str> {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.key(true, i, self.source.parsed()),
            _ => self.entries().get(i).map(|e| e.key.dotted()),
        }
    }

    /// The listed keys `indices` picks ([`SecretFile::listed_key`] of each, `""` past the end),
    /// appended to `out`.
    pub fn listed_keys_into<'s>(
        &'s self,
        indices: impl ExactSizeIterator<Item = usize>,
        out: &mut Vec<&'s str>,
    ) {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.keys_into(indices, self.source.parsed(), out),
            _ => {
                let entries = self.entries();
                out.reserve(indices.len());
                out.extend(indices.map(|i| entries.get(i).map_or("", |e| e.key.dotted())));
            }
        }
    }

    /// Listed leaf `i`'s key when it is text of the file whose segments hold no dot (what
    /// lets consecutive keys be compared byte by byte).
    pub(crate) fn listed_bare_key(&self, i: usize) -> Option<&str> {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.bare_key(i, self.source.parsed()),
            _ => None,
        }
    }

    /// Listed leaf `i`'s key segments, appended to `out` (the segments of
    /// [`SecretFile::entries`]`[i].key`, without building it).
    pub fn listed_segments_into<'s>(&'s self, i: usize, out: &mut Vec<&'s str>) {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.segments_into(true, i, self.source.parsed(), out),
            _ => {
                if let Some(entry) = self.entries().get(i) {
                    out.extend(entry.key.segments());
                }
            }
        }
    }

    /// Listed leaf `i` ([`SecretFile::entries`]`[i]`), built alone when the file was read
    /// without an entry per key: what a screen shows of a million keys.
    pub fn listed_entry(&self, i: usize) -> Option<Cow<'_, Entry>> {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.entry(true, i, &self.source),
            _ => self.entries().get(i).map(Cow::Borrowed),
        }
    }

    /// Unlisted leaf `i` ([`SecretFile::unlisted`]`[i]`), built alone like
    /// [`SecretFile::listed_entry`].
    pub fn unlisted_entry(&self, i: usize) -> Option<Cow<'_, Entry>> {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.entry(false, i, &self.source),
            _ => self.unlisted().get(i).map(Cow::Borrowed),
        }
    }

    /// Where `key` is among [`SecretFile::entries`], found without building them.
    pub fn listed_position(&self, key: &KeyPath) -> Option<usize> {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.position(true, key, self.source.parsed()),
            _ => self.entries().iter().position(|e| e.key == *key),
        }
    }

    /// Where `key` is among [`SecretFile::unlisted`], found without building them.
    pub fn unlisted_position(&self, key: &KeyPath) -> Option<usize> {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.position(false, key, self.source.parsed()),
            _ => self.unlisted().iter().position(|e| e.key == *key),
        }
    }

    /// The keys whose value is the `"..."` placeholder, in file order.
    pub fn placeholders(&self) -> Vec<KeyPath> {
        let mut found: Vec<Cow<'_, Entry>> = match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => (0..lean.len(false))
                .filter(|&i| lean.is_placeholder(i, &self.source))
                .filter_map(|i| lean.entry(false, i, &self.source))
                .collect(),
            _ => self
                .unlisted()
                .iter()
                .filter(|e| {
                    e.value
                        .as_secret()
                        .is_some_and(|v| v.expose() == flatten::PLACEHOLDER)
                })
                .map(Cow::Borrowed)
                .collect(),
        };
        found.sort_by_key(|e| e.span.start);
        found.into_iter().map(|e| e.key.clone()).collect()
    }

    /// Forgets the entries built for a file read as lines (built again when asked for).
    pub fn shed_entries(&mut self) {
        if self.lean.is_some() {
            self.leaves = OnceLock::new();
        }
    }

    /// How many leaves, listed or not, are at or under `prefix` (what deleting or moving that
    /// folder touches), counted from the keys' text when the file was read as lines.
    pub fn leaves_under(&self, prefix: &KeyPath) -> usize {
        match (self.leaves.get(), &self.lean) {
            (None, Some(lean)) => lean.count_under(prefix, self.source.parsed()),
            _ => self.leaves().filter(|e| e.key.starts_with(prefix)).count(),
        }
    }
}
