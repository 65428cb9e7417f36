//! How values are hidden on screen and in `hst ls`.

use crate::value::Textual;

/// What share mode shows for every value: fixed, so it reveals neither length nor any character.
pub const SHARE_MASK: &str = "••••••••";

/// The reference's `mask_value`: `*` for anything that is not a string; for strings longer than
/// 8 code points the first two and last two code points around `***`; otherwise `***`.
/// A reference is not hidden: it says where a secret lives, not what it is.
pub fn mask(value: &(impl Textual + ?Sized)) -> String {
    if let Some(reference) = value.reference() {
        return reference.uri().to_string();
    }
    match value.as_text() {
        Some(text) => mask_str(text.expose()),
        None => "*".to_string(),
    }
}

fn mask_str(text: &str) -> String {
    MaskedStr(text).to_string()
}

/// A string's mask, written without building it first (`hst ls` prints a million of them).
#[derive(Clone, Copy)]
pub struct MaskedStr<'a>(pub &'a str);

impl std::fmt::Display for MaskedStr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.0;
        let mut chars = text.char_indices();
        // Byte offset after the second code point, and whether there are more than 8 in all.
        let head_end = chars.nth(2).map(|(i, _)| i);
        let long = chars.nth(5).is_some();
        match head_end {
            Some(head_end) if long => {
                let tail_start = text
                    .char_indices()
                    .rev()
                    .nth(1)
                    .map_or(text.len(), |(i, _)| i);
                f.write_str(&text[..head_end])?;
                f.write_str("***")?;
                f.write_str(&text[tail_start..])
            }
            _ => f.write_str("***"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{SecretValue, Value};

    fn m(s: &str) -> String {
        mask(&Value::String(SecretValue::new(s)))
    }

    #[test]
    fn reference_examples() {
        assert_eq!(m("abcdefgh"), "***");
        assert_eq!(m("abcdefghi"), "ab***hi");
        assert_eq!(m("admin@example.com"), "ad***om");
        assert_eq!(m("ghp_xxxxxxxxxxxx"), "gh***xx");
        assert_eq!(m(""), "***");
        assert_eq!(m("a"), "***");
        assert_eq!(mask(&Value::Integer(123)), "*");
        assert_eq!(mask(&Value::Float(2.5)), "*");
        assert_eq!(mask(&Value::Boolean(true)), "*");
        assert_eq!(mask(&Value::Array(vec![])), "*");
    }

    #[test]
    fn counts_code_points_not_bytes() {
        assert_eq!(m(&"é".repeat(8)), "***");
        assert_eq!(m(&"é".repeat(9)), "éé***éé");
        assert_eq!(m(&"🔑".repeat(8)), "***");
        assert_eq!(m(&"🔑".repeat(9)), "🔑🔑***🔑🔑");
        assert_eq!(m(&"e\u{301}".repeat(5)), "e\u{301}***e\u{301}");
        let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
        assert_eq!(m(&family.repeat(2)), "👨\u{200d}***\u{200d}👦");
        assert_eq!(m("\nabcdefghij\n"), "\na***j\n");
        assert_eq!(m("abcdefgh\r\n"), "ab***\r\n");
        assert_eq!(m("\u{feff}abcdefghij"), "\u{feff}a***ij");
    }
}
