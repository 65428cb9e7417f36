//! [`set_value`](super::set_value) for a file the flat-file scanner reads, without building an
//! entry for every key: `hst set` on a million keys. The scan still reads every line (an error
//! anywhere is still an error), finds where the key stands, and the one line that changes is
//! read again, alone, and compared with what was asked for. Anything else (a table, a value
//! over several lines, a file with `[sections]`) is left to the general edit, which parses the
//! result whole. `one_line_tests.rs` checks both give the same bytes and the same refusals.

use std::path::Path;

use zeroize::Zeroizing;

use super::literal::{InputType, key_text, literal as value_literal};
use super::place::{self, NewLine};
use super::several::without_last_line;
use super::{EditError, check_key_part, leaves_of, same};
use crate::error::Result;
use crate::file::SecretFile;
use crate::flat_scan::{self, Keep, Spot, line_value};
use crate::key_path::KeyPath;
use crate::source::Source;
use crate::store::{Revision, Snapshot};
use crate::value::Value;

/// What [`set_in_place`] made of the file (the three outcomes there are).
pub enum SetInPlace {
    /// Only the value's bytes changed (or one line was added).
    Spliced(Spliced),
    /// The edit is refused, as [`set_value`](super::set_value) would refuse it.
    Refused(EditError),
    /// The whole file, parsed: make the edit with [`set_value`](super::set_value).
    Whole(Box<SecretFile>),
}

/// A file's new text after a one-line edit; wiped from memory when dropped.
pub struct Spliced {
    text: Zeroizing<String>,
    read_at: Revision,
    added: bool,
    keys: usize,
}

impl Spliced {
    /// What to write.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The revision of the file the edit was made on (what a save compares the disk with).
    pub fn read_at(&self) -> Revision {
        self.read_at
    }

    /// Whether a new key was added (rather than an existing value changed).
    pub fn added(&self) -> bool {
        self.added
    }

    /// How many keys the edit changed, added or removed (a table's keys: each one).
    pub fn keys(&self) -> usize {
        self.keys
    }
}

impl Spliced {
    pub(super) fn with_keys(mut self, keys: usize) -> Self {
        self.keys = keys;
        self
    }

    pub(super) fn new(text: Zeroizing<String>, read_at: Revision, added: bool) -> Self {
        Self {
            text,
            read_at,
            added,
            keys: 1,
        }
    }
}

impl std::fmt::Debug for Spliced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spliced")
            .field("added", &self.added)
            .finish_non_exhaustive()
    }
}

/// `key` gets `text` read as `input` in what the store read from `path`, as
/// [`set_value`](super::set_value) would make it, building one value rather than the whole
/// file when the scanner reads the file. Parse errors are the loader's.
pub fn set_in_place(
    path: &Path,
    snapshot: Snapshot,
    key: &KeyPath,
    text: &str,
    input: Option<InputType>,
) -> Result<SetInPlace> {
    let (source, read_at) = SecretFile::read_source(path, snapshot)?;
    let spot = match flat_scan::scan_keeping(&source, Keep::Lines) {
        Some(scan) => scan.spot(key),
        None => None,
    };
    let made = match spot {
        Some(Spot::Value(index)) => set_line(&source, index, key, text, input),
        Some(Spot::New(after)) => add_line(&source, after, key, text, input),
        None => Made::Whole,
    };
    Ok(match made {
        Made::Text { text, added, .. } => SetInPlace::Spliced(Spliced::new(text, read_at, added)),
        Made::Refused(e) => SetInPlace::Refused(e),
        Made::Whole => SetInPlace::Whole(Box::new(
            SecretFile::from_source(path, source)?.with_revision(read_at),
        )),
    })
}

/// [`set_in_place`] on a file already loaded (the TUI's, an import's): the edit and the edited
/// file (read as lines again), or `None` when the general edit must make it (a file the
/// scanner did not read, a key its line cannot take alone).
pub(super) fn set_in_file(
    file: &SecretFile,
    key: &KeyPath,
    text: &str,
    input: Option<InputType>,
) -> Option<std::result::Result<(super::Edit, SecretFile), EditError>> {
    if !file.read_as_lines() {
        return None;
    }
    let source = file.source();
    let spot = flat_scan::scan_keeping(source, Keep::Lines)?.spot(key)?;
    let made = match spot {
        Spot::Value(index) => set_line(source, index, key, text, input),
        Spot::New(after) => add_line(source, after, key, text, input),
    };
    let (mut new_text, added, literal) = match made {
        Made::Text {
            text,
            added,
            literal,
        } => (text, added, literal),
        Made::Refused(e) => return Some(Err(e)),
        Made::Whole => return None,
    };
    let key = key.clone();
    let edit = if added {
        super::Edit::Add { key, literal }
    } else {
        super::Edit::Set { key, literal }
    };
    // Moved out, not copied: the zeroizing buffer is left empty.
    let edited = SecretFile::from_text(file.path(), std::mem::take(&mut *new_text))
        .map_err(|e| EditError::Unsafe(format!("the result would not parse ({e})")));
    Some(edited.map(|edited| (edit, edited)))
}

