//! The forms a file hides a value in that no needle can match as bytes: UTF-16 text, `\u`
//! escapes of any character (JSON, TOML, Python's `json.dumps` of non-ASCII text, PHP's `\/`),
//! base64 wrapped at 64 or 76 columns (PEM, MIME). Each is searched as a decoded view whose
//! bytes remember where in the file's text they came from; a view is made only when the file
//! has what triggers it, so plain files cost one `memchr` pass.

use std::borrow::Cow;

/// A file as text (UTF-16 decoded; anything else as it is), and its decoded views.
pub struct Decoded<'a> {
    pub text: Cow<'a, [u8]>,
    pub views: Vec<View>,
}

/// Decoded bytes, and for each the offset in [`Decoded::text`] it came from.
pub struct View {
    pub bytes: Vec<u8>,
    pub origin: Vec<usize>,
}

impl View {
    /// The text's byte range a hit `start..end` in the view covers.
    pub fn source(&self, start: usize, end: usize) -> (usize, usize) {
        let from = self.origin.get(start).copied().unwrap_or(0);
        let to = end
            .checked_sub(1)
            .and_then(|last| self.origin.get(last))
            .map_or(from, |&o| o + 1);
        (from, to.max(from + 1))
    }
}

pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let text = match utf16(bytes) {
        Some(decoded) => Cow::Owned(decoded),
        None => Cow::Borrowed(bytes),
    };
    let mut views = Vec::new();
    if let Some(view) = unescaped(&text) {
        views.push(view);
    }
    if let Some(view) = unwrapped_base64(&text) {
        views.push(view);
    }
    Decoded { text, views }
}

/// UTF-16 (LE or BE, with a BOM, or without one when every other byte of the start is zero)
/// as UTF-8.
fn utf16(bytes: &[u8]) -> Option<Vec<u8>> {
    let (little, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => {
            let sample = &bytes[..bytes.len().min(1024) & !1];
            if sample.len() < 8 {
                return None;
            }
            let pairs = sample.len() / 2;
            let zeros = |at: usize| {
                sample
                    .iter()
                    .skip(at)
                    .step_by(2)
                    .filter(|&&b| b == 0)
                    .count()
            };
            let (even, odd) = (zeros(0), zeros(1));
            if odd * 10 >= pairs * 9 && even * 20 <= pairs {
                (true, bytes)
            } else if even * 10 >= pairs * 9 && odd * 20 <= pairs {
                (false, bytes)
            } else {
                return None;
            }
        }
    };
    let units = body.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Some(text.into_bytes())
}

/// `\uXXXX` (surrogate pairs joined), `\UXXXXXXXX`, `\/` and the usual one-letter escapes
/// decoded, when the text has any `\u`, `\U` or `\/`.
fn unescaped(text: &[u8]) -> Option<View> {
    let triggered = memchr::memmem::find(text, b"\\u").is_some()
        || memchr::memmem::find(text, b"\\U").is_some()
        || memchr::memmem::find(text, b"\\/").is_some();
    if !triggered {
        return None;
    }
    let mut view = View {
        bytes: Vec::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
    };
    let mut i = 0;
    while i < text.len() {
        let (decoded, used) = if text[i] == b'\\' {
            escape_at(text, i)
        } else {
            (None, 1)
        };
        match decoded {
            Some(c) => {
                let mut buf = [0u8; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    view.bytes.push(b);
                    view.origin.push(i);
                }
            }
            None => {
                view.bytes.push(text[i]);
                view.origin.push(i);
            }
        }
        i += used;
    }
    Some(view)
}

