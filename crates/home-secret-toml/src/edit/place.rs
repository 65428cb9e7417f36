//! Where a new key goes, in any TOML document, changing nothing else:
//! - under an inline table: inside its braces (`{ a = 1, new = 2 }`);
//! - under a `[table]`: a line in that table's section, written relative to the header;
//! - under a table that headers below it define (`[a.b.c]` makes `a.b`): a new `[a.b]` section,
//!   since dotted keys may not define it;
//! - otherwise a dotted line in the section of the deepest header above it, or at the top level
//!   before the first header, after its closest relative (the longest shared prefix).
//!
//! Keys inside `[[array]]` elements are refused (which element would it be?). The caller
//! parses the result again and compares every leaf, so a placement TOML does not allow is
//! refused, never written.

use super::outline::{Header, InlineTable, Outline};
use super::{EditError, key_text, line_end, newline, splice};
use crate::file::SecretFile;
use crate::key_path::KeyPath;

/// A key's new line as the file will have it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NewLine<'a> {
    /// The value, as TOML writes it.
    pub literal: &'a str,
    /// What follows the value on a line of its own (` # note`): a moved key keeps its comment.
    /// Empty for a new key; dropped inside an inline table's braces.
    pub comment: &'a str,
    /// The file's line ending, judged on the file as the user wrote it (a move's first step
    /// may have taken out the only line that showed it).
    pub nl: &'static str,
}

impl<'a> NewLine<'a> {
    /// A new key's line in `text`: no comment, the text's line ending.
    pub(crate) fn plain(literal: &'a str, text: &str) -> Self {
        NewLine {
            literal,
            comment: "",
            nl: newline(text),
        }
    }
}

/// The text with `key = literal` added where it belongs.
pub(crate) fn add(file: &SecretFile, key: &KeyPath, new: NewLine<'_>) -> Result<String, EditError> {
    let text = file.text();
    let bom = crate::source::bom_len(text);
    let outline = Outline::of(&text[bom..]).shifted(bom);
    if let Some(array) = outline
        .headers
        .iter()
        .find(|h| h.array && h.path.len() < key.len() && key.starts_with(&h.path))
    {
        return Err(EditError::InArrayOfTables {
            key: key.to_string(),
            array: array.path.to_string(),
        });
    }
    no_empty_table_at(&outline, key)?;
    if let Some(table) = deepest(&outline.inline_tables, key, |t| &t.path) {
        return into_braces(text, table, key, new.literal);
    }
    let parent = key.prefix(key.len() - 1);
    let tables: Vec<&Header> = outline.headers.iter().filter(|h| !h.array).collect();
    if let Some(own) = tables.iter().find(|h| h.path == parent) {
        return Ok(into_section(file, &outline, Some(own), key, new));
    }
    // A table some section already defines with dotted keys (`[fruit]` `apple.color = …`)
    // grows there, the way it is written.
    let dotted_home = file
        .leaves()
        .filter(|e| e.key.len() > parent.len() && e.key.starts_with(&parent))
        .map(|e| section_of(&outline, e.key_span.start))
        .find(|section| section.is_none_or(|h| !h.array && h.path.len() < parent.len()));
    if let Some(section) = dotted_home {
        return Ok(into_section(file, &outline, section, key, new));
    }
    // A table that headers below it define cannot also be defined by dotted keys.
    let claimed = !parent.is_empty()
        && outline
            .headers
            .iter()
            .any(|h| h.path.len() > parent.len() && h.path.starts_with(&parent));
    if claimed {
        return Ok(new_section(text, &parent, key.last(), new));
    }
    let above = deepest(&tables, &parent, |h| &h.path).copied();
    Ok(into_section(file, &outline, above, key, new))
}

/// An empty table written at `key` (`t = {}`, `[t]`): hst lists nothing there, but TOML has
/// the key, so no value can take its place (the general edit's checks look at leaves only).
fn no_empty_table_at(outline: &Outline, key: &KeyPath) -> Result<(), EditError> {
    if outline.inline_tables.iter().any(|t| t.path == *key)
        || outline.headers.iter().any(|h| h.path == *key)
    {
        return Err(EditError::Refused(format!(
            "{key} already exists, as an empty table: no value can take its place (remove it \
             with hst edit first)"
        )));
    }
    Ok(())
}

/// [`no_empty_table_at`] in `text` (for a rename, which adds no line).
pub(super) fn no_empty_table_in(text: &str, key: &KeyPath) -> Result<(), EditError> {
    let bom = crate::source::bom_len(text);
    no_empty_table_at(&Outline::of(&text[bom..]), key)
}

/// The header whose section holds offset `at` (`None`: the top level).
fn section_of(outline: &Outline, at: usize) -> Option<&Header> {
    outline
        .headers
        .iter()
        .take_while(|h| h.line_start <= at)
        .last()
}

/// The item with the longest path that is a proper prefix of `key`.
fn deepest<'a, T>(items: &'a [T], key: &KeyPath, path: impl Fn(&T) -> &KeyPath) -> Option<&'a T> {
    items
        .iter()
        .filter(|item| {
            let p = path(item);
            !p.is_empty() && p.len() < key.len() && key.starts_with(p)
        })
        .max_by_key(|item| path(item).len())
}

/// `key`'s segments after the first `n`, as TOML writes a key.
fn relative(key: &KeyPath, n: usize) -> String {
    key_text(key.segments().skip(n))
}

