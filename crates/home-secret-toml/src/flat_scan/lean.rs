//! The leaves of a flat file without an entry per key: for each leaf its line and where its key
//! is in the text (12 bytes), read again into an [`Entry`] only when asked for. A million keys
//! as entries cost about 270 MB (a key path, a value and spans each); as items, 12 MB. The TUI
//! shows a few dozen rows at a time and searches the keys' text in place.
//!
//! The leaves of a complex value (an inline table, an array, an escaped string) were read by the
//! full parser during the scan; they are kept as entries (they are few).

use std::borrow::Cow;

use super::graft::graft;
use super::line::{bare_segments, has_blanks, parse_line, segments};
use super::{Scan, leaf_key, leaf_of};
use crate::entry::{Entry, Leaves};
use crate::flatten::is_listed_text;
use crate::key_path::KeyPath;
use crate::source::Source;

/// One leaf: `line` (0-based) and its key's bytes in the parsed text (in [`Lean::joined`] when
/// `key_end` has [`JOINED`]), or, when `line` is [`GRAFTED`], entry `key_from` of
/// [`Lean::grafted`].
#[derive(Clone, Copy)]
struct Item {
    line: u32,
    key_from: u32,
    key_end: u32,
}

const GRAFTED: u32 = u32::MAX;
/// Offsets are below 2^28 (a file is at most 256 MiB): the top bit says which text.
const JOINED: u32 = 1 << 31;

