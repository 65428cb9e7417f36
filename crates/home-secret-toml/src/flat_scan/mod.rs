//! The fast path for the flat files this tool is about: one `bare.dotted.key = value` per line,
//! comments and blank lines.
//!
//! The full TOML parser builds a token list, an event list and a tree for the whole document
//! (about 22 MB and 17 ms for 10,000 lines); this scanner needs one pass and a small index.
//! Simple values (strings without escapes, decimal integers, booleans) are read here. Any other
//! value that fits on its line (an inline table of credentials, an array, a float, a date, an
//! escaped string) is handed to the full parser *alone*, as the one-line document `v = VALUE`,
//! and its leaves are grafted under the line's key with their spans moved back into the file.
//! Only what cannot be judged line by line (table headers, quoted keys on the left, values
//! spanning lines, a duplicate key, a syntax error) returns `None`, and the caller parses the
//! whole file with the full parser, which also produces the error messages.
//! `flat_scan/agreement_tests.rs` checks both give the same entries, spans, data and errors.
//!
//! The parts: `line` reads one line's key and simple value, `trie` keeps the keys in Python's
//! order and finds duplicates, `graft` reads a complex value alone and moves its leaves home,
//! `spot` finds where one key stands (for an edit of one line).

mod graft;
mod lean;
mod line;
mod spot;
mod stream;
mod trie;

use crate::entry::{Entry, Leaves};
use crate::key_path::KeyPath;
use crate::source::Source;
use crate::value::Value;

use graft::{graft, line_local};
use line::{Kind, RawValue, has_blanks, parse_line, segments};
use trie::{Trie, link};

pub(crate) use lean::Lean;
pub(crate) use spot::{Spot, line_value};
pub(crate) use stream::Stream;

/// toml_parser refuses a dotted key with more parts than this ("recursion limit").
pub(crate) const MAX_KEY_PARTS: usize = 80;

/// The file read by the scanner: its leaves in file order and the key tree that orders them.
pub(crate) struct Scan<'t> {
    trie: Trie<'t>,
    leaves: Vec<Leaf>,
    keep: Keep,
}

/// What a scan keeps of each line: its leaf (to list or build every entry), or only which line
/// it is (to find a few keys: 48 bytes a line less, read again when asked for).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    Leaves,
    Lines,
}

/// The scanner's pass over the text, or `None` if the text is outside what it can judge.
pub(crate) fn scan(source: &Source) -> Option<Scan<'_>> {
    scan_keeping(source, Keep::Leaves)
}

/// From this many lines on, one thread reads the lines while the caller's files their keys:
/// the two halves of the work take about as long, and a million lines are scanned in about
/// half the time on two cores.
const PIPELINE_FROM: usize = 100_000;
/// Leaves handed from the reading thread to the filing one at a time (80 KB), and how many
/// such chunks may wait: both sides keep pace, and chunks in flight are memory `hst get`
/// holds on top of the file (8 of 8,192 leaves were 3.3 MB, a third of a 100,000-key file).
const CHUNK: usize = 2_048;
const CHUNKS_WAITING: usize = 4;

/// [`scan`], keeping each line's leaf or only its line number.
pub(crate) fn scan_keeping(source: &Source, keep: Keep) -> Option<Scan<'_>> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    scan_with(
        source,
        keep,
        source.line_count() >= PIPELINE_FROM && cores > 1,
    )
}

/// [`scan_keeping`] on one thread or, `pipelined`, two.
fn scan_with(source: &Source, keep: Keep, pipelined: bool) -> Option<Scan<'_>> {
    let lines = source.line_count();
    let mut filing = Filing {
        trie: Trie::with_capacity(source.parsed(), lines * 3),
        leaves: Vec::with_capacity(if keep == Keep::Leaves { lines } else { 0 }),
        path: Vec::with_capacity(16),
        previous: "",
        keep,
    };
    if pipelined {
        scan_pipelined(source, &mut filing)?;
    } else {
        scan_alone(source, &mut filing)?;
    }
    let Filing {
        trie, leaves, keep, ..
    } = filing;
    Some(Scan { trie, leaves, keep })
}

/// [`scan_keeping`]'s loop on this thread.
fn scan_alone<'t>(source: &'t Source, filing: &mut Filing<'t>) -> Option<()> {
    for (line_index, (line_start, line)) in source.lines().enumerate() {
        let Some(parsed) = parse_line(line)? else {
            continue;
        };
        // Read (and a complex value parsed) in either mode: every line is checked.
        filing.file(
            leaf_of(line_index, line_start, line, &parsed)?,
            source.parsed(),
        )?;
    }
    Some(())
}

/// The key trie and the leaves being built.
struct Filing<'t> {
    trie: Trie<'t>,
    leaves: Vec<Leaf>,
    path: Vec<(&'t str, usize)>,
    /// The key before, when written without blanks (else empty).
    previous: &'t str,
    keep: Keep,
}

