//! provider → account → user → secret, built from key paths.
//!
//! The convention (seed 003 §3.2) is `<provider>.accounts.<account>.users.<user>.secrets.<secret>.<attr>`
//! with every level but the provider optional. The words `accounts`, `users` and `secrets` are
//! folded into the node they introduce. Anything that does not follow the convention gets one
//! plain group node per segment, so every key has a place.

use rustc_hash::FxHashMap;

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

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    /// The key segments this node stands for: an entry is under it when its key starts with them.
    pub prefix: KeyPath,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// For leaves: index into the entries the tree was built from.
    pub entry: Option<usize>,
    /// Entries in this subtree.
    pub count: usize,
    /// Index of the first entry under this node. When the tree is built from entries in walk
    /// order ([`SecretFile::entries`](crate::SecretFile::entries)), the node's entries are exactly
    /// `first..first + count`: a nested table is walked depth-first, so a prefix is contiguous.
    pub first: usize,
}

/// A node under its parent: (parent, segments consumed, kind, name).
type Slot<'e> = (usize, usize, NodeKind, &'e str);

impl Node {
    /// The node's name: the last segment of its prefix (`personal` for
    /// `github.accounts.personal`).
    pub fn name(&self) -> &str {
        self.prefix.last()
    }
}

/// The tree; node 0 is the root.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    /// The leaf node of each entry.
    leaves: Vec<usize>,
}

pub const ROOT: usize = 0;

impl Tree {
    pub fn build(entries: &[Entry]) -> Self {
        let mut tree = Tree {
            nodes: Vec::new(),
            leaves: Vec::with_capacity(entries.len()),
        };
        // Every entry has its leaf node, and most share the nodes above it with others: sized
        // once, not copied each time it doubles (a million keys make two million nodes).
        tree.nodes.reserve_exact(entries.len() * 2 + 16);
        tree.nodes.push(Node {
            kind: NodeKind::Root,
            prefix: KeyPath::default(),
            parent: None,
            children: Vec::new(),
            entry: None,
            count: 0,
            first: 0,
        });
        // A node is its prefix; under a given parent that is (segments consumed, kind, name),
        // which borrows from the entries instead of allocating a prefix per step.
        let mut index: FxHashMap<Slot<'_>, usize> = FxHashMap::default();
        let mut segments: Vec<&str> = Vec::new();
        let mut steps: Vec<Step> = Vec::new();
        // The previous entry's nodes, step by step: entries in walk order share their leading
        // nodes with the one before, found by comparing, not hashing (a million keys).
        let mut last: Vec<(Slot<'_>, usize)> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            segments.clear();
            segments.extend(entry.key.segments());
            classify(&segments, &mut steps);
            let mut parent = ROOT;
            tree.nodes[ROOT].count += 1;
            let mut shared = true;
            for (depth, step) in steps.iter().enumerate() {
                let name = segments[step.end - 1];
                let slot =
                    (step.kind != NodeKind::Leaf).then_some((parent, step.end, step.kind, name));
                let same = shared
                    && slot.is_some_and(|k| last.get(depth).is_some_and(|(seen, _)| *seen == k));
                shared = same;
                let found = if same {
                    last.get(depth).map(|&(_, id)| id)
                } else {
                    last.truncate(depth);
                    slot.and_then(|k| index.get(&k).copied())
                };
                let id = match found {
                    Some(id) => id,
                    None => {
                        let id = tree.nodes.len();
                        tree.nodes.push(Node {
                            kind: step.kind,
                            prefix: entry.key.prefix(step.end),
                            parent: Some(parent),
                            children: Vec::new(),
                            entry: (step.kind == NodeKind::Leaf).then_some(i),
                            count: 0,
                            first: i,
                        });
                        tree.nodes[parent].children.push(id);
                        if let Some(k) = slot {
                            index.insert(k, id);
                        }
                        id
                    }
                };
                if let (false, Some(k)) = (same, slot) {
                    last.push((k, id));
                }
                tree.nodes[id].count += 1;
                parent = id;
            }
            tree.leaves.push(parent);
        }
        tree
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

    /// The leaf node that stands for entry `entry`.
    pub fn leaf(&self, entry: usize) -> Option<usize> {
        self.leaves.get(entry).copied()
    }

    /// The entries under `id`, as a range of entry indices (see [`Node::first`]).
    pub fn entry_range(&self, id: usize) -> std::ops::Range<usize> {
        let node = &self.nodes[id];
        node.first..node.first + node.count
    }

    /// The chain of node ids from the root down to `id`.
    pub fn ancestors(&self, id: usize) -> Vec<usize> {
        let mut chain = vec![id];
        let mut cur = id;
        while let Some(p) = self.nodes[cur].parent {
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

    fn shape(tree: &Tree, id: usize, depth: usize, out: &mut String) {
        let node = tree.node(id);
        if id != ROOT {
            out.push_str(&format!(
                "{}{} {} ({})\n",
                "  ".repeat(depth),
                node.kind.label(),
                node.name(),
                node.count
            ));
        }
        for &c in &node.children {
            shape(tree, c, depth + usize::from(id != ROOT), out);
        }
    }

    #[test]
    fn convention_levels_fold_their_collection_words() {
        let tree = Tree::build(&entries(&[
            "github.accounts.personal.account_id",
            "github.accounts.personal.users.dev.secrets.api_token.value",
            "github.accounts.personal.users.dev.email",
            "aws.accounts.prod.secrets.deploy.creds.access_key",
            "db.mysql_dev.port",
            "token",
            "aws.accounts",
            "x.users.y.z",
        ]));
        let mut out = String::new();
        shape(&tree, ROOT, 0, &mut out);
        assert_eq!(
            out,
            "provider github (3)
  account personal (3)
    attribute account_id (1)
    user dev (2)
      secret api_token (1)
        attribute value (1)
      attribute email (1)
provider aws (2)
  account prod (1)
    secret deploy (1)
      group creds (1)
        attribute access_key (1)
  attribute accounts (1)
provider db (1)
  group mysql_dev (1)
    attribute port (1)
attribute token (1)
provider x (1)
  group users (1)
    group y (1)
      attribute z (1)
"
        );
        assert_eq!(tree.node(ROOT).count, 8);
    }

    #[test]
    fn ancestors_run_from_the_root() {
        let tree = Tree::build(&entries(&["a.accounts.b.c"]));
        let leaf = tree.nodes().iter().position(|n| n.kind == NodeKind::Leaf);
        let chain = leaf.map(|l| tree.ancestors(l)).unwrap_or_default();
        let kinds: Vec<NodeKind> = chain.iter().map(|&i| tree.node(i).kind).collect();
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
