//! Finding your own secrets in text: every value of the file, raw and in the forms a leak takes
//! (base64 standard and URL-safe at every alignment, hex, percent-encoding, escaped inside a
//! JSON or TOML string), searched in one pass with Aho-Corasick, the engine under ripgrep's
//! `-F -f` (or, for hundreds of thousands of needles, an index of their first bytes:
//! `windows`). A hit is exact, so there are no false positives; nothing here ever prints a value.

pub mod views;
mod windows;

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine as _;
use zeroize::Zeroizing;

/// Shorter values give false hits (`true`, `8080`, `admin`).
pub const DEFAULT_MIN_LENGTH: usize = 8;

/// How a value appeared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Raw,
    Base64,
    Base64Url,
    HexLower,
    HexUpper,
    Percent,
    /// Escaped as inside a JSON (or TOML basic) string: `\"`, `\\`, `\n`, `\u001b`…
    Escaped,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Raw => "raw",
            Encoding::Base64 => "base64",
            Encoding::Base64Url => "base64url",
            Encoding::HexLower => "hex",
            Encoding::HexUpper => "HEX",
            Encoding::Percent => "percent-encoded",
            Encoding::Escaped => "escaped",
        }
    }
}

/// What a needle stands for: which secret, in which form.
#[derive(Clone, Debug)]
pub struct Origin {
    /// Index into the secrets given to [`Needles::new`].
    pub secret: usize,
    pub encoding: Encoding,
}

/// Every form of every secret, ready to search.
pub struct Needles {
    engine: Search,
    origins: Vec<Origin>,
}

/// Up to this many needles, Aho-Corasick (ripgrep's engine for `-F -f`); from here on its
/// automaton costs more to build than a scan takes, and the window index is used.
const WINDOWS_FROM: usize = 50_000;

enum Search {
    Automaton(AhoCorasick),
    Windows(windows::Windows),
}

/// One place a secret was found: byte range in the haystack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub needle: usize,
}

impl Needles {
    /// The needles for `secrets` (their values), skipping values shorter than `min_length`
    /// characters. `Err` only if the automaton cannot be built.
    pub fn new(secrets: &[&str], min_length: usize) -> Result<Self, String> {
        // Every form's bytes in one buffer (millions of needles: no allocation each).
        let mut patterns = windows::Patterns::default();
        let mut origins = Vec::new();
        // Each form once (the first secret it stands for): its hash and where it is, compared
        // in full on a match, so no copy of a value is kept for this.
        let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        let hasher = std::collections::hash_map::RandomState::new();
        for (secret, value) in secrets.iter().enumerate() {
            if value.chars().count() < min_length.max(1) {
                continue;
            }
            for (encoding, form) in forms(value) {
                // Forms shorter than the minimum (a base64 slice of a short value) would match
                // by chance.
                if form.chars().count() < min_length.max(1) {
                    continue;
                }
                let hash = std::hash::BuildHasher::hash_one(&hasher, form.as_bytes());
                match seen.get(&hash) {
                    Some(&i) if patterns.get(i) == form.as_bytes() => continue,
                    Some(_) => {}
                    None => {
                        seen.insert(hash, patterns.len());
                    }
                }
                patterns
                    .push(form.as_bytes())
                    .ok_or("the values are too large to search")?;
                origins.push(Origin { secret, encoding });
            }
        }
        drop(seen);
        let engine = Self::engine(patterns)?;
        Ok(Self { engine, origins })
    }

    fn engine(patterns: windows::Patterns) -> Result<Search, String> {
        let patterns = if patterns.len() >= WINDOWS_FROM {
            match windows::Windows::new(patterns) {
                Ok(windows) => return Ok(Search::Windows(windows)),
                Err(patterns) => patterns,
            }
        } else {
            patterns
        };
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build((0..patterns.len()).map(|i| patterns.get(i)))
            .map(Search::Automaton)
            .map_err(|e| format!("cannot build the search ({e})"))
    }

    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    pub fn len(&self) -> usize {
        self.origins.len()
    }

    pub fn origin(&self, needle: usize) -> &Origin {
        &self.origins[needle]
    }

    /// Every hit in `haystack`, in order.
    pub fn find(&self, haystack: &[u8]) -> Vec<Hit> {
        match &self.engine {
            Search::Automaton(matcher) => matcher
                .find_iter(haystack)
                .map(|m| Hit {
                    start: m.start(),
                    end: m.end(),
                    needle: m.pattern().as_usize(),
                })
                .collect(),
            Search::Windows(windows) => windows
                .find(haystack)
                .into_iter()
                .map(|(start, end, needle)| Hit { start, end, needle })
                .collect(),
        }
    }
}

