//! Strings: basic, literal and multi-line, and the escapes of basic strings (TOML 1.0 has no
//! `\e` or `\x`, and a `\u` escape must name a Unicode scalar value).

use super::{LONE_CR, Parser, Toml10Error, is_control};

const UNCLOSED_STRING: &str = "a string is not closed (missing \")";
const UNCLOSED_LITERAL: &str = "a literal string is not closed (missing ')";
const UNCLOSED_ML_STRING: &str = "a multi-line string is not closed (missing \"\"\")";
const UNCLOSED_ML_LITERAL: &str = "a multi-line literal string is not closed (missing ''')";
const STRING_NEWLINE: &str =
    "a one-line string cannot contain a newline (write \\n, or use a multi-line string)";
const STRING_CONTROL: &str = "control characters must be escaped in a string (like \\t or \\u0007)";
const LITERAL_CONTROL: &str =
    "a literal string cannot contain control characters other than tab (use a basic string)";
pub(super) const ESC_E: &str = "\\e is not a TOML 1.0 escape (write \\u001B)";
const ESC_X: &str = "\\x is not a TOML 1.0 escape (write \\u0041 style escapes)";
const BAD_ESCAPE: &str =
    "unknown escape: TOML 1.0 has \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX";
const ESC_U4: &str = "\\u needs exactly 4 hex digits";
const ESC_U8: &str = "\\U needs exactly 8 hex digits";
const NOT_SCALAR: &str =
    "an escape must be a Unicode scalar value (not a surrogate D800-DFFF, at most 10FFFF)";
const LINE_BACKSLASH: &str =
    "a line-ending backslash may only be followed by spaces until the end of the line";

impl Parser<'_> {
    /// A one-line basic string; with `out`, its decoded text is appended there (for keys).
    pub(super) fn basic_string(&mut self, mut out: Option<&mut String>) -> Result<(), Toml10Error> {
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
    pub(super) fn literal_string(&mut self, out: Option<&mut String>) -> Result<(), Toml10Error> {
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
    pub(super) fn ml_string(&mut self, quote: u8) -> Result<(), Toml10Error> {
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
    use super::super::AFTER_VALUE;
    use super::super::tests::{accepts, refuses};
    use super::*;

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
}
