//! The fast path for the flat files this tool is about: one `bare.dotted.key = value` per line,
//! comments and blank lines.
//!
//! The full TOML parser builds a token list, an event list and a tree for the whole document
//! (about 22 MB and 17 ms for 10,000 lines); this scanner needs one pass and a small index.
//! Simple values (strings without escapes, decimal integers, booleans) are read here. Any other
//! value that fits on its line (an inline table of credentials, an array, a float, a date, an
//! escaped string) is handed to the full parser *alone*, as the one-line document `v = VALUE`,
//! and its leaves are grafted under the line's key with their spans moved back into the file.
//! Only what cannot be judged line by line (table headers, quoted keys on the left, values
//! spanning lines, a duplicate key, a syntax error) returns `None`, and the caller parses the
//! whole file with the full parser, which also produces the error messages.
//! `tests/fast_path.rs` checks both give the same entries, spans, data and errors.

use crate::core::entry::{Entry, Leaves};
use crate::core::flatten::is_listed;
use crate::core::key_path::KeyPath;
use crate::core::source::Source;
use crate::core::value::{SecretValue, Value};

/// toml_parser refuses a dotted key with more parts than this ("recursion limit").
pub(crate) const MAX_KEY_PARTS: usize = 80;

/// The file read by the scanner: its leaves in file order and the key tree that orders them.
pub(crate) struct Scan<'t> {
    trie: Trie<'t>,
    leaves: Vec<Leaf>,
}

/// The scanner's pass over the text, or `None` if the text is outside what it can judge.
pub(crate) fn scan(source: &Source) -> Option<Scan<'_>> {
    let lines = source.line_count();
    let mut trie = Trie::with_capacity(source.parsed(), lines * 3);
    let mut leaves: Vec<Leaf> = Vec::with_capacity(lines);
    let mut path = Vec::with_capacity(16);
    for (line_index, (line_start, line)) in source.lines().enumerate() {
        let Some(parsed) = parse_line(line)? else {
            continue;
        };
        // The full parser's nesting limit, so that both readers accept the same files.
        let parts = line[..parsed.key_end]
            .bytes()
            .filter(|&b| b == b'.')
            .count()
            + 1;
        if parts > MAX_KEY_PARTS {
            return None;
        }
        let inner = match parsed.value {
            RawValue::Complex => Some(Box::new(line_local(&line[parsed.value_span.0..], parts)?)),
            _ => None,
        };
        let node = trie.insert(segments(&line[..parsed.key_end]), &mut path)?;
        trie.nodes[node].leaf = u32::try_from(leaves.len()).ok()?;
        leaves.push(Leaf {
            key_from: u32::try_from(line_start + parsed.key_from).ok()?,
            kind: parsed.value.kind(),
            inner,
            line: u32::try_from(line_index + 1).ok()?,
            value_start: u32::try_from(line_start + parsed.value_span.0).ok()?,
            value_len: u32::try_from(parsed.value_span.1 - parsed.value_span.0).ok()?,
            key_start: u32::try_from(line_start + parsed.key_span.0).ok()?,
            key_len: u32::try_from(parsed.key_span.1 - parsed.key_span.0).ok()?,
        });
    }
    Some(Scan { trie, leaves })
}

impl<'t> Scan<'t> {
    /// Calls `visit` with each leaf, depth-first in first-insertion order: the order of
    /// Python's nested dicts.
    fn walk(&self, mut visit: impl FnMut(&Leaf)) {
        let trie = &self.trie;
        let mut stack: Vec<usize> = trie.children(0).collect();
        stack.reverse();
        while let Some(id) = stack.pop() {
            let node = &trie.nodes[id];
            if let Some(leaf) = link(node.leaf) {
                visit(&self.leaves[leaf]);
            } else {
                let before = stack.len();
                stack.extend(trie.children(id));
                stack[before..].reverse();
            }
        }
    }