/// Where a leaf's dotted key is.
enum KeyText<'s> {
    /// In the file's text, as written (bare segments and dots).
    Text(&'s str),
    /// Written with blanks around its dots: the dotted form, made once.
    Joined(&'s str),
    Grafted(&'s Entry),
}

/// The listed and unlisted leaves of a file the scanner read, in walk order (the order of
/// [`Leaves`]).
pub(crate) struct Lean {
    listed: Vec<Item>,
    unlisted: Vec<Item>,
    grafted: Vec<Entry>,
    /// The dotted form of the keys written with blanks around dots (few).
    joined: String,
}

impl Scan<'_> {
    /// The leaves as items (see [`Lean`]); the scan must have kept its leaves.
    pub(crate) fn lean(&self, source: &Source) -> Option<Lean> {
        let text = source.parsed();
        let mut lean = Lean {
            listed: Vec::with_capacity(self.leaves.len()),
            unlisted: Vec::new(),
            grafted: Vec::new(),
            joined: String::new(),
        };
        let mut fits = true;
        self.walk(|leaf| {
            if let Some(inner) = &leaf.inner {
                let mut out = Leaves::default();
                graft(inner, &leaf_key(leaf, text), leaf, source, &mut out);
                for (entries, listed) in [(out.listed, true), (out.unlisted, false)] {
                    for entry in entries {
                        let Ok(at) = u32::try_from(lean.grafted.len()) else {
                            fits = false;
                            return;
                        };
                        lean.grafted.push(entry);
                        let item = Item {
                            line: GRAFTED,
                            key_from: at,
                            key_end: 0,
                        };
                        lean.push(item, listed);
                    }
                }
                return;
            }
            let key = leaf.key(text);
            let last = key.rsplit('.').next().unwrap_or_default();
            let last = last.trim_matches([' ', '\t']);
            let listed = is_listed_text(last, leaf.content(text));
            let mut item = Item {
                line: leaf.line - 1,
                key_from: leaf.key_from,
                key_end: leaf.key_start + leaf.key_len,
            };
            // Past 2 GiB (never a file from disk) the top bit is taken: the full parser reads it.
            fits &= item.key_end < JOINED;
            if has_blanks(key) {
                let from = lean.joined.len();
                for (i, segment) in segments(key).enumerate() {
                    if i > 0 {
                        lean.joined.push('.');
                    }
                    lean.joined.push_str(segment);
                }
                match (u32::try_from(from), u32::try_from(lean.joined.len())) {
                    (Ok(from), Ok(end)) if end < JOINED => {
                        item.key_from = from;
                        item.key_end = end | JOINED;
                    }
                    _ => fits = false,
                }
            }
            lean.push(item, listed);
        });
        fits.then_some(lean)
    }
}

impl Lean {
    fn push(&mut self, item: Item, listed: bool) {
        if listed {
            self.listed.push(item);
        } else {
            self.unlisted.push(item);
        }
    }

    fn items(&self, listed: bool) -> &[Item] {
        if listed { &self.listed } else { &self.unlisted }
    }

    pub(crate) fn len(&self, listed: bool) -> usize {
        self.items(listed).len()
    }

    fn key_text<'s>(&'s self, item: Item, text: &'s str) -> KeyText<'s> {
        if item.line == GRAFTED {
            return self
                .grafted
                .get(item.key_from as usize)
                .map_or(KeyText::Text(""), KeyText::Grafted);
        }
        let (from, end) = (item.key_from as usize, (item.key_end & !JOINED) as usize);
        if item.key_end & JOINED != 0 {
            KeyText::Joined(self.joined.get(from..end).unwrap_or_default())
        } else {
            KeyText::Text(text.get(from..end).unwrap_or_default())
        }
    }

    /// Leaf `i`'s key, dotted: a slice of the file's text for a key written without blanks.
    pub(crate) fn key<'s>(&'s self, listed: bool, i: usize, text: &'s str) -> Option<&'s str> {
        let item = *self.items(listed).get(i)?;
        Some(match self.key_text(item, text) {
            KeyText::Text(key) | KeyText::Joined(key) => key,
            KeyText::Grafted(entry) => entry.key.dotted(),
        })
    }

    /// The listed keys `indices` picks, dotted, appended to `out` in that order: what a search
    /// ranks, every keystroke, for up to every key of the file.
    pub(crate) fn keys_into<'s>(
        &'s self,
        indices: impl ExactSizeIterator<Item = usize>,
        text: &'s str,
        out: &mut Vec<&'s str>,
    ) {
        out.reserve(indices.len());
        out.extend(indices.map(|i| match self.listed.get(i) {
            Some(&item) => match self.key_text(item, text) {
                KeyText::Text(key) | KeyText::Joined(key) => key,
                KeyText::Grafted(entry) => entry.key.dotted(),
            },
            None => "",
        }));
    }

    /// Listed leaf `i`'s key when none of its segments holds a dot.
    pub(crate) fn bare_key<'s>(&'s self, i: usize, text: &'s str) -> Option<&'s str> {
        let item = *self.listed.get(i)?;
        match self.key_text(item, text) {
            KeyText::Text(key) | KeyText::Joined(key) => Some(key),
            KeyText::Grafted(_) => None,
        }
    }

    /// Leaf `i`'s key segments, appended to `out`.
    pub(crate) fn segments_into<'s>(
        &'s self,
        listed: bool,
        i: usize,
        text: &'s str,
        out: &mut Vec<&'s str>,
    ) {
        let Some(&item) = self.items(listed).get(i) else {
            return;
        };
        match self.key_text(item, text) {
            // Bare segments hold no dot.
            KeyText::Text(key) | KeyText::Joined(key) => out.extend(bare_segments(key)),
            KeyText::Grafted(entry) => out.extend(entry.key.segments()),
        }
    }

    /// Leaf `i` as an entry, its line read again.
    pub(crate) fn entry<'s>(
        &'s self,
        listed: bool,
        i: usize,
        source: &Source,
    ) -> Option<Cow<'s, Entry>> {
        let item = *self.items(listed).get(i)?;
        if item.line == GRAFTED {
            return self.grafted.get(item.key_from as usize).map(Cow::Borrowed);
        }
        let index = item.line as usize;
        let (start, line) = source.line(index)?;
        let leaf = leaf_of(index, start, line, &parse_line(line)??)?;
        Some(Cow::Owned(leaf.to_entry(source)))
    }

    /// Where `key` is among the listed (or unlisted) leaves.
    pub(crate) fn position(&self, listed: bool, key: &KeyPath, text: &str) -> Option<usize> {
        // A line's key is bare: none of its segments holds a dot, so an equal dotted text is
        // an equal key (a grafted key may hold one: it is compared as a key).
        let bare = !key.segments().any(|s| s.contains('.'));
        let dotted = key.dotted();
        self.items(listed)
            .iter()
            .position(|&item| match self.key_text(item, text) {
                KeyText::Text(written) | KeyText::Joined(written) => bare && written == dotted,
                KeyText::Grafted(entry) => entry.key == *key,
            })
    }

    /// Whether unlisted leaf `i`'s value is the `"..."` placeholder (the other unlisted leaves
    /// are descriptions), read without building its entry.
    pub(crate) fn is_placeholder(&self, i: usize, source: &Source) -> bool {
        let Some(&item) = self.unlisted.get(i) else {
            return false;
        };
        if item.line == GRAFTED {
            return self.grafted.get(item.key_from as usize).is_some_and(|e| {
                e.value
                    .as_secret()
                    .is_some_and(|v| v.expose() == crate::flatten::PLACEHOLDER)
            });
        }
        let index = item.line as usize;
        source
            .line(index)
            .and_then(|(start, line)| leaf_of(index, start, line, &parse_line(line)??))
            .is_some_and(|leaf| leaf.content(source.parsed()) == Some(crate::flatten::PLACEHOLDER))
    }

    /// Every leaf as an entry (what the full parser gives); `None` if a line does not read
    /// again.
    pub(crate) fn materialize(&self, source: &Source) -> Option<Leaves> {
        let all = |listed: bool| -> Option<Vec<Entry>> {
            (0..self.len(listed))
                .map(|i| self.entry(listed, i, source).map(Cow::into_owned))
                .collect()
        };
        Some(Leaves {
            listed: all(true)?,
            unlisted: all(false)?,
        })
    }

    /// How many leaves, listed or not, are at or under `prefix`.
    pub(crate) fn count_under(&self, prefix: &KeyPath, text: &str) -> usize {
        // A bare key's segments hold no dot: a prefix with one is under no line's key.
        let bare = !prefix.segments().any(|s| s.contains('.'));
        let dotted = prefix.dotted();
        let under = |written: &str| {
            prefix.is_empty()
                || bare
                    && written.starts_with(dotted)
                    && matches!(written.as_bytes().get(dotted.len()), None | Some(b'.'))
        };
        self.listed
            .iter()
            .chain(&self.unlisted)
            .filter(|&&item| match self.key_text(item, text) {
                KeyText::Text(written) | KeyText::Joined(written) => under(written),
                KeyText::Grafted(entry) => entry.key.starts_with(prefix),
            })
            .count()
    }
}
