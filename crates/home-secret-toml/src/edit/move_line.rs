//! `hst mv` / `hst cp` of one key on a line of its own, and the TUI's rename, made on that line
//! in a file the flat-file scanner reads: renamed in place when only the last part changes,
//! else the line taken out (a move) and `key = literal` added where the general edit adds a
//! new key. The scan still checks every line; the lines not touched are the same lines, each
//! read alone, so their leaves are the same. Anything else (a table, a key that exists, a file
//! with `[sections]`) is left to the general edit; `move_line_tests.rs` checks both give the
//! same bytes.

use std::ops::Range;
use std::path::Path;

use zeroize::Zeroizing;

use super::literal::key_text;
use super::one_line::{
    RemoveInPlace, Spliced, add_literal, holds_table, reads_as, remove_line, splice,
};
use super::place::NewLine;
use super::several::comment_after;
use super::{EditError, check_key_part, newline};
use crate::error::Result;
use crate::file::SecretFile;
use crate::flat_scan::{self, Keep, Spot, line_value};
use crate::key_path::KeyPath;
use crate::source::Source;
use crate::store::Snapshot;

/// `from` moved (`remove`) or copied to `to` in what the store read from `path`, as
/// [`apply`](super::apply) would, without building the whole file when `from` is a one-line
/// leaf and `to` a new key the scanner can place. Parse errors are the loader's.
pub fn move_in_place(
    path: &Path,
    snapshot: Snapshot,
    from: &KeyPath,
    to: &KeyPath,
    remove: bool,
) -> Result<RemoveInPlace> {
    let (source, read_at) = SecretFile::read_source(path, snapshot)?;
    if let Some((text, keys)) = moved_all(&source, from, to, remove) {
        return Ok(RemoveInPlace::Spliced(
            Spliced::new(text, read_at, true).with_keys(keys),
        ));
    }
    Ok(RemoveInPlace::Whole(Box::new(
        SecretFile::from_source(path, source)?.with_revision(read_at),
    )))
}

/// [`move_in_place`] on a file already loaded (the TUI's): the edited file read as lines
/// again, or `None` when the general edit must make it.
pub(super) fn move_in_file(
    file: &SecretFile,
    from: &KeyPath,
    to: &KeyPath,
    remove: bool,
) -> Option<std::result::Result<SecretFile, EditError>> {
    if !file.read_as_lines() {
        return None;
    }
    let (mut text, _) = moved_all(file.source(), from, to, remove)?;
    // Moved out, not copied: the zeroizing buffer is left empty.
    let edited = SecretFile::from_text(file.path(), std::mem::take(&mut *text))
        .map_err(|e| EditError::Unsafe(format!("the result would not parse ({e})")));
    Some(edited)
}

/// [`move_in_file`] of one key only (a rename: a table is refused by the general edit).
pub(super) fn rename_in_file(
    file: &SecretFile,
    from: &KeyPath,
    to: &KeyPath,
) -> Option<std::result::Result<SecretFile, EditError>> {
    if !file.read_as_lines() {
        return None;
    }
    let source = file.source();
    let mut text = moved(source, from, to, true, newline(source.original()))?;
    let edited = SecretFile::from_text(file.path(), std::mem::take(&mut *text))
        .map_err(|e| EditError::Unsafe(format!("the result would not parse ({e})")));
    Some(edited)
}

