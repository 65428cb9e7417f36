//! A leaf's position in the document: the list of TOML key segments from the root.

use std::fmt;

/// The segments of a key, unquoted. Displayed the way the reference prints keys: joined with `.`
/// verbatim, so `site."example.com".token` shows as `site.example.com.token`.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct KeyPath {
    segments: Vec<String>,
}

impl KeyPath {
    pub fn new(segments: Vec<String>) -> Self {
        Self { segments }
    }

    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    pub fn len(&self) -> usize {
        self.segments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// The last segment (the attribute name, e.g. `value`), empty for the root.
    pub fn last(&self) -> &str {
        self.segments.last().map(String::as_str).unwrap_or("")
    }

    /// The dotted form the reference prints (`ls`, `gen-enum`) and looks up (`get`).
    pub fn dotted(&self) -> String {
        self.segments.join(".")
    }

    pub fn starts_with(&self, prefix: &[String]) -> bool {
        self.segments.starts_with(prefix)
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(s)?;
        }
        Ok(())
    }
}

// Keys are aliases, never secrets (seed 003 §2.2), so Debug may show them.
impl fmt::Debug for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPath({:?})", self.dotted())
    }
}
