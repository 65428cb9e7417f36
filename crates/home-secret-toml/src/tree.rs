//! provider → account → user → secret, built from key paths.
//!
//! The convention (seed 003 §3.2) is `<provider>.accounts.<account>.users.<user>.secrets.<secret>.<attr>`
//! with every level but the provider optional. The words `accounts`, `users` and `secrets` are
//! folded into the node they introduce. Anything that does not follow the convention gets one
//! plain group node per segment, so every key has a place.

use crate::entry::Entry;
use crate::key_path::KeyPath;

#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Root,
    Provider,
    Account,
    User,
    Secret,
    /// A segment outside the convention (e.g. `mysql_dev` in `db.mysql_dev.port`).
    Group,
    /// An attribute: one listed entry.
    Leaf,
}

impl NodeKind {
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Root => "all",
            NodeKind::Provider => "provider",
            NodeKind::Account => "account",
            NodeKind::User => "user",
            NodeKind::Secret => "secret",
            NodeKind::Group => "group",
            NodeKind::Leaf => "attribute",
        }
    }
}

/// The keys a tree is built from, by index: a file's listed leaves (read in place, no entry
/// built) or a slice of entries.
pub trait Keys {
    fn key_count(&self) -> usize;
    /// Key `i`'s segments, appended to `out`.
    fn segments_into<'s>(&'s self, i: usize, out: &mut Vec<&'s str>);
    /// Key `i`, dotted, when none of its segments holds a dot (`None` when unknown).
    fn bare(&self, _i: usize) -> Option<&str> {
        None
    }
}

impl Keys for [Entry] {
    fn key_count(&self) -> usize {
        self.len()
    }

    fn segments_into<'s>(&'s self, i: usize, out: &mut Vec<&'s str>) {
        if let Some(entry) = self.get(i) {
            out.extend(entry.key.segments());
        }
    }
}

impl Keys for crate::SecretFile {
    fn key_count(&self) -> usize {
        self.listed_len()
    }

    fn segments_into<'s>(&'s self, i: usize, out: &mut Vec<&'s str>) {
        self.listed_segments_into(i, out);
    }

    fn bare(&self, i: usize) -> Option<&str> {
        self.listed_bare_key(i)
    }
}

/// One node: 24 bytes, no allocation (a million keys make two million nodes). Its name and
/// prefix are those of its first key, cut after `depth` segments (see [`Tree::prefix`]).
#[derive(Clone, Copy, Debug)]
pub struct Node {
    kind: NodeKind,
    /// Whether a child is not a leaf (a folder in the tree pane).
    folders: bool,
    depth: u16,
    parent: u32,
    first: u32,
    count: u32,
    first_child: u32,
    next_sibling: u32,
}

const NONE: u32 = u32::MAX;

fn link(v: u32) -> Option<usize> {
    (v != NONE).then_some(v as usize)
}

impl Node {
    pub fn kind(&self) -> NodeKind {
        self.kind
    }

    /// Whether something other than leaves is below it (leaves live in the list).
    pub fn has_folders(&self) -> bool {
        self.folders
    }

    /// How many key segments the node stands for (0 for the root).
    pub fn depth(&self) -> usize {
        usize::from(self.depth)
    }

    pub fn parent(&self) -> Option<usize> {
        link(self.parent)
    }

    /// For a leaf: its index in the keys the tree was built from.
    pub fn entry(&self) -> Option<usize> {
        (self.kind == NodeKind::Leaf).then_some(self.first as usize)
    }

    /// Keys in this subtree.
    pub fn count(&self) -> usize {
        self.count as usize
    }

    /// Index of the first key under this node. Built from keys in walk order
    /// ([`SecretFile::entries`](crate::SecretFile::entries)), the node's keys are exactly
    /// `first..first + count`: a nested table is walked depth-first, so a prefix is contiguous.
    pub fn first(&self) -> usize {
        self.first as usize
    }
}

/// The tree; node 0 is the root.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    /// The leaf node of each key.
    leaves: Vec<u32>,
}

pub const ROOT: usize = 0;

/// A node under its parent, as far as the previous key shows it: (parent, segments consumed,
/// kind, name).
type Slot<'e> = (usize, usize, NodeKind, &'e str);

