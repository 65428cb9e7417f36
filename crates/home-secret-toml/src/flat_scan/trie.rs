//! The key trie: every key of the file as a path of nodes, walked in first-insertion order (the
//! order of Python's nested dicts), and the check that no key is defined twice.

/// Children as singly linked lists in one vector, newest first (no allocation per node, and no
/// link to the last child: a walk that pops them from a stack gets them oldest first), and a
/// hash index from (parent, segment) to node that stores only node numbers (5 bytes a slot: the
/// names stay in the file's text). Node 0 is the root.
///
/// Only the children of a node with more than [`FEW`] are in the index: the others are found
/// by walking their few siblings, which were made just before them and are still in the cache.
/// A million keys filed into one index of three million slots missed the cache on almost every
/// probe (half of a scan's time).
pub(super) struct Trie<'t> {
    text: &'t str,
    pub(super) nodes: Vec<TrieNode>,
    index: hashbrown::HashTable<u32>,
}

/// A node with at most this many children is not in the hash index.
const FEW: u16 = 16;

/// `NONE` marks a missing link; u32 and u16 keep a node at 24 bytes (a million keys make about
/// three million nodes).
#[derive(Clone)]
pub(super) struct TrieNode {
    /// How many children, up to `u16::MAX` (only "more than [`FEW`]" matters).
    children: u16,
    /// A longer segment is left to the full parser.
    name_len: u16,
    /// The newest child; each child links to the one made before it.
    first_child: u32,
    next_sibling: u32,
    pub(super) leaf: u32,
    parent: u32,
    /// The node's key segment, as an offset and length in the text.
    name_from: u32,
}

fn hash_of(parent: u32, name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    parent.hash(&mut hasher);
    name.hash(&mut hasher);
    hasher.finish()
}

const NONE: u32 = u32::MAX;

impl Default for TrieNode {
    fn default() -> Self {
        Self {
            children: 0,
            name_len: 0,
            first_child: NONE,
            next_sibling: NONE,
            leaf: NONE,
            parent: NONE,
            name_from: 0,
        }
    }
}

pub(super) fn link(v: u32) -> Option<usize> {
    (v != NONE).then_some(v as usize)
}

impl<'t> Trie<'t> {
    pub(super) fn with_capacity(text: &'t str, nodes: usize) -> Self {
        let mut trie = Trie {
            text,
            nodes: Vec::with_capacity(nodes),
            index: hashbrown::HashTable::new(),
        };
        trie.nodes.push(TrieNode::default());
        trie
    }

