//! The search for very many needles (a million secrets, each in several forms).
//! Aho-Corasick's automaton for millions of patterns takes gigabytes and most of a minute to
//! build; this index takes the patterns' own bytes plus 12 bytes a needle, and is built by a
//! sort. Each needle is filed under its first `width` bytes (at most 8, read as one integer:
//! the key is exact, there are no hash collisions to verify); the haystack is read one window
//! at a time, a bit filter answers "no needle starts like this" for nearly every window, and
//! the needles filed under a window that passes are compared in full. Hits are leftmost-longest
//! and do not overlap, as the automaton gives them (`tests` checks both agree).

use zeroize::Zeroizing;

/// A needle of this many bytes or more is filed under 8 bytes; the shortest needle sets the
/// width below that.
const MAX_WIDTH: usize = 8;

/// Needles, their bytes one after the other (wiped when dropped).
#[derive(Default)]
pub(super) struct Patterns {
    bytes: Zeroizing<Vec<u8>>,
    /// Where needle `i` ends in `bytes`.
    ends: Vec<u32>,
}

impl Patterns {
    /// Adds a needle; `None` past 4 GiB of needles.
    pub(super) fn push(&mut self, needle: &[u8]) -> Option<()> {
        self.bytes.extend_from_slice(needle);
        self.ends.push(u32::try_from(self.bytes.len()).ok()?);
        Some(())
    }

    pub(super) fn get(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        &self.bytes[start..self.ends[i] as usize]
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }
}

/// A needle filed under its first bytes (read as one integer).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Filed {
    key: u64,
    needle: u32,
}

impl zeroize::DefaultIsZeroes for Filed {}

pub(super) struct Windows {
    width: usize,
    /// One bit per filter slot: set when some needle starts with a window hashed there.
    filter: Vec<u64>,
    shift: u32,
    /// Each needle under its first `width` bytes, sorted (wiped when dropped: the keys are
    /// the first bytes of secrets).
    table: Zeroizing<Vec<Filed>>,
    patterns: Patterns,
}

impl Windows {
    /// The index of `patterns`; given back when a needle is shorter than 4 bytes (every window
    /// would pass the filter).
    pub(super) fn new(patterns: Patterns) -> Result<Self, Patterns> {
        let shortest = (0..patterns.len()).map(|i| patterns.get(i).len()).min();
        let (Some(shortest @ 4..), Ok(count)) = (shortest, u32::try_from(patterns.len())) else {
            return Err(patterns);
        };
        let width = shortest.min(MAX_WIDTH);
        // About 32 filter bits a needle: a window passes by chance about once in 32.
        let bits = (patterns.len() * 32).next_power_of_two().max(1 << 16);
        let mut windows = Windows {
            width,
            filter: vec![0; bits / 64],
            shift: 64 - bits.trailing_zeros(),
            table: Zeroizing::new(Vec::with_capacity(patterns.len())),
            patterns: Patterns::default(),
        };
        for i in 0..count {
            let key = window(patterns.get(i as usize), width);
            let slot = windows.slot(key);
            windows.filter[slot / 64] |= 1 << (slot % 64);
            windows.table.push(Filed { key, needle: i });
        }
        windows.table.sort_unstable();
        windows.patterns = patterns;
        Ok(windows)
    }

    fn needle(&self, i: usize) -> &[u8] {
        self.patterns.get(i)
    }

    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// Every leftmost-longest hit in `haystack`: (start, end, needle).
    pub(super) fn find(&self, haystack: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut hits = Vec::new();
        let mut i = 0;
        while i + self.width <= haystack.len() {
            let key = window(&haystack[i..], self.width);
            let slot = self.slot(key);
            if self.filter[slot / 64] & (1 << (slot % 64)) == 0 {
                i += 1;
                continue;
            }
            match self.longest_at(haystack, i, key) {
                Some((len, needle)) => {
                    hits.push((i, i + len, needle));
                    i += len;
                }
                None => i += 1,
            }
        }
        hits
    }

    /// The longest needle starting at `at` among those filed under `key`; ties go to the needle
    /// given first, as the automaton has them.
    fn longest_at(&self, haystack: &[u8], at: usize, key: u64) -> Option<(usize, usize)> {
        let from = self.table.partition_point(|f| f.key < key);
        self.table[from..]
            .iter()
            .take_while(|f| f.key == key)
            .map(|f| f.needle as usize)
            .filter(|&n| haystack[at..].starts_with(self.needle(n)))
            .max_by(|&a, &b| {
                let (la, lb) = (self.needle(a).len(), self.needle(b).len());
                la.cmp(&lb).then(b.cmp(&a))
            })
            .map(|n| (self.needle(n).len(), n))
    }
}

/// The first `width` bytes (at most 8) of `bytes` as one integer.
fn window(bytes: &[u8], width: usize) -> u64 {
    let mut buf = [0u8; 8];
    buf[..width].copy_from_slice(&bytes[..width]);
    u64::from_le_bytes(buf)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    fn index(needles: &[Vec<u8>]) -> Result<Windows, Patterns> {
        let mut patterns = Patterns::default();
        for n in needles {
            patterns.push(n).unwrap();
        }
        Windows::new(patterns)
    }

    fn both(needles: &[Vec<u8>], haystack: &[u8]) {
        let Ok(windows) = index(needles) else {
            return;
        };
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(needles)
            .unwrap();
        let want: Vec<(usize, usize, usize)> = automaton
            .find_iter(haystack)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        assert_eq!(windows.find(haystack), want);
    }

    #[test]
    fn hits_are_the_automatons() {
        let needles: Vec<Vec<u8>> = ["abcdefgh", "abcdefghij", "bcdefghi", "zzzzz", "abcdefgh"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        both(&needles, b"xxabcdefghijkzzzzzzzzzabcdefgh.bcdefghi");
        both(&needles, b"");
        both(&needles, b"abcd");
        assert!(index(&[b"abcd".to_vec(), b"abc".to_vec()]).is_err());
    }

    proptest! {
        #[test]
        fn generated_needles_and_text_agree(
            needles in prop::collection::vec(prop::collection::vec(b'a'..b'e', 4..12), 1..40),
            haystack in prop::collection::vec(b'a'..b'f', 0..400),
        ) {
            both(&needles, &haystack);
        }
    }
}
