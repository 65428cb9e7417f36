//! The key trie: every key of the file as a path of nodes, children in first-insertion order
//! (the order of Python's nested dicts), and the check that no key is defined twice.

/// First-insertion-ordered children, as singly linked lists in one vector (no allocation per
/// node), and a hash index from (parent, segment) to node that stores only node numbers (5
/// bytes a slot: the names stay in the file's text). Node 0 is the root.
pub(super) struct Trie<'t> {
    text: &'t str,
    pub(super) nodes: Vec<TrieNode>,
    index: hashbrown::HashTable<u32>,
}

/// `NONE` marks a missing link; u32 keeps a node at 28 bytes.
#[derive(Clone)]
pub(super) struct TrieNode {
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    pub(super) leaf: u32,
    parent: u32,
    /// The node's key segment, as an offset and length in the text.
    name_from: u32,
    name_len: u32,
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
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            leaf: NONE,
            parent: NONE,
            name_from: 0,
            name_len: 0,
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
            index: hashbrown::HashTable::with_capacity(nodes),
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
        self.index
            .find(hash_of(parent32, segment), |&id| {
                nodes[id as usize].parent == parent32 && Self::name(nodes, text, id) == segment
            })
            .map(|&id| id as usize)
    }

    /// Adds a key; `None` when TOML would reject it (a duplicate, or a value used as a table).
    /// `path` holds the previous key's segments and nodes: consecutive lines usually share a
    /// long prefix, which is then matched by comparing strings instead of hashing.
    pub(super) fn insert(
        &mut self,
        segments: impl Iterator<Item = &'t str>,
        path: &mut Vec<(&'t str, usize)>,
    ) -> Option<usize> {
        let mut parent = 0;
        let mut created = false;
        let mut depth = 0;
        let mut shared = true;
        for segment in segments {
            if shared {
                match path.get(depth) {
                    Some(&(seen, id)) if seen == segment => {
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
                name_len: u32::try_from(segment.len()).ok()?,
                ..TrieNode::default()
            });
            match link(self.nodes[parent].last_child) {
                Some(last) => self.nodes[last].next_sibling = id32,
                None => self.nodes[parent].first_child = id32,
            }
            self.nodes[parent].last_child = id32;
            let (nodes, text) = (&self.nodes, self.text);
            self.index
                .insert_unique(hash_of(parent as u32, segment), id32, |&n| {
                    hash_of(nodes[n as usize].parent, Self::name(nodes, text, n))
                });
            path.push((segment, id));
            depth += 1;
            parent = id;
            created = true;
        }
        // An existing node at the end is a duplicate key or a table being overwritten.
        created.then_some(parent)
    }

    pub(super) fn children(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(link(self.nodes[id].first_child), |&c| {
            link(self.nodes[c].next_sibling)
        })
    }
}
