//! The reference's `--query`: comma or whitespace separated terms, all of which must be
//! substrings of the key after Python `lower()` and `-` → `_`. Keys only, never values.
//! The TUI's fuzzy search (`hst`'s `tui::filter`) builds on it.

pub mod nearest;

/// A parsed `--query`. An empty list of facets matches everything.
///
/// ```
/// use home_secret_toml::Query;
///
/// let query = Query::parse("GitHub, personal-token");
/// assert!(query.matches("github.accounts.personal_token.value"));
/// assert!(!query.matches("github.accounts.work.value"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    facets: Vec<String>,
}

impl Query {
    /// `,` becomes a space, then Python's `str.split()` (its whitespace set), then normalise.
    pub fn parse(query: &str) -> Self {
        let facets = query
            .split(|c: char| c == ',' || is_python_whitespace(c))
            .filter(|s| !s.is_empty())
            .map(normalize)
            .collect();
        Self { facets }
    }

    pub fn facets(&self) -> &[String] {
        &self.facets
    }

    /// True when there is nothing to filter on (the reference then lists everything).
    pub fn is_empty(&self) -> bool {
        self.facets.is_empty()
    }

    pub fn matches(&self, key: &str) -> bool {
        if self.facets.is_empty() {
            return true;
        }
        let key = normalize(key);
        self.facets.iter().all(|f| key.contains(f.as_str()))
    }
}

/// Python's `s.lower().replace("-", "_")`. Rust's `to_lowercase` is the same full Unicode mapping
/// (`İ` → `i̇`, final sigma, `ẞ` → `ß`).
pub fn normalize(text: &str) -> String {
    let lower = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    };
    if lower.contains('-') {
        lower.replace('-', "_")
    } else {
        lower
    }
}

/// The characters Python's `str.split()` splits on. Unlike `char::is_whitespace` this includes
/// U+001C..=U+001F and excludes nothing else that matters here.
pub(crate) fn is_python_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}'
            | '\u{1c}'..='\u{20}'
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_split_on_commas_and_python_whitespace() {
        assert_eq!(
            Query::parse("aws ,account, token").facets(),
            ["aws", "account", "token"]
        );
        assert_eq!(
            Query::parse("GitHub My-Token").facets(),
            ["github", "my_token"]
        );
        assert_eq!(
            Query::parse("a\u{1c}b\u{3000}c\u{85}d").facets(),
            ["a", "b", "c", "d"]
        );
        for empty in ["", "   ", ",,,", " , "] {
            assert!(Query::parse(empty).is_empty(), "{empty:?}");
        }
        // Not Python whitespace: zero-width space stays inside the facet.
        assert_eq!(Query::parse("a\u{200b}b").facets(), ["a\u{200b}b"]);
    }

    #[test]
    fn matching_is_and_of_substrings_case_and_dash_insensitive() {
        let key = "github.accounts.personal.users.dev.secrets.api-token.value";
        for q in [
            "GITHUB",
            "GitHub",
            "github personal",
            "github,personal",
            "api_token",
            "s.p",
        ] {
            assert!(Query::parse(q).matches(key), "{q}");
        }
        assert!(!Query::parse("github nope").matches(key));
        assert!(Query::parse("mysql-dev").matches("db.mysql_dev.port"));
        assert!(Query::parse("_").matches("a-b"));
    }

    #[test]
    fn unicode_lowercase_like_python() {
        assert!(!Query::parse("istanbul").matches("İstanbul"));
        assert!(Query::parse("i\u{307}stanbul").matches("İstanbul"));
        assert!(Query::parse("ß").matches("straße"));
        assert!(Query::parse("strasse").matches("STRASSE"));
        assert!(!Query::parse("strasse").matches("straße"));
        assert!(Query::parse("ß").matches("ẞ"));
    }
}