    /// The listed leaves, in order, as the key text and the value, without building entries:
    /// what `hst ls` prints. Complex values give their listed leaves as entries.
    pub(crate) fn for_each_listed(&self, source: &Source, mut visit: impl FnMut(Listed<'_>)) {
        self.walk(|leaf| {
            if let Some(inner) = &leaf.inner {
                let mut out = Leaves::default();
                graft(
                    inner,
                    &leaf_key(leaf, source.parsed()),
                    leaf,
                    source,
                    &mut out,
                );
                for entry in &out.listed {
                    visit(Listed::Entry(entry));
                }
                return;
            }
            let text = source.parsed();
            let full = leaf.key(text);
            let dot = full.bytes().rposition(|b| b == b'.');
            let last = dot.map_or(full, |d| &full[d + 1..]);
            let last = if has_blanks(last) {
                last.trim_matches([' ', '\t'])
            } else {
                last
            };
            if !crate::core::flatten::is_listed_text(last, leaf.content(text)) {
                return;
            }
            let key = if has_blanks(full) {
                std::borrow::Cow::Owned(segments(full).collect::<Vec<_>>().join("."))
            } else {
                std::borrow::Cow::Borrowed(full)
            };
            visit(Listed::Simple(&key, leaf.content(text)));
        });
    }
}

/// One listed leaf for [`Scan::for_each_listed`]: a simple value (`Some(text)` for a string,
/// `None` for an integer or boolean), or an entry of a complex value.
pub(crate) enum Listed<'a> {
    Simple(&'a str, Option<&'a str>),
    Entry(&'a Entry),
}

fn leaf_key(leaf: &Leaf, text: &str) -> KeyPath {
    let key = leaf.key(text);
    if has_blanks(key) {
        KeyPath::new(segments(key))
    } else {
        KeyPath::from_dotted_bare(key)
    }
}

/// The listed entries in the reference's order, or `None` if the text is outside the subset.
pub(crate) fn try_entries(source: &Source) -> Option<Leaves> {
    let scan = scan(source)?;
    let mut out = Leaves {
        listed: Vec::with_capacity(scan.leaves.len()),
        unlisted: Vec::new(),
    };
    scan.walk(|leaf| {
        let key = leaf_key(leaf, source.parsed());
        if let Some(inner) = &leaf.inner {
            graft(inner, &key, leaf, source, &mut out);
            return;
        }
        let value = leaf.to_value(source.parsed());
        let listed = is_listed(key.last(), &value);
        let entry = Entry {
            key,
            value,
            line: leaf.line as usize,
            span: source.span_to_original(leaf.value_span()),
            key_span: source.span_to_original(leaf.key_span()),
        };
        if listed {
            out.listed.push(entry);
        } else {
            out.unlisted.push(entry);
        }
    });
    Some(out)
}

/// The segments of a bare dotted key (`a . b.c` → `a`, `b`, `c`).
fn segments(key: &str) -> Segments<'_> {
    Segments {
        rest: Some(key),
        blanks: has_blanks(key),
    }
}

/// [`segments`], split byte by byte (a bare key is ASCII; this runs for every line).
struct Segments<'t> {
    rest: Option<&'t str>,
    blanks: bool,
}

impl<'t> Iterator for Segments<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let rest = self.rest?;
        let segment = match rest.bytes().position(|b| b == b'.') {
            Some(dot) => {
                self.rest = rest.get(dot + 1..);
                rest.get(..dot).unwrap_or_default()
            }
            None => {
                self.rest = None;
                rest
            }
        };
        Some(if self.blanks {
            segment.trim_matches([' ', '\t'])
        } else {
            segment
        })
    }
}

/// Whether a bare dotted key has blanks around its dots (rare; checked byte by byte).
fn has_blanks(key: &str) -> bool {
    key.bytes().any(|b| b == b' ' || b == b'\t')
}

/// The prefix of the one-line document a complex value is parsed as.
const LOCAL_PREFIX: &str = "v = ";

/// A value the simple scanner leaves alone, read by the full parser on its own: its leaves
/// (keyed `v`, `v.inner…`) with spans in the one-line document. `None` when it is not a whole
/// TOML value on this line (a multi-line string or array, a syntax error) or nests so deep
/// that the full parser's limit could apply to the file and not to the line.
fn line_local(rest: &str, key_parts: usize) -> Option<Leaves> {
    let brackets = rest.bytes().filter(|&b| b == b'{' || b == b'[').count();
    if key_parts + brackets > MAX_KEY_PARTS / 2 {
        return None;
    }
    let mut doc = String::with_capacity(LOCAL_PREFIX.len() + rest.len());
    doc.push_str(LOCAL_PREFIX);
    doc.push_str(rest);
    let local = Source::new(doc);
    let parsed = toml::de::DeTable::parse(local.parsed()).ok()?;
    // An integer too large to read: the full parser reports it with the file's line.
    crate::core::flatten::build(parsed.get_ref(), &local)
        .ok()
        .map(|(_, leaves)| leaves)
}

