//! Text from the file shown on a terminal: control characters (C0, DEL, C1) and the invisible
//! characters that reorder or break a line (bidirectional overrides and isolates, line and
//! paragraph separators) are written as escapes, so a key or value cannot set the window
//! title, reset the terminal or make one key read as another. Through a pipe the commands keep
//! the bytes as they are (the Python tool's output); only a terminal gets the escaped form.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Bidirectional marks, embeddings, overrides and isolates, and the Unicode line and paragraph
/// separators: they draw nothing but change how the rest of the line reads.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with every unsafe character escaped: `\e` for ESC, `\t` `\n` `\r` `\0` for those,
/// `\x7f` for other C0 characters and DEL, `\u{9b}` for C1 and the invisible format characters.
/// Borrowed when there is nothing to escape (the usual case).
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` as it goes to an output: escaped when that output is a terminal, unchanged otherwise.
pub fn for_output(text: &str, terminal: bool) -> Cow<'_, str> {
    if terminal {
        escaped(text)
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_obey() {
        assert_eq!(escaped("\u{1b}]0;pwned\u{7}x"), "\\e]0;pwned\\x07x");
        assert_eq!(escaped("\u{1b}c"), "\\ec");
        assert_eq!(escaped("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(escaped("a\u{9b}31m"), "a\\u{9b}31m");
        assert_eq!(escaped("a\u{7f}\t\n\r\0"), "a\\x7f\\t\\n\\r\\0");
        assert_eq!(escaped("\u{2066}\u{2028}"), "\\u{2066}\\u{2028}");
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for text in ["github.token", "ключ", "日本語", "emoji 🔑", "a\\b"] {
            assert!(matches!(escaped(text), Cow::Borrowed(_)), "{text}");
        }
        assert_eq!(for_output("\u{1b}c", false), "\u{1b}c");
        assert_eq!(for_output("\u{1b}c", true), "\\ec");
    }
}
