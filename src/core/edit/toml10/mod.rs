//! A strict check that a literal is one TOML 1.0 value, as Python's `tomllib` reads it.
//!
//! hst's own parser (toml_parser) is lenient: it takes TOML 1.1 additions (times without
//! seconds, `\e` and `\x` escapes, trailing commas and newlines in inline tables) and more. A
//! value it accepts can still make the file unreadable for the tools that read it with Python's
//! `tomllib` (TOML 1.0, strict). This hand-written recursive-descent checker follows the TOML
//! 1.0.0 ABNF for one value plus the limits tomllib adds on top of it (Python's `datetime` ranges,
//! the 4300-digit limit on decimal integers).
//!
//! Error messages never quote the input: the input is a secret.

use std::collections::HashMap;

/// Arrays and inline tables nested deeper than this are refused, so the recursion stays shallow
/// on any input (tomllib itself stops near Python's recursion limit, a few hundred levels).
const MAX_DEPTH: usize = 128;

/// Python refuses to turn a decimal string of more digits into an `int`
/// (`sys.int_info.default_max_str_digits`), so tomllib raises on longer decimal integers.
/// Underscores and the sign are not counted; hex, octal and binary have no limit.
const MAX_DECIMAL_DIGITS: usize = 4300;

/// Why a literal is not one TOML 1.0 value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (column {column})")]
pub struct Toml10Error {
    /// What is wrong, in TOML terms. Never contains any part of the input.
    pub message: String,
    /// 1-based position of the problem, in characters from the start of the literal (its column
    /// when the literal is on one line).
    pub column: usize,
}

/// Checks that `literal` is exactly one TOML 1.0 value, as Python's `tomllib` reads it after `x = `
/// (whitespace around it and a trailing `# comment` are allowed, as on a TOML line).
pub fn check_value(literal: &str) -> Result<(), Toml10Error> {
    let mut p = Parser {
        text: literal,
        bytes: literal.as_bytes(),
        pos: 0,
    };
    p.skip_ws();
    p.value(0)?;
    p.skip_ws();
    if p.peek() == Some(b'#') {
        p.comment()?;
    }
    match p.peek() {
        None => Ok(()),
        // tomllib would read the next line as more statements; one value must end its line.
        Some(b'\n' | b'\r') => Err(p.err(p.pos, NEWLINE_AFTER)),
        Some(_) => Err(p.err(p.pos, AFTER_VALUE)),
    }
}

// The messages, in one place so none of them is built from the input.
const MISSING_VALUE: &str = "a value is missing";
const EXPECTED_VALUE: &str =
    "expected a value (a string, number, boolean, date or time, array or inline table)";
const NEEDS_QUOTES: &str = "text must be in quotes (like \"text\")";
const BOOL_CASE: &str = "booleans are written true or false, in lowercase";
const SPECIAL_FLOAT: &str = "special floats are written inf or nan, in lowercase";
const AFTER_VALUE: &str = "unexpected text after the value";
const NEWLINE_AFTER: &str = "a newline after the value is not allowed (write one value)";
const COMMENT_CONTROL: &str = "a comment cannot contain control characters (other than tab)";
const LONE_CR: &str = "a carriage return must be followed by a newline";
const NESTED: &str = "nested too deeply (more than 128 arrays or inline tables inside each other)";
const UNCLOSED_ARRAY: &str = "an array is not closed (missing ])";
const ARRAY_SEP: &str = "array elements must be separated by commas";
const UNCLOSED_TABLE: &str = "an inline table is not closed (missing })";
const TABLE_SEP: &str = "inline table entries must be separated by commas";
const TRAILING_COMMA: &str = "a trailing comma is not allowed in an inline table in TOML 1.0";
const ONE_LINE: &str = "an inline table must stay on one line in TOML 1.0";
const TABLE_COMMENT: &str = "an inline table cannot contain a comment (it must stay on one line)";
const KEY_MISSING: &str = "a key is missing";
const BAD_KEY: &str = "a bare key may only use A-Z, a-z, 0-9, _ and - (quote other keys)";
const EXPECTED_EQ: &str = "expected = after a key";
const DUPLICATE_KEY: &str = "duplicate key in an inline table";
const REDEFINE_TABLE: &str = "this key redefines a table made by a dotted key in the inline table";
const BELOW_VALUE: &str = "a dotted key cannot extend a key that already holds a value";
const UNCLOSED_STRING: &str = "a string is not closed (missing \")";
const UNCLOSED_LITERAL: &str = "a literal string is not closed (missing ')";
const UNCLOSED_ML_STRING: &str = "a multi-line string is not closed (missing \"\"\")";
const UNCLOSED_ML_LITERAL: &str = "a multi-line literal string is not closed (missing ''')";
const STRING_NEWLINE: &str =
    "a one-line string cannot contain a newline (write \\n, or use a multi-line string)";
const STRING_CONTROL: &str = "control characters must be escaped in a string (like \\t or \\u0007)";
const LITERAL_CONTROL: &str =
    "a literal string cannot contain control characters other than tab (use a basic string)";
const ESC_E: &str = "\\e is not a TOML 1.0 escape (write \\u001B)";
const ESC_X: &str = "\\x is not a TOML 1.0 escape (write \\u0041 style escapes)";
const BAD_ESCAPE: &str =
    "unknown escape: TOML 1.0 has \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX";
const ESC_U4: &str = "\\u needs exactly 4 hex digits";
const ESC_U8: &str = "\\U needs exactly 8 hex digits";
const NOT_SCALAR: &str =
    "an escape must be a Unicode scalar value (not a surrogate D800-DFFF, at most 10FFFF)";
const LINE_BACKSLASH: &str =
    "a line-ending backslash may only be followed by spaces until the end of the line";
const HEX_EMPTY: &str = "0x needs at least one hex digit";
const OCT_EMPTY: &str = "0o needs at least one octal digit";
const BIN_EMPTY: &str = "0b needs at least one binary digit";
const HEX_DIGIT: &str = "hex digits are 0-9 and a-f";
const OCT_DIGIT: &str = "octal digits are 0-7";
const BIN_DIGIT: &str = "binary digits are 0 and 1";
const PREFIX_SIGN: &str = "a 0x, 0o or 0b integer cannot have a sign";
const PREFIX_CASE: &str = "the 0x, 0o and 0b prefixes are lowercase";
const UNDERSCORE: &str = "an underscore must be between two digits";
const LEADING_ZERO: &str = "leading zeros are not allowed in a decimal integer";
const ASCII_DIGITS: &str = "digits must be ASCII 0-9";
const POINT: &str = "a decimal point needs digits on both sides";
const EXPONENT: &str = "an exponent needs digits (like 1e6 or 1e-6)";
const SIGN_ALONE: &str = "a sign must be followed by digits";
const BAD_NUMBER: &str = "not a valid number";
const TOO_MANY_DIGITS: &str =
    "an integer can have at most 4300 digits (Python's limit for reading integers)";
