//! The secrets file: read, parse, index. Nothing here writes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use toml::de::DeTable;

use crate::entry::{Entry, Leaves};
use crate::error::{Error, Result};
use crate::source::{Source, line_col_in};
use crate::store::{Revision, Snapshot, Store};
use crate::value::{Reference, SecretValue, Table, TextError, TextForm, Textual, Value, text};
use crate::{flat_scan, flatten};

mod by_index;

/// What a lookup that builds only what it needs gives: `Ok` the values, or `Err` the whole file,
/// parsed, for the caller's full lookup (a table, a missing key, a file only the full parser
/// reads).
pub type Found<T> = std::result::Result<T, Box<SecretFile>>;

/// A loaded secrets file: its text, the nested data (what Python's `tomllib` returns) and the
/// listed leaves in the reference's order.
pub struct SecretFile {
    path: PathBuf,
    source: Source,
    /// The leaves as line numbers when the scanner read the file (see `flat_scan::Lean`).
    lean: Option<flat_scan::Lean>,
    /// The leaves as entries: from the full parser, or built from `lean` when first asked for.
    leaves: OnceLock<Leaves>,
    /// Built on first use when the fast path read the file (`hst ls` never needs it).
    data: OnceLock<Table>,
    /// What was on disk, when it was read from disk (see [`SecretFile::revision`]).
    revision: Option<Revision>,
}

impl SecretFile {
    /// Reads and parses `path`. A missing file is [`Error::NotFound`] (the reference's message).
    /// Only regular files are read, whole and unchanging (see [`crate::store`]).
    pub fn load(path: &Path) -> Result<Self> {
        Self::from_snapshot(path, Store::new(path).read()?)
    }

    /// Parses what the store read from `path`, keeping its revision for a later save.
    pub fn from_snapshot(path: &Path, mut snapshot: Snapshot) -> Result<Self> {
        // Moved out, not copied: the zeroizing buffer is left empty.
        let bytes = std::mem::take(&mut *snapshot.bytes);
        let mut file = Self::from_bytes(path, bytes)?;
        file.revision = Some(snapshot.revision);
        Ok(file)
    }

    /// The value at `dotted` in what the store read from `path`, looked up the way
    /// [`SecretFile::lookup`] does, building only that value when the flat-file scanner can
    /// read the file (the whole file is still checked: an error anywhere is an error).
    /// `Ok(Err(file))`: the whole file, parsed, for a key that is a table, that is not there
    /// (the caller's lookup gives the error and its suggestions) or a file the scanner leaves
    /// to the full parser.
    pub fn find(path: &Path, mut snapshot: Snapshot, dotted: &str) -> Result<Found<Value>> {
        let bytes = std::mem::take(&mut *snapshot.bytes);
        let source = Source::new(utf8(path, bytes)?);
        Ok(Self::find_in(path, source, dotted)?
            .map_err(|file| Box::new(file.with_revision(snapshot.revision))))
    }

    /// The value of the leaf `dotted` in the file at `path`, found while the file streams past
    /// (never held whole; every line is still checked), with its 1-based line. `None` when
    /// that cannot be answered so (an encrypted file, one not settled now, one the scanner
    /// leaves to the full parser, a key that is no one-line leaf, any error): then
    /// [`SecretFile::find`] on what [`Store::read`](crate::store::Store::read) gives answers,
    /// with the error if there is one.
    pub fn find_streamed(path: &Path, dotted: &str) -> Option<(Value, usize)> {
        let mut stream = flat_scan::Stream::new(dotted);
        let store = crate::store::Store::new(path);
        match store.read_in_blocks(&mut |block| stream.feed(block)) {
            Ok(true) => stream.finish(),
            _ => None,
        }
    }

    /// The text the store read from `path`, as a source, and the revision it was read at.
    pub(crate) fn read_source(path: &Path, mut snapshot: Snapshot) -> Result<(Source, Revision)> {
        let bytes = std::mem::take(&mut *snapshot.bytes);
        Ok((Source::new(utf8(path, bytes)?), snapshot.revision))
    }

    /// Whether what the store read from `path` is a secrets file hst reads (its error if not),
    /// checked without building its entries when the scanner reads it.
    pub fn check(path: &Path, snapshot: Snapshot) -> Result<()> {
        let (source, _) = Self::read_source(path, snapshot)?;
        Self::find_with(path, source, |_, _| Some(())).map(|_| ())
    }

