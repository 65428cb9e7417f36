//! A leaf's position in the document: the list of TOML key segments from the root.

use std::fmt;
use std::sync::Arc;

/// The segments of a key, unquoted, stored as one dotted string plus where each segment ends
/// (two allocations per key instead of one per segment: files have a million keys). A prefix
/// shares them and only sees fewer segments, so the tree's node for every prefix of a key costs
/// no allocation.
/// Displayed the way the reference prints keys: segments joined with `.` verbatim, so
/// `site."example.com".token` shows as `site.example.com.token`.
#[derive(Clone, Default)]
pub struct KeyPath {
    dotted: Arc<str>,
    /// Byte offset in `dotted` where each segment ends.
    ends: Arc<[u32]>,
    /// How many of the segments this key is (fewer for a prefix).
    len: u32,
}

impl KeyPath {
    pub fn new<S: AsRef<str>>(segments: impl IntoIterator<Item = S>) -> Self {
        let mut dotted = String::new();
        let mut ends = Vec::new();
        for (i, segment) in segments.into_iter().enumerate() {
            if i > 0 {
                dotted.push('.');
            }
            dotted.push_str(segment.as_ref());
            ends.push(u32::try_from(dotted.len()).unwrap_or(u32::MAX));
        }
        Self::of(dotted.into(), ends.into())
    }

    fn of(dotted: Arc<str>, ends: Arc<[u32]>) -> Self {
        let len = u32::try_from(ends.len()).unwrap_or(u32::MAX);
        Self { dotted, ends, len }
    }

    /// From a key whose segments contain no `.` (bare TOML keys): split at every dot.
    pub(crate) fn from_dotted_bare(dotted: &str) -> Self {
        // Sized exactly first: growing it would reallocate (and copy) for every key of a file.
        let mut ends = Vec::with_capacity(memchr::memchr_iter(b'.', dotted.as_bytes()).count() + 1);
        ends.extend(memchr::memchr_iter(b'.', dotted.as_bytes()).map(|i| i as u32));
        ends.push(dotted.len() as u32);
        Self::of(dotted.into(), ends.into())
    }

    /// The segment ends this key sees.
    fn own_ends(&self) -> &[u32] {
        &self.ends[..self.len as usize]
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Segment `i` (unquoted).
    pub fn segment(&self, i: usize) -> &str {
        let ends = self.own_ends();
        let end = ends[i] as usize;
        let start = if i == 0 { 0 } else { ends[i - 1] as usize + 1 };
        &self.dotted[start..end]
    }

    pub fn segments(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.segment(i))
    }

    /// The last segment (the attribute name, e.g. `value`), empty for the root.
    pub fn last(&self) -> &str {
        if self.is_empty() {
            ""
        } else {
            self.segment(self.len() - 1)
        }
    }

    /// The dotted form the reference prints (`ls`, `gen-enum`) and looks up (`get`).
    pub fn dotted(&self) -> &str {
        let end = self.own_ends().last().map_or(0, |&e| e as usize);
        self.dotted.get(..end).unwrap_or_default()
    }

    /// Whether the first segments of this key are exactly `prefix`.
    pub fn starts_with(&self, prefix: &KeyPath) -> bool {
        prefix.len() <= self.len()
            && (0..prefix.len()).all(|i| self.segment(i) == prefix.segment(i))
    }

    /// The key made of the first `n` segments (shares this key's text: no allocation, and the
    /// tree asks for one per node).
    pub fn prefix(&self, n: usize) -> KeyPath {
        KeyPath {
            dotted: Arc::clone(&self.dotted),
            ends: Arc::clone(&self.ends),
            len: u32::try_from(n).unwrap_or(u32::MAX).min(self.len),
        }
    }
}

impl PartialEq for KeyPath {
    fn eq(&self, other: &Self) -> bool {
        self.own_ends() == other.own_ends() && self.dotted() == other.dotted()
    }
}

impl Eq for KeyPath {}

impl std::hash::Hash for KeyPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.dotted().hash(state);
        self.own_ends().hash(state);
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.dotted())
    }
}

// Keys are aliases, never secrets (seed 003 §2.2), so Debug may show them.
impl fmt::Debug for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let segments: Vec<&str> = self.segments().collect();
        write!(f, "KeyPath({segments:?})")
    }
}

/// How many whole leading segments two dotted keys written without blanks share: the dots in
/// their common first bytes (each ends a segment both have). Consecutive keys of a file share
/// most of theirs; this finds them in one pass instead of a string compare per segment.
pub(crate) fn shared_segments(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len().min(b.len());
    let mut common = 0;
    while common + 8 <= n {
        let (Ok(x), Ok(y)) = (
            <[u8; 8]>::try_from(&a[common..common + 8]),
            <[u8; 8]>::try_from(&b[common..common + 8]),
        ) else {
            break;
        };
        let diff = u64::from_le_bytes(x) ^ u64::from_le_bytes(y);
        if diff != 0 {
            common += (diff.trailing_zeros() / 8) as usize;
            return memchr::memchr_iter(b'.', &a[..common]).count();
        }
        common += 8;
    }
    while common < n && a[common] == b[common] {
        common += 1;
    }
    memchr::memchr_iter(b'.', &a[..common]).count()
}

#[cfg(test)]
mod prefix_tests {
    use super::*;

    #[test]
    fn prefixes_are_the_first_segments() {
        let key = KeyPath::new(["a", "b.c", "d"]);
        assert_eq!(key.prefix(0), KeyPath::default());
        assert_eq!(key.prefix(1), KeyPath::new(["a"]));
        assert_eq!(key.prefix(2), KeyPath::new(["a", "b.c"]));
        assert_eq!(key.prefix(3), key);
        assert_eq!(key.prefix(9), key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_segments_count_only_whole_segments() {
        for (a, b, shared) in [
            ("a.b.c", "a.b.d", 2),
            ("a.b", "a.bc", 1),
            ("ab.c", "a.bc", 0),
            ("a.b.c", "a.b", 1),
            ("a.b", "a.b", 1),
            ("", "a", 0),
            // Past the 8-byte steps, and a difference inside one.
            (
                "github.accounts.personal.users.x",
                "github.accounts.personal.users.y",
                4,
            ),
            ("github.accounts.personal", "github.accountz.personal", 1),
            ("provider.accounts", "provider.accounts.x", 1),
        ] {
            assert_eq!(shared_segments(a, b), shared, "{a} / {b}");
            assert_eq!(shared_segments(b, a), shared, "{b} / {a}");
        }
    }

    #[test]
    fn segments_may_contain_dots() {
        let k = KeyPath::new(["site", "example.com", "token"]);
        assert_eq!(k.dotted(), "site.example.com.token");
        assert_eq!(k.len(), 3);
        assert_eq!(k.segment(1), "example.com");
        assert_eq!(k.last(), "token");
        assert!(k.starts_with(&KeyPath::new(["site", "example.com"])));
        assert!(!k.starts_with(&KeyPath::new(["site", "example"])));
        assert_eq!(k.prefix(2), KeyPath::new(["site", "example.com"]));
    }

    #[test]
    fn empty_segments_are_kept() {
        let k = KeyPath::new(["empty", ""]);
        assert_eq!(k.dotted(), "empty.");
        assert_eq!(k.segments().collect::<Vec<_>>(), ["empty", ""]);
        assert_eq!(KeyPath::new([""]).len(), 1);
        assert!(KeyPath::new(Vec::<String>::new()).is_empty());
    }
}