/// What [`remove_in_place`] made of the file.
pub enum RemoveInPlace {
    /// Only the key's line was taken out.
    Spliced(Spliced),
    /// The whole file, parsed: delete with [`apply`](super::apply).
    Whole(Box<SecretFile>),
}

/// `key` deleted from what the store read from `path` as [`apply`](super::apply) would
/// delete it, without building the whole file when the key is a one-line leaf the scanner
/// found (`hst rm` on a million keys). Parse errors are the loader's.
pub fn remove_in_place(path: &Path, snapshot: Snapshot, key: &KeyPath) -> Result<RemoveInPlace> {
    let (source, read_at) = SecretFile::read_source(path, snapshot)?;
    if let Some((text, keys)) = removed(&source, key) {
        return Ok(RemoveInPlace::Spliced(Spliced {
            text,
            read_at,
            added: false,
            keys,
        }));
    }
    Ok(RemoveInPlace::Whole(Box::new(
        SecretFile::from_source(path, source)?.with_revision(read_at),
    )))
}

/// [`apply`](super::apply) of a delete on a file already loaded: the key's line taken out and
/// the rest read again as lines, when the key is a one-line leaf the scanner found (`None`:
/// the general edit makes it). The other lines are the same lines, each read alone, so every
/// other leaf is the same; the general edit would compare a million of them.
pub(super) fn delete_in_file(
    file: &SecretFile,
    key: &KeyPath,
) -> Option<std::result::Result<SecretFile, EditError>> {
    if !file.read_as_lines() {
        return None;
    }
    let (mut new_text, _) = removed(file.source(), key)?;
    // Moved out, not copied: the zeroizing buffer is left empty.
    let edited = SecretFile::from_text(file.path(), std::mem::take(&mut *new_text))
        .map_err(|e| EditError::Unsafe(format!("the result would not parse ({e})")));
    Some(edited)
}

/// The text without `key`'s line, or (a table) without the lines of every key under it, each
/// of them a one-line value that is no table, with how many keys went; `None` for the general
/// edit.
fn removed(source: &Source, key: &KeyPath) -> Option<(Zeroizing<String>, usize)> {
    // The scan is dropped before the new text is made (a million keys: the key trie is a
    // third of the peak otherwise).
    let scan = flat_scan::scan_keeping(source, Keep::Lines)?;
    let spot = scan.spot(key);
    let under = match spot {
        None => Some(scan.lines_under(key)?),
        Some(_) => None,
    };
    drop(scan);
    match (spot, under) {
        (Some(Spot::Value(index)), _) => Some((remove_line(source, index, key)?, 1)),
        (None, Some(lines)) => Some((remove_lines(source, &lines, key)?, lines.len())),
        _ => None,
    }
}

/// The text without the lines `lines` (in file order), each a key under the table `prefix`
/// holding one value that is no table: what the general edit gives deleting them one by one.
fn remove_lines(source: &Source, lines: &[usize], prefix: &KeyPath) -> Option<Zeroizing<String>> {
    if source.has_lone_cr() || lines.is_empty() {
        return None;
    }
    let original = source.original();
    let mut out = Zeroizing::new(String::with_capacity(original.len()));
    let mut kept_from = 0;
    for &index in lines {
        let (start, line) = source.line(index)?;
        let read = line_value(line)?;
        if !read.key_path(line).starts_with(prefix) || holds_table(&read.value) {
            return None;
        }
        out.push_str(original.get(kept_from..source.to_original(start))?);
        kept_from = source
            .next_line_start_original(index)
            .unwrap_or(original.len());
    }
    out.push_str(&original[kept_from..]);
    // The last line went and had no line break: the file keeps having none.
    let bom = crate::source::bom_len(original);
    if kept_from == original.len() && !original.ends_with(['\n', '\r']) && out.len() > bom {
        let cut = if out.ends_with("\r\n") {
            2
        } else {
            usize::from(out.ends_with('\n'))
        };
        let end = out.len() - cut;
        out.truncate(end);
    }
    Some(out)
}

/// The text without line `index`, which must be `key` and its one value (no table: its keys
/// would go too), line break and all; a BOM before it stays.
pub(super) fn remove_line(
    source: &Source,
    index: usize,
    key: &KeyPath,
) -> Option<Zeroizing<String>> {
    if source.has_lone_cr() {
        return None;
    }
    let (start, line) = source.line(index)?;
    let read = line_value(line)?;
    if read.key_path(line) != *key || holds_table(&read.value) {
        return None;
    }
    let original = source.original();
    let from = source.to_original(start);
    let to = source
        .next_line_start_original(index)
        .unwrap_or(original.len());
    let bom = crate::source::bom_len(original);
    Some(splice(
        original,
        without_last_line(original, from, to, bom),
        "",
    ))
}