    /// [`SecretFile::find`] for several keys at once (`hst run`'s manifest): each key's value
    /// and line when every one is a leaf the scanner can find; otherwise the whole file.
    pub fn find_each(
        path: &Path,
        mut snapshot: Snapshot,
        keys: &[&str],
    ) -> Result<Found<Vec<(Value, usize)>>> {
        let bytes = std::mem::take(&mut *snapshot.bytes);
        let source = Source::new(utf8(path, bytes)?);
        let found = Self::find_with(path, source, |scan, source| {
            keys.iter()
                .map(|k| scan.lookup_with_line(source, k))
                .collect()
        })?;
        Ok(found.map_err(|file| Box::new(file.with_revision(snapshot.revision))))
    }

    /// [`SecretFile::find`] in text already read.
    pub(crate) fn find_in(
        path: &Path,
        source: Source,
        dotted: &str,
    ) -> Result<std::result::Result<Value, SecretFile>> {
        Self::find_with(path, source, |scan, source| scan.lookup(source, dotted))
    }

    /// What `pick` builds from the flat-file scan; the whole file when it builds nothing or
    /// the scanner leaves the file to the full parser.
    fn find_with<T>(
        path: &Path,
        source: Source,
        pick: impl FnOnce(&flat_scan::Scan<'_>, &Source) -> Option<T>,
    ) -> Result<std::result::Result<T, SecretFile>> {
        // Lines only: what is asked for is read again from its line (48 bytes a line less).
        let Some(lean) = flat_scan::scan_keeping(&source, flat_scan::Keep::Lines) else {
            return Ok(Err(Self::with_full_parser(path, source)?));
        };
        if let Some(found) = pick(&lean, &source) {
            return Ok(Ok(found));
        }
        drop(lean);
        Ok(Err(Self::from_source(path, source)?))
    }

    /// The file read by the flat-file scanner (its entries and data table are built when first
    /// asked for).
    fn from_lean(path: &Path, source: Source, lean: flat_scan::Lean) -> Self {
        Self {
            path: path.to_path_buf(),
            source,
            lean: Some(lean),
            leaves: OnceLock::new(),
            data: OnceLock::new(),
            revision: None,
        }
    }

    /// Parses bytes that were read from `path` (used in messages only).
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self> {
        Self::from_text(path, utf8(path, bytes)?)
    }

    /// Calls `visit` with each listed key and its masked value, in the reference's order, as
    /// [`SecretFile::entries`] would give them, but without building the entries when the
    /// flat-file scanner can read the file: `hst ls` on a million keys needs a fraction of the
    /// memory and time. Errors are those of [`SecretFile::from_snapshot`].
    pub fn for_each_listed(
        path: &Path,
        mut snapshot: Snapshot,
        mut visit: impl FnMut(&str, Masked<'_>),
    ) -> Result<()> {
        let bytes = std::mem::take(&mut *snapshot.bytes);
        let source = Source::new(utf8(path, bytes)?);
        if let Some(scan) = flat_scan::scan(&source) {
            scan.for_each_listed(&source, |listed| match listed {
                flat_scan::Listed::Simple(key, Some(text)) if Reference::is_reference(text) => {
                    visit(key, Masked::Reference(text));
                }
                flat_scan::Listed::Simple(key, Some(text)) => visit(key, Masked::Str(text)),
                flat_scan::Listed::Simple(key, None) => visit(key, Masked::Star),
                flat_scan::Listed::Entry(entry) => {
                    visit(entry.key.dotted(), Masked::of(&entry.value))
                }
            });
            return Ok(());
        }
        let file = Self::with_full_parser(path, source)?;
        for entry in file.entries() {
            visit(entry.key.dotted(), Masked::of(&entry.value));
        }
        Ok(())
    }

    /// Parses text that was read from `path` (used in messages only).
    pub fn from_text(path: &Path, text: String) -> Result<Self> {
        Self::from_source(path, Source::new(text))
    }

    /// Parses a source already made (the fast path when the scanner reads it).
    pub(crate) fn from_source(path: &Path, source: Source) -> Result<Self> {
        let lean = flat_scan::scan(&source).and_then(|scan| scan.lean(&source));
        match lean {
            Some(lean) => Ok(Self::from_lean(path, source, lean)),
            None => Self::with_full_parser(path, source),
        }
    }

    /// Parses with the complete TOML parser only, skipping the fast path for flat files. The
    /// result is the same as [`SecretFile::from_text`]; this exists to prove that.
    #[cfg(test)]
    pub(crate) fn from_text_full_parser(path: &Path, text: String) -> Result<Self> {
        Self::with_full_parser(path, Source::new(text))
    }

    fn with_full_parser(path: &Path, source: Source) -> Result<Self> {
        let (data, leaves) = parse_full(path, &source)?;
        Ok(Self {
            path: path.to_path_buf(),
            source,
            lean: None,
            leaves: OnceLock::from(leaves),
            data: OnceLock::from(data),
            revision: None,
        })
    }

    /// Whether the flat-file fast path read this file (for tests).
    #[cfg(test)]
    pub(crate) fn read_by_fast_path(&self) -> bool {
        self.data.get().is_none()
    }

    /// Whether the scanner read the file (its leaves are held as lines).
    pub(crate) fn read_as_lines(&self) -> bool {
        self.lean.is_some()
    }

    /// Whether the file is held as lines, its entries not built (for tests).
    #[cfg(test)]
    pub(crate) fn entries_unbuilt(&self) -> bool {
        self.lean.is_some() && self.leaves.get().is_none()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The same file, known to be what is on disk at `revision` (after a save).
    #[must_use]
    pub fn with_revision(mut self, revision: Revision) -> Self {
        self.revision = Some(revision);
        self
    }

    /// What a save compares the file on disk with: the revision it was read at, or (for text
    /// that did not come from disk) that of its text.
    pub fn revision(&self) -> Revision {
        self.revision
            .unwrap_or_else(|| Revision::of(self.text().as_bytes()))
    }

    /// The file's text exactly as read (BOM and line endings included).
    pub fn text(&self) -> &str {
        self.source.original()
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The whole document as nested tables (unfiltered, like `tomllib.loads`).
    pub fn data(&self) -> &Table {
        self.data.get_or_init(|| {
            // Only reached after the fast path accepted the text, which the full parser then
            // accepts too (flat_scan/agreement_tests.rs); an empty table is the safe answer if not.
            parse_full(&self.path, &self.source)
                .map(|(data, _)| data)
                .unwrap_or_default()
        })
    }

    /// Listed leaves in the reference's order (`hst ls`, `gen-enum`).
    pub fn entries(&self) -> &[Entry] {
        &self.all_leaves().listed
    }

    /// The leaves the reference does not list (`description`, `"..."` placeholders), in walk
    /// order: context for the TUI, never secrets by the reference's rules.
    pub fn unlisted(&self) -> &[Entry] {
        &self.all_leaves().unlisted
    }

    fn all_leaves(&self) -> &Leaves {
        self.leaves.get_or_init(|| match &self.lean {
            // Every line was accepted when read, so each reads again; if one ever did not, the
            // full parser gives the leaves rather than a list out of step with the keys.
            Some(lean) => lean.materialize(&self.source).unwrap_or_else(|| {
                parse_full(&self.path, &self.source)
                    .map(|(_, leaves)| leaves)
                    .unwrap_or_default()
            }),
            None => Leaves::default(),
        })
    }

    /// Every leaf, listed or not, in walk order.
    pub fn leaves(&self) -> impl Iterator<Item = &Entry> {
        self.entries().iter().chain(self.unlisted())
    }

    /// The leaf at `key`, listed or not (what an edit of that key changes).
    pub fn leaf(&self, key: &crate::key_path::KeyPath) -> Option<&Entry> {
        self.leaves().find(|e| e.key == *key)
    }

    /// An entry's value in `form` (see [`crate::value::text()`]); in [`TextForm::Toml`] a
    /// value that is not a string is the literal exactly as the file has it
    /// (`2024-01-01T10:00:00Z`, `true`, `[1, 2]`, `0x2A`).
    pub fn value_text(&self, entry: &Entry, form: TextForm) -> Result<SecretValue, TextError> {
        if form == TextForm::Toml
            && entry.value.as_text().is_none()
            && entry.value.reference().is_none()
            && let Some(literal) = self.text().get(entry.span.clone())
        {
            return Ok(SecretValue::new(literal.trim()));
        }
        text(&entry.value, form)
    }

    /// [`SecretFile::value_text`] in [`TextForm::Toml`], for showing and copying.
    pub fn toml_text(&self, entry: &Entry) -> SecretValue {
        self.value_text(entry, TextForm::Toml).unwrap_or_default()
    }

    /// Indices into [`SecretFile::entries`] in the order the lines appear in the file.
    #[cfg(test)]
    pub(crate) fn file_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.entries().len()).collect();
        order.sort_by_key(|&i| self.entries()[i].span.start);
        order
    }

    /// The reference's dotted lookup (`hs.v`, `hst get`); see [`lookup`].
    pub fn lookup(&self, dotted: &str) -> Result<&Value> {
        lookup(self.data(), dotted)
    }
}

/// Splits `dotted` on every `.` and walks the tables with exact, case-sensitive keys, as the
/// reference's `_deep_get` does. Empty segments are real keys; a quoted key holding a dot cannot
/// be reached. The error names the key up to the first segment that failed.
pub fn lookup<'t>(data: &'t Table, dotted: &str) -> Result<&'t Value> {
    let mut current: Option<&Value> = None; // None: the root table
    let mut end = 0;
    for (i, part) in dotted.split('.').enumerate() {
        end += part.len() + usize::from(i > 0);
        let table = match current {
            None => Some(data),
            Some(Value::Table(t)) => Some(&**t),
            Some(_) => None,
        };
        match table.and_then(|t| t.get(part)) {
            Some(v) => current = Some(v),
            None => {
                return Err(Error::KeyNotFound {
                    prefix: dotted[..end].to_string(),
                });
            }
        }
    }
    current.ok_or_else(|| Error::KeyNotFound {
        prefix: dotted.to_string(),
    })
}