/// The forms a value takes in a leak. Base64 of a value inside a longer blob depends on where
/// it starts in its 3-byte group, so each of the three alignments gives the characters that
/// depend on the value's bytes only.
pub fn forms(value: &str) -> Vec<(Encoding, Zeroizing<String>)> {
    let bytes = value.as_bytes();
    let mut out = vec![(Encoding::Raw, Zeroizing::new(value.to_string()))];
    let engines = [
        (
            Encoding::Base64,
            &base64::engine::general_purpose::STANDARD_NO_PAD,
        ),
        (
            Encoding::Base64Url,
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ),
    ];
    for (encoding, engine) in engines {
        for shift in 0..3 {
            out.push((
                encoding,
                Zeroizing::new(aligned_base64(bytes, shift, engine)),
            ));
        }
    }
    out.push((Encoding::HexUpper, hex(bytes, b"0123456789ABCDEF")));
    out.push((Encoding::HexLower, hex(bytes, b"0123456789abcdef")));
    let percent = percent_encode(value);
    if percent != value {
        // Upper and lower case hex, and `+` for a space as forms encode it.
        let lower = percent_lower(&percent);
        for form in [
            percent.replace("%20", "+"),
            lower.replace("%20", "+"),
            lower,
        ] {
            if form != percent {
                out.push((Encoding::Percent, Zeroizing::new(form)));
            }
        }
        out.push((Encoding::Percent, Zeroizing::new(percent)));
    }
    let escaped = json_escape(value);
    let toml = toml_escape(value);
    if toml != value && toml != escaped {
        out.push((Encoding::Escaped, Zeroizing::new(toml)));
    }
    if escaped != value {
        out.push((Encoding::Escaped, Zeroizing::new(escaped)));
    }
    out
}

/// `bytes` in hex with `digits` (no formatting machinery: a million values make millions of
/// forms).
fn hex(bytes: &[u8], digits: &[u8; 16]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(bytes.len() * 2));
    for &b in bytes {
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 15)]));
    }
    out
}

/// As a TOML basic string holds the value (`\u001B` where JSON writes `\u001b`).
fn toml_escape(value: &str) -> String {
    use toml_writer::{ToTomlValue, TomlStringBuilder};
    let quoted = TomlStringBuilder::new(value).as_basic().to_toml_value();
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or_default()
        .to_string()
}

/// The base64 characters fixed by `bytes` alone when they start `shift` bytes into a 3-byte
/// group: character `i` covers bits `6i..6i+6` of the stream; it belongs to the value when
/// those bits lie within the value's `8·shift .. 8·(shift+len)`.
fn aligned_base64(bytes: &[u8], shift: usize, engine: &base64::engine::GeneralPurpose) -> String {
    let mut stream = Zeroizing::new(vec![0u8; shift]);
    stream.extend_from_slice(bytes);
    stream.extend_from_slice(&[0, 0]);
    let encoded = Zeroizing::new(engine.encode(&*stream));
    let first_bit = 8 * shift;
    let end_bit = 8 * (shift + bytes.len());
    let first = first_bit.div_ceil(6);
    let last = end_bit / 6; // exclusive: char i is whole when 6i + 6 <= end_bit
    encoded
        .get(first..last.max(first))
        .unwrap_or_default()
        .to_string()
}

