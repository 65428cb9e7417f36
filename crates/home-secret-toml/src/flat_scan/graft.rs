//! Values the line scanner leaves alone (an inline table, an array, a float, a date, an escaped
//! string): each is read by the full parser on its own, as the one-line document `v = VALUE`,
//! and its leaves are moved under the line's key, their spans back into the file.

use super::{Leaf, MAX_KEY_PARTS};
use crate::entry::{Entry, Leaves};
use crate::flatten::is_listed;
use crate::key_path::KeyPath;
use crate::source::Source;

/// The prefix of the one-line document a complex value is parsed as.
pub(super) const LOCAL_PREFIX: &str = "v = ";

/// A value the simple scanner leaves alone, read by the full parser on its own: its leaves
/// (keyed `v`, `v.inner…`) with spans in the one-line document. `None` when it is not a whole
/// TOML value on this line (a multi-line string or array, a syntax error) or nests so deep
/// that the full parser's limit could apply to the file and not to the line.
pub(super) fn line_local(rest: &str, key_parts: usize) -> Option<Leaves> {
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
    crate::flatten::build(parsed.get_ref(), &local)
        .ok()
        .map(|(_, leaves)| leaves)
}

/// A value the simple scanner leaves alone, as one value (what a lookup of its key gives).
pub(super) fn local_value(literal: &str) -> Option<crate::value::Value> {
    let local = Source::new(format!("{LOCAL_PREFIX}{literal}"));
    let parsed = toml::de::DeTable::parse(local.parsed()).ok()?;
    let (mut table, _) = crate::flatten::build(parsed.get_ref(), &local).ok()?;
    table.swap_remove("v")
}

/// Moves the leaves of a line-local value under the line's key, into the file's coordinates.
pub(super) fn graft(inner: &Leaves, key: &KeyPath, leaf: &Leaf, source: &Source, out: &mut Leaves) {
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