/// The offset of the first key (or `[table]` header) with more parts than the parser's limit.
fn too_deep_key(source: &Source) -> Option<usize> {
    source.lines().find_map(|(start, line)| {
        let key = line.split('=').next().unwrap_or(line);
        let parts = key.bytes().filter(|&b| b == b'.').count() + 1;
        (parts > flat_scan::MAX_KEY_PARTS).then_some(start)
    })
}

/// The full key written on the line at `offset`, for naming it in a message: a `[table]`
/// header's path, or the line's key after the header above it (`github.token`).
fn key_at(source: &Source, offset: usize) -> Option<String> {
    let mut header = String::new();
    for (start, line) in source.lines() {
        let trimmed = line.trim();
        let bracketed = trimmed
            .strip_prefix("[[")
            .and_then(|t| t.split_once("]]"))
            .or_else(|| trimmed.strip_prefix('[').and_then(|t| t.split_once(']')))
            .map(|(inside, _)| inside.trim().to_string());
        if start + line.len() < offset {
            if let Some(inside) = bracketed {
                header = inside;
            }
            continue;
        }
        if let Some(inside) = bracketed {
            return Some(inside);
        }
        let key = trimmed.split_once('=')?.0.trim();
        return Some(if header.is_empty() {
            key.to_string()
        } else {
            format!("{header}.{key}")
        });
    }
    None
}