/// The character the escape at `at` stands for and its length; `(None, 1)` when it is none.
fn escape_at(text: &[u8], at: usize) -> (Option<char>, usize) {
    let hex = |from: usize, n: usize| -> Option<u32> {
        let digits = text.get(from..from + n)?;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    match text.get(at + 1) {
        Some(b'u') => match hex(at + 2, 4) {
            Some(high @ 0xD800..=0xDBFF) => {
                let low = (text.get(at + 6..at + 8) == Some(b"\\u"))
                    .then(|| hex(at + 8, 4))
                    .flatten()
                    .filter(|l| (0xDC00..=0xDFFF).contains(l));
                match low {
                    Some(low) => (
                        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)),
                        12,
                    ),
                    None => (None, 1),
                }
            }
            Some(unit) => (char::from_u32(unit), 6),
            None => (None, 1),
        },
        Some(b'U') => match hex(at + 2, 8).and_then(char::from_u32) {
            Some(c) => (Some(c), 10),
            None => (None, 1),
        },
        Some(&b) => match b {
            b'/' => (Some('/'), 2),
            b'"' => (Some('"'), 2),
            b'\\' => (Some('\\'), 2),
            b'n' => (Some('\n'), 2),
            b't' => (Some('\t'), 2),
            b'r' => (Some('\r'), 2),
            b'b' => (Some('\u{8}'), 2),
            b'f' => (Some('\u{c}'), 2),
            _ => (None, 1),
        },
        None => (None, 1),
    }
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
}

/// Base64 wrapped at 64 or 76 columns (LF or CRLF) joined back into one line, when the text has
/// such a line.
fn unwrapped_base64(text: &[u8]) -> Option<View> {
    let wrapped = |line: &[u8]| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        matches!(line.len(), 64 | 76) && line.iter().all(|&b| is_base64(b))
    };
    if !text.split(|&b| b == b'\n').any(wrapped) {
        return None;
    }
    let mut view = View {
        bytes: Vec::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
    };
    let mut start = 0;
    while start < text.len() {
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        let keep_break = !wrapped(line);
        let content = if keep_break {
            line
        } else {
            line.strip_suffix(b"\r").unwrap_or(line)
        };
        for (i, &b) in content.iter().enumerate() {
            view.bytes.push(b);
            view.origin.push(start + i);
        }
        if keep_break && end < text.len() {
            view.bytes.push(b'\n');
            view.origin.push(end);
        }
        start = end + 1;
    }
    Some(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_views(text: &str) -> Vec<String> {
        decode(text.as_bytes())
            .views
            .iter()
            .map(|v| String::from_utf8_lossy(&v.bytes).into_owned())
            .collect()
    }

    #[test]
    fn escapes_are_decoded_and_mapped_back() {
        let views =
            all_views("{\"k\": \"caf\\u00e9 \\u0022x\\u0022 \\/p \\ud83d\\ude00 \\U0001F600\"}");
        assert_eq!(views, ["{\"k\": \"café \"x\" /p 😀 😀\"}"]);
        let d = decode(b"ab\\u0063d");
        let view = &d.views[0];
        assert_eq!(view.bytes, b"abcd");
        assert_eq!(view.source(2, 4), (2, 9));
    }

    #[test]
    fn wrapped_base64_is_joined_and_utf16_is_decoded() {
        let line = "A".repeat(64);
        let text = format!("-----BEGIN X-----\r\n{line}\r\n{line}\r\nQUJD\r\n-----END X-----\r\n");
        let views = all_views(&text);
        assert_eq!(views.len(), 1);
        assert!(views[0].contains(&format!("{line}{line}QUJD")));
        for bom in [true, false] {
            for little in [true, false] {
                let mut bytes = Vec::new();
                if bom {
                    bytes.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
                }
                for unit in "token = fake-utf16-value\n".encode_utf16() {
                    bytes.extend(if little {
                        unit.to_le_bytes()
                    } else {
                        unit.to_be_bytes()
                    });
                }
                assert_eq!(&*decode(&bytes).text, b"token = fake-utf16-value\n");
            }
        }
        assert!(matches!(
            decode(b"plain ascii text here").text,
            Cow::Borrowed(_)
        ));
    }
}