fn into_braces(
    text: &str,
    table: &InlineTable,
    key: &KeyPath,
    literal: &str,
) -> Result<String, EditError> {
    let inside = &text[table.open + 1..table.close];
    if literal.contains('\n') {
        return Err(multi_line_into_braces(&table.path));
    }
    if inside.contains('\n') {
        return Err(EditError::Refused(format!(
            "{} is an inline table written over several lines; hst adds keys to one-line inline \
             tables only: add {} in your editor (hst edit)",
            table.path,
            key.last()
        )));
    }
    let pair = format!("{} = {literal}", relative(key, table.path.len()));
    if table.empty {
        return Ok(splice(
            text,
            table.open..table.close + 1,
            &format!("{{ {pair} }}"),
        ));
    }
    // After the last entry (and a trailing comma, which TOML 1.1 allows), before the spaces
    // that lead to the `}`.
    let content = inside.trim_end_matches([' ', '\t']);
    let content = content.strip_suffix(',').unwrap_or(content);
    let at = table.open + 1 + content.len();
    Ok(splice(text, at..at, &format!(", {pair}")))
}

/// A line in the section of `header` (`None`: the top level, before the first header), after
/// the closest relative written there.
fn into_section(
    file: &SecretFile,
    outline: &Outline,
    header: Option<&Header>,
    key: &KeyPath,
    new: NewLine<'_>,
) -> String {
    let text = file.text();
    let nl = new.nl;
    let (start, end, depth) = match header {
        Some(h) => (h.body_start, h.end, h.path.len()),
        None => (0, outline.root_end(text.len()), 0),
    };
    let line = format!("{} = {}{}", relative(key, depth), new.literal, new.comment);
    let shared = |k: &KeyPath| {
        k.segments()
            .zip(key.segments())
            .take_while(|(a, b)| a == b)
            .count()
    };
    // The relatives written in this section: every leaf, and every inline table (an empty one,
    // `x = {}`, has no leaf but is a relative all the same), with where each one ends.
    let here: Vec<(&KeyPath, usize)> = file
        .leaves()
        .filter(|e| (start..end).contains(&e.key_span.start))
        .map(|e| (&e.key, e.span.end))
        .chain(
            outline
                .inline_tables
                .iter()
                .filter(|t| (start..end).contains(&t.open))
                .map(|t| (&t.path, t.close + 1)),
        )
        .collect();
    let best = here.iter().map(|(k, _)| shared(k)).max().unwrap_or(0);
    let after = here
        .iter()
        .filter(|(k, _)| shared(k) == best && (best > 0 || header.is_some()))
        .map(|&(_, end)| end)
        .max();
    match (after, header) {
        (Some(end), _) => after_line(text, line_end(text, end), &line, nl),
        (None, Some(h)) => after_line(text, h.body_start, &line, nl),
        (None, None) if outline.headers.is_empty() => after_line(text, text.len(), &line, nl),
        (None, None) => {
            let at = attached_comments_start(text, outline.root_end(text.len()));
            splice(text, at..at, &format!("{line}{nl}"))
        }
    }
}

/// `line` inserted at `at` (the start of a line, or the end of the text).
pub(super) fn after_line(text: &str, at: usize, line: &str, nl: &str) -> String {
    // A file of only a BOM is empty: its first line is the new one.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if at == text.len() && !body.is_empty() && !text.ends_with('\n') {
        // The last line had no newline: keep it that way for the new last line.
        splice(text, at..at, &format!("{nl}{line}"))
    } else {
        splice(text, at..at, &format!("{line}{nl}"))
    }
}

/// The start of the comment lines written right above the line at `at` (no blank line between),
/// which belong to it.
fn attached_comments_start(text: &str, at: usize) -> usize {
    let mut start = at;
    // The BOM is no line of its own (and not a place to cut the text).
    let first = crate::source::bom_len(text);
    while start > first {
        let prev_start = text[..start - 1].rfind('\n').map_or(first, |i| i + 1);
        if !text[prev_start..start].trim_start().starts_with('#') {
            break;
        }
        start = prev_start;
    }
    start
}

/// A new `[parent]` section at the end of the file, holding `last = literal`.
fn new_section(text: &str, parent: &KeyPath, last: &str, new: NewLine<'_>) -> String {
    let nl = new.nl;
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    if !out.is_empty() && !out.ends_with(&format!("{nl}{nl}")) {
        out.push_str(nl);
    }
    out.push_str(&format!(
        "[{}]{nl}{} = {}{}{nl}",
        key_text(parent.segments()),
        key_text([last]),
        new.literal,
        new.comment
    ));
    out
}

/// TOML 1.0 keeps an inline table on one line (Python's `tomllib` refuses anything else).
pub(super) fn multi_line_into_braces(table: &KeyPath) -> EditError {
    EditError::Refused(format!(
        "{table} is an inline table, which TOML 1.0 keeps on one line, and this value takes \
         several: write it as one line (\\n escapes in a \"string\"), or edit the file (hst edit)"
    ))
}

/// Whether the byte at `at` is inside an inline table's braces.
pub(super) fn in_inline_table(text: &str, at: usize) -> Option<KeyPath> {
    let bom = crate::source::bom_len(text);
    Outline::of(&text[bom..])
        .shifted(bom)
        .inline_tables
        .into_iter()
        .filter(|t| t.open < at && at < t.close)
        .max_by_key(|t| t.open)
        .map(|t| t.path)
}