/// [`moved`], for a table each of its keys in file order, as the general edit moves them
/// (each step scans the file again, but never parses it whole); with how many keys moved.
fn moved_all(
    source: &Source,
    from: &KeyPath,
    to: &KeyPath,
    remove: bool,
) -> Option<(Zeroizing<String>, usize)> {
    // The file's line ending, judged once on the file as it is (a step may take out the only
    // line that showed it).
    let nl = newline(source.original());
    if let Some(text) = moved(source, from, to, remove, nl) {
        return Some((text, 1));
    }
    if to.is_empty() || to.starts_with(from) {
        return None;
    }
    // A new target table: one pass (a million keys: one scan, not two a key).
    if let Some(done) = super::move_table::moved_table(source, from, to, remove) {
        return Some(done);
    }
    let keys = {
        let scan = flat_scan::scan_keeping(source, Keep::Lines)?;
        let lines = scan.lines_under(from)?;
        let mut keys = Vec::with_capacity(lines.len());
        for index in lines {
            let (_, line) = source.line(index)?;
            keys.push(line_value(line)?.key_path(line));
        }
        keys
    };
    let mut text: Option<Zeroizing<String>> = None;
    for key in &keys {
        let target = KeyPath::new(to.segments().chain(key.segments().skip(from.len())));
        let next = match text.take() {
            None => moved(source, key, &target, remove, nl)?,
            Some(mut current) => {
                let current = Source::new(std::mem::take(&mut *current));
                moved(&current, key, &target, remove, nl)?
            }
        };
        text = Some(next);
    }
    Some((text?, keys.len()))
}

/// The new text, or `None` for the general edit (which also gives every refusal).
fn moved(
    source: &Source,
    from: &KeyPath,
    to: &KeyPath,
    remove: bool,
    nl: &'static str,
) -> Option<Zeroizing<String>> {
    if to.is_empty()
        || (to.starts_with(from) && to.len() > from.len())
        || to.segments().any(|part| check_key_part(part).is_err())
        || source.has_lone_cr()
    {
        return None;
    }
    let scan = flat_scan::scan_keeping(source, Keep::Lines)?;
    let Spot::Value(index) = scan.spot(from)? else {
        return None;
    };
    let Spot::New(after) = scan.spot(to)? else {
        return None;
    };
    drop(scan);
    let (start, line) = source.line(index)?;
    let read = line_value(line)?;
    if read.key_path(line) != *from || holds_table(&read.value) {
        return None;
    }
    let literal = line.get(read.span.clone())?;
    let same_parent =
        from.len() == to.len() && to.starts_with(&from.prefix(from.len().saturating_sub(1)));
    if remove && same_parent {
        let last = last_part(line, read.key.clone())?;
        let name = key_text([to.last()]);
        let renamed = format!("{}{name}{}", &line[..last.start], &line[last.end..]);
        if !reads_as(&renamed, to, literal) {
            return None;
        }
        let span = source.span_to_original(start + last.start..start + last.end);
        return Some(splice(source.original(), span, &name));
    }
    // The line goes with its comment, in the file's line ending.
    let new = NewLine {
        literal,
        comment: comment_after(line, read.span.end),
        nl,
    };
    if !remove {
        return add_literal(source, after, to, new);
    }
    // Where the new line goes is judged on the file without the old one, as the general
    // edit does (the old line may have been the last of `to`'s relatives).
    let rest = Source::new(std::mem::take(&mut *remove_line(source, index, from)?));
    match flat_scan::scan_keeping(&rest, Keep::Lines)?.spot(to)? {
        Spot::New(after) => add_literal(&rest, after, to, new),
        Spot::Value(_) => None,
    }
}

/// The last part of the key written in `line[key]` (quotes included).
fn last_part(line: &str, key: Range<usize>) -> Option<Range<usize>> {
    let bytes = line.as_bytes();
    let mut at = key.start;
    let mut last = None;
    while at < key.end {
        let start = at;
        match bytes.get(at)? {
            b' ' | b'\t' | b'.' => {
                at += 1;
                continue;
            }
            b'"' => {
                at += 1;
                while *bytes.get(at)? != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at += 1;
            }
            b'\'' => {
                at += 1;
                while *bytes.get(at)? != b'\'' {
                    at += 1;
                }
                at += 1;
            }
            _ => {
                while at < key.end && !matches!(bytes[at], b' ' | b'\t' | b'.') {
                    at += 1;
                }
            }
        }
        last = Some(start..at);
    }
    last.filter(|part| part.end <= key.end)
}

#[cfg(test)]
#[path = "move_line_tests.rs"]
mod tests;
