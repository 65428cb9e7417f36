//! The file's text as read, and the text the parser sees.
//!
//! Python reads the file in text mode, which turns every `\r\n` and every lone `\r` into `\n`
//! before `tomllib` parses it (so multi-line strings hold `\n` only, and lone-CR files parse).
//! We parse that normalised text too, and map every span back to a byte offset in the original,
//! which is what an editor needs to splice a value without touching anything else.

use std::ops::Range;

use zeroize::Zeroizing;

const BOM: &str = "\u{feff}";

/// The text is wiped from memory when dropped (it holds every secret of the file).
pub struct Source {
    original: Zeroizing<String>,
    /// Byte offset in `original` where the parsed text starts (3 with a UTF-8 BOM).
    bom_len: usize,
    /// Offsets in the normalised text at which a `\r` of a `\r\n` pair was removed.
    removed_cr: Vec<usize>,
    normalized: Option<Zeroizing<String>>,
    /// Offsets (in the normalised text) at which each line starts.
    /// u32: text is at most 256 MiB (the store's limit); a million lines cost 4 MB, not 8.
    line_starts: Vec<u32>,
}

impl Source {
    pub fn new(original: String) -> Self {
        let bom_len = if original.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        let body = &original[bom_len..];
        let (normalized, removed_cr) = match normalize_newlines(body) {
            Some((text, removed)) => (Some(text), removed),
            None => (None, Vec::new()),
        };
        let text = normalized.as_deref().unwrap_or(body);
        let mut line_starts = Vec::with_capacity(text.len() / 64 + 1);
        line_starts.push(0);
        line_starts.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Self {
            original: Zeroizing::new(original),
            bom_len,
            removed_cr,
            normalized: normalized.map(Zeroizing::new),
            line_starts,
        }
    }

    /// The bytes of the file exactly as read.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// What the parser sees: no BOM, every newline a `\n`.
    pub fn parsed(&self) -> &str {
        match &self.normalized {
            Some(text) => text.as_str(),
            None => &self.original[self.bom_len..],
        }
    }

    #[cfg(test)]
    pub(crate) fn has_bom(&self) -> bool {
        self.bom_len > 0
    }

    /// Maps an offset in [`Source::parsed`] to the same place in [`Source::original`].
    pub(crate) fn to_original(&self, offset: usize) -> usize {
        offset + self.bom_len + self.removed_cr.partition_point(|&p| p < offset)
    }

    pub(crate) fn span_to_original(&self, span: Range<usize>) -> Range<usize> {
        self.to_original(span.start)..self.to_original(span.end)
    }

    /// The lines of the parsed text with their start offsets (without the `\n`).
    pub fn lines(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        let text = self.parsed();
        self.line_starts.iter().enumerate().map(move |(i, &start)| {
            let start = start as usize;
            let end = self
                .line_starts
                .get(i + 1)
                .map_or(text.len(), |&next| next as usize - 1);
            (start, &text[start..end])
        })
    }

    /// Line `index` (0-based) of the parsed text and where it starts.
    pub(crate) fn line(&self, index: usize) -> Option<(usize, &str)> {
        let text = self.parsed();
        let start = *self.line_starts.get(index)? as usize;
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(text.len(), |&next| next as usize - 1);
        Some((start, text.get(start..end)?))
    }

    /// Where the line after line `index` starts in [`Source::original`] (after the newline that
    /// ends line `index`), or `None` for the last line.
    pub(crate) fn next_line_start_original(&self, index: usize) -> Option<usize> {
        self.line_starts
            .get(index + 1)
            .map(|&start| self.to_original(start as usize))
    }

    /// Whether the text has a `\r` that is not part of a `\r\n` (a line ending of old Macs,
    /// read as a newline, which edits of whole lines leave to the full path).
    pub(crate) fn has_lone_cr(&self) -> bool {
        self.normalized.is_some()
            && memchr::memchr_iter(b'\r', self.original.as_bytes()).count() != self.removed_cr.len()
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line of an offset in the parsed text.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s as usize <= offset)
    }

    /// 1-based (line, column) of an offset in the parsed text; the column counts characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.parsed();
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line - 1] as usize;
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line, column)
    }
}

/// `\r\n` → `\n` and lone `\r` → `\n`, as Python's universal newlines do, with the places where
/// a `\r` was removed. `None` when there is no `\r` at all (the common case, and free).
fn normalize_newlines(text: &str) -> Option<(String, Vec<usize>)> {
    memchr::memchr(b'\r', text.as_bytes())?;
    let mut out = String::with_capacity(text.len());
    let mut removed = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c == '\r' {
            if matches!(chars.peek(), Some((_, '\n'))) {
                removed.push(out.len());
            } else {
                out.push('\n');
            }
        } else {
            out.push(c);
        }
    }
    Some((out, removed))
}

/// Line and column of many offsets in one text, each found in logarithmic time (a manifest of
/// 40,000 entries must not cost 40,000 scans of the text).
pub struct LineIndex<'t> {
    text: &'t str,
    /// Offset just after each `\n`.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { text, starts }
    }

    /// The same as `line_col_in` for this text.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = String::from_utf8_lossy(&self.text.as_bytes()[start..offset])
            .chars()
            .count()
            + 1;
        (line, column)
    }
}

/// How many bytes a UTF-8 byte-order mark takes at the start of `text` (3 or 0).
pub(crate) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// Line and column (1-based, column in characters) of a byte offset in any text.
pub fn line_col_in(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_text_is_not_copied_and_maps_to_itself() {
        let s = Source::new("a = 1\nb = 2\n".into());
        assert!(s.normalized.is_none());
        assert_eq!(s.to_original(6), 6);
        assert_eq!(s.line_of(6), 2);
        assert_eq!(s.line_col(10), (2, 5));
    }

    #[test]
    fn crlf_offsets_map_back_to_the_original_bytes() {
        let s = Source::new("a = 1\r\nb = \"x\"\r\n".into());
        assert_eq!(s.parsed(), "a = 1\nb = \"x\"\n");
        let value = s.parsed().find('"').unwrap_or_default();
        let span = s.span_to_original(value..value + 3);
        assert_eq!(&s.original()[span], "\"x\"");
    }

    #[test]
    fn lone_cr_becomes_a_newline_like_python() {
        let s = Source::new("a = 1\rb = 2\r".into());
        assert_eq!(s.parsed(), "a = 1\nb = 2\n");
        assert_eq!(s.to_original(6), 6);
        assert_eq!(s.line_of(6), 2);
    }

    #[test]
    fn bom_is_skipped_and_offsets_shift_by_three() {
        let s = Source::new("\u{feff}a = 1\n".into());
        assert!(s.has_bom());
        assert_eq!(s.parsed(), "a = 1\n");
        assert_eq!(&s.original()[s.span_to_original(4..5)], "1");
    }

    #[test]
    fn columns_count_characters() {
        let s = Source::new("k = \"é\" x\n".into());
        assert_eq!(s.line_col(9), (1, 9));
        assert_eq!(line_col_in("ab\ncé\u{0}", 6), (2, 3));
    }
}
