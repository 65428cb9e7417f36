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

mod dates;
mod numbers;
mod strings;
mod tables;
#[cfg(test)]
mod tests;

use dates::{date_time, time};
use numbers::{UNDERSCORE, number};

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

// The messages of a whole value, of words, and the two that several grammar parts share (a lone
// carriage return, a non-ASCII digit); each part keeps its own. None is built from the input.
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
const ASCII_DIGITS: &str = "digits must be ASCII 0-9";

/// A problem inside one scalar token: offset in the token and message.
type TokenError = (usize, &'static str);

/// The cursor over the literal. Its `impl` is split by grammar part: this file has the cursor,
/// whitespace, comments and the dispatch; the other files have strings, arrays and tables.
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

/// Control characters: U+0000 to U+001F except tab, and U+007F.
fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7F
}