/// RFC 3986: everything but unreserved characters as `%XX` (upper-case hex, as most encoders).
pub(crate) fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%2F` → `%2f`: only the escapes' hex digits change case.
fn percent_lower(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut chars = encoded.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            for _ in 0..2 {
                if let Some(h) = chars.next() {
                    out.push(h.to_ascii_lowercase());
                }
            }
        }
    }
    out
}

/// As a JSON encoder writes the value inside a string (TOML basic strings escape the same way
/// for the characters a secret holds).
fn json_escape(value: &str) -> String {
    let quoted = serde_json::to_string(value).unwrap_or_default();
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or_default()
        .to_string()
}

/// 1-based line and column (in bytes, as ripgrep's `--column`) of `offset` in `haystack`.
pub fn line_column(haystack: &[u8], offset: usize) -> (usize, usize) {
    let before = &haystack[..offset.min(haystack.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - start + 1)
}

/// The line (without its newline) that holds `offset`.
pub fn line_at(haystack: &[u8], offset: usize) -> &[u8] {
    let start = haystack[..offset.min(haystack.len())]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = haystack[offset.min(haystack.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(haystack.len(), |i| offset + i);
    &haystack[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "fake-Secret_42/x+y=z";

    fn found(haystack: &str) -> Vec<&'static str> {
        let needles = Needles::new(&[SECRET], DEFAULT_MIN_LENGTH).unwrap_or_else(|e| panic!("{e}"));
        needles
            .find(haystack.as_bytes())
            .iter()
            .map(|h| needles.origin(h.needle).encoding.name())
            .collect()
    }

    #[test]
    fn many_secrets_are_found_by_the_window_index() {
        use base64::engine::general_purpose::STANDARD;
        let values: Vec<String> = (0..10_000)
            .map(|i| format!("fake-value-{i:05}-x"))
            .collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let many = Needles::new(&refs, DEFAULT_MIN_LENGTH).unwrap_or_else(|e| panic!("{e}"));
        assert!(many.len() >= WINDOWS_FROM);
        assert!(matches!(many.engine, Search::Windows(_)));
        let hex: String = values[7].bytes().map(|b| format!("{b:02x}")).collect();
        let text = format!(
            "a {} b {} c {hex} d {}fake-value-00042-xx",
            values[3],
            STANDARD.encode(format!("user:{}", values[5])),
            values[6]
        );
        let hits = many.find(text.as_bytes());
        let named: Vec<(usize, &str)> = hits
            .iter()
            .map(|h| {
                let origin = many.origin(h.needle);
                (origin.secret, origin.encoding.name())
            })
            .collect();
        assert_eq!(
            named,
            [
                (3, "raw"),
                (5, "base64"),
                (7, "hex"),
                (6, "raw"),
                (42, "raw")
            ]
        );
    }

    #[test]
    fn each_encoding_is_found() {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE};
        assert_eq!(found(&format!("x = {SECRET}")), ["raw"]);
        let hex: String = SECRET.bytes().map(|b| format!("{b:02x}")).collect();
        assert_eq!(found(&hex), ["hex"]);
        assert_eq!(found(&hex.to_uppercase()), ["HEX"]);
        assert_eq!(found(&percent_encode(SECRET)), ["percent-encoded"]);
        assert_eq!(
            found(&serde_json::to_string(&format!("a\"{SECRET}")).unwrap_or_default()),
            ["raw"]
        );
        // A value with characters JSON escapes, found inside a JSON document.
        let odd = "fake\\pass\"word\n2";
        let needles = Needles::new(&[odd], DEFAULT_MIN_LENGTH).unwrap_or_else(|e| panic!("{e}"));
        let doc = format!(
            "{{\"token\": {}}}",
            serde_json::to_string(odd).unwrap_or_default()
        );
        let hits = needles.find(doc.as_bytes());
        assert_eq!(hits.len(), 1);
        assert_eq!(needles.origin(hits[0].needle).encoding, Encoding::Escaped);
        // Inside a longer base64 blob, at every alignment (as in `Authorization: Basic`).
        for prefix in ["", "u", "us", "user:"] {
            let blob = STANDARD.encode(format!("{prefix}{SECRET}"));
            assert_eq!(found(&format!("Basic {blob}")), ["base64"], "{prefix:?}");
            // URL-safe: where the two alphabets agree the form is one needle, named base64.
            let blob = URL_SAFE.encode(format!("{prefix}{SECRET}.tail"));
            let got = found(&blob);
            assert!(
                !got.is_empty() && got.iter().all(|e| e.starts_with("base64")),
                "{prefix:?}: {got:?}"
            );
        }
        assert!(found("nothing here").is_empty());
    }

    #[test]
    fn escaped_as_toml_writes_it_too() {
        let odd = "fake\u{1b}[value\"x";
        let needles = Needles::new(&[odd], DEFAULT_MIN_LENGTH).unwrap_or_else(|e| panic!("{e}"));
        for doc in [
            format!("k = {}", serde_json::to_string(odd).unwrap_or_default()),
            "k = \"fake\\u001B[value\\\"x\"".to_string(),
        ] {
            let hits = needles.find(doc.as_bytes());
            assert_eq!(hits.len(), 1, "{doc}");
            assert_eq!(needles.origin(hits[0].needle).encoding, Encoding::Escaped);
        }
    }

    #[test]
    fn short_values_are_skipped() {
        let needles = Needles::new(&["short", "8charsOK"], 8).unwrap_or_else(|e| panic!("{e}"));
        assert!(needles.find(b"short").is_empty());
        assert_eq!(needles.find(b"--8charsOK--").len(), 1);
    }

    #[test]
    fn positions() {
        assert_eq!(line_column(b"ab\ncdef", 5), (2, 3));
        assert_eq!(line_at(b"ab\ncdef\ngh", 4), b"cdef");
    }
}