    fn name(nodes: &[TrieNode], text: &'t str, id: u32) -> &'t str {
        let node = &nodes[id as usize];
        let from = node.name_from as usize;
        text.get(from..from + node.name_len as usize)
            .unwrap_or_default()
    }

    pub(super) fn find(&self, parent: usize, segment: &str) -> Option<usize> {
        let parent32 = parent as u32;
        let (nodes, text) = (&self.nodes, self.text);
        if nodes[parent].children <= FEW {
            return self
                .children(parent)
                .find(|&c| Self::name(nodes, text, c as u32) == segment);
        }
        self.index
            .find(hash_of(parent32, segment), |&id| {
                nodes[id as usize].parent == parent32 && Self::name(nodes, text, id) == segment
            })
            .map(|&id| id as usize)
    }

    /// Adds a key; `None` when TOML would reject it (a duplicate, or a value used as a table).
    /// `path` holds the previous key's segments and nodes: consecutive lines usually share a
    /// long prefix, which is then matched by comparing strings instead of hashing.
    #[cfg(test)]
    pub(super) fn insert(
        &mut self,
        segments: impl Iterator<Item = &'t str>,
        path: &mut Vec<(&'t str, usize)>,
    ) -> Option<usize> {
        self.insert_known(segments, path, 0)
    }

    /// [`Trie::insert`] of a key whose first `known` segments are those of the previous key
    /// (no need to compare them).
    pub(super) fn insert_known(
        &mut self,
        segments: impl Iterator<Item = &'t str>,
        path: &mut Vec<(&'t str, usize)>,
        known: usize,
    ) -> Option<usize> {
        let mut parent = 0;
        let mut created = false;
        let mut depth = 0;
        let mut shared = true;
        for segment in segments {
            if shared {
                match path.get(depth) {
                    Some(&(seen, id)) if depth < known || seen == segment => {
                        if self.nodes[id].leaf != NONE {
                            return None;
                        }
                        parent = id;
                        depth += 1;
                        continue;
                    }
                    _ => {
                        shared = false;
                        path.truncate(depth);
                    }
                }
            }
            if let Some(id) = (!created).then(|| self.find(parent, segment)).flatten() {
                if self.nodes[id].leaf != NONE {
                    return None;
                }
                parent = id;
                path.push((segment, id));
                depth += 1;
                continue;
            }
            let id = self.nodes.len();
            let id32 = u32::try_from(id).ok().filter(|&i| i != NONE)?;
            // Segments are slices of the text: their place in it is their name.
            let from = (segment.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
            self.nodes.push(TrieNode {
                parent: parent as u32,
                name_from: u32::try_from(from).ok()?,
                name_len: u16::try_from(segment.len()).ok()?,
                ..TrieNode::default()
            });
            self.nodes[id].next_sibling = self.nodes[parent].first_child;
            self.nodes[parent].first_child = id32;
            self.nodes[parent].children = self.nodes[parent].children.saturating_add(1);
            match self.nodes[parent].children {
                n if n <= FEW => {}
                // From now on its children are found through the index: all of them go in.
                n if n == FEW + 1 => {
                    let all: Vec<usize> = self.children(parent).collect();
                    for child in all {
                        self.index_node(child);
                    }
                }
                _ => self.index_node(id),
            }
            path.push((segment, id));
            depth += 1;
            parent = id;
            created = true;
        }
        // An existing node at the end is a duplicate key or a table being overwritten.
        created.then_some(parent)
    }

    fn index_node(&mut self, id: usize) {
        let (nodes, text) = (&self.nodes, self.text);
        let node = &nodes[id];
        let hash = hash_of(node.parent, Self::name(nodes, text, id as u32));
        self.index.insert_unique(hash, id as u32, |&n| {
            hash_of(nodes[n as usize].parent, Self::name(nodes, text, n))
        });
    }

    /// The node's children, newest first.
    pub(super) fn children(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(link(self.nodes[id].first_child), |&c| {
            link(self.nodes[c].next_sibling)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys `p.k0 … p.k{n-1}` in one text, and the trie they were filed in.
    fn filed(text: &str) -> Option<Trie<'_>> {
        let mut trie = Trie::with_capacity(text, 8);
        let mut path = Vec::new();
        for key in text.split('\n') {
            let node = trie.insert(key.split('.'), &mut path)?;
            // What the scanner does: the key's last node holds a value.
            trie.nodes[node].leaf = 0;
            // Consecutive keys share nothing here: every lookup goes through `find`.
            path.clear();
        }
        Some(trie)
    }

    #[test]
    fn children_are_found_before_and_after_a_node_has_many() {
        for n in [1, FEW as usize, FEW as usize + 1, 3 * FEW as usize] {
            let keys: Vec<String> = (0..n).map(|i| format!("p.k{i}")).collect();
            let text = keys.join("\n");
            let trie = filed(&text).unwrap_or_else(|| panic!("{n} keys refused"));
            let p = trie.find(0, "p").unwrap_or_else(|| panic!("no p"));
            for i in 0..n {
                let child = trie.find(p, &format!("k{i}"));
                assert!(child.is_some(), "k{i} of {n} not found");
            }
            assert_eq!(trie.find(p, "k"), None);
            assert_eq!(trie.children(p).count(), n);
            // Any key again, or a key below one, is refused.
            for again in [0, n / 2, n - 1] {
                for extra in ["", ".deeper"] {
                    let text = format!("{text}\np.k{again}{extra}");
                    assert!(filed(&text).is_none(), "p.k{again}{extra} after {n} keys");
                }
            }
        }
    }
}