enum Made {
    Text {
        text: Zeroizing<String>,
        added: bool,
        literal: String,
    },
    Refused(EditError),
    Whole,
}

/// The value on line `index` replaced.
fn set_line(
    source: &Source,
    index: usize,
    key: &KeyPath,
    text: &str,
    input: Option<InputType>,
) -> Made {
    let Some((start, line)) = source.line(index) else {
        return Made::Whole;
    };
    let Some(old) = line_value(line).filter(|old| !holds_table(&old.value)) else {
        return Made::Whole;
    };
    let Some(old_literal) = line.get(old.span.clone()) else {
        return Made::Whole;
    };
    let input = input.unwrap_or_else(|| InputType::for_kind(old.value.kind()));
    let literal = match value_literal(input, text, Some(old_literal)) {
        Ok(literal) => literal,
        Err(e) => return Made::Refused(e),
    };
    let new_line = format!(
        "{}{literal}{}",
        &line[..old.span.start],
        &line[old.span.end..]
    );
    if !reads_as(&new_line, key, &literal) {
        return Made::Whole;
    }
    let span = source.span_to_original(start + old.span.start..start + old.span.end);
    let original = source.original();
    if original.get(span.clone()) != Some(old_literal) {
        return Made::Whole;
    }
    Made::Text {
        text: splice(original, span, &literal),
        added: false,
        literal,
    }
}

/// A new line for `key` after line `after` (at the end when `None`).
fn add_line(
    source: &Source,
    after: Option<usize>,
    key: &KeyPath,
    text: &str,
    input: Option<InputType>,
) -> Made {
    // The general path's first checks, in its order: the value, then the key's parts.
    let literal = match value_literal(input.unwrap_or(InputType::String), text, None) {
        Ok(literal) => literal,
        Err(e) => return Made::Refused(e),
    };
    if key.is_empty() {
        return Made::Whole;
    }
    if let Some(e) = key.segments().find_map(|part| check_key_part(part).err()) {
        return Made::Refused(e);
    }
    match add_literal(
        source,
        after,
        key,
        NewLine::plain(&literal, source.original()),
    ) {
        Some(text) => Made::Text {
            text,
            added: true,
            literal,
        },
        None => Made::Whole,
    }
}

/// The text with the line `key = literal` (and its comment) after line `after` (at the end
/// when `None`), where the general edit puts a new key; `None` when that line does not read
/// back as `key` holding that one value.
pub(super) fn add_literal(
    source: &Source,
    after: Option<usize>,
    key: &KeyPath,
    new: NewLine<'_>,
) -> Option<Zeroizing<String>> {
    let line = format!(
        "{} = {}{}",
        key_text(key.segments()),
        new.literal,
        new.comment
    );
    if source.has_lone_cr() || !reads_as(&line, key, new.literal) {
        return None;
    }
    let original = source.original();
    let at = match after {
        Some(index) => source
            .next_line_start_original(index)
            .unwrap_or(original.len()),
        None => original.len(),
    };
    Some(Zeroizing::new(place::after_line(
        original, at, &line, new.nl,
    )))
}

/// Whether `line`, read alone by the scanner, is `key` holding the one value `literal` is,
/// and that value is no table (which would change the key tree the rest of the file is read
/// against).
pub(super) fn reads_as(line: &str, key: &KeyPath, literal: &str) -> bool {
    if line.contains(['\n', '\r']) {
        return false;
    }
    let Ok(expected) = leaves_of(key, literal) else {
        return false;
    };
    let [(expected_key, expected)] = expected.as_slice() else {
        return false;
    };
    let Some(read) = line_value(line) else {
        return false;
    };
    expected_key == key
        && read.key_path(line) == *key
        && !holds_table(expected)
        && same(expected, &read.value)
}

/// A table, or an array holding one: values whose keys the key tree also knows.
pub(super) fn holds_table(value: &Value) -> bool {
    match value {
        Value::Table(_) => true,
        Value::Array(items) => items.iter().any(holds_table),
        _ => false,
    }
}

pub(super) fn splice(text: &str, span: std::ops::Range<usize>, with: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(text.len() + with.len()));
    out.push_str(&text[..span.start]);
    out.push_str(with);
    out.push_str(&text[span.end..]);
    out
}

#[cfg(test)]
#[path = "delete_line_tests.rs"]
pub(super) mod delete_tests;
#[cfg(test)]
#[path = "one_line_tests.rs"]
mod tests;
