//! Safe edits of the secrets file. Only the edited bytes change: the new text is spliced into
//! the original at the value's span (or a new line is inserted, or one line removed), the result
//! is parsed again, and it is accepted only if the edited key holds the new value and every
//! other leaf is exactly as before. [`crate::store`] then writes it atomically.
//!
//! Why not re-serialise a document with toml_edit: it regroups interleaved dotted keys (the
//! shape of a flat secrets file), turns CRLF into LF, drops a BOM and trailing comments.

pub mod literal;
mod move_line;
mod move_table;
mod one_line;
mod outline;
mod place;
mod prune;
mod save;
mod several;
pub mod toml10;
mod verify;
mod whole;

use std::ops::Range;
use std::path::Path;

pub use crate::permissions::{mode_warning, mode_warning_short};
pub use crate::store::SaveError;
pub use literal::{InputType, key_text, literal as value_literal};
pub use move_line::move_in_place;
pub use one_line::{RemoveInPlace, SetInPlace, Spliced, remove_in_place, set_in_place};
pub use save::create_private;
pub use whole::toml10_problem;

use crate::entry::Entry;
use crate::file::SecretFile;
use crate::key_path::KeyPath;
use crate::value::Textual;
use crate::value::Value;

#[non_exhaustive]
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    /// The new value is not valid for its type. Never contains the value.
    #[error("{0}")]
    Invalid(String),
    #[error("no key {0} in the file")]
    NoSuchKey(String),
    #[error("{0} already exists")]
    Exists(String),
    /// A new key where a table is: its keys would be replaced.
    #[error("{key} is a table with {count} {} under it, not one value; set one of them (like {example})", if *count == 1 { "key" } else { "keys" })]
    IsTable {
        key: String,
        count: usize,
        example: String,
    },
    /// A new key below a value that is not a table.
    #[error("{parent} holds a value ({kind}), not a table, so no key can go below it")]
    BelowValue { parent: String, kind: &'static str },
    /// A key part `hst get` / `hs.v()` could not reach (they split keys at every dot).
    #[error("{0}")]
    BadKeyPart(String),
    /// Values that are not one literal in the file (arrays of tables, `[[x]]`).
    #[error("{0} is written as [[{0}]] sections, not one value; edit those lines by hand")]
    NotEditable(String),
    /// The result did not parse, or changed something else: nothing is written.
    #[error("refused: {0}")]
    Unsafe(String),
    /// A key inside the elements of an array of tables: which element is not said.
    #[error(
        "{key} is inside [[{array}]] elements, and hst cannot tell which one you mean; add it \
         in your editor (hst edit)"
    )]
    InArrayOfTables { key: String, array: String },
    /// An edit hst does not make, with the reason and what to do instead.
    #[error("{0}")]
    Refused(String),
}

impl EditError {
    /// Whether the message names the key already (else a caller puts the key in front).
    pub fn names_key(&self) -> bool {
        matches!(
            self,
            EditError::IsTable { .. }
                | EditError::BelowValue { .. }
                | EditError::Exists(_)
                | EditError::NoSuchKey(_)
                | EditError::NotEditable(_)
                | EditError::InArrayOfTables { .. }
                | EditError::Refused(_)
        )
    }
}

/// One change to the file.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum Edit {
    /// Replace the value of an existing key with a TOML literal.
    Set { key: KeyPath, literal: String },
    /// Give an existing key a new last segment.
    Rename { key: KeyPath, last: String },
    /// Add a new key (a new line near its relatives).
    Add { key: KeyPath, literal: String },
    /// Remove a key's line (comments above it stay), or its item in an inline table; a key
    /// that is a table: every key under it.
    Delete { key: KeyPath },
    /// Move a key (or, when it is a table, every key under it) to another path: in place when
    /// only the last part changes, else removed and added where the new path belongs.
    Move { from: KeyPath, to: KeyPath },
    /// Copy a key (or every key under a table) to another path.
    Copy { from: KeyPath, to: KeyPath },
}

impl Edit {
    /// The key this edit leaves behind (for selecting it after a save).
    pub fn result_key(&self) -> Option<KeyPath> {
        match self {
            Edit::Set { key, .. } | Edit::Add { key, .. } => Some(key.clone()),
            Edit::Rename { key, last } => {
                let n = key.len();
                Some(KeyPath::new(
                    key.segments()
                        .take(n.saturating_sub(1))
                        .chain([last.as_str()]),
                ))
            }
            Edit::Move { to, .. } | Edit::Copy { to, .. } => Some(to.clone()),
            Edit::Delete { .. } => None,
        }
    }
}

