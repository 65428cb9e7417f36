//! Which keys a fuzzy search matches, without scoring them: what the screen shows at once on a
//! very large list while the ranking (every match scored) is done off the UI thread.
//!
//! With no typos allowed (our configuration), frizbee keeps exactly the keys that contain the
//! search text as a subsequence: byte by byte for an ASCII text, case-blind unless the text has
//! an uppercase letter (`tests::same_keys_as_frizbee` holds us to that). The leftmost match is
//! found greedily, and where it ended is kept per key, so one more character typed looks only at
//! the rest of each key that still matches (one `memchr` a key).

use std::ops::Range;
use std::sync::Arc;

/// Split the work over two threads from this many candidates on.
const PARALLEL_FROM: usize = 65_536;

/// The search text as frizbee matches it: per byte, the two bytes it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Needle {
    text: String,
    case_sensitive: bool,
}

impl Needle {
    /// `None` for a text this module does not match like frizbee (not ASCII, or empty).
    pub fn new(text: &str) -> Option<Self> {
        (!text.is_empty() && text.is_ascii()).then(|| Self {
            text: text.to_string(),
            case_sensitive: text.bytes().any(|b| b.is_ascii_uppercase()),
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether every key matching `longer` was matched by this needle at the same place or
    /// later, so `longer` can go on from where this one stopped.
    fn continues_to(&self, longer: &Needle) -> bool {
        longer.text.len() > self.text.len()
            && longer.text.starts_with(&self.text)
            && longer.case_sensitive == self.case_sensitive
    }

    fn pairs(&self, from: usize) -> Vec<(u8, u8)> {
        self.text.as_bytes()[from..]
            .iter()
            .map(|&c| {
                let other = if self.case_sensitive {
                    c
                } else if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                };
                (c, other)
            })
            .collect()
    }
}

/// The keys (by index, ascending) that contain a needle, and where in each its leftmost match
/// ended.
#[derive(Debug, Default)]
pub struct Members {
    needle: Option<Needle>,
    range: Range<usize>,
    indices: Arc<Vec<u32>>,
    ends: Vec<u32>,
}

impl Members {
    /// The keys in `range` (of `keys`, every key's text) that contain `needle`.
    pub fn of_range(keys: &[&str], range: Range<usize>, needle: Needle) -> Self {
        let pairs = needle.pairs(0);
        let within = range.start..range.end.min(keys.len()).max(range.start);
        let (indices, ends) = split(within.len(), |part| {
            let from = within.start + part.start..within.start + part.end;
            matching(keys, from.map(|i| (i as u32, 0)), &pairs, part.len())
        });
        Self::made(needle, range, indices, ends)
    }

    /// The keys among `candidates` (ascending indices into `keys`, all in `range`) that contain
    /// `needle`.
    pub fn of(keys: &[&str], range: Range<usize>, candidates: &[u32], needle: Needle) -> Self {
        let pairs = needle.pairs(0);
        let (indices, ends) = split(candidates.len(), |part| {
            let at_most = part.len();
            let from = candidates[part].iter().map(|&i| (i, 0));
            matching(keys, from, &pairs, at_most)
        });
        Self::made(needle, range, indices, ends)
    }

    fn made(needle: Needle, range: Range<usize>, indices: Vec<u32>, ends: Vec<u32>) -> Self {
        Self {
            needle: Some(needle),
            range,
            indices: Arc::new(indices),
            ends,
        }
    }

    /// These members narrowed to `longer`, when it only adds characters (same range, same case
    /// rule); `None` when it does not.
    pub fn narrowed(&self, keys: &[&str], range: &Range<usize>, longer: &Needle) -> Option<Self> {
        let needle = self.needle.as_ref()?;
        if *range != self.range || !needle.continues_to(longer) {
            return None;
        }
        let pairs = longer.pairs(needle.text.len());
        let (indices, ends) = split(self.indices.len(), |part| {
            let from = self.indices[part.clone()]
                .iter()
                .copied()
                .zip(self.ends[part.clone()].iter().copied());
            matching(keys, from, &pairs, part.len())
        });
        Some(Self::made(longer.clone(), range.clone(), indices, ends))
    }

    pub fn needle(&self) -> Option<&Needle> {
        self.needle.as_ref()
    }

    /// The matching keys' indices, ascending.
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }

    /// [`Members::indices`], shared.
    pub fn shared(&self) -> Arc<Vec<u32>> {
        Arc::clone(&self.indices)
    }

    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// One bit per key of the range: set for members (to filter another list by membership).
    pub fn bits(&self) -> Vec<u64> {
        let mut bits = vec![0u64; self.range.len().div_ceil(64)];
        for &i in self.indices.iter() {
            let at = i as usize - self.range.start;
            bits[at / 64] |= 1 << (at % 64);
        }
        bits
    }

    /// Whether key `index` is a member, from [`Members::bits`].
    pub fn is_set(&self, bits: &[u64], index: u32) -> bool {
        let Some(at) = (index as usize).checked_sub(self.range.start) else {
            return false;
        };
        bits.get(at / 64).is_some_and(|w| w & (1 << (at % 64)) != 0)
    }
}

/// `rows` (distinct indices in `range`, any order) in ascending order: one bit per key of the
/// range, then read back (a few milliseconds for a million, where a sort takes fifteen).
pub fn ascending(rows: &[u32], range: &Range<usize>) -> Vec<u32> {
    let mut bits = vec![0u64; range.len().div_ceil(64)];
    for &r in rows {
        if let Some(at) = (r as usize).checked_sub(range.start)
            && let Some(word) = bits.get_mut(at / 64)
        {
            *word |= 1 << (at % 64);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for (w, &word) in bits.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            let bit = word.trailing_zeros() as usize;
            out.push((range.start + w * 64 + bit) as u32);
            word &= word - 1;
        }
    }
    out
}

/// `work` on the parts of `0..n`, on two threads when `n` is large (results in order).
fn split(
    n: usize,
    work: impl Fn(Range<usize>) -> (Vec<u32>, Vec<u32>) + Sync,
) -> (Vec<u32>, Vec<u32>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    if n < PARALLEL_FROM || threads < 2 {
        return work(0..n);
    }
    let (first, second) = (0..n / 2, n / 2..n);
    std::thread::scope(|scope| {
        let later = std::thread::Builder::new().spawn_scoped(scope, || work(second.clone()));
        let (mut indices, mut ends) = work(first);
        let (more_indices, more_ends) = match later {
            Ok(handle) => handle.join().unwrap_or_else(|_| work(second.clone())),
            // No thread to be had: this one does both halves.
            Err(_) => work(second.clone()),
        };
        indices.extend(more_indices);
        ends.extend(more_ends);
        (indices, ends)
    })
}

/// The candidates `(index, where to go on from)` that match `pairs` from there on.
/// `at_most`: how many there can be (room is reserved, not touched: no copy as they grow).
fn matching(
    keys: &[&str],
    candidates: impl Iterator<Item = (u32, u32)>,
    pairs: &[(u8, u8)],
    at_most: usize,
) -> (Vec<u32>, Vec<u32>) {
    let mut indices = Vec::with_capacity(at_most);
    let mut ends = Vec::with_capacity(at_most);
    for (index, from) in candidates {
        let Some(key) = keys.get(index as usize) else {
            continue;
        };
        if let Some(end) = advance(key.as_bytes(), from as usize, pairs) {
            indices.push(index);
            ends.push(end as u32);
        }
    }
    (indices, ends)
}

/// Where the leftmost match of `pairs` in `key[from..]` ends, if there is one.
fn advance(key: &[u8], mut from: usize, pairs: &[(u8, u8)]) -> Option<usize> {
    for &(a, b) in pairs {
        let rest = key.get(from..)?;
        let at = if a == b {
            memchr::memchr(a, rest)
        } else {
            memchr::memchr2(a, b, rest)
        }?;
        from += at + 1;
    }
    Some(from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use frizbee::{Config, Matcher, SortStrategy};
    use proptest::prelude::*;

    fn frizbee_keys(keys: &[&str], text: &str) -> Vec<u32> {
        let config = Config::default().sort(SortStrategy::IndexAsc);
        Matcher::new(text, &config)
            .match_list(keys)
            .iter()
            .map(|m| m.index)
            .collect()
    }

    fn typed_one_by_one(keys: &[&str], text: &str) -> Option<Vec<u32>> {
        let mut members: Option<Members> = None;
        for end in 1..=text.len() {
            let needle = Needle::new(&text[..end])?;
            let range = 0..keys.len();
            members = Some(
                match members
                    .as_ref()
                    .and_then(|m| m.narrowed(keys, &range, &needle))
                {
                    Some(narrower) => narrower,
                    None => Members::of_range(keys, range, needle),
                },
            );
        }
        members.map(|m| m.indices().to_vec())
    }

    const KEYS: [&str; 7] = [
        "github.accounts.personal.users.dev.secrets.api_token.value",
        "aws.accounts.prod.account_id",
        "GitHub.Accounts.Work.secrets.Deploy_Key.value",
        "db.mysql_dev.password",
        "\"caf\u{e9}\".secrets.k",
        "",
        "a.b",
    ];

    #[test]
    fn same_keys_as_frizbee_for_typed_texts() {
        for text in [
            "g", "gh", "ghacc", "GH", "Gacc", "acc.id", "_", "aB", "zz", "cafs",
        ] {
            let want = frizbee_keys(&KEYS, text);
            assert_eq!(typed_one_by_one(&KEYS, text), Some(want), "{text}");
        }
    }

    #[test]
    fn an_uppercase_letter_starts_again_case_sensitive() {
        let range = 0..KEYS.len();
        let lower = Members::of_range(&KEYS, range.clone(), Needle::new("gith").unwrap());
        let upper = Needle::new("githU").unwrap();
        assert!(lower.narrowed(&KEYS, &range, &upper).is_none());
        assert_eq!(Needle::new("caf\u{e9}"), None, "not matched here");
    }

    #[test]
    fn a_narrower_range_or_a_candidate_list_keeps_to_them() {
        let needle = Needle::new("acc").unwrap();
        let some = Members::of_range(&KEYS, 1..3, needle.clone());
        assert_eq!(some.indices(), [1, 2]);
        let listed = Members::of(&KEYS, 0..KEYS.len(), &[0, 3, 6], needle);
        assert_eq!(listed.indices(), [0]);
        let bits = some.bits();
        assert!(some.is_set(&bits, 2) && !some.is_set(&bits, 0) && !some.is_set(&bits, 3));
    }

    #[test]
    fn many_keys_split_over_threads_in_order() {
        let keys: Vec<String> = (0..PARALLEL_FROM * 2 + 7)
            .map(|i| format!("p{}.accounts.a{}.secrets.s{i}.value", i % 97, i % 13))
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        for text in ["p5a3", "p5a3s1", "Q"] {
            assert_eq!(
                typed_one_by_one(&keys, text),
                Some(frizbee_keys(&keys, text)),
                "{text}"
            );
        }
    }

    #[test]
    fn ascending_sorts_rows_of_a_range() {
        assert_eq!(
            ascending(&[130, 7, 64, 8, 63], &(5..200)),
            [7, 8, 63, 64, 130]
        );
        assert_eq!(ascending(&[], &(0..0)), Vec::<u32>::new());
    }

    proptest! {
        #[test]
        fn ascending_is_a_sort(rows in proptest::collection::hash_set(100u32..400, 0..200)) {
            let rows: Vec<u32> = rows.into_iter().collect();
            let mut sorted = rows.clone();
            sorted.sort_unstable();
            prop_assert_eq!(ascending(&rows, &(100..400)), sorted);
        }
    }

    proptest! {
        #[test]
        fn same_keys_as_frizbee(
            keys in proptest::collection::vec("[a-cA-C._\u{e9}-]{0,12}", 0..40),
            text in "[a-cA-C._-]{1,5}",
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            prop_assert_eq!(typed_one_by_one(&keys, &text), Some(frizbee_keys(&keys, &text)));
        }
    }
}