const DATE_FORM: &str = "a date is written YYYY-MM-DD";
const YEAR_ZERO: &str = "year must be 0001-9999 (Python has no year 0)";
const MONTH: &str = "month must be 01-12";
const DAY: &str = "day must be 01-31";
const DAY_IN_MONTH: &str = "that day does not exist in that month";
const AFTER_DATE: &str = "unexpected text after a date";
const DATE_NEEDS_TIME: &str = "a date-time needs a time after the T (like 10:00:00)";
const TIME_FORM: &str = "a time is written HH:MM:SS";
const SECONDS: &str = "a time needs seconds in TOML 1.0 (like 10:00:00)";
const HOUR: &str = "hour must be 00-23";
const MINUTE: &str = "minute must be 00-59";
const SECOND: &str = "second must be 00-59";
const FRACTION: &str = "a fraction of a second needs digits after the point";
const OFFSET_FORM: &str = "a time offset is written Z, +HH:MM or -HH:MM";
const OFFSET_HOUR: &str = "offset hours must be 00-23";
const OFFSET_MINUTE: &str = "offset minutes must be 00-59";
const LOCAL_TIME_OFFSET: &str = "a time without a date cannot have an offset";
const AFTER_TIME: &str = "unexpected text after a time";

/// A problem inside one scalar token: offset in the token and message.
type TokenError = (usize, &'static str);

/// What a key of an inline table holds. Dotted keys make tables that later dotted keys may
/// extend; every other value (inline tables and arrays too) is closed.
enum Slot {
    Value,
    Table(usize),
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(s))
    }

    fn err(&self, at: usize, message: &str) -> Toml10Error {
        // Count characters, not bytes: every byte that does not continue a UTF-8 sequence.
        let column = self
            .bytes
            .iter()
            .take(at)
            .filter(|b| (**b & 0xC0) != 0x80)
            .count()
            + 1;
        Toml10Error {
            message: message.to_string(),
            column,
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), Toml10Error> {
        match self.peek() {
            Some(b'"') if self.starts_with(b"\"\"\"") => self.ml_string(b'"'),
            Some(b'"') => self.basic_string(None),
            Some(b'\'') if self.starts_with(b"'''") => self.ml_string(b'\''),
            Some(b'\'') => self.literal_string(None),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.inline_table(depth + 1),
            _ => self.scalar(),
        }
    }

    /// A comment from `#` up to (not including) the end of the line.
    fn comment(&mut self) -> Result<(), Toml10Error> {
        let mut i = self.pos + 1;
        loop {
            match self.at(i) {
                None | Some(b'\n') => break,
                Some(b'\r') if self.at(i + 1) == Some(b'\n') => break,
                Some(c) if is_control(c) => return Err(self.err(i, COMMENT_CONTROL)),
                Some(_) => i += 1,
            }
        }
        self.pos = i;
        Ok(())
    }

    /// Whitespace, newlines and comments, as allowed between array elements.
    fn skip_array_ws(&mut self) -> Result<(), Toml10Error> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n') => self.pos += 1,
                Some(b'\r') if self.at(self.pos + 1) == Some(b'\n') => self.pos += 2,
                Some(b'\r') => return Err(self.err(self.pos, LONE_CR)),
                Some(b'#') => self.comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Toml10Error> {
        let open = self.pos;
        if depth > MAX_DEPTH {
            return Err(self.err(open, NESTED));
        }
        self.pos += 1;
        loop {
            self.skip_array_ws()?;
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                None => return Err(self.err(open, UNCLOSED_ARRAY)),
                _ => {}
            }
            self.value(depth)?;
            self.skip_array_ws()?;
            match self.peek() {
                // A trailing comma is fine in arrays: the loop then finds the `]`.
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                None => return Err(self.err(open, UNCLOSED_ARRAY)),
                Some(_) => return Err(self.err(self.pos, ARRAY_SEP)),
            }
        }
    }

    fn inline_table(&mut self, depth: usize) -> Result<(), Toml10Error> {
        let open = self.pos;
        if depth > MAX_DEPTH {
            return Err(self.err(open, NESTED));
        }
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        // Table 0 is this inline table; dotted keys add the others.
        let mut tables: Vec<HashMap<String, Slot>> = vec![HashMap::new()];
        loop {
            let key_start = self.pos;
            let key = self.key(open)?;
            match self.peek() {
                Some(b'=') => self.pos += 1,
                other => return Err(self.table_error(open, other, EXPECTED_EQ)),
            }
            define(&mut tables, key).map_err(|message| self.err(key_start, message))?;
            self.skip_ws();
            self.value(depth)?;
            self.skip_ws();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        return Err(self.err(comma, TRAILING_COMMA));
                    }
                }
                other => return Err(self.table_error(open, other, TABLE_SEP)),
            }
        }
    }

    /// The error for an unexpected byte inside an inline table.
    fn table_error(&self, open: usize, found: Option<u8>, otherwise: &str) -> Toml10Error {
        match found {
            None => self.err(open, UNCLOSED_TABLE),
            Some(b'\n' | b'\r') => self.err(self.pos, ONE_LINE),
            Some(b'#') => self.err(self.pos, TABLE_COMMENT),
            Some(_) => self.err(self.pos, otherwise),
        }
    }

    /// A dotted key, its parts decoded (so `"a"` and `a` are the same key), and the whitespace
    /// after it.
    fn key(&mut self, open: usize) -> Result<Vec<String>, Toml10Error> {
        let mut parts = Vec::new();
        loop {
            parts.push(self.key_part(open)?);
            self.skip_ws();
            if self.peek() != Some(b'.') {
                return Ok(parts);
            }
            self.pos += 1;
            self.skip_ws();
        }
    }

    fn key_part(&mut self, open: usize) -> Result<String, Toml10Error> {
        match self.peek() {
            Some(b'"') => {
                let mut part = String::new();
                self.basic_string(Some(&mut part))?;
                Ok(part)
            }
            Some(b'\'') => {
                let mut part = String::new();
                self.literal_string(Some(&mut part))?;
                Ok(part)
            }
            Some(c) if is_bare_key(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_bare_key) {
                    self.pos += 1;
                }
                Ok(self
                    .text
                    .get(start..self.pos)
                    .unwrap_or_default()
                    .to_string())
            }
            Some(b',' | b'=' | b'.') => Err(self.err(self.pos, KEY_MISSING)),
            other => Err(self.table_error(open, other, BAD_KEY)),
        }
    }

    /// A one-line basic string; with `out`, its decoded text is appended there (for keys).
    fn basic_string(&mut self, mut out: Option<&mut String>) -> Result<(), Toml10Error> {
        let open = self.pos;
        let mut i = open + 1;
        let mut run = i;
        loop {
            match self.at(i) {
                None => return Err(self.err(open, UNCLOSED_STRING)),
                Some(b'"') => {
                    if let Some(o) = out.as_deref_mut() {
                        o.push_str(self.text.get(run..i).unwrap_or_default());
                    }
                    self.pos = i + 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    if let Some(o) = out.as_deref_mut() {
                        o.push_str(self.text.get(run..i).unwrap_or_default());
                    }
                    let (next, decoded) = self.escape(i, false)?;
                    if let (Some(o), Some(c)) = (out.as_deref_mut(), decoded) {
                        o.push(c);
                    }
                    i = next;
                    run = i;
                }
                Some(b'\n' | b'\r') => return Err(self.err(i, STRING_NEWLINE)),
                Some(c) if is_control(c) => return Err(self.err(i, STRING_CONTROL)),
                Some(_) => i += 1,
            }
        }
    }

    /// A one-line literal string; with `out`, its text is appended there (for keys).
    fn literal_string(&mut self, out: Option<&mut String>) -> Result<(), Toml10Error> {
        let open = self.pos;
        let mut i = open + 1;
        loop {
            match self.at(i) {
                None => return Err(self.err(open, UNCLOSED_LITERAL)),
                Some(b'\'') => break,
                Some(b'\n' | b'\r') => return Err(self.err(i, STRING_NEWLINE)),
                Some(c) if is_control(c) => return Err(self.err(i, LITERAL_CONTROL)),
                Some(_) => i += 1,
            }
        }
        if let Some(o) = out {
            o.push_str(self.text.get(open + 1..i).unwrap_or_default());
        }
        self.pos = i + 1;
        Ok(())
    }

    /// A multi-line basic (`quote` is `"`) or literal (`'`) string.
    fn ml_string(&mut self, quote: u8) -> Result<(), Toml10Error> {
        let basic = quote == b'"';
        let open = self.pos;
        let mut i = open + 3;
        loop {
            match self.at(i) {
                None if basic => return Err(self.err(open, UNCLOSED_ML_STRING)),
                None => return Err(self.err(open, UNCLOSED_ML_LITERAL)),
                Some(q) if q == quote => {
                    if self.at(i + 1) == Some(quote) && self.at(i + 2) == Some(quote) {
                        // Up to two more quotes right before the closing three belong to the
                        // text (`"""a"""""` is `a""`).
                        let mut end = i + 3;
                        for _ in 0..2 {
                            if self.at(end) == Some(quote) {
                                end += 1;
                            }
                        }
                        self.pos = end;
                        return Ok(());
                    }
                    i += 1;
                }
                Some(b'\\') if basic => i = self.escape(i, true)?.0,
                Some(b'\n') => i += 1,
                Some(b'\r') if self.at(i + 1) == Some(b'\n') => i += 2,
                Some(b'\r') => return Err(self.err(i, LONE_CR)),
                Some(c) if is_control(c) && basic => return Err(self.err(i, STRING_CONTROL)),
                Some(c) if is_control(c) => return Err(self.err(i, LITERAL_CONTROL)),
                Some(_) => i += 1,
            }
        }
    }

    /// The escape whose backslash is at `i`: where the text goes on, and the character it
    /// stands for (none for a line-ending backslash).
    fn escape(&self, i: usize, multiline: bool) -> Result<(usize, Option<char>), Toml10Error> {
        let simple = |c: char| Ok((i + 2, Some(c)));
        match self.at(i + 1) {
            Some(b'b') => simple('\u{8}'),
            Some(b't') => simple('\t'),
            Some(b'n') => simple('\n'),
            Some(b'f') => simple('\u{c}'),
            Some(b'r') => simple('\r'),
            Some(b'"') => simple('"'),
            Some(b'\\') => simple('\\'),
            Some(b'u') => self.unicode_escape(i, 4),
            Some(b'U') => self.unicode_escape(i, 8),
            Some(b' ' | b'\t' | b'\n' | b'\r') if multiline => self.line_ending_backslash(i),
            Some(b'e') => Err(self.err(i, ESC_E)),
            Some(b'x') => Err(self.err(i, ESC_X)),
            None if multiline => Err(self.err(i, UNCLOSED_ML_STRING)),
            None => Err(self.err(i, UNCLOSED_STRING)),
            Some(_) => Err(self.err(i, BAD_ESCAPE)),
        }
    }

    fn unicode_escape(&self, i: usize, len: usize) -> Result<(usize, Option<char>), Toml10Error> {
        let message = if len == 4 { ESC_U4 } else { ESC_U8 };
        let start = i + 2;
        let hex = self
            .bytes
            .get(start..start + len)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| self.err(i, message))?;
        // At most 8 hex digits: fits in a u32.
        let code = hex.iter().fold(0u32, |acc, h| (acc << 4) | hex_value(*h));
        match char::from_u32(code) {
            Some(c) => Ok((start + len, Some(c))),
            None => Err(self.err(i, NOT_SCALAR)),
        }
    }

    /// `\` then spaces and a newline: the newline and all whitespace after it are trimmed.
    fn line_ending_backslash(&self, i: usize) -> Result<(usize, Option<char>), Toml10Error> {
        let mut j = i + 1;
        while matches!(self.at(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        match self.at(j) {
            Some(b'\n') => j += 1,
            Some(b'\r') if self.at(j + 1) == Some(b'\n') => j += 2,
            // The caller reports the unclosed string.
            None => return Ok((j, None)),
            Some(_) => return Err(self.err(i, LINE_BACKSLASH)),
        }
        loop {
            match self.at(j) {
                Some(b' ' | b'\t' | b'\n') => j += 1,
                Some(b'\r') if self.at(j + 1) == Some(b'\n') => j += 2,
                _ => return Ok((j, None)),
            }
        }
    }

    /// Booleans, numbers, dates and times: one run of token characters. Nothing that may follow
    /// a value (whitespace, `,`, `]`, `}`, `#`, a newline) is a token character, so a valid
    /// scalar is exactly the whole run, and checking the run as a whole gives tomllib's verdict
    /// (tomllib matches a prefix and then fails on what is left).
    fn scalar(&mut self) -> Result<(), Toml10Error> {
        let start = self.pos;
        let end = self.token_end(start);
        if end == start {
            return Err(match self.peek() {
                None | Some(b',' | b']' | b'}' | b'#' | b'\n' | b'\r') => {
                    self.err(start, MISSING_VALUE)
                }
                Some(_) => self.err(start, EXPECTED_VALUE),
            });
        }
        let bytes = self.bytes;
        let tok = bytes.get(start..end).unwrap_or_default();
        self.pos = end;
        let located = |(offset, message): TokenError| self.err(start + offset, message);
        match tok {
            b"true" | b"false" | b"inf" | b"+inf" | b"-inf" | b"nan" | b"+nan" | b"-nan" => Ok(()),
            [y1, y2, y3, y4, b'-', ..] if [y1, y2, y3, y4].iter().all(|d| d.is_ascii_digit()) => {
                let date_only = date_time(tok).map_err(located)?;
                // `1979-05-27 07:32:00`: one space may separate the date and the time. A digit
                // after a date and a space can only be a time (anything else is an error).
                let time_start = end + 1;
                if date_only
                    && self.at(end) == Some(b' ')
                    && self.at(time_start).is_some_and(|b| b.is_ascii_digit())
                {
                    let time_end = self.token_end(time_start);
                    let time_tok = bytes.get(time_start..time_end).unwrap_or_default();
                    time(time_tok, 0, true)
                        .map_err(|(offset, message)| self.err(time_start + offset, message))?;
                    self.pos = time_end;
                }
                Ok(())
            }
            [h1, h2, b':', ..] if h1.is_ascii_digit() && h2.is_ascii_digit() => {
                time(tok, 0, false).map_err(located)
            }
            [b'0'..=b'9' | b'+' | b'-' | b'.', ..] => number(tok).map_err(located),
            _ => Err(located((0, word_message(tok)))),
        }
    }

    /// The end of the run of token characters starting at `i`: ASCII letters and digits,
    /// `_ . + - : /`, and any non-ASCII character (so a stray non-ASCII digit is reported).
    fn token_end(&self, mut i: usize) -> usize {
        while self
            .at(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"_.+-:/".contains(&b) || b >= 0x80)
        {
            i += 1;
        }
        i
    }
}

/// Adds a dotted key to an inline table's keys, as tomllib does: the parts before the last may
/// go through tables made by earlier dotted keys; the last must be new.
fn define(tables: &mut Vec<HashMap<String, Slot>>, key: Vec<String>) -> Result<(), &'static str> {
    let mut parts = key.into_iter();
    let Some(last) = parts.next_back() else {
        return Ok(());
    };
    let mut current = 0;
    for part in parts {
        let found = tables
            .get(current)
            .and_then(|t| t.get(&part))
            .map(|slot| match slot {
                Slot::Value => None,
                Slot::Table(index) => Some(*index),
            });
        current = match found {
            Some(Some(index)) => index,
            Some(None) => return Err(BELOW_VALUE),
            None => {
                let index = tables.len();
                tables.push(HashMap::new());
                if let Some(table) = tables.get_mut(current) {
                    table.insert(part, Slot::Table(index));
                }
                index
            }
        };
    }
    let Some(table) = tables.get_mut(current) else {
        return Ok(());
    };
    match table.get(&last) {
        Some(Slot::Value) => Err(DUPLICATE_KEY),
        Some(Slot::Table(_)) => Err(REDEFINE_TABLE),
        None => {
            table.insert(last, Slot::Value);
            Ok(())
        }
    }
}