/// The one way a typed value becomes an edit, for `hst set` and the TUI alike: `key` gets
/// `text` read as `input` (by default the type the key has now, text for a new key); an
/// existing key is set, a new one added. Returns the edit and the new file, parsed and checked
/// (its [`SecretFile::text`] is what to write).
///
/// With [`crate::store::Store`], a whole `hst set`: only the value's bytes change, the comment
/// stays, and the save is refused if the file changed on disk meanwhile.
///
/// ```
/// use home_secret_toml::edit::set_value;
/// use home_secret_toml::store::Store;
/// use home_secret_toml::{KeyPath, SecretFile};
///
/// # let dir = tempfile::tempdir()?;
/// # let path = dir.path().join("s.toml");
/// # std::fs::write(&path, "# mine\ndb.port = 5432  # local\n")?;
/// let file = SecretFile::load(&path)?;
/// let key = KeyPath::new(["db", "port"]);
/// let (_, edited) = set_value(&file, &key, "5433", None)?; // read as the key's type, an integer
/// Store::new(&path).save(edited.text().as_bytes(), &file.revision())?;
/// assert_eq!(std::fs::read_to_string(&path)?, "# mine\ndb.port = 5433  # local\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn set_value(
    file: &SecretFile,
    key: &KeyPath,
    text: &str,
    input: Option<InputType>,
) -> Result<(Edit, SecretFile), EditError> {
    // A flat file's one line, changed and read again alone (`one_line`): a million keys are
    // not each built and compared. The same bytes and refusals as the general edit
    // (`one_line_tests.rs`).
    if let Some(done) = one_line::set_in_file(file, key, text, input) {
        return done;
    }
    set_value_whole(file, key, text, input)
}

/// [`set_value`] by the general edit: the result parsed whole and compared leaf by leaf.
pub(crate) fn set_value_whole(
    file: &SecretFile,
    key: &KeyPath,
    text: &str,
    input: Option<InputType>,
) -> Result<(Edit, SecretFile), EditError> {
    let existing = file.leaf(key);
    let input = input.unwrap_or_else(|| {
        existing.map_or(InputType::String, |e| InputType::for_kind(e.value.kind()))
    });
    let old_literal = existing.and_then(|e| file.text().get(e.span.clone()));
    let literal = value_literal(input, text, old_literal)?;
    let edit = match existing {
        Some(_) => Edit::Set {
            key: key.clone(),
            literal,
        },
        None => Edit::Add {
            key: key.clone(),
            literal,
        },
    };
    let edited = apply(file, &edit)?;
    Ok((edit, edited))
}

/// The edited file, parsed and checked leaf by leaf (the parse that checks it is the one the
/// caller keeps: a save needs no second one). `file` is the file as loaded.
pub fn apply(file: &SecretFile, edit: &Edit) -> Result<SecretFile, EditError> {
    let text = file.text();
    let new_text = match edit {
        Edit::Set { key, literal } => {
            let entry = find(file, key)?;
            if !is_one_literal(&text[entry.span.clone()], &entry.value) {
                return Err(EditError::NotEditable(key.to_string()));
            }
            if literal.contains('\n')
                && let Some(table) = place::in_inline_table(text, entry.span.start)
            {
                return Err(place::multi_line_into_braces(&table));
            }
            splice(text, entry.span.clone(), literal)
        }
        Edit::Rename { key, last } => {
            if let Some(to) = edit.result_key()
                && let Some(done) = move_line::rename_in_file(file, key, &to)
            {
                return done;
            }
            let entry = find(file, key)?;
            if last.is_empty() {
                return Err(EditError::Invalid("the new name is empty".into()));
            }
            check_key_part(last)?;
            if let Some(new_key) = edit.result_key()
                && new_key != *key
            {
                check_new_key(file, &new_key)?;
                place::no_empty_table_in(text, &new_key)?;
            }
            splice(text, entry.key_span.clone(), &key_text([last.as_str()]))
        }
        Edit::Add { key, literal } => {
            check_new_key(file, key)?;
            place::add(file, key, place::NewLine::plain(literal, text))?
        }
        Edit::Delete { key } => {
            // A one-line leaf of a file read as lines: its line out, the rest read again.
            if let Some(done) = one_line::delete_in_file(file, key) {
                return done;
            }
            several::delete(file, key)?
        }
        Edit::Move { from, to } | Edit::Copy { from, to } => {
            let remove = matches!(edit, Edit::Move { .. });
            // A one-line leaf to a new key: its line renamed, or moved or copied.
            if let Some(done) = move_line::move_in_file(file, from, to, remove) {
                return done;
            }
            several::move_or_copy(file, from, to, remove)?
        }
    };
    verify::verify(file, edit, new_text)
}