/// Moves the leaves of a line-local value under the line's key, into the file's coordinates.
fn graft(inner: &Leaves, key: &KeyPath, leaf: &Leaf, source: &Source, out: &mut Leaves) {
    // Where the one-line document's offset 0 falls in the file's parsed text.
    let origin = leaf.value_span().start - LOCAL_PREFIX.len();
    let moved = |span: std::ops::Range<usize>| {
        source.span_to_original(span.start + origin..span.end + origin)
    };
    for entry in inner.listed.iter().chain(&inner.unlisted) {
        let full = KeyPath::new(key.segments().chain(entry.key.segments().skip(1)));
        // The value's own key is the line's last segment; keys inside it are in the value.
        let key_span = if entry.key.len() == 1 {
            source.span_to_original(leaf.key_span())
        } else {
            moved(entry.key_span.clone())
        };
        let grafted = Entry {
            value: entry.value.clone(),
            line: leaf.line as usize,
            span: moved(entry.span.clone()),
            key_span,
            key: full,
        };
        if is_listed(grafted.key.last(), &grafted.value) {
            out.listed.push(grafted);
        } else {
            out.unlisted.push(grafted);
        }
    }
}

/// One key/value line, in offsets of the parsed text (u32: a file is at most 256 MiB, and a
/// million of these is what a large file costs in memory: 48 bytes each).
struct Leaf {
    /// Where the key starts (it ends where its last segment ends).
    key_from: u32,
    kind: Kind,
    /// The leaves of a complex value, read on their own (see [`line_local`]).
    inner: Option<Box<Leaves>>,
    line: u32,
    value_start: u32,
    value_len: u32,
    key_start: u32,
    key_len: u32,
}

impl Leaf {
    /// The key as written (bare segments, dots, maybe blanks around dots).
    fn key<'s>(&self, text: &'s str) -> &'s str {
        text.get(self.key_from as usize..(self.key_start + self.key_len) as usize)
            .unwrap_or_default()
    }

    /// The content of a string value (between its quotes: the scanner reads only strings
    /// without escapes, in one-byte quotes).
    fn content<'s>(&self, text: &'s str) -> Option<&'s str> {
        let Kind::Str = self.kind else {
            return None;
        };
        text.get(self.value_start as usize + 1..(self.value_start + self.value_len) as usize - 1)
    }

    fn to_value(&self, text: &str) -> Value {
        match self.kind {
            Kind::Str => Value::String(SecretValue::new(self.content(text).unwrap_or_default())),
            Kind::Int(i) => Value::Integer(i),
            Kind::Bool(b) => Value::Boolean(b),
            Kind::Complex => Value::Table(Box::default()),
        }
    }

    fn value_span(&self) -> std::ops::Range<usize> {
        self.value_start as usize..(self.value_start + self.value_len) as usize
    }

    /// The span of the key's last segment.
    fn key_span(&self) -> std::ops::Range<usize> {
        self.key_start as usize..(self.key_start + self.key_len) as usize
    }
}

/// First-insertion-ordered children, as singly linked lists in one vector (no allocation per
/// node), and a hash index from (parent, segment) to node that stores only node numbers (5
/// bytes a slot: the names stay in the file's text). Node 0 is the root.
struct Trie<'t> {
    text: &'t str,
    nodes: Vec<TrieNode>,
    index: hashbrown::HashTable<u32>,
}

