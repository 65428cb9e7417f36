//! Where one key stands in a scanned file, and one line's value read alone: what an edit that
//! changes a single line needs (`hst set` on a million keys), without an entry for every key.
//!
//! Why one line can be judged alone: the scanner reads every line by itself, and the only thing
//! between lines is the key trie (a duplicate, a value used as a table). An edit that keeps a
//! line's key and gives it another value that is not a table, or adds a line whose key makes
//! new trie nodes only, leaves the trie as it was; so the new file is read by the scanner exactly
//! when the new line is, and every other leaf is unchanged byte for byte.

use std::ops::Range;

use super::graft::LOCAL_PREFIX;
use super::line::{parse_line, segments};
use super::trie::link;
use super::{Keep, Scan, leaf_of};
use crate::key_path::KeyPath;
use crate::value::Value;

/// Where a key stands in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Spot {
    /// It is one value, on line `index` (0-based).
    Value(usize),
    /// It is not there: a new line for it goes after line `index`, the last line of the keys
    /// that share the most leading parts with it, or at the end when none shares its first.
    New(Option<usize>),
}

impl Scan<'_> {
    /// Where `key` stands; `None` when it is a table or lies below a value (the full path
    /// words those refusals).
    pub(crate) fn spot(&self, key: &KeyPath) -> Option<Spot> {
        let nodes = &self.trie.nodes;
        let mut node = 0;
        for (depth, segment) in key.segments().enumerate() {
            if link(nodes[node].leaf).is_some() {
                return None;
            }
            match self.trie.find(node, segment) {
                Some(child) => node = child,
                None => {
                    let after = if depth == 0 {
                        None
                    } else {
                        Some(self.last_line_under(node)?)
                    };
                    return Some(Spot::New(after));
                }
            }
        }
        link(nodes[node].leaf).map(|slot| Spot::Value(self.line_index(slot)))
    }

    /// How many leading parts of `key` name tables here (the deepest table on its way);
    /// `None` when one of them is a value, or `key` is there whole.
    pub(crate) fn tables_along(&self, key: &KeyPath) -> Option<usize> {
        let nodes = &self.trie.nodes;
        let mut node = 0;
        let mut depth = 0;
        for segment in key.segments() {
            if link(nodes[node].leaf).is_some() {
                return None;
            }
            match self.trie.find(node, segment) {
                Some(child) => {
                    node = child;
                    depth += 1;
                }
                None => return Some(depth),
            }
        }
        None
    }

    /// The lines of every leaf under the table `key`, in file order; `None` when `key` is not a
    /// table here (absent, a value, below a value).
    pub(crate) fn lines_under(&self, key: &KeyPath) -> Option<Vec<usize>> {
        let nodes = &self.trie.nodes;
        let mut node = 0;
        for segment in key.segments() {
            if link(nodes[node].leaf).is_some() {
                return None;
            }
            node = self.trie.find(node, segment)?;
        }
        if key.is_empty() || link(nodes[node].leaf).is_some() {
            return None;
        }
        let mut stack = vec![node];
        let mut lines = Vec::new();
        while let Some(id) = stack.pop() {
            match link(nodes[id].leaf) {
                Some(slot) => lines.push(self.line_index(slot)),
                None => stack.extend(self.trie.children(id)),
            }
        }
        lines.sort_unstable();
        Some(lines)
    }

    /// The 0-based line of the leaf in `slot`.
    fn line_index(&self, slot: usize) -> usize {
        match self.keep {
            Keep::Lines => slot,
            Keep::Leaves => self.leaves[slot].line as usize - 1,
        }
    }

    /// The last line holding a key under `node` (`None` only for a node with no leaf below,
    /// which the trie never makes).
    fn last_line_under(&self, node: usize) -> Option<usize> {
        let mut stack = vec![node];
        let mut last = None;
        while let Some(id) = stack.pop() {
            match link(self.trie.nodes[id].leaf) {
                Some(slot) => last = last.max(Some(self.line_index(slot))),
                None => stack.extend(self.trie.children(id)),
            }
        }
        last
    }
}

