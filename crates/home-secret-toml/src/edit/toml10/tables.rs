//! Arrays and inline tables, and the keys of inline tables: TOML 1.0 keeps an inline table on
//! one line, without a trailing comma, and refuses a key defined twice (dotted keys included).

use std::collections::HashMap;

use super::{LONE_CR, Parser, Toml10Error};

/// Arrays and inline tables nested deeper than this are refused, so the recursion stays shallow
/// on any input (tomllib itself stops near Python's recursion limit, a few hundred levels).
const MAX_DEPTH: usize = 128;

const NESTED: &str = "nested too deeply (more than 128 arrays or inline tables inside each other)";
const UNCLOSED_ARRAY: &str = "an array is not closed (missing ])";
pub(super) const ARRAY_SEP: &str = "array elements must be separated by commas";
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

/// What a key of an inline table holds. Dotted keys make tables that later dotted keys may
/// extend; every other value (inline tables and arrays too) is closed.
enum Slot {
    Value,
    Table(usize),
}

impl Parser<'_> {
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

    pub(super) fn array(&mut self, depth: usize) -> Result<(), Toml10Error> {
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

    pub(super) fn inline_table(&mut self, depth: usize) -> Result<(), Toml10Error> {
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

fn is_bare_key(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

#[cfg(test)]
mod tests {
    use super::super::tests::{accepts, message, refuses};
    use super::super::{AFTER_VALUE, COMMENT_CONTROL, MISSING_VALUE};
    use super::*;

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
}