impl Tree {
    /// The tree of `keys`, given in walk order (as a file lists them).
    pub fn build<K: Keys + ?Sized>(keys: &K) -> Self {
        let n = keys.key_count();
        let mut tree = Tree {
            nodes: Vec::new(),
            leaves: Vec::with_capacity(n),
        };
        // Every key has its leaf node, and most share the nodes above it with others: sized
        // once, not copied each time it doubles.
        tree.nodes.reserve_exact(n * 2 + 16);
        tree.nodes.push(Node {
            kind: NodeKind::Root,
            folders: false,
            depth: 0,
            parent: NONE,
            first: 0,
            count: 0,
            first_child: NONE,
            next_sibling: NONE,
        });
        let mut last_child: Vec<u32> = Vec::with_capacity(n * 2 + 16);
        last_child.push(NONE);
        // In walk order a key shares its leading nodes with the key before, found by comparing;
        // any other node is new. (Only a group named after a collection word, `accounts` with
        // one attribute after it, can come back after other nodes; it gets a node each time,
        // so that every node's keys are one range.)
        let mut segments: Vec<&str> = Vec::new();
        let mut steps: Vec<Step> = Vec::new();
        let mut last: Vec<(Slot<'_>, usize)> = Vec::new();
        let mut previous: Option<&str> = None;
        for i in 0..n {
            segments.clear();
            keys.segments_into(i, &mut segments);
            // Segments the previous key has too, known without comparing them.
            let bare = keys.bare(i);
            let known = match (previous, bare) {
                (Some(a), Some(b)) => crate::key_path::shared_segments(a, b),
                _ => 0,
            };
            previous = bare;
            classify(&segments, &mut steps);
            let mut parent = ROOT;
            tree.nodes[ROOT].count += 1;
            let mut shared = true;
            for (depth, step) in steps.iter().enumerate() {
                let slot = (parent, step.end, step.kind, segments[step.end - 1]);
                let leaf = step.kind == NodeKind::Leaf;
                shared = shared
                    && !leaf
                    && last.get(depth).is_some_and(|(seen, _)| {
                        (seen.0, seen.1, seen.2) == (slot.0, slot.1, slot.2)
                            && (step.end <= known || seen.3 == slot.3)
                    });
                let found = if shared {
                    last.get(depth).map(|&(_, id)| id)
                } else {
                    last.truncate(depth);
                    None
                };
                let id = match found {
                    Some(id) => id,
                    None => tree.add(&mut last_child, parent, step, i),
                };
                if !shared && !leaf {
                    last.push((slot, id));
                }
                tree.nodes[id].count += 1;
                parent = id;
            }
            tree.leaves.push(parent as u32);
        }
        tree
    }

    /// A new node for `step` under `parent`, its first key `first`, last of its siblings.
    fn add(
        &mut self,
        last_child: &mut Vec<u32>,
        parent: usize,
        step: &Step,
        first: usize,
    ) -> usize {
        let id = self.nodes.len();
        let id32 = u32::try_from(id).unwrap_or(NONE);
        self.nodes.push(Node {
            kind: step.kind,
            folders: false,
            depth: u16::try_from(step.end).unwrap_or(u16::MAX),
            parent: parent as u32,
            first: u32::try_from(first).unwrap_or(NONE),
            count: 0,
            first_child: NONE,
            next_sibling: NONE,
        });
        last_child.push(NONE);
        match link(last_child[parent]) {
            Some(prev) => self.nodes[prev].next_sibling = id32,
            None => self.nodes[parent].first_child = id32,
        }
        last_child[parent] = id32;
        self.nodes[parent].folders |= step.kind != NodeKind::Leaf;
        id
    }

    pub fn node(&self, id: usize) -> &Node {
        &self.nodes[id]
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// The node's children, in order.
    pub fn children(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(link(self.nodes[id].first_child), |&c| {
            link(self.nodes[c].next_sibling)
        })
    }

    /// The key segments node `id` stands for (`github.accounts.personal`): an entry is under
    /// it when its key starts with them. `keys` are those the tree was built from.
    pub fn prefix<K: Keys + ?Sized>(&self, id: usize, keys: &K) -> KeyPath {
        let node = &self.nodes[id];
        if id == ROOT {
            return KeyPath::default();
        }
        let mut segments = Vec::new();
        keys.segments_into(node.first(), &mut segments);
        segments.truncate(node.depth());
        KeyPath::new(segments)
    }

    /// The node's name: the last segment of its prefix (`personal` for
    /// `github.accounts.personal`).
    pub fn name<K: Keys + ?Sized>(&self, id: usize, keys: &K) -> String {
        let node = &self.nodes[id];
        let mut segments = Vec::new();
        keys.segments_into(node.first(), &mut segments);
        node.depth()
            .checked_sub(1)
            .and_then(|last| segments.get(last))
            .map(|s| (*s).to_string())
            .unwrap_or_default()
    }

    /// The node that stands for `prefix` (the root for an empty one), found by following the
    /// nodes whose prefix starts it.
    pub fn find<K: Keys + ?Sized>(&self, prefix: &KeyPath, keys: &K) -> Option<usize> {
        let mut segments = Vec::new();
        let mut stack = vec![ROOT];
        while let Some(id) = stack.pop() {
            if self.nodes[id].depth() == prefix.len() {
                return Some(id);
            }
            for child in self.children(id) {
                let depth = self.nodes[child].depth();
                segments.clear();
                keys.segments_into(self.nodes[child].first(), &mut segments);
                let leads = depth <= prefix.len()
                    && segments
                        .get(..depth)
                        .is_some_and(|s| s.iter().copied().eq(prefix.segments().take(depth)));
                if leads {
                    stack.push(child);
                }
            }
        }
        None
    }

    /// The leaf node that stands for key `entry`.
    pub fn leaf(&self, entry: usize) -> Option<usize> {
        self.leaves.get(entry).map(|&l| l as usize)
    }

    /// The keys under `id`, as a range of key indices (see [`Node::first`]).
    pub fn entry_range(&self, id: usize) -> std::ops::Range<usize> {
        let node = &self.nodes[id];
        node.first()..node.first() + node.count()
    }

    /// The chain of node ids from the root down to `id`.
    pub fn ancestors(&self, id: usize) -> Vec<usize> {
        let mut chain = vec![id];
        let mut cur = id;
        while let Some(p) = self.nodes[cur].parent() {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }
}

struct Step {
    kind: NodeKind,
    /// Segments consumed up to and including this node's name.
    end: usize,
}

/// The nodes a key passes through, from the provider down to the leaf.
fn classify(segments: &[&str], steps: &mut Vec<Step>) {
    let n = segments.len();
    steps.clear();
    if n == 0 {
        return;
    }
    if n == 1 {
        steps.push(Step {
            kind: NodeKind::Leaf,
            end: 1,
        });
        return;
    }
    steps.push(Step {
        kind: NodeKind::Provider,
        end: 1,
    });
    let mut i = 1;
    let mut level = NodeKind::Provider;
    // A collection word counts only when a name follows it and an attribute follows the name.
    while i < n - 1 {
        let next = match (level, segments[i]) {
            (NodeKind::Provider, "accounts") => Some(NodeKind::Account),
            (NodeKind::Account, "users") => Some(NodeKind::User),
            (NodeKind::Account | NodeKind::User, "secrets") => Some(NodeKind::Secret),
            _ => None,
        };
        match next {
            Some(kind) if i + 1 < n - 1 => {
                steps.push(Step { kind, end: i + 2 });
                level = kind;
                i += 2;
            }
            _ => {
                steps.push(Step {
                    kind: NodeKind::Group,
                    end: i + 1,
                });
                level = NodeKind::Group;
                i += 1;
            }
        }
    }
    steps.push(Step {
        kind: NodeKind::Leaf,
        end: n,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn entries(keys: &[&str]) -> Vec<Entry> {
        keys.iter()
            .map(|k| Entry {
                key: KeyPath::new(k.split('.')),
                value: Value::Integer(1),
                line: 1,
                span: 0..0,
                key_span: 0..0,
            })
            .collect()
    }

    fn shape(tree: &Tree, keys: &[Entry], id: usize, depth: usize, out: &mut String) {
        let node = tree.node(id);
        if id != ROOT {
            out.push_str(&format!(
                "{}{} {} ({})\n",
                "  ".repeat(depth),
                node.kind().label(),
                tree.name(id, keys),
                node.count()
            ));
        }
        for c in tree.children(id) {
            shape(tree, keys, c, depth + usize::from(id != ROOT), out);
        }
    }

    #[test]
    fn convention_levels_fold_their_collection_words() {
        // In walk order, as a file lists them.
        let keys = entries(&[
            "github.accounts.personal.account_id",
            "github.accounts.personal.users.dev.secrets.api_token.value",
            "github.accounts.personal.users.dev.email",
            "aws.accounts.prod.secrets.deploy.creds.access_key",
            "db.mysql_dev.port",
            "token",
            "gcp.accounts",
            "x.users.y.z",
            "ci.accounts.x",
            "ci.accounts.prod.key",
            "ci.accounts.y",
        ]);
        let tree = Tree::build(keys.as_slice());
        let mut out = String::new();
        shape(&tree, &keys, ROOT, 0, &mut out);
        assert_eq!(
            out,
            "provider github (3)
  account personal (3)
    attribute account_id (1)
    user dev (2)
      secret api_token (1)
        attribute value (1)
      attribute email (1)
provider aws (1)
  account prod (1)
    secret deploy (1)
      group creds (1)
        attribute access_key (1)
provider db (1)
  group mysql_dev (1)
    attribute port (1)
attribute token (1)
provider gcp (1)
  attribute accounts (1)
provider x (1)
  group users (1)
    group y (1)
      attribute z (1)
provider ci (3)
  group accounts (1)
    attribute x (1)
  account prod (1)
    attribute key (1)
  group accounts (1)
    attribute y (1)
"
        );
        assert_eq!(tree.node(ROOT).count(), 11);
        let personal = tree.leaf(1).and_then(|l| tree.ancestors(l).get(2).copied());
        let personal = personal.map(|id| tree.prefix(id, keys.as_slice()).to_string());
        assert_eq!(personal.as_deref(), Some("github.accounts.personal"));
        assert_eq!(tree.prefix(ROOT, keys.as_slice()).len(), 0);
    }

    /// Every node as text: kind, prefix, count, first key, parent and children.
    fn dump<K: Keys + ?Sized>(tree: &Tree, keys: &K) -> Vec<String> {
        (0..tree.len())
            .map(|id| {
                let node = tree.node(id);
                format!(
                    "{:?} {} {} {} {:?} {:?} {}",
                    node.kind(),
                    tree.prefix(id, keys),
                    node.count(),
                    node.first(),
                    node.parent(),
                    tree.children(id).collect::<Vec<_>>(),
                    node.has_folders()
                )
            })
            .collect()
    }

    #[test]
    fn a_file_read_as_lines_makes_the_tree_its_entries_make() {
        let tricky = "ci.accounts.x = 1\nci.accounts.prod.key = 2\nci.accounts.y = 3\n\
            a . b . c = 1\na.b.d = 2\na.bc = 3\nab.c = 4\n\
            t.secrets.s = { k = 1, \"q.d\" = { v = 2 } }\nt.secrets.s2.value = \"x\"\n\
            g.accounts.me.users.u.secrets.k.value = \"v\"\ng.accounts.me.users.u.secrets.k.name = \"n\"\n";
        for text in [
            tricky.to_string(),
            crate::flat_scan::agreement_tests::generate::real_like(3000),
        ] {
            let file = crate::SecretFile::from_text(std::path::Path::new("t.toml"), text.clone())
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(file.entries_unbuilt());
            let lean = Tree::build(&file);
            let lean = dump(&lean, &file);
            let entries = file.entries();
            let built = Tree::build(entries);
            assert_eq!(lean, dump(&built, entries));
        }
    }

    #[test]
    fn ancestors_run_from_the_root() {
        let tree = Tree::build(entries(&["a.accounts.b.c"]).as_slice());
        let leaf = tree.nodes().iter().position(|n| n.kind() == NodeKind::Leaf);
        let chain = leaf.map(|l| tree.ancestors(l)).unwrap_or_default();
        let kinds: Vec<NodeKind> = chain.iter().map(|&i| tree.node(i).kind()).collect();
        assert_eq!(
            kinds,
            [
                NodeKind::Root,
                NodeKind::Provider,
                NodeKind::Account,
                NodeKind::Leaf
            ]
        );
    }
}