impl<'t> Filing<'t> {
    /// Files one line's leaf under its key (`None`: a duplicate key or a value used as a table).
    fn file(&mut self, leaf: Leaf, text: &'t str) -> Option<()> {
        let key = leaf.key(text);
        let plain = !has_blanks(key);
        let known = if plain && !self.previous.is_empty() {
            crate::key_path::shared_segments(self.previous, key)
        } else {
            0
        };
        let node = self
            .trie
            .insert_known(segments(key), &mut self.path, known)?;
        self.previous = if plain { key } else { "" };
        self.trie.nodes[node].leaf = match self.keep {
            Keep::Leaves => {
                self.leaves.push(leaf);
                u32::try_from(self.leaves.len() - 1).ok()?
            }
            Keep::Lines => leaf.line - 1,
        };
        Some(())
    }
}

/// [`scan_keeping`]'s loop on two threads: one reads the lines into leaves, in order, in chunks;
/// this one files them. A line outside the subset or a key TOML refuses ends both. Where no
/// thread can be started (a sandbox, a process limit), one thread does both.
fn scan_pipelined<'t>(source: &'t Source, filing: &mut Filing<'t>) -> Option<()> {
    let text = source.parsed();
    std::thread::scope(|scope| {
        let (sender, chunks) = std::sync::mpsc::sync_channel::<Option<Vec<Leaf>>>(CHUNKS_WAITING);
        let reader = std::thread::Builder::new().spawn_scoped(scope, move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            for (line_index, (line_start, line)) in source.lines().enumerate() {
                let leaf = match parse_line(line) {
                    Some(None) => continue,
                    Some(Some(parsed)) => leaf_of(line_index, line_start, line, &parsed),
                    None => None,
                };
                let Some(leaf) = leaf else {
                    let _ = sender.send(None);
                    return;
                };
                chunk.push(leaf);
                if chunk.len() == CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                    // The filing side stopped (a refused key): nothing more to read.
                    if sender.send(Some(full)).is_err() {
                        return;
                    }
                }
            }
            let _ = sender.send(Some(chunk));
        });
        if reader.is_err() {
            return scan_alone(source, filing);
        }
        // Returning early drops the receiver, which stops the reading thread.
        for chunk in chunks {
            for leaf in chunk? {
                filing.file(leaf, text)?;
            }
        }
        Some(())
    })
}

/// The leaf of one parsed line (`None`: outside what the scanner judges).
fn leaf_of(line_index: usize, line_start: usize, line: &str, parsed: &line::Line) -> Option<Leaf> {
    // The full parser's nesting limit, so that both readers accept the same files.
    let parts = line[..parsed.key_end]
        .bytes()
        .filter(|&b| b == b'.')
        .count()
        + 1;
    if parts > MAX_KEY_PARTS {
        return None;
    }
    let inner = match parsed.value {
        RawValue::Complex => Some(Box::new(line_local(&line[parsed.value_span.0..], parts)?)),
        _ => None,
    };
    Some(Leaf {
        key_from: u32::try_from(line_start + parsed.key_from).ok()?,
        kind: parsed.value.kind(),
        inner,
        line: u32::try_from(line_index + 1).ok()?,
        value_start: u32::try_from(line_start + parsed.value_span.0).ok()?,
        value_len: u32::try_from(parsed.value_span.1 - parsed.value_span.0).ok()?,
        key_start: u32::try_from(line_start + parsed.key_span.0).ok()?,
        key_len: u32::try_from(parsed.key_span.1 - parsed.key_span.0).ok()?,
    })
}

impl<'t> Scan<'t> {
    /// Calls `visit` with each leaf, depth-first in first-insertion order: the order of
    /// Python's nested dicts.
    fn walk(&self, mut visit: impl FnMut(&Leaf)) {
        debug_assert!(
            self.keep == Keep::Leaves,
            "a scan that kept lines only has no leaves"
        );
        let trie = &self.trie;
        // Children come newest first: popped from the stack, oldest first.
        let mut stack: Vec<usize> = trie.children(0).collect();
        while let Some(id) = stack.pop() {
            let node = &trie.nodes[id];
            if let Some(leaf) = link(node.leaf) {
                visit(&self.leaves[leaf]);
            } else {
                stack.extend(trie.children(id));
            }
        }
    }