/// `NONE` marks a missing link; u32 keeps a node at 28 bytes.
#[derive(Clone)]
struct TrieNode {
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    leaf: u32,
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

fn link(v: u32) -> Option<usize> {
    (v != NONE).then_some(v as usize)
}

impl<'t> Trie<'t> {
    fn with_capacity(text: &'t str, nodes: usize) -> Self {
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

    fn find(&self, parent: usize, segment: &str) -> Option<usize> {
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
    fn insert(
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

    fn children(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(link(self.nodes[id].first_child), |&c| {
            link(self.nodes[c].next_sibling)
        })
    }
}

enum RawValue {
    /// A basic string without escapes, or a literal string (its text stays in the file).
    Str,
    Int(i64),
    Bool(bool),
    /// Anything else: read by [`line_local`].
    Complex,
}

/// What a [`Leaf`] keeps of its value (a string's text stays in the file's text).
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Int(i64),
    Bool(bool),
    Complex,
}

impl RawValue {
    fn kind(&self) -> Kind {
        match self {
            RawValue::Str => Kind::Str,
            RawValue::Int(i) => Kind::Int(*i),
            RawValue::Bool(b) => Kind::Bool(*b),
            RawValue::Complex => Kind::Complex,
        }
    }
}

struct Line {
    /// Where the key starts in the line.
    key_from: usize,
    /// Where the key (up to its last segment) ends in the line.
    key_end: usize,
    value: RawValue,
    /// Byte ranges within the line.
    value_span: (usize, usize),
    key_span: (usize, usize),
}

/// `Some(None)`: blank or comment. `Some(Some(_))`: a key/value line. `None`: outside the subset.
fn parse_line(line: &str) -> Option<Option<Line>> {
    let bytes = line.as_bytes();
    let mut i = skip_ws(bytes, 0);
    if i == bytes.len() {
        return Some(None);
    }
    if bytes[i] == b'#' {
        return comment_ok(&bytes[i + 1..]).then_some(None);
    }
    let key_from = i;
    let mut key_span;
    loop {
        let start = i;
        i += bytes[i..]
            .iter()
            .position(|&b| !is_bare_key_byte(b))
            .unwrap_or(bytes.len() - i);
        if i == start {
            return None;
        }
        key_span = (start, i);
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b'.') => i = skip_ws(bytes, i + 1),
            Some(b'=') => break,
            _ => return None,
        }
    }
    i = skip_ws(bytes, i + 1);
    let value_start = i;
    if let Some((value, end)) = parse_value(line, i) {
        let after = skip_ws(bytes, end);
        let tail_ok = match bytes.get(after) {
            None => true,
            Some(b'#') => comment_ok(&bytes[after + 1..]),
            _ => false,
        };
        if tail_ok {
            return Some(Some(Line {
                key_from,
                key_end: key_span.1,
                value,
                value_span: (value_start, end),
                key_span,
            }));
        }
    }
    // The rest of the line, for the full parser to judge.
    Some(Some(Line {
        key_from,
        key_end: key_span.1,
        value: RawValue::Complex,
        value_span: (value_start, bytes.len()),
        key_span,
    }))
}

/// The simple value starting at byte `i` and the offset just after it, or `None` for anything
/// the fast path leaves to the full parser.
fn parse_value(line: &str, mut i: usize) -> Option<(RawValue, usize)> {
    let bytes = line.as_bytes();
    let value = match bytes.get(i)? {
        b'"' => {
            let content_start = i + 1;
            let len = bytes[content_start..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || is_control(b))?;
            let end = content_start + len;
            if bytes[end] != b'"' || bytes.get(end + 1) == Some(&b'"') {
                // An escape, a control character, or `"""`: leave it to the full parser.
                return None;
            }
            i = end + 1;
            RawValue::Str
        }
        b'\'' => {
            let content_start = i + 1;
            let len = bytes[content_start..]
                .iter()
                .position(|&b| b == b'\'' || is_control(b))?;
            let end = content_start + len;
            if bytes[end] != b'\'' || len == 0 && bytes.get(end + 1) == Some(&b'\'') {
                return None;
            }
            i = end + 1;
            RawValue::Str
        }
        b't' if bytes[i..].starts_with(b"true") => {
            i += 4;
            RawValue::Bool(true)
        }
        b'f' if bytes[i..].starts_with(b"false") => {
            i += 5;
            RawValue::Bool(false)
        }
        b'0'..=b'9' | b'+' | b'-' => {
            let end = bytes[i..]
                .iter()
                .position(|&b| !(b.is_ascii_digit() || b == b'+' || b == b'-'))
                .map_or(bytes.len(), |p| i + p);
            let n = decimal_int(&line[i..end])?;
            i = end;
            RawValue::Int(n)
        }
        _ => return None,
    };
    Some((value, i))
}

/// A decimal integer as TOML writes it without underscores: optional sign, no leading zeros.
fn decimal_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    text.parse().ok()
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    i
}

/// Bytes of bare keys, as a table: this test runs for every key byte of the file.
const BARE_KEY_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    table
};

fn is_bare_key_byte(b: u8) -> bool {
    BARE_KEY_BYTES[usize::from(b)]
}

/// Control characters TOML forbids in strings and comments (tab is allowed).
fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

fn comment_ok(rest: &[u8]) -> bool {
    !rest.iter().any(|&b| is_control(b))
}
