//! Text fitted to the screen: one line (control characters never reach the terminal), cut to
//! a number of columns from the start or the end, or wrapped. Pure functions of text, used by
//! the state (which decides what the detail pane holds) and by drawing.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` on one line: line breaks shown as `↵`, tabs as a space, other control characters
/// as `�` (a revealed value must never send escape sequences to the terminal).
pub fn one_line(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '\r')
        .map(|c| match c {
            '\n' => '↵',
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// `text` cut into rows of at most `width` columns: at its line breaks, then wherever a row is
/// full (secrets rarely have spaces to break at). Control characters as in [`one_line`].
pub fn wrap_columns(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    for line in text.split('\n') {
        let line = one_line(line.strip_suffix('\r').unwrap_or(line));
        let mut row = String::new();
        let mut used = 0;
        for c in line.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && !row.is_empty() {
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
            row.push(c);
            used += w;
        }
        rows.push(row);
    }
    rows
}

/// `text` in rows of at most `width` columns, broken after one of `breaks` (a space in a
/// sentence, a dot in a key path) where a row has one, else where the row is full (a word longer
/// than the row). Spaces that end a row are dropped. Control characters as in [`one_line`].
pub fn wrap_at(text: &str, width: usize, breaks: &[char]) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    for line in text.split('\n') {
        let line = one_line(line.strip_suffix('\r').unwrap_or(line));
        let mut rest: &str = &line;
        while columns(rest) > width {
            let fits = fitting_bytes(rest, width);
            // The last break inside what fits; the row ends after it.
            let cut = rest[..fits]
                .char_indices()
                .filter(|&(_, c)| breaks.contains(&c))
                .map(|(i, c)| i + c.len_utf8())
                .next_back()
                .filter(|&end| rest[..end].trim_end().chars().count() > 0)
                .unwrap_or(fits.max(rest.chars().next().map_or(1, char::len_utf8)));
            rows.push(rest[..cut].trim_end_matches(' ').to_string());
            rest = rest[cut..].trim_start_matches(' ');
        }
        rows.push(rest.to_string());
    }
    rows
}

/// Bytes of the longest start of `text` that takes at most `width` columns.
fn fitting_bytes(text: &str, width: usize) -> usize {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            return i;
        }
        used += w;
    }
    text.len()
}

/// Columns `text` takes on screen (wide characters take two).
pub fn columns(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to `width` columns; when too long the start goes and `…` stands for it, since
/// the end of a key path says most. Returns the text and how many characters were dropped.
pub fn tail(text: &str, width: usize) -> (String, usize) {
    if columns(text) <= width {
        return (text.to_string(), 0);
    }
    if width == 0 {
        return (String::new(), text.chars().count());
    }
    // Keep the longest end that fits in width - 1 columns (one for the `…`).
    let mut kept = 0;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if kept + w > width - 1 {
            break;
        }
        kept += w;
        start = i;
    }
    let dropped = text[..start].chars().count();
    (format!("…{}", &text[start..]), dropped)
}

/// `text` cut to `width` columns, `…` at the end when too long.
pub fn head(text: &str, width: usize) -> String {
    if columns(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_at_spaces_and_dots_and_cuts_only_long_words() {
        assert_eq!(
            wrap_at("Reload the file from disk?", 12, &[' ']),
            ["Reload the", "file from", "disk?"]
        );
        assert_eq!(
            wrap_at("github.accounts.personal.token", 17, &['.']),
            ["github.accounts.", "personal.token"]
        );
        // A word longer than a row is cut where the row is full; nothing is lost.
        assert_eq!(wrap_at("abcdefgh ij", 4, &[' ']), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_at("ab\ncd", 10, &[' ']), ["ab", "cd"]);
        assert_eq!(wrap_at("", 5, &[' ']), [""]);
        for width in 1..30 {
            for row in wrap_at(
                "a bb ccc dddd.eeeee ffffff, wide: 日本語",
                width,
                &[' ', '.'],
            ) {
                assert!(columns(&row) <= width.max(2), "{row:?} at {width}");
            }
        }
    }

    #[test]
    fn tail_keeps_the_end() {
        assert_eq!(tail("abcdef", 6), ("abcdef".to_string(), 0));
        assert_eq!(tail("abcdef", 4), ("…def".to_string(), 3));
        assert_eq!(tail("abc", 0), (String::new(), 3));
        assert_eq!(head("abcdef", 4), "abc…");
        // Wide characters take two columns.
        assert_eq!(tail("鍵鍵鍵.x", 5), ("…鍵.x".to_string(), 2));
        assert_eq!(columns(&tail("鍵鍵鍵.x", 5).0), 5);
        assert_eq!(head("鍵鍵鍵", 4), "鍵…");
    }
}