/// A line's key and its one value, read alone; spans are byte ranges of the line.
pub(crate) struct LineValue {
    /// The key as written, from its first byte to the end of its last part.
    pub(crate) key: Range<usize>,
    pub(crate) value: Value,
    /// The value's literal, without blanks or a comment after it.
    pub(crate) span: Range<usize>,
}

impl LineValue {
    /// The key's parts, as the scanner splits them (blanks around dots dropped).
    pub(crate) fn key_path(&self, line: &str) -> KeyPath {
        KeyPath::new(segments(line.get(self.key.clone()).unwrap_or_default()))
    }
}

/// The key and value of a line the scanner reads, when the value is one leaf (not an inline
/// table: its keys are leaves of their own); `None` otherwise.
pub(crate) fn line_value(line: &str) -> Option<LineValue> {
    let parsed = parse_line(line)??;
    let leaf = leaf_of(0, 0, line, &parsed)?;
    let key = leaf.key_from as usize..parsed.key_end;
    let Some(inner) = &leaf.inner else {
        return Some(LineValue {
            key,
            value: leaf.to_value(line),
            span: leaf.value_span(),
        });
    };
    // A complex value read alone: one leaf keyed `v` (the prefix of the one-line document).
    let [only] = inner.listed.as_slice() else {
        let [only] = inner.unlisted.as_slice() else {
            return None;
        };
        return alone(only, key, leaf.value_span().start);
    };
    if !inner.unlisted.is_empty() {
        return None;
    }
    alone(only, key, leaf.value_span().start)
}

/// The value of the one-line document's `v`, its span moved back into the line.
fn alone(entry: &crate::entry::Entry, key: Range<usize>, value_start: usize) -> Option<LineValue> {
    if entry.key.len() != 1 {
        return None;
    }
    let origin = value_start.checked_sub(LOCAL_PREFIX.len())?;
    Some(LineValue {
        key,
        value: entry.value.clone(),
        span: entry.span.start + origin..entry.span.end + origin,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::source::Source;

    fn spot_in(text: &str, key: &str) -> Option<Spot> {
        let source = Source::new(text.to_string());
        let scan = super::super::scan_keeping(&source, Keep::Lines).unwrap();
        let lines = scan.spot(&KeyPath::new(key.split('.')));
        let scan = super::super::scan(&source).unwrap();
        assert_eq!(lines, scan.spot(&KeyPath::new(key.split('.'))), "{key}");
        lines
    }

    #[test]
    fn a_key_is_a_value_a_new_key_goes_after_its_closest_relatives() {
        let text = "# c\na.x = 1\nb.y = 2\na.z.w = \"s\"\nb.q = 3\n";
        assert_eq!(spot_in(text, "a.x"), Some(Spot::Value(1)));
        assert_eq!(spot_in(text, "a.z.w"), Some(Spot::Value(3)));
        assert_eq!(spot_in(text, "a.new"), Some(Spot::New(Some(3))));
        assert_eq!(spot_in(text, "b.new.deep"), Some(Spot::New(Some(4))));
        assert_eq!(spot_in(text, "c"), Some(Spot::New(None)));
        // A table, and a key below a value: the full path says why not.
        assert_eq!(spot_in(text, "a.z"), None);
        assert_eq!(spot_in(text, "a.x.below"), None);
        assert_eq!(spot_in(text, ""), Some(Spot::New(None)));
    }

    #[test]
    fn a_line_value_is_the_literal_alone() {
        let v = line_value("a . b = [1, 2]   # note").unwrap();
        assert_eq!(v.span, 8..14);
        assert_eq!(v.key_path("a . b = [1, 2]   # note").to_string(), "a.b");
        let v = line_value("k = \"plain\" # c").unwrap();
        assert_eq!(v.span, 4..11);
        let v = line_value("k = 1.5").unwrap();
        assert_eq!(v.span, 4..7);
        assert!(line_value("k = { a = 1, b = 2 }").is_none());
        assert!(line_value("# only a comment").is_none());
        assert!(line_value("[table]").is_none());
    }
}
