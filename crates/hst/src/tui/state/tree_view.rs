//! The tree pane: which nodes are expanded, the rows that are visible, the cursor.

use home_secret_toml::key_path::KeyPath;
use home_secret_toml::tree::{Keys, NodeKind, ROOT, Tree};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeRow {
    pub node: usize,
    pub depth: u16,
}

#[derive(Debug, Default)]
pub struct TreeView {
    expanded: Vec<bool>,
    rows: Vec<TreeRow>,
    cursor: usize,
    offset: usize,
}

impl TreeView {
    /// The root open, everything under it closed.
    pub fn new(tree: &Tree) -> Self {
        let mut expanded = vec![false; tree.len()];
        expanded[ROOT] = true;
        let mut view = Self {
            expanded,
            ..Self::default()
        };
        view.rebuild(tree);
        view
    }

    pub fn rows(&self) -> &[TreeRow] {
        &self.rows
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The selected node (the root when the tree is empty).
    pub fn selected(&self) -> usize {
        self.rows.get(self.cursor).map_or(ROOT, |r| r.node)
    }

    pub fn is_expanded(&self, node: usize) -> bool {
        self.expanded.get(node).copied().unwrap_or(false)
    }

    /// Folders are nodes with something other than leaves below them; leaves live in the list.
    pub fn has_folders(tree: &Tree, node: usize) -> bool {
        tree.node(node).has_folders()
    }

    fn rebuild(&mut self, tree: &Tree) {
        let selected = self.selected();
        self.rows.clear();
        let mut stack = vec![TreeRow {
            node: ROOT,
            depth: 0,
        }];
        while let Some(row) = stack.pop() {
            self.rows.push(row);
            if self.is_expanded(row.node) {
                let at = stack.len();
                stack.extend(
                    tree.children(row.node)
                        .filter(|&c| tree.node(c).kind() != NodeKind::Leaf)
                        .map(|node| TreeRow {
                            node,
                            depth: row.depth + 1,
                        }),
                );
                stack[at..].reverse();
            }
        }
        self.cursor = self
            .rows
            .iter()
            .position(|r| r.node == selected)
            .unwrap_or(0);
    }

    pub fn move_to(&mut self, cursor: usize, height: usize) {
        self.cursor = cursor.min(self.rows.len().saturating_sub(1));
        self.offset = scrolled(self.cursor, self.offset, height, self.rows.len());
    }

    pub fn move_by(&mut self, delta: isize, height: usize) {
        self.move_to(self.cursor.saturating_add_signed(delta), height);
    }

    pub fn set_expanded(&mut self, tree: &Tree, node: usize, open: bool, height: usize) {
        if node == ROOT || !Self::has_folders(tree, node) {
            return;
        }
        self.expanded[node] = open;
        self.rebuild(tree);
        self.move_to(self.cursor, height);
    }

    /// `h`/←: close an open node, else go to the parent.
    pub fn collapse(&mut self, tree: &Tree, height: usize) {
        let node = self.selected();
        if node != ROOT && self.is_expanded(node) {
            self.set_expanded(tree, node, false, height);
        } else if let Some(parent) = tree.node(node).parent()
            && let Some(pos) = self.rows.iter().position(|r| r.node == parent)
        {
            self.move_to(pos, height);
        }
    }

    /// `l`/→: open a closed node, else go to its first child.
    pub fn expand(&mut self, tree: &Tree, height: usize) {
        let node = self.selected();
        if !Self::has_folders(tree, node) {
            return;
        }
        if self.is_expanded(node) {
            self.move_by(1, height);
        } else {
            self.set_expanded(tree, node, true, height);
        }
    }

    pub fn toggle(&mut self, tree: &Tree, height: usize) {
        let node = self.selected();
        let open = !self.is_expanded(node);
        self.set_expanded(tree, node, open, height);
    }

    /// The open nodes and the selected one, by prefix, to carry over to a rebuilt tree.
    /// `keys`: what the tree was built from.
    pub fn snapshot<K: Keys + ?Sized>(&self, tree: &Tree, keys: &K) -> (Vec<KeyPath>, KeyPath) {
        // Open nodes inside closed ones too: they are open again when their parent is.
        let open = (0..tree.len())
            .filter(|&id| id != ROOT && self.is_expanded(id))
            .map(|id| tree.prefix(id, keys))
            .collect();
        (open, tree.prefix(self.selected(), keys))
    }

    /// A view of a rebuilt `tree` with the same nodes open and selected, where they still exist.
    pub fn restored<K: Keys + ?Sized>(
        tree: &Tree,
        keys: &K,
        open: &[KeyPath],
        selected: &KeyPath,
        height: usize,
    ) -> Self {
        let mut view = Self::new(tree);
        for prefix in open {
            if let Some(id) = tree
                .find(prefix, keys)
                .filter(|&id| tree.node(id).has_folders())
            {
                view.expanded[id] = true;
            }
        }
        view.rebuild(tree);
        let selected = tree.find(selected, keys);
        let cursor = view
            .rows
            .iter()
            .position(|r| Some(r.node) == selected)
            .unwrap_or(0);
        view.move_to(cursor, height);
        view
    }

    /// Re-clamps the scroll offset after the pane changed size.
    pub fn fit(&mut self, height: usize) {
        self.move_to(self.cursor, height);
    }
}

/// The scroll offset that keeps `cursor` on screen with as little movement as possible, and no
/// empty rows at the bottom when the content is long enough.
pub fn scrolled(cursor: usize, offset: usize, height: usize, len: usize) -> usize {
    let height = height.max(1);
    let mut offset = offset.min(len.saturating_sub(height));
    if cursor < offset {
        offset = cursor;
    } else if cursor >= offset + height {
        offset = cursor + 1 - height;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_keeps_the_cursor_visible() {
        assert_eq!(scrolled(0, 0, 10, 100), 0);
        assert_eq!(scrolled(10, 0, 10, 100), 1);
        assert_eq!(scrolled(3, 8, 10, 100), 3);
        assert_eq!(scrolled(99, 0, 10, 100), 90);
        // The list shrank: no empty space below the last row.
        assert_eq!(scrolled(2, 50, 10, 12), 2);
        assert_eq!(scrolled(0, 5, 0, 3), 0);
    }
}