/// A date, or a date and time with `T`/`t` (returns whether it was only a date).
fn date_time(tok: &[u8]) -> Result<bool, TokenError> {
    let year = field(tok, 0, 4, DATE_FORM)?;
    let month = field(tok, 5, 2, DATE_FORM)?;
    if tok.get(7) != Some(&b'-') {
        return Err(unexpected(tok, 7, DATE_FORM));
    }
    let day = field(tok, 8, 2, DATE_FORM)?;
    // Python's `date` is what tomllib builds: years 1-9999, real days only.
    if year == 0 {
        return Err((0, YEAR_ZERO));
    }
    if !(1..=12).contains(&month) {
        return Err((5, MONTH));
    }
    if !(1..=31).contains(&day) {
        return Err((8, DAY));
    }
    if day > days_in_month(year, month) {
        return Err((8, DAY_IN_MONTH));
    }
    match tok.get(10) {
        None => Ok(true),
        Some(b'T' | b't') if tok.len() == 11 => Err((10, DATE_NEEDS_TIME)),
        Some(b'T' | b't') => time(tok, 11, true).map(|()| false),
        Some(_) => Err(unexpected(tok, 10, AFTER_DATE)),
    }
}

/// A time starting at `start` in `tok`, with an offset only when it follows a date.
fn time(tok: &[u8], start: usize, after_date: bool) -> Result<(), TokenError> {
    let hour = field(tok, start, 2, TIME_FORM)?;
    if tok.get(start + 2) != Some(&b':') {
        return Err(unexpected(tok, start + 2, TIME_FORM));
    }
    let minute = field(tok, start + 3, 2, TIME_FORM)?;
    if hour > 23 {
        return Err((start, HOUR));
    }
    if minute > 59 {
        return Err((start + 3, MINUTE));
    }
    // TOML 1.1 made seconds optional; tomllib (1.0) requires them.
    if tok.get(start + 5) != Some(&b':') {
        return Err((start + 5, SECONDS));
    }
    let second = field(tok, start + 6, 2, TIME_FORM)?;
    // Python's `time` has no leap second 60.
    if second > 59 {
        return Err((start + 6, SECOND));
    }
    let mut i = start + 8;
    if tok.get(i) == Some(&b'.') {
        i += 1;
        if !tok.get(i).is_some_and(u8::is_ascii_digit) {
            return Err(unexpected(tok, i, FRACTION));
        }
        // Any number of digits: tomllib keeps the first six (microseconds).
        while tok.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    match tok.get(i) {
        None => return Ok(()),
        Some(b'Z' | b'z') if after_date => i += 1,
        Some(b'+' | b'-') if after_date => {
            let hours = field(tok, i + 1, 2, OFFSET_FORM)?;
            if tok.get(i + 3) != Some(&b':') {
                return Err(unexpected(tok, i + 3, OFFSET_FORM));
            }
            let minutes = field(tok, i + 4, 2, OFFSET_FORM)?;
            // Python's `timezone` needs less than 24 hours.
            if hours > 23 {
                return Err((i + 1, OFFSET_HOUR));
            }
            if minutes > 59 {
                return Err((i + 4, OFFSET_MINUTE));
            }
            i += 6;
        }
        Some(b'Z' | b'z' | b'+' | b'-') => return Err((i, LOCAL_TIME_OFFSET)),
        Some(_) => return Err(unexpected(tok, i, AFTER_TIME)),
    }
    if i < tok.len() {
        return Err(unexpected(tok, i, AFTER_TIME));
    }
    Ok(())
}

/// An integer or float, as tomllib's number pattern and Python's `int`/`float` read it.
fn number(tok: &[u8]) -> Result<(), TokenError> {
    let signed = matches!(tok.first(), Some(b'+' | b'-'));
    let i = usize::from(signed);
    match (tok.get(i), tok.get(i + 1)) {
        (Some(b'0'), Some(prefix @ (b'x' | b'o' | b'b'))) => {
            if signed {
                return Err((0, PREFIX_SIGN));
            }
            return prefixed(tok, *prefix);
        }
        (Some(b'0'), Some(b'X' | b'O' | b'B')) => return Err((i + 1, PREFIX_CASE)),
        _ => {}
    }
    match tok.get(i) {
        None => return Err((0, SIGN_ALONE)),
        Some(b'.') => return Err((i, POINT)),
        Some(b'_') => return Err((i, UNDERSCORE)),
        Some(b'0'..=b'9') => {}
        Some(c) if c.is_ascii_alphabetic() => {
            return Err((i, word_message(tok.get(i..).unwrap_or_default())));
        }
        Some(_) => return Err(unexpected(tok, i, BAD_NUMBER)),
    }
    if tok.get(i) == Some(&b'0') && matches!(tok.get(i + 1), Some(b'0'..=b'9' | b'_')) {
        return Err((i, LEADING_ZERO));
    }
    let (mut j, int_digits) = digit_run(tok, i, u8::is_ascii_digit)?;
    let mut float = false;
    if tok.get(j) == Some(&b'.') {
        if !tok.get(j + 1).is_some_and(u8::is_ascii_digit) {
            return Err(unexpected(tok, j + 1, POINT));
        }
        j = digit_run(tok, j + 1, u8::is_ascii_digit)?.0;
        float = true;
    }
    if matches!(tok.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(tok.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        match tok.get(k) {
            Some(b'0'..=b'9') => {}
            Some(b'_') => return Err((k, UNDERSCORE)),
            _ => return Err(unexpected(tok, k, EXPONENT)),
        }
        j = digit_run(tok, k, u8::is_ascii_digit)?.0;
        float = true;
    }
    if j < tok.len() {
        let message = match tok.get(j) {
            Some(b':') => TIME_FORM,
            Some(b'-' | b'/') if !float => DATE_FORM,
            _ => BAD_NUMBER,
        };
        return Err(unexpected(tok, j, message));
    }
    if !float && int_digits > MAX_DECIMAL_DIGITS {
        return Err((0, TOO_MANY_DIGITS));
    }
    Ok(())
}

/// A `0x`, `0o` or `0b` integer (`tok` starts with the prefix).
fn prefixed(tok: &[u8], prefix: u8) -> Result<(), TokenError> {
    let (is_digit, empty, bad): (fn(&u8) -> bool, _, _) = match prefix {
        b'x' => (u8::is_ascii_hexdigit, HEX_EMPTY, HEX_DIGIT),
        b'o' => (|b: &u8| (b'0'..=b'7').contains(b), OCT_EMPTY, OCT_DIGIT),
        _ => (|b: &u8| matches!(b, b'0' | b'1'), BIN_EMPTY, BIN_DIGIT),
    };
    match tok.get(2) {
        None => return Err((0, empty)),
        Some(b'_') => return Err((2, UNDERSCORE)),
        Some(c) if is_digit(c) => {}
        Some(_) => return Err(unexpected(tok, 2, bad)),
    }
    let (end, _) = digit_run(tok, 2, is_digit)?;
    if end < tok.len() {
        return Err(unexpected(tok, end, bad));
    }
    Ok(())
}

/// Digits with single underscores between them, from `start` (a digit): the end and the number
/// of digits.
fn digit_run(
    tok: &[u8],
    start: usize,
    is_digit: fn(&u8) -> bool,
) -> Result<(usize, usize), TokenError> {
    let mut i = start;
    let mut count = 0;
    loop {
        match tok.get(i) {
            Some(d) if is_digit(d) => {
                i += 1;
                count += 1;
            }
            Some(b'_') if tok.get(i + 1).is_some_and(is_digit) => i += 1,
            Some(b'_') => return Err((i, UNDERSCORE)),
            _ => return Ok((i, count)),
        }
    }
}

/// The value of the `len` ASCII digits at `start` of a date or time field.
fn field(tok: &[u8], start: usize, len: usize, message: &'static str) -> Result<u32, TokenError> {
    let mut value = 0;
    for i in start..start + len {
        match tok.get(i) {
            Some(d) if d.is_ascii_digit() => value = value * 10 + u32::from(d - b'0'),
            _ => return Err(unexpected(tok, i, message)),
        }
    }
    Ok(value)
}

/// An unexpected character in a number, date or time: a non-ASCII digit gets its own message.
fn unexpected(tok: &[u8], at: usize, message: &'static str) -> TokenError {
    // Everything before `at` was checked to be ASCII, so `at` starts a character.
    let is_foreign_digit = tok
        .get(at..)
        .and_then(|rest| std::str::from_utf8(rest).ok())
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| !c.is_ascii() && c.is_numeric());
    if is_foreign_digit {
        (at, ASCII_DIGITS)
    } else {
        (at, message)
    }
}

/// The message for a token that starts like a word.
fn word_message(tok: &[u8]) -> &'static str {
    let word = tok
        .strip_prefix(b"+")
        .or_else(|| tok.strip_prefix(b"-"))
        .unwrap_or(tok);
    let lower = word.to_ascii_lowercase();
    match lower.as_slice() {
        b"true" | b"false" => BOOL_CASE,
        b"inf" | b"nan" | b"infinity" => SPECIAL_FLOAT,
        [b'_', b'0'..=b'9', ..] => UNDERSCORE,
        [c, ..] if c.is_ascii_alphabetic() || *c == b'_' => NEEDS_QUOTES,
        _ => match std::str::from_utf8(tok).ok().and_then(|s| s.chars().next()) {
            Some(c) if c.is_numeric() => ASCII_DIGITS,
            Some(c) if !c.is_ascii() => NEEDS_QUOTES,
            _ => EXPECTED_VALUE,
        },
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Control characters: U+0000 to U+001F except tab, and U+007F.
fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7F
}

fn is_bare_key(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn hex_value(h: u8) -> u32 {
    u32::from(match h {
        b'0'..=b'9' => h - b'0',
        b'a'..=b'f' => h - b'a' + 10,
        b'A'..=b'F' => h - b'A' + 10,
        _ => 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(literal: &str) -> String {
        match check_value(literal) {
            Ok(()) => panic!("accepted: {literal:?}"),
            Err(e) => e.message,
        }
    }

    fn accepts(literals: &[&str]) {
        for literal in literals {
            assert_eq!(check_value(literal), Ok(()), "{literal:?}");
        }
    }

    fn refuses(cases: &[(&str, &str)]) {
        for (literal, expected) in cases {
            assert_eq!(message(literal), *expected, "{literal:?}");
        }
    }

    #[test]
    fn the_values_tomllib_rejected() {
        refuses(&[
            ("0x", "0x needs at least one hex digit"),
            ("0o", "0o needs at least one octal digit"),
            ("0b", "0b needs at least one binary digit"),
            ("١٢٣", "digits must be ASCII 0-9"),
            ("1٢3", "digits must be ASCII 0-9"),
            ("10:00", "a time needs seconds in TOML 1.0 (like 10:00:00)"),
            (
                "2026-11-22T10:00",
                "a time needs seconds in TOML 1.0 (like 10:00:00)",
            ),
            (
                "{ a = 1, }",
                "a trailing comma is not allowed in an inline table in TOML 1.0",
            ),
            (
                "{ a = 1,\n b = 2 }",
                "an inline table must stay on one line in TOML 1.0",
            ),
            (
                "{\n a = 1 }",
                "an inline table must stay on one line in TOML 1.0",
            ),
            ("\"\\e\"", "\\e is not a TOML 1.0 escape (write \\u001B)"),
            (
                "\"\\x41\"",
                "\\x is not a TOML 1.0 escape (write \\u0041 style escapes)",
            ),
        ]);
        accepts(&[
            "0x0",
            "10:00:00",
            "2026-11-22T10:00:00",
            "{ a = 1 }",
            "\"\\u001B\"",
        ]);
    }

    #[test]
    fn basic_strings() {
        accepts(&[
            "\"\"",
            "\"plain text é 日本\"",
            "\"\\b\\t\\n\\f\\r\\\"\\\\\"",
            "\"\\u00e9\\U0001F600\\uE000\\U0010FFFF\"",
            "\"tab\there\"",
            "\"#not a comment\"",
        ]);
        refuses(&[
            ("\"abc", UNCLOSED_STRING),
            ("\"abc\\", UNCLOSED_STRING),
            ("\"a\nb\"", STRING_NEWLINE),
            ("\"a\r\nb\"", STRING_NEWLINE),
            ("\"a\u{0}b\"", STRING_CONTROL),
            ("\"a\u{1f}b\"", STRING_CONTROL),
            ("\"a\u{7f}b\"", STRING_CONTROL),
            ("\"\\a\"", BAD_ESCAPE),
            ("\"\\/\"", BAD_ESCAPE),
            ("\"\\ \"", BAD_ESCAPE),
            ("\"\\u12\"", ESC_U4),
            ("\"\\u12G4\"", ESC_U4),
            ("\"\\U0001F60\"", ESC_U8),
            ("\"\\uD800\"", NOT_SCALAR),
            ("\"\\uDFFF\"", NOT_SCALAR),
            ("\"\\U00110000\"", NOT_SCALAR),
            ("\"a\" \"b\"", AFTER_VALUE),
        ]);
    }

    #[test]
    fn literal_strings() {
        accepts(&["''", "'C:\\path\\e\\x'", "'a\"b\ttab'"]);
        refuses(&[
            ("'abc", UNCLOSED_LITERAL),
            ("'a\nb'", STRING_NEWLINE),
            ("'a\u{1}b'", LITERAL_CONTROL),
            ("'a\u{7f}b'", LITERAL_CONTROL),
            ("'a'b'", AFTER_VALUE),
        ]);
    }

    #[test]
    fn multi_line_strings() {
        accepts(&[
            "\"\"\"\"\"\"",
            "\"\"\"\nline one\nline two\"\"\"",
            "\"\"\"crlf\r\nline\"\"\"",
            "\"\"\"a\\\n   b\"\"\"",
            "\"\"\"a\\   \r\n\n   b\"\"\"",
            "\"\"\"one \" two \"\" quotes\"\"\"",
            "\"\"\"a\"\"\"\"\"",
            "\"\"\"\\\"\"\"\"",
            "'''a\n'b' ''c'' \\e'''",
            "'''a'''''",
        ]);
        refuses(&[
            ("\"\"\"a\"\"\"\"\"\"", AFTER_VALUE),
            ("'''a''''''", AFTER_VALUE),
            ("\"\"\"a\rb\"\"\"", LONE_CR),
            ("'''a\rb'''", LONE_CR),
            ("\"\"\"a\\ b\"\"\"", LINE_BACKSLASH),
            ("\"\"\"a\u{0}\"\"\"", STRING_CONTROL),
            ("'''a\u{7f}'''", LITERAL_CONTROL),
            ("\"\"\"a\\e\"\"\"", ESC_E),
            ("\"\"\"abc", UNCLOSED_ML_STRING),
            ("\"\"\"abc\\", UNCLOSED_ML_STRING),
            ("\"\"\"abc\\  \n", UNCLOSED_ML_STRING),
            ("'''abc''", UNCLOSED_ML_LITERAL),
        ]);
    }

    #[test]
    fn integers() {
        accepts(&[
            "0",
            "+0",
            "-0",
            "7",
            "-17",
            "+1_000",
            "1_2_3",
            "0xDEAD_beef",
            "0x0001",
            "0o755",
            "0b1010_0101",
        ]);
        // Beyond 64 bits is fine for tomllib (Python ints), up to Python's 4300 decimal digits.
        let big = "9".repeat(MAX_DECIMAL_DIGITS);
        accepts(&["123456789012345678901234567890", &big, &format!("-{big}")]);
        accepts(&[&format!("{}_9", "9".repeat(MAX_DECIMAL_DIGITS - 1))]);
        accepts(&[&format!("0x{}", "f".repeat(10_000))]);
        refuses(&[
            (&format!("{big}9"), TOO_MANY_DIGITS),
            (&format!("{big}_9"), TOO_MANY_DIGITS),
            ("01", LEADING_ZERO),
            ("-00", LEADING_ZERO),
            ("0_1", LEADING_ZERO),
            ("1__0", UNDERSCORE),
            ("1_", UNDERSCORE),
            ("_1", UNDERSCORE),
            ("+_1", UNDERSCORE),
            ("0x_1", UNDERSCORE),
            ("0x1_", UNDERSCORE),
            ("+0x1", PREFIX_SIGN),
            ("-0b1", PREFIX_SIGN),
            ("0X1F", PREFIX_CASE),
            ("0B1", PREFIX_CASE),
            ("0xg", HEX_DIGIT),
            ("0o8", OCT_DIGIT),
            ("0o17.5", OCT_DIGIT),
            ("0b102", BIN_DIGIT),
            ("0x٣", ASCII_DIGITS),
            ("+", SIGN_ALONE),
            ("-", SIGN_ALONE),
            ("1a", BAD_NUMBER),
            ("123:30", TIME_FORM),
            ("1979-5-27", DATE_FORM),
        ]);
    }

    #[test]
    fn floats() {
        accepts(&[
            "0.0",
            "+1.5",
            "-0.01",
            "3.141_592",
            "1e6",
            "1E-6",
            "-2e+10",
            "6.626e-34",
            "1e0_1",
            "0e0",
            "1e05",
            "1e999",
            "inf",
            "+inf",
            "-inf",
            "nan",
            "+nan",
            "-nan",
        ]);
        refuses(&[
            (".5", POINT),
            ("1.", POINT),
            ("1._5", POINT),
            ("-.5", POINT),
            ("01.5", LEADING_ZERO),
            ("1.5_", UNDERSCORE),
            ("1e", EXPONENT),
            ("1e+", EXPONENT),
            ("1e_5", UNDERSCORE),
            ("1.5.5", BAD_NUMBER),
            ("1e5.5", BAD_NUMBER),
            ("Inf", SPECIAL_FLOAT),
            ("-NaN", SPECIAL_FLOAT),
            ("infinity", SPECIAL_FLOAT),
            ("nanx", NEEDS_QUOTES),
        ]);
    }

    #[test]
    fn booleans_and_words() {
        accepts(&["true", "false"]);
        refuses(&[
            ("True", BOOL_CASE),
            ("FALSE", BOOL_CASE),
            ("truex", NEEDS_QUOTES),
            ("hello", NEEDS_QUOTES),
            ("é", NEEDS_QUOTES),
            ("", MISSING_VALUE),
            ("   ", MISSING_VALUE),
            ("# comment", MISSING_VALUE),
            ("=", EXPECTED_VALUE),
            ("@", EXPECTED_VALUE),
        ]);
    }

    #[test]
    fn dates_and_times() {
        accepts(&[
            "1979-05-27T07:32:00Z",
            "1979-05-27t07:32:00z",
            "1979-05-27 07:32:00",
            "1979-05-27T00:32:00.999999-07:00",
            "1979-05-27T00:32:00.1234567891+23:59",
            "1979-05-27T07:32:00-00:00",
            "1979-05-27T07:32:00",
            "1979-05-27",
            "2000-02-29",
            "2024-02-29",
            "0001-01-01",
            "9999-12-31",
            "07:32:00",
            "00:32:00.999999999",
            "23:59:59",
        ]);
        refuses(&[
            ("0000-01-01", YEAR_ZERO),
            ("1979-00-27", MONTH),
            ("1979-13-27", MONTH),
            ("1979-05-00", DAY),
            ("1979-05-32", DAY),
            ("2023-02-29", DAY_IN_MONTH),
            ("1900-02-29", DAY_IN_MONTH),
            ("2024-04-31", DAY_IN_MONTH),
            ("1979/05/27", DATE_FORM),
            ("1979-05-7", DATE_FORM),
            ("1979-05-27x", AFTER_DATE),
            ("1979-05-27T", DATE_NEEDS_TIME),
            ("1979-05-27 07:32", SECONDS),
            ("1979-05-27 7:32:00", TIME_FORM),
            ("1979-05-27  07:32:00", AFTER_VALUE),
            ("1979-05-27_07:32:00", AFTER_DATE),
            ("24:00:00", HOUR),
            ("23:60:00", MINUTE),
            ("23:59:60", SECOND),
            ("1979-05-27T23:59:60Z", SECOND),
            ("07:32", SECONDS),
            ("07:32Z", SECONDS),
            ("07:32:0", TIME_FORM),
            ("07:32:00.", FRACTION),
            ("07:32:00Z", LOCAL_TIME_OFFSET),
            ("07:32:00+01:00", LOCAL_TIME_OFFSET),
            ("07:32:00.5.5", AFTER_TIME),
            ("1979-05-27T07:32:00+24:00", OFFSET_HOUR),
            ("1979-05-27T07:32:00+01:60", OFFSET_MINUTE),
            ("1979-05-27T07:32:00+0100", OFFSET_FORM),
            ("1979-05-27T07:32:00+01", OFFSET_FORM),
            ("1979-05-27T07:32:00Zz", AFTER_TIME),
            ("1979-05-27T07:32:00+01:00:00", AFTER_TIME),
            ("١٠:٠٠:٠٠", ASCII_DIGITS),
            ("1979-٠٥-27", ASCII_DIGITS),
        ]);
    }

    #[test]
    fn arrays() {
        accepts(&[
            "[]",
            "[ ]",
            "[1, 2, 3]",
            "[1, 2, 3,]",
            "[ 1 , \"two\" , 3.0 , [4] , { five = 5 } ]",
            "[\n  1,\n  2, # two\n]",
            "[\r\n 1,\r\n 2\r\n]",
            "[ # only a comment\n]",
            "[1\n,2]",
            "[[], [[]], []]",
            "[1979-05-27 07:32:00, 1979-05-27 ]",
        ]);
        refuses(&[
            ("[", UNCLOSED_ARRAY),
            ("[1, 2", UNCLOSED_ARRAY),
            ("[1 2]", ARRAY_SEP),
            ("[,]", MISSING_VALUE),
            ("[1,,2]", MISSING_VALUE),
            ("[1,\r2]", LONE_CR),
            ("[1 # \u{1} \n]", COMMENT_CONTROL),
            ("[1]]", AFTER_VALUE),
        ]);
    }

    #[test]
    fn inline_tables() {
        accepts(&[
            "{}",
            "{ }",
            "{ a = 1 }",
            "{a=1,b=2}",
            "{ first = \"Tom\", last = \"Preston-Werner\" }",
            "{ a.b = 1, a.c = 2 }",
            "{ a . b = 1, a.\"c\" = 2 }",
            "{ \"quoted key\" = 1, 'literal key' = 2, \"\" = 3, 1 = 4, -_ = 5 }",
            "{ a = { b = 1 }, c = [1, 2] }",
            // Newlines inside a value are inside the value, not between the braces.
            "{ a = [1,\n 2], b = \"\"\"x\ny\"\"\" }",
        ]);
        refuses(&[
            ("{ a = 1, a = 2 }", DUPLICATE_KEY),
            ("{ a = 1, \"a\" = 2 }", DUPLICATE_KEY),
            ("{ 'a' = 1, \"\\u0061\" = 2 }", DUPLICATE_KEY),
            ("{ a.b = 1, a = 2 }", REDEFINE_TABLE),
            ("{ a.b.c = 1, a.b = 2 }", REDEFINE_TABLE),
            ("{ a = 1, a.b = 2 }", BELOW_VALUE),
            ("{ a = {}, a.b = 2 }", BELOW_VALUE),
            ("{ a.b = 1, a.b.c = 2 }", BELOW_VALUE),
            ("{ a = 1", UNCLOSED_TABLE),
            ("{ a = 1 b = 2 }", TABLE_SEP),
            ("{ a = 1 # c\n}", TABLE_COMMENT),
            ("{ a = 1\n}", ONE_LINE),
            ("{ a = 1,\r\n b = 2 }", ONE_LINE),
            ("{ a 1 }", EXPECTED_EQ),
            ("{ a\n= 1 }", ONE_LINE),
            ("{ , }", KEY_MISSING),
            ("{ = 1 }", KEY_MISSING),
            ("{ a. = 1 }", KEY_MISSING),
            ("{ é = 1 }", BAD_KEY),
            ("{ \"\"\"a\"\"\" = 1 }", EXPECTED_EQ),
            ("{ a = }", MISSING_VALUE),
            ("{ a = 1 }}", AFTER_VALUE),
        ]);
    }

    #[test]
    fn whitespace_and_comments() {
        accepts(&[
            "  1  ",
            "\t1\t",
            "1 # a comment",
            "1# no space",
            "1 #\ttab é",
            "\"a\" #",
        ]);
        refuses(&[
            ("1 # \u{7f}", COMMENT_CONTROL),
            ("1 # \u{0}", COMMENT_CONTROL),
            ("1 # c\r", COMMENT_CONTROL),
            ("1\n", NEWLINE_AFTER),
            ("1\r\n", NEWLINE_AFTER),
            ("1 # c\n", NEWLINE_AFTER),
            ("1\ny = 2", NEWLINE_AFTER),
            ("\n1", MISSING_VALUE),
            ("1 2", AFTER_VALUE),
            ("\u{c}1", EXPECTED_VALUE),
        ]);
    }

    #[test]
    fn nesting_is_limited() {
        let arrays = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let tables = |n: usize| format!("{}1{}", "{a=".repeat(n), "}".repeat(n));
        accepts(&[&arrays(MAX_DEPTH), &tables(MAX_DEPTH)]);
        assert!(message(&arrays(MAX_DEPTH + 1)).starts_with("nested too deeply"));
        assert!(message(&tables(MAX_DEPTH + 1)).starts_with("nested too deeply"));
        // No stack overflow, and quickly, on absurd input.
        assert!(message(&"[".repeat(1_000_000)).starts_with("nested too deeply"));
        assert!(message(&"{a=".repeat(1_000_000)).starts_with("nested too deeply"));
    }

    #[test]
    fn large_values_are_linear() {
        let start = std::time::Instant::now();
        let long_string = format!("\"{}\"", "x\\u00e9".repeat(200_000));
        let long_array = format!("[{}]", "1, ".repeat(200_000));
        let many_keys: Vec<String> = (0..50_000).map(|i| format!("k{i} = {i}")).collect();
        let wide_table = format!("{{ {} }}", many_keys.join(", "));
        accepts(&[&long_string, &long_array, &wide_table]);
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn column_counts_characters() {
        let e = check_value("  0x").unwrap_err();
        assert_eq!(e.column, 3);
        let e = check_value("[\"é日\", 1 2]").unwrap_err();
        assert_eq!((e.message.as_str(), e.column), (ARRAY_SEP, 10));
        let e = check_value("\"ab\\e\"").unwrap_err();
        assert_eq!(e.column, 4);
        assert_eq!(e.to_string(), format!("{ESC_E} (column 4)"));
    }

    #[test]
    fn messages_never_contain_the_input() {
        let secret = "s3cr3tXYZ";
        let templates = [
            "\"{}\\q\"",
            "\"{}\\e\"",
            "\"{}\\x41\"",
            "\"{}\\u12\"",
            "\"{}\u{1}\"",
            "'{}\n'",
            "\"{}",
            "'{}",
            "\"\"\"{}",
            "{}",
            "{} = 1",
            "1 {}",
            "1 # {}\u{7f}",
            "[\"{}\" \"{}\"]",
            "{{ {} = 1, {} = 2 }}",
            "{{ \"{}\" = 1, }}",
            "{{ a = \"{}\"\n }}",
            "0x{}",
            "1979-05-27T{}",
            "07:32:{}",
            "12{}",
            "\"{}\" \n",
        ];
        for template in templates {
            for filler in [secret, "98765432", "s3cr3t s3cr3t"] {
                let literal = template.replace("{}", filler);
                let Err(e) = check_value(&literal) else {
                    assert_eq!(filler, "98765432", "{literal:?}");
                    continue;
                };
                for needle in ["s3cr3t", "XYZ", "98765", "432"] {
                    assert!(
                        !e.message.contains(needle) && !e.to_string().contains(needle),
                        "{literal:?} -> {e}"
                    );
                }
            }
        }
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn never_panics_on_any_text(s in "\\PC{0,60}") {
                let _ = check_value(&s);
            }

            #[test]
            fn never_panics_on_toml_like_text(
                s in "[\"'\\[\\]{}=,.#0-9a-fxobeTZz_+:\\- \t\n\r\\\\uUé٣\u{7f}\u{0}]{0,60}"
            ) {
                if let Err(e) = check_value(&s) {
                    prop_assert!(e.column >= 1 && e.column <= s.chars().count() + 1);
                }
            }
        }
    }
}
