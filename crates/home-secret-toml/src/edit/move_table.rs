//! `hst mv -r` / `cp -r` of a flat file's table in one pass, where the general edit (key by key,
//! each added where a new key goes) gives a result that can be worked out up front: the target
//! table is new, so every moved key lands in one block, placed where the first one goes (after
//! the last line of the deepest table on the target's way, or at the end), each key within the
//! block after the last one it shares the most parts with. Anything else is left to the
//! key-by-key path (`move_line_tests.rs` compares what `apply` makes with the general edit's
//! bytes on every fixture and generated file).

use std::collections::HashMap;

use zeroize::Zeroizing;

use super::literal::key_text;
use super::newline;
use super::one_line::{holds_table, reads_as};
use super::several::comment_after;
use crate::flat_scan::{self, Keep, line_value};
use crate::key_path::KeyPath;
use crate::source::Source;

/// The table `from` moved (`remove`) or copied to `to` as one block, with how many keys; `None`
/// for the key-by-key path.
pub(super) fn moved_table(
    source: &Source,
    from: &KeyPath,
    to: &KeyPath,
    remove: bool,
) -> Option<(Zeroizing<String>, usize)> {
    let original = source.original();
    // A last line without a line break moves that break around: the key-by-key path.
    if source.has_lone_cr()
        || !original.ends_with('\n')
        || to.starts_with(from)
        || to
            .segments()
            .any(|part| super::check_key_part(part).is_err())
    {
        return None;
    }
    let scan = flat_scan::scan_keeping(source, Keep::Lines)?;
    let lines = scan.lines_under(from)?;
    let depth = scan.tables_along(to)?;
    // The deepest table on the target's way must hold none of the lines that go (they would
    // be where the first key lands while they are still there); the root: at the end.
    if depth > 0 && from.starts_with(&to.prefix(depth)) {
        return None;
    }
    let at = match depth {
        0 => original.len(),
        _ => match scan.spot(to)? {
            flat_scan::Spot::New(Some(after)) => source.next_line_start_original(after)?,
            _ => return None,
        },
    };
    drop(scan);
    let nl = newline(original);
    let mut block = Block::default();
    for &index in &lines {
        let (_, line) = source.line(index)?;
        let read = line_value(line)?;
        let key = read.key_path(line);
        if !key.starts_with(from) || holds_table(&read.value) {
            return None;
        }
        let target = KeyPath::new(to.segments().chain(key.segments().skip(from.len())));
        let literal = line.get(read.span.clone())?;
        let new = format!(
            "{} = {literal}{}",
            key_text(target.segments()),
            comment_after(line, read.span.end)
        );
        if !reads_as(&new, &target, literal) {
            return None;
        }
        block.add(target, new)?;
    }
    let removed: Vec<usize> = if remove { lines.clone() } else { Vec::new() };
    let text = assemble(source, &removed, at, &block.lines_in_order(), nl)?;
    Some((text, lines.len()))
}

/// The new lines in the order the key-by-key path leaves them: each after the last line of
/// the keys it shares the most parts with.
#[derive(Default)]
struct Block {
    lines: Vec<String>,
    /// Each item's next in the block (a list: items go in the middle).
    next: Vec<Option<usize>>,
    first: Option<usize>,
    /// For each table in the block (and each key, to find a key below another), the last item
    /// under it.
    last_under: HashMap<KeyPath, usize>,
    leaves: std::collections::HashSet<KeyPath>,
}

impl Block {
    fn add(&mut self, key: KeyPath, line: String) -> Option<()> {
        let id = self.lines.len();
        // A key below another moved key, or one twice: the key-by-key path refuses it.
        if (1..=key.len()).any(|n| self.leaves.contains(&key.prefix(n)))
            || self.last_under.contains_key(&key)
        {
            return None;
        }
        let shared = (1..key.len())
            .rev()
            .find(|&n| self.last_under.contains_key(&key.prefix(n)));
        let anchor = shared.and_then(|n| self.last_under.get(&key.prefix(n)).copied());
        self.lines.push(line);
        match anchor {
            None if self.first.is_none() => {
                self.first = Some(id);
                self.next.push(None);
            }
            // The first key fixed where the block goes; every later one shares the target.
            None => return None,
            Some(after) => {
                self.next.push(self.next[after]);
                self.next[after] = Some(id);
            }
        }
        let shared = shared.unwrap_or(0);
        for n in 1..key.len() {
            let prefix = key.prefix(n);
            match self.last_under.get(&prefix) {
                Some(&last) if n <= shared && Some(last) != anchor => {}
                _ => {
                    self.last_under.insert(prefix, id);
                }
            }
        }
        self.leaves.insert(key);
        Some(())
    }

    fn lines_in_order(&self) -> Vec<&str> {
        std::iter::successors(self.first, |&id| self.next[id])
            .map(|id| self.lines[id].as_str())
            .collect()
    }
}

/// The original text without the lines `removed` (file order), with `block` inserted at byte
/// `at` (a line start or the end).
fn assemble(
    source: &Source,
    removed: &[usize],
    at: usize,
    block: &[&str],
    nl: &str,
) -> Option<Zeroizing<String>> {
    let original = source.original();
    let mut out = Zeroizing::new(String::with_capacity(original.len() + block.len() * 64));
    let mut kept_from = 0;
    let insert = |out: &mut String| {
        for line in block {
            out.push_str(line);
            out.push_str(nl);
        }
    };
    let mut inserted = false;
    for &index in removed {
        let (start, _) = source.line(index)?;
        let from = source.to_original(start);
        let to = source
            .next_line_start_original(index)
            .unwrap_or(original.len());
        if !inserted && at <= from {
            out.push_str(original.get(kept_from..at)?);
            insert(&mut out);
            inserted = true;
            kept_from = at;
        }
        out.push_str(original.get(kept_from..from)?);
        kept_from = to;
    }
    if !inserted {
        out.push_str(original.get(kept_from..at)?);
        insert(&mut out);
        kept_from = at;
    }
    out.push_str(original.get(kept_from..)?);
    Some(out)
}