/// The complete TOML parser: every construct, exact errors with line and column.
fn parse_full(path: &Path, source: &Source) -> Result<(Table, Leaves)> {
    let parsed = DeTable::parse(source.parsed()).map_err(|e| {
        let mut offset = e.span().map_or(0, |s| s.start);
        // The parser gives no place for its nesting limit: point at the first line whose key
        // has too many parts (the usual cause), not at the top of the file.
        if e.message().trim() == "recursion limit"
            && let Some(at) = too_deep_key(source)
        {
            offset = at;
        }
        let (line, column) = source.line_col(offset);
        Error::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            reason: match e.message().trim() {
                "recursion limit" => format!(
                    "nested too deeply (a dotted key of more than {} parts, or tables and arrays \
                     as deep); hst reads up to {} levels",
                    flat_scan::MAX_KEY_PARTS,
                    flat_scan::MAX_KEY_PARTS
                ),
                other @ "duplicate key" => match key_at(source, offset) {
                    Some(key) => format!("duplicate key {key} (it is defined above)"),
                    None => other.to_string(),
                },
                other if other.contains("with a dotted key") => match key_at(source, offset) {
                    Some(key) => format!("{key}: {other}"),
                    None => other.to_string(),
                },
                other => other.to_string(),
            },
        }
    })?;
    flatten::build(parsed.get_ref(), source).map_err(|huge| {
        let (line, column) = source.line_col(huge.offset);
        Error::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            reason: huge.reason(),
        }
    })
}

/// A value's mask as `hst ls` prints it (see [`crate::mask::mask`]), written without
/// building a string.
#[non_exhaustive]
#[derive(Clone, Copy)]
pub enum Masked<'a> {
    Str(&'a str),
    /// Anything that is not a string.
    Star,
    /// A reference, shown as it is (it says where a secret lives, not what it is).
    Reference(&'a str),
}

impl<'a> Masked<'a> {
    pub fn of(value: &'a Value) -> Self {
        if let Some(reference) = value.as_reference() {
            return Masked::Reference(reference.uri());
        }
        match value.as_text() {
            Some(text) => Masked::Str(text.expose()),
            None => Masked::Star,
        }
    }
}

impl std::fmt::Display for Masked<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Masked::Str(text) => crate::mask::MaskedStr(text).fmt(f),
            Masked::Star => f.write_str("*"),
            Masked::Reference(uri) => f.write_str(uri),
        }
    }
}

