//! The line scanner: one line's key and simple value, read byte by byte (this runs for every
//! line of the file), and the segments of a bare dotted key.

/// The segments of a bare dotted key (`a . b.c` → `a`, `b`, `c`).
pub(super) fn segments(key: &str) -> Segments<'_> {
    Segments {
        rest: Some(key),
        blanks: has_blanks(key),
    }
}

/// The segments of a key written without blanks (split at every dot).
pub(crate) fn bare_segments(key: &str) -> Segments<'_> {
    Segments {
        rest: Some(key),
        blanks: false,
    }
}

/// [`segments`], split byte by byte (a bare key is ASCII; this runs for every line).
pub(crate) struct Segments<'t> {
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
pub(super) fn has_blanks(key: &str) -> bool {
    key.bytes().any(|b| b == b' ' || b == b'\t')
}

pub(super) enum RawValue {
    /// A basic string without escapes, or a literal string (its text stays in the file).
    Str,
    Int(i64),
    Bool(bool),
    /// Anything else: read by [`line_local`](super::graft::line_local).
    Complex,
}

/// What a [`Leaf`](super::Leaf) keeps of its value (a string's text stays in the file's text).
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Str,
    Int(i64),
    Bool(bool),
    Complex,
}

impl RawValue {
    pub(super) fn kind(&self) -> Kind {
        match self {
            RawValue::Str => Kind::Str,
            RawValue::Int(i) => Kind::Int(*i),
            RawValue::Bool(b) => Kind::Bool(*b),
            RawValue::Complex => Kind::Complex,
        }
    }
}

pub(super) struct Line {
    /// Where the key starts in the line.
    pub(super) key_from: usize,
    /// Where the key (up to its last segment) ends in the line.
    pub(super) key_end: usize,
    pub(super) value: RawValue,
    /// Byte ranges within the line.
    pub(super) value_span: (usize, usize),
    pub(super) key_span: (usize, usize),
}

/// `Some(None)`: blank or comment. `Some(Some(_))`: a key/value line. `None`: outside the subset.
pub(super) fn parse_line(line: &str) -> Option<Option<Line>> {
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
