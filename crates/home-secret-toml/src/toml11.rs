//! What hst's parser reads and Python's `tomllib` (TOML 1.0, read from bytes) does not: what
//! TOML 1.1 added (the `\e` and `\xHH` escapes, an inline table over several lines or with a
//! trailing comma, a time without seconds), a leap second (`23:59:60`, which Python's
//! `datetime` cannot hold), a carriage return that ends no line (old Mac line endings; hst and
//! the Python `hst` read it as one), a second byte-order mark. hst reads such a file and writes
//! none: the edit is refused with where it is.
//!
//! The text is one hst's parser has read: only these are looked for, in one pass that jumps
//! through strings and comments with `memchr` (a million keys: one scan of the file, no
//! parse). Offsets are bytes into the text; nothing of the text is ever quoted.

use memchr::{memchr, memchr2, memmem};

/// One use of a TOML 1.1 addition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addition {
    /// Byte offset in the text where it is.
    pub offset: usize,
    /// What it is, and what TOML 1.0 writes instead.
    pub what: &'static str,
}

const ESCAPE_E: &str = "the escape \\e is TOML 1.1 (TOML 1.0 writes \\u001B)";
const ESCAPE_X: &str = "the escape \\xHH is TOML 1.1 (TOML 1.0 writes \\u00HH)";
const INLINE_LINES: &str =
    "an inline table over several lines is TOML 1.1 (TOML 1.0 keeps it on one line)";
const INLINE_COMMA: &str = "a comma before an inline table's `}` is TOML 1.1";
const SECOND_BOM: &str = "a second byte-order mark (U+FEFF) after the first one";
const NO_SECONDS: &str = "a time without seconds is TOML 1.1 (TOML 1.0 writes 07:32:00)";
const LEAP_SECOND: &str = "a leap second (:60) is a time Python's datetime cannot hold";
const LONE_CR: &str = "a carriage return that ends no line (an old Mac line ending)";