/// Whether `key` can be added to `file`: not there yet, not where a table is, not below a value,
/// and every part readable by its dotted form. The TUI asks this before the value is typed.
pub fn check_new_key(file: &SecretFile, key: &KeyPath) -> Result<(), EditError> {
    if key.is_empty() {
        return Err(EditError::Invalid("the key is empty".into()));
    }
    for part in key.segments() {
        check_key_part(part)?;
    }
    if file.leaf(key).is_some() {
        return Err(EditError::Exists(key.to_string()));
    }
    for n in 1..key.len() {
        let parent = key.prefix(n);
        if let Some(entry) = file.leaf(&parent) {
            if is_array_of_tables(&entry.value) {
                return Err(EditError::InArrayOfTables {
                    key: key.to_string(),
                    array: parent.to_string(),
                });
            }
            return Err(EditError::BelowValue {
                parent: parent.to_string(),
                kind: entry.value.kind().name(),
            });
        }
    }
    let mut under = file
        .leaves()
        .filter(|e| e.key.len() > key.len() && e.key.starts_with(key));
    if let Some(first) = under.next() {
        return Err(EditError::IsTable {
            key: key.to_string(),
            count: 1 + under.count(),
            example: first.key.to_string(),
        });
    }
    Ok(())
}

/// `[[x]]` sections (or an array of inline tables): no key path names one element.
fn is_array_of_tables(value: &Value) -> bool {
    matches!(value, Value::Array(items)
        if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Table(_))))
}

/// One rule for the TUI and the CLI: `hst get`, `hst set` and `hs.v()` split keys at every dot,
/// so a part holding a dot could never be read back; control characters cannot be typed back.
pub(crate) fn check_key_part(part: &str) -> Result<(), EditError> {
    if part.is_empty() {
        return Err(EditError::BadKeyPart(
            "a key part cannot be empty (`a..b`, a leading or trailing dot)".into(),
        ));
    }
    if part.contains('.') {
        return Err(EditError::BadKeyPart(
            "a key part cannot contain '.': keys are read by splitting at dots, so it could \
             never be found again (add the key where it belongs instead)"
                .into(),
        ));
    }
    if part.chars().any(char::is_control) {
        return Err(EditError::BadKeyPart(
            "a key part cannot contain control characters (tabs, newlines…)".into(),
        ));
    }
    Ok(())
}

fn find<'f>(file: &'f SecretFile, key: &KeyPath) -> Result<&'f Entry, EditError> {
    file.leaf(key)
        .ok_or_else(|| EditError::NoSuchKey(key.to_string()))
}

fn splice(text: &str, span: Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..span.start]);
    out.push_str(with);
    out.push_str(&text[span.end..]);
    out
}

/// The file's line ending: CRLF if its first line ends that way.
fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Byte offset just after the line that contains `offset` (after its newline, or the end).
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// Whether `source` (the bytes at a value's span) is that value written as one literal, which is
/// what a splice replaces. An array of tables has no such bytes.
fn is_one_literal(source: &str, value: &Value) -> bool {
    SecretFile::from_text(Path::new("value"), format!("x = {source}\n"))
        .ok()
        .and_then(|f| f.data().get("x").map(|v| same(v, value)))
        .unwrap_or(false)
}

/// Equal values; `repr` settles what `==` cannot (NaN is not equal to itself).
fn same(a: &Value, b: &Value) -> bool {
    a == b || a.python_repr() == b.python_repr()
}

/// The leaves a value written as `literal` has, keyed by their path under `key` (a table
/// literal has one leaf per value inside it, as in the file).
fn leaves_of(key: &KeyPath, literal: &str) -> Result<Vec<(KeyPath, Value)>, EditError> {
    let probe = SecretFile::from_text(Path::new("value"), format!("x = {literal}\n"))
        .map_err(|_| EditError::Invalid("not a valid TOML value".into()))?;
    Ok(probe
        .entries()
        .iter()
        .chain(probe.unlisted())
        .map(|e| {
            let path = KeyPath::new(key.segments().chain(e.key.segments().skip(1)));
            (path, e.value.clone())
        })
        .collect())
}