/// The file's bytes as text; invalid UTF-8 is an error with its line and column.
fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let (line, column) = line_col_bytes(e.as_bytes(), valid);
        Error::InvalidUtf8 {
            path: path.to_path_buf(),
            line,
            column,
        }
    })
}

/// Line and column (1-based, in characters) of the first invalid byte.
fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let valid = String::from_utf8_lossy(&bytes[..offset.min(bytes.len())]);
    line_col_in(&valid, valid.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> SecretFile {
        SecretFile::from_text(Path::new("t.toml"), text.to_string())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn keys(file: &SecretFile, order: &[usize]) -> Vec<String> {
        order
            .iter()
            .map(|&i| file.entries()[i].key.dotted().to_string())
            .collect()
    }

    #[test]
    fn walk_order_is_first_insertion_and_file_order_is_by_line() {
        for text in [
            // fast path
            "b.x = 1\na.y = 2\nb.z = 3\n",
            // complete parser (a table header)
            "b.x = 1\na.y = 2\nb.z = 3\n[c]\nd = 4\n",
        ] {
            let file = parse(text);
            let walk: Vec<usize> = (0..file.entries().len()).collect();
            assert_eq!(keys(&file, &walk)[..3], ["b.x", "b.z", "a.y"]);
            assert_eq!(keys(&file, &file.file_order())[..3], ["b.x", "a.y", "b.z"]);
        }
    }

    #[test]
    fn walk_filters_description_and_placeholders_and_flattens_inline_tables() {
        let file = parse(
            "p.description = \"d\"\np.x = \"...\"\np.y = \"....\"\np.c = { k = 1, description = 2, e = {} }\np.a = [\"...\"]\ndeep.description.value = 1\n",
        );
        let walk: Vec<usize> = (0..file.entries().len()).collect();
        assert_eq!(
            keys(&file, &walk),
            ["p.y", "p.c.k", "p.a", "deep.description.value"]
        );
        // `data` keeps everything.
        let p = file.data().get("p").and_then(Value::as_table);
        assert!(p.is_some_and(|p| p.contains_key("description") && p.contains_key("x")));
    }

    #[test]
    fn every_leaf_knows_its_line_and_bytes_in_the_original_text() {
        for text in [
            "# c\na.b = \"one\"\r\n\r\nx.y = 22 # t\r\n",
            "\u{feff}a.b = \"one\"\nx.y = 22\n",
            "a.b = \"one\"\n[x]\ny = 22",
            "a.b = \"one\"\rx.y = 22\r",
        ] {
            let file = parse(text);
            let by_key = |k: &str| {
                file.entries()
                    .iter()
                    .find(|e| e.key.dotted() == k)
                    .unwrap_or_else(|| panic!("{k} in {text:?}"))
            };
            let ab = by_key("a.b");
            assert_eq!(&file.text()[ab.span.clone()], "\"one\"", "{text:?}");
            assert_eq!(&file.text()[ab.key_span.clone()], "b", "{text:?}");
            let xy = by_key("x.y");
            assert_eq!(&file.text()[xy.span.clone()], "22", "{text:?}");
            assert_eq!(xy.value.kind().name(), "integer");
            assert!(xy.line > ab.line, "{text:?}");
        }
        let file = parse("# c\na.b = \"one\"\r\n\r\nx.y = 22 # t\r\n");
        let lines: Vec<usize> = file.entries().iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 4]);
    }

    #[test]
    fn lookup_follows_the_reference() {
        let file = parse("a.b = 1\n\"x.y\" = 2\ne.\"\" = 3\nl = [1]\n");
        assert!(matches!(file.lookup("a.b"), Ok(Value::Integer(1))));
        assert!(matches!(file.lookup("e."), Ok(Value::Integer(3))));
        let err = |k: &str| match file.lookup(k) {
            Err(Error::KeyNotFound { prefix }) => prefix,
            other => panic!("{k}: {other:?}"),
        };
        assert_eq!(err("x.y"), "x");
        assert_eq!(err("a.b.c"), "a.b.c");
        assert_eq!(err("a.z.q"), "a.z");
        assert_eq!(err("l.0"), "l.0");
        assert_eq!(err("A"), "A");
    }
}