    /// The listed leaves, in order, as the key text and the value, without building entries:
    /// what `hst ls` prints. Complex values give their listed leaves as entries.
    pub(crate) fn for_each_listed(&self, source: &Source, mut visit: impl FnMut(Listed<'_>)) {
        self.walk(|leaf| {
            if let Some(inner) = &leaf.inner {
                let mut out = Leaves::default();
                graft(
                    inner,
                    &leaf_key(leaf, source.parsed()),
                    leaf,
                    source,
                    &mut out,
                );
                for entry in &out.listed {
                    visit(Listed::Entry(entry));
                }
                return;
            }
            let text = source.parsed();
            let full = leaf.key(text);
            let dot = full.bytes().rposition(|b| b == b'.');
            let last = dot.map_or(full, |d| &full[d + 1..]);
            let last = if has_blanks(last) {
                last.trim_matches([' ', '\t'])
            } else {
                last
            };
            if !crate::flatten::is_listed_text(last, leaf.content(text)) {
                return;
            }
            let key = if has_blanks(full) {
                std::borrow::Cow::Owned(segments(full).collect::<Vec<_>>().join("."))
            } else {
                std::borrow::Cow::Borrowed(full)
            };
            visit(Listed::Simple(&key, leaf.content(text)));
        });
    }
}

impl Scan<'_> {
    /// The value at `dotted` (split on dots, as lookups are) when it is one leaf of the file,
    /// built alone: `hst get` on a million keys builds one value, not a million. `None` for a
    /// table or a key that is not there (the caller looks it up in the whole data).
    pub(crate) fn lookup(&self, source: &Source, dotted: &str) -> Option<Value> {
        self.lookup_with_line(source, dotted)
            .map(|(value, _)| value)
    }

    /// [`Scan::lookup`], with the leaf's 1-based line.
    pub(crate) fn lookup_with_line(&self, source: &Source, dotted: &str) -> Option<(Value, usize)> {
        let mut node = 0;
        for segment in dotted.split('.') {
            node = self.trie.find(node, segment)?;
        }
        let slot = link(self.trie.nodes[node].leaf)?;
        let read_again;
        let leaf = match self.keep {
            Keep::Leaves => &self.leaves[slot],
            Keep::Lines => {
                let (start, line) = source.line(slot)?;
                read_again = leaf_of(slot, start, line, &parse_line(line)??)?;
                &read_again
            }
        };
        let line = leaf.line as usize;
        let text = source.parsed();
        let value = match &leaf.inner {
            None => Some(leaf.to_value(text)),
            // An array, inline table, float, date or escaped string: that value parsed alone.
            Some(_) => graft::local_value(text.get(leaf.value_span())?),
        };
        value.map(|v| (v, line))
    }
}

/// One listed leaf for [`Scan::for_each_listed`]: a simple value (`Some(text)` for a string,
/// `None` for an integer or boolean), or an entry of a complex value.
pub(crate) enum Listed<'a> {
    Simple(&'a str, Option<&'a str>),
    Entry(&'a Entry),
}

fn leaf_key(leaf: &Leaf, text: &str) -> KeyPath {
    let key = leaf.key(text);
    if has_blanks(key) {
        KeyPath::new(segments(key))
    } else {
        KeyPath::from_dotted_bare(key)
    }
}

/// One key/value line, in offsets of the parsed text (u32: a file is at most 256 MiB, and a
/// million of these is what a large file costs in memory: 48 bytes each).
struct Leaf {
    /// Where the key starts (it ends where its last segment ends).
    key_from: u32,
    kind: Kind,
    /// The leaves of a complex value, read on their own (see [`line_local`]).
    inner: Option<Box<Leaves>>,
    line: u32,
    value_start: u32,
    value_len: u32,
    key_start: u32,
    key_len: u32,
}

impl Leaf {
    /// The key as written (bare segments, dots, maybe blanks around dots).
    fn key<'s>(&self, text: &'s str) -> &'s str {
        text.get(self.key_from as usize..(self.key_start + self.key_len) as usize)
            .unwrap_or_default()
    }

    /// The content of a string value (between its quotes: the scanner reads only strings
    /// without escapes, in one-byte quotes).
    fn content<'s>(&self, text: &'s str) -> Option<&'s str> {
        let Kind::Str = self.kind else {
            return None;
        };
        text.get(self.value_start as usize + 1..(self.value_start + self.value_len) as usize - 1)
    }

    fn to_value(&self, text: &str) -> Value {
        match self.kind {
            Kind::Str => Value::leaf_string(self.content(text).unwrap_or_default()),
            Kind::Int(i) => Value::Integer(i),
            Kind::Bool(b) => Value::Boolean(b),
            Kind::Complex => Value::Table(Box::default()),
        }
    }

    /// The leaf of a simple value as an entry (spans in the original text).
    fn to_entry(&self, source: &Source) -> Entry {
        let text = source.parsed();
        Entry {
            key: leaf_key(self, text),
            value: self.to_value(text),
            line: self.line as usize,
            span: source.span_to_original(self.value_span()),
            key_span: source.span_to_original(self.key_span()),
        }
    }

    fn value_span(&self) -> std::ops::Range<usize> {
        self.value_start as usize..(self.value_start + self.value_len) as usize
    }

    /// The span of the key's last segment.
    fn key_span(&self) -> std::ops::Range<usize> {
        self.key_start as usize..(self.key_start + self.key_len) as usize
    }
}

#[cfg(test)]
pub(crate) mod agreement_tests;
