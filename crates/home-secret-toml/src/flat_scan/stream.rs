//! One key of a flat file looked up while the file streams past, never held whole: `hst get`
//! keeps the block being read, the line it looks for, and 8 bytes a key (a 100,000-key file of
//! 10 MB: about 3 MB, where the file and its key trie were 18 MB).
//!
//! Every line is still read and checked as [`scan`](super::scan) checks it (the same line
//! reader, complex values parsed alone). What TOML refuses across lines (a key twice, a value
//! used as a table) is found from hashes: each key's path hashed, and the hash of each of its
//! proper prefixes; a leaf hash seen twice is a duplicate, one that is also a prefix hash is a
//! value used as a table. Equal paths always hash alike, so no such file passes; two different
//! paths that happened to hash alike only look like a conflict, and every conflict, like every
//! line the scanner cannot judge, hands the file to the reader of the whole text, which decides
//! (and words the error).

use std::hash::Hasher;

use zeroize::Zeroizing;

use super::graft::local_value;
use super::line::{has_blanks, parse_line, segments};
use super::{MAX_KEY_PARTS, leaf_of};
use crate::value::Value;

/// A lookup of one key fed the file's bytes in blocks.
pub(crate) struct Stream<'w> {
    wanted: Vec<&'w str>,
    /// The bytes of a line not yet ended.
    carry: Zeroizing<Vec<u8>>,
    /// 0-based index of the next line.
    line_index: usize,
    leaves: Vec<u64>,
    prefixes: Vec<u64>,
    /// The previous key's prefix hashes (one per segment, the last its leaf hash): a prefix
    /// the key before had at the same depth is not recorded again.
    previous: Vec<u64>,
    /// The wanted key's line and its 0-based index.
    found: Option<(Zeroizing<String>, usize)>,
    /// A line or key the scanner cannot judge was seen: the whole-file reader decides.
    gave_up: bool,
}

impl<'w> Stream<'w> {
    /// A lookup of `dotted` (split at every dot, as lookups are).
    pub(crate) fn new(dotted: &'w str) -> Self {
        Stream {
            wanted: dotted.split('.').collect(),
            carry: Zeroizing::new(Vec::new()),
            line_index: 0,
            leaves: Vec::new(),
            prefixes: Vec::new(),
            previous: Vec::new(),
            found: None,
            gave_up: false,
        }
    }

    /// Takes the next bytes of the file; `false` once the whole-file reader must decide.
    pub(crate) fn feed(&mut self, mut bytes: &[u8]) -> bool {
        while !self.gave_up {
            let Some(end) = memchr::memchr(b'\n', bytes) else {
                self.carry.extend_from_slice(bytes);
                break;
            };
            if self.carry.is_empty() {
                self.gave_up = self.line(&bytes[..end]).is_none();
            } else {
                self.carry.extend_from_slice(&bytes[..end]);
                let line = std::mem::take(&mut self.carry);
                self.gave_up = self.line(&line).is_none();
            }
            bytes = &bytes[end + 1..];
        }
        !self.gave_up
    }

    /// The wanted key's value and 1-based line, once the whole file was fed: `None` when the
    /// key is no one-line leaf here (a table, absent) or the whole-file reader must decide.
    pub(crate) fn finish(mut self) -> Option<(Value, usize)> {
        if self.gave_up {
            return None;
        }
        let last = std::mem::take(&mut self.carry);
        self.line(&last)?;
        if !no_conflicts(&mut self.leaves, &mut self.prefixes) {
            return None;
        }
        let (line, index) = self.found.take()?;
        let parsed = parse_line(&line)??;
        let leaf = leaf_of(index, 0, &line, &parsed)?;
        let mut value = match &leaf.inner {
            None => leaf.to_value(&line),
            Some(_) => local_value(line.get(leaf.value_span())?)?,
        };
        // A key inside the line's inline table: down its parts.
        let depth = segments(leaf.key(&line)).count();
        for part in self.wanted.get(depth..)? {
            value = match value {
                Value::Table(mut table) => table.swap_remove(*part)?,
                _ => return None,
            };
        }
        Some((value, index + 1))
    }

    /// One line (without its `\n`); `None`: the whole-file reader must decide.
    fn line(&mut self, raw: &[u8]) -> Option<()> {
        let index = self.line_index;
        self.line_index += 1;
        let mut raw = raw;
        if index == 0 {
            raw = raw.strip_prefix("\u{feff}".as_bytes()).unwrap_or(raw);
        }
        raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        // A lone CR is a line break to TOML readers here: the whole text is split there.
        if memchr::memchr(b'\r', raw).is_some() {
            return None;
        }
        let line = std::str::from_utf8(raw).ok()?;
        let Some(parsed) = parse_line(line)? else {
            return Some(());
        };
        // The scan's own checks of the line (key parts, a complex value parsed alone).
        let leaf = leaf_of(index, 0, line, &parsed)?;
        let key = leaf.key(line);
        self.file(key)?;
        if self.found.is_none() && self.leads_to_wanted(key, leaf.inner.is_some()) {
            self.found = Some((Zeroizing::new(line.to_string()), index));
        }
        Some(())
    }

    /// Whether line key `key` is the wanted key, or (`complex`: its value an inline table or
    /// other value read alone) leads to it: `hst get creds.user` of `creds = { user = … }`.
    fn leads_to_wanted(&self, key: &str, complex: bool) -> bool {
        let mut parts = segments(key);
        let mut wanted = self.wanted.iter();
        let same = parts.by_ref().zip(wanted.by_ref()).all(|(a, b)| a == *b);
        same && parts.next().is_none() && (wanted.len() == 0 || complex)
    }

    /// Records a key's leaf hash and the prefix hashes the key before did not have.
    fn file(&mut self, key: &str) -> Option<()> {
        let mut hash = rustc_hash::FxHasher::default();
        let mut depth = 0;
        let mut same_so_far = true;
        let count = if has_blanks(key) {
            segments(key).count()
        } else {
            key.bytes().filter(|&b| b == b'.').count() + 1
        };
        if count > MAX_KEY_PARTS {
            return None;
        }
        let previous_len = self.previous.len();
        for segment in segments(key) {
            // The trie's limit on one segment, so both readers hand the same files on.
            u16::try_from(segment.len()).ok()?;
            hash.write_usize(segment.len());
            hash.write(segment.as_bytes());
            let h = hash.finish();
            depth += 1;
            if depth == count {
                self.leaves.push(h);
            } else if !(same_so_far && depth < previous_len && self.previous[depth - 1] == h) {
                // (The key before's last part is its leaf, not a prefix: never skipped.)
                self.prefixes.push(h);
            }
            same_so_far &= depth < previous_len && self.previous[depth - 1] == h;
            if self.previous.len() < depth {
                self.previous.push(h);
            } else {
                self.previous[depth - 1] = h;
            }
        }
        self.previous.truncate(depth);
        Some(())
    }
}

/// No leaf hash twice, and none that is also a prefix hash.
fn no_conflicts(leaves: &mut [u64], prefixes: &mut Vec<u64>) -> bool {
    leaves.sort_unstable();
    if leaves.windows(2).any(|w| w[0] == w[1]) {
        return false;
    }
    prefixes.sort_unstable();
    prefixes.dedup();
    let (mut i, mut j) = (0, 0);
    while i < leaves.len() && j < prefixes.len() {
        match leaves[i].cmp(&prefixes[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return false,
        }
    }
    true
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