/// The first TOML 1.1 addition in `text` (a UTF-8 BOM before it is skipped, offsets count it).
pub fn first_addition(text: &str) -> Option<Addition> {
    let bom = crate::source::bom_len(text);
    // toml_parser skips one more; tomllib (after the Python tool's read) none.
    if text[bom..].starts_with('\u{feff}') {
        return Some(Addition {
            offset: bom,
            what: SECOND_BOM,
        });
    }
    let mut scan = Scan {
        b: text.as_bytes(),
        i: bom,
        open: Vec::new(),
        value: false,
        header: false,
        last: 0,
        last_at: 0,
    };
    let found = scan.run().err();
    // Anywhere (a comment, a multi-line string): tomllib takes `\r` only before `\n`.
    let lone_cr = memchr::memchr_iter(b'\r', text.as_bytes())
        .find(|&i| text.as_bytes().get(i + 1) != Some(&b'\n'))
        .map(|offset| Addition {
            offset,
            what: LONE_CR,
        });
    match (found, lone_cr) {
        (Some(a), Some(b)) => Some(if b.offset < a.offset { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Bytes with no meaning to the scan outside strings and comments.
const PLAIN: [bool; 256] = {
    let mut plain = [true; 256];
    let special = b" \t\n\r#\"'{}[]=:";
    let mut i = 0;
    while i < special.len() {
        plain[special[i] as usize] = false;
        i += 1;
    }
    plain
};

struct Scan<'t> {
    b: &'t [u8],
    i: usize,
    /// The brackets of values open here (`{` or `[`), innermost last.
    open: Vec<u8>,
    /// After a `=` on this line (or inside brackets): a `[` opens an array, not a header.
    value: bool,
    /// Inside a `[table]` header: its brackets open nothing.
    header: bool,
    /// The last byte outside blanks, strings and comments (for `, }`), and where it is.
    last: u8,
    last_at: usize,
}

impl Scan<'_> {
    fn run(&mut self) -> Result<(), Addition> {
        while let Some(&c) = self.b.get(self.i) {
            // Most bytes (a key's letters, digits, dots) mean nothing here: skipped in a run.
            if PLAIN[usize::from(c)] {
                let rest = &self.b[self.i..];
                let run = rest
                    .iter()
                    .position(|&b| !PLAIN[usize::from(b)])
                    .unwrap_or(rest.len());
                self.i += run;
                self.last = self.b[self.i - 1];
                self.last_at = self.i - 1;
                continue;
            }
            match c {
                b' ' | b'\t' => {
                    self.i += 1;
                    continue;
                }
                b'\n' => self.newline()?,
                // A lone one is found before the scan; `\r\n` ends the line at its `\n`.
                b'\r' => {}
                b'#' => {
                    self.in_inline_table(INLINE_LINES)?;
                    self.i = memchr2(b'\n', b'\r', &self.b[self.i..])
                        .map_or(self.b.len(), |n| self.i + n);
                    continue;
                }
                b'"' => self.basic_string()?,
                b'\'' => self.literal_string(),
                b'{' => self.open.push(b'{'),
                b'}' => {
                    if self.last == b',' {
                        return Err(self.at(self.last_at, INLINE_COMMA));
                    }
                    self.open.pop();
                }
                b'[' if self.value || !self.open.is_empty() => self.open.push(b'['),
                b'[' => self.header = true,
                b']' if !self.header => {
                    self.open.pop();
                }
                b'=' => self.value = true,
                b':' => self.time()?,
                _ => {}
            }
            self.last = c;
            self.last_at = self.i;
            self.i += 1;
        }
        Ok(())
    }

    fn at(&self, offset: usize, what: &'static str) -> Addition {
        Addition { offset, what }
    }

    fn in_inline_table(&self, what: &'static str) -> Result<(), Addition> {
        match self.open.last() {
            Some(b'{') => Err(self.at(self.i, what)),
            _ => Ok(()),
        }
    }

    /// A line break (a lone `\r` is one for Python, which reads the file with universal
    /// newlines): inside an inline table's own braces, TOML 1.1.
    fn newline(&mut self) -> Result<(), Addition> {
        self.in_inline_table(INLINE_LINES)?;
        if self.open.is_empty() {
            self.value = false;
            self.header = false;
        }
        Ok(())
    }

    /// The first `:` of a time (`HH:MM`) must be followed by `:SS`. Outside strings and comments
    /// a `:` is only ever in a time or its offset (no bare key holds one).
    fn time(&self) -> Result<(), Addition> {
        let i = self.i;
        let digit = |at: Option<usize>| {
            at.and_then(|j| self.b.get(j))
                .is_some_and(u8::is_ascii_digit)
        };
        let hour = digit(i.checked_sub(2))
            && digit(i.checked_sub(1))
            && digit(Some(i + 1))
            && digit(Some(i + 2))
            // Not the minutes' `:` of a time (`07:32:00`) or an offset's (`-07:00`).
            && !matches!(i.checked_sub(3).and_then(|j| self.b.get(j)), Some(b':' | b'+' | b'-'));
        if hour && self.b.get(i + 3) != Some(&b':') {
            return Err(self.at(i - 2, NO_SECONDS));
        }
        if hour && self.b.get(i + 4..i + 6) == Some(b"60".as_slice()) {
            return Err(self.at(i + 4, LEAP_SECOND));
        }
        Ok(())
    }

    /// A `"…"` or `"""…"""` string, its escapes checked; `self.i` ends on its last quote.
    fn basic_string(&mut self) -> Result<(), Addition> {
        let multi = self.b[self.i..].starts_with(b"\"\"\"");
        let mut j = self.i + if multi { 3 } else { 1 };
        loop {
            let Some(n) = memchr2(b'"', b'\\', &self.b[j..]) else {
                self.i = self.b.len();
                return Ok(());
            };
            j += n;
            if self.b[j] == b'\\' {
                match self.b.get(j + 1) {
                    Some(b'e') => return Err(self.at(j, ESCAPE_E)),
                    Some(b'x') => return Err(self.at(j, ESCAPE_X)),
                    _ => j += 2,
                }
                continue;
            }
            if !multi {
                self.i = j;
                return Ok(());
            }
            if self.b[j..].starts_with(b"\"\"\"") {
                self.i = closing_quotes(self.b, j, b'"');
                return Ok(());
            }
            j += 1;
        }
    }

    /// A `'…'` or `'''…'''` string (no escapes); `self.i` ends on its last quote.
    fn literal_string(&mut self) {
        let rest = &self.b[self.i..];
        self.i = if rest.starts_with(b"'''") {
            memmem::find(&rest[3..], b"'''").map_or(self.b.len(), |n| {
                closing_quotes(self.b, self.i + 3 + n, b'\'')
            })
        } else {
            memchr(b'\'', &rest[1..]).map_or(self.b.len(), |n| self.i + 1 + n)
        };
    }
}

/// The last quote of the closing `"""` at `at`, which may be followed by one or two more quotes
/// that belong to the string.
fn closing_quotes(b: &[u8], at: usize, quote: u8) -> usize {
    let mut end = at + 2;
    while end < at + 4 && b.get(end + 1) == Some(&quote) {
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(text: &str) -> Option<(usize, &'static str)> {
        first_addition(text).map(|a| (a.offset, a.what))
    }

    #[test]
    fn each_addition_is_found_where_it_is() {
        assert_eq!(what("a = \"x\\e\"\n"), Some((6, ESCAPE_E)));
        assert_eq!(what("a = \"\"\"\nx\\x41\"\"\"\n"), Some((9, ESCAPE_X)));
        assert_eq!(what("\"k\\e\" = 1\n"), Some((2, ESCAPE_E)));
        assert_eq!(what("[\"h\\x41\"]\n"), Some((3, ESCAPE_X)));
        assert_eq!(what("t = {\n  a = 1 }\n"), Some((5, INLINE_LINES)));
        assert_eq!(what("t = { a = 1 # c\n}\n"), Some((12, INLINE_LINES)));
        assert_eq!(what("t = { a = 1\r\n}\n"), Some((12, INLINE_LINES)));
        assert_eq!(what("t = { a = 1, }\n"), Some((11, INLINE_COMMA)));
        assert_eq!(what("t = { a = \"x\",}\n"), Some((13, INLINE_COMMA)));
        assert_eq!(what("a = 07:32\n"), Some((4, NO_SECONDS)));
        assert_eq!(what("a = 1979-05-27T07:32Z\n"), Some((15, NO_SECONDS)));
        assert_eq!(what("a = 1979-05-27 07:32+01:00\n"), Some((15, NO_SECONDS)));
        assert_eq!(what("a = [07:32:00, 08:15]\n"), Some((15, NO_SECONDS)));
        assert_eq!(what("\u{feff}a = 07:32\n"), Some((7, NO_SECONDS)));
        assert_eq!(what("\u{feff}\u{feff}a = 1\n"), Some((3, SECOND_BOM)));
        assert_eq!(what("a = 23:59:60\n"), Some((10, LEAP_SECOND)));
        assert_eq!(what("a = 1979-05-27T23:59:60Z\n"), Some((21, LEAP_SECOND)));
        assert_eq!(what("a = 1\rb = 2\n"), Some((5, LONE_CR)));
        assert_eq!(what("a = \"\"\"x\ry\"\"\"\r\n"), Some((8, LONE_CR)));
        assert_eq!(what("# c\r\na = 07:32 # \r\n"), Some((9, NO_SECONDS)));
        assert_eq!(what("a = 1 # c\r"), Some((9, LONE_CR)));
    }

    #[test]
    fn toml_1_0_has_none() {
        for text in [
            r#"a = "x\\e \\x41 \u001B \"""#.to_string(),
            "a = 'x\\e \\x41'\nb = '''\n\\e'''\n".into(),
            "a = \"\"\"\nx is \\\\e\"\"\"\n".into(),
            "a = \"\"\"q\"\"\"\"\"\nb = '''q'''''\nc = 1\n".into(),
            "# \\e, t = { a = 1, } 07:32\na = 1 # 07:32, {\n".into(),
            "a = 07:32:00\nb = 1979-05-27T07:32:00.5-07:00\nc = 1979-05-27 07:32:59Z\n".into(),
            "a = 06:00:00\nb = [00:59:59]\n".into(),
            "t = { a = [\n  1, # one\n  2,\n], b = \"\"\"x\ny\"\"\" }\n".into(),
            "a = [1, 2,]\nb = [ { x = 1 }, { y = [2,] } ]\n".into(),
            "[t]\n[[u.v]]\n[\"w.x\"]\nk = \"07:32 { ,}\"\n".into(),
            "a = \"x\" \r\nb = { c = 1 }\r\n".into(),
            "a = \"unterminated".into(),
            String::new(),
        ] {
            assert_eq!(what(&text), None, "{text:?}");
        }
    }
}
