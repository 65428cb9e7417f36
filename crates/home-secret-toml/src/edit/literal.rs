//! The TOML text for a new value: strings escaped (keeping the old quote style when the new text
//! allows it), other types validated for their type by the parser itself.

use toml::de::{DeTable, DeValue};

use super::EditError;
use crate::value::ValueKind;

/// How the user's text is to be read.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputType {
    /// Plain text, escaped on save.
    String,
    Integer,
    Float,
    Boolean,
    Datetime,
    /// A TOML value as written: inline tables, arrays, or anything else.
    Raw,
}

impl InputType {
    /// The natural way to edit a value of this kind: strings as text, tables and arrays as
    /// TOML inline syntax, the rest validated for their type.
    pub fn for_kind(kind: ValueKind) -> Self {
        match kind {
            // A reference is a string the user edits as its text (`vault://…`).
            ValueKind::String | ValueKind::Reference => InputType::String,
            ValueKind::Integer => InputType::Integer,
            ValueKind::Float => InputType::Float,
            ValueKind::Boolean => InputType::Boolean,
            ValueKind::Datetime => InputType::Datetime,
            // Arrays, tables, and any later kind of value: typed as TOML.
            _ => InputType::Raw,
        }
    }

    /// Every type, in the order the TUI's editor cycles through them.
    pub const ALL: [InputType; 6] = [
        InputType::String,
        InputType::Integer,
        InputType::Float,
        InputType::Boolean,
        InputType::Datetime,
        InputType::Raw,
    ];

    /// The names `hst set --type` takes (the first of each is the one shown), the one table for
    /// the CLI's parser, its completions and the TUI.
    pub const NAMES: [(&'static str, InputType); 10] = [
        ("string", InputType::String),
        ("int", InputType::Integer),
        ("float", InputType::Float),
        ("bool", InputType::Boolean),
        ("datetime", InputType::Datetime),
        ("raw", InputType::Raw),
        ("str", InputType::String),
        ("integer", InputType::Integer),
        ("boolean", InputType::Boolean),
        ("date", InputType::Datetime),
    ];

    pub fn parse_name(name: &str) -> Option<Self> {
        match name {
            "toml" => Some(InputType::Raw),
            _ => Self::NAMES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|&(_, t)| t),
        }
    }

    /// What the editor's title calls it.
    pub fn label(self) -> &'static str {
        match self {
            InputType::String => "text",
            InputType::Integer => "integer",
            InputType::Float => "float",
            InputType::Boolean => "true or false",
            InputType::Datetime => "date/time",
            InputType::Raw => "TOML value",
        }
    }

    /// The next type in [`InputType::ALL`] (the TUI's type switch).
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|&t| t == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    fn describe(self) -> &'static str {
        match self {
            InputType::String => "a string",
            InputType::Integer => "an integer like 42",
            InputType::Float => "a float like 1.5",
            InputType::Boolean => "true or false",
            InputType::Datetime => "a date or time like 2026-11-22 or 2026-11-22T10:00:00Z",
            InputType::Raw => "one TOML value on one line, like [1, 2] or { a = 1 }",
        }
    }
}

/// The literal to write for `text`. `old` is the literal it replaces, if any (its quote style
/// is kept for strings when possible).
pub fn literal(input: InputType, text: &str, old: Option<&str>) -> Result<String, EditError> {
    if input == InputType::String {
        let literal = string_literal(text, old);
        // The encoder writes TOML 1.0; checked all the same, since nothing else may be written.
        super::toml10::check_value(&literal)
            .map_err(|e| EditError::Invalid(format!("cannot write this text ({e})")))?;
        return Ok(literal);
    }
    let text = text.trim();
    if text.is_empty() || text.contains(['\n', '\r']) {
        return Err(EditError::Invalid(format!("expected {}", input.describe())));
    }
    let doc = format!("x = {text}\n");
    let parsed = DeTable::parse(&doc);
    // The value alone, without a trailing comment (`"a#b" # note`): the old comment, if any,
    // stays where it is in the file.
    let candidate = parsed
        .as_ref()
        .ok()
        .and_then(|p| p.get_ref().get("x"))
        .and_then(|v| doc.get(v.span()))
        .map_or(text, str::trim);
    // What is written must be TOML 1.0, which Python's tomllib (and so the Python hst and every
    // hs.v() user) reads; the parser here also reads TOML 1.1, so it cannot be the judge.
    let strict = super::toml10::check_value(candidate);
    let refuse = |why: Option<&super::toml10::Toml10Error>| {
        EditError::Invalid(match why {
            // A bare word is just not a number or date: the TOML detail would only confuse.
            Some(e) if !e.message.contains("must be in quotes") => {
                format!("expected {} ({})", input.describe(), e.message)
            }
            _ => format!("expected {}", input.describe()),
        })
    };
    let parsed = match parsed {
        Ok(parsed) => parsed,
        // The raw parser's reason helps with TOML syntax; for typed input it would confuse.
        Err(e) if input == InputType::Raw => {
            return Err(EditError::Invalid(match strict.as_ref().err() {
                Some(why) => format!("expected {} ({})", input.describe(), why.message),
                None => format!("expected {} ({})", input.describe(), e.message().trim()),
            }));
        }
        Err(_) => return Err(refuse(strict.as_ref().err())),
    };
    let table = parsed.get_ref();
    // Exactly one value: `1 # c` is fine, `1\ny = 2` was refused above, `1 y = 2` fails to parse.
    let value = match (table.len(), table.get("x")) {
        (1, Some(v)) => v.get_ref(),
        _ => return Err(refuse(None)),
    };
    let ok = match input {
        InputType::Integer => matches!(value, DeValue::Integer(_)),
        InputType::Float => matches!(value, DeValue::Float(_)),
        InputType::Boolean => matches!(value, DeValue::Boolean(_)),
        InputType::Datetime => matches!(value, DeValue::Datetime(_)),
        InputType::Raw | InputType::String => true,
    };
    if !ok {
        return Err(refuse(None));
    }
    match strict {
        Ok(()) => Ok(candidate.to_string()),
        Err(e) if e.message.contains("TOML 1.0") => Err(EditError::Invalid(e.message)),
        Err(e) => Err(EditError::Invalid(format!("{} (TOML 1.0)", e.message))),
    }
}

/// `'text'` when the old value was a single-line literal string and `text` fits one, otherwise
/// a basic string `"…"` with the escapes TOML 1.0 allows (toml_writer's encoder).
pub fn string_literal(text: &str, old: Option<&str>) -> String {
    use toml_writer::{ToTomlValue, TomlStringBuilder};
    let builder = TomlStringBuilder::new(text);
    let was_literal = old.is_some_and(|o| o.starts_with('\'') && !o.starts_with("\'\'\'"));
    match builder.as_literal() {
        Some(literal) if was_literal => literal.to_toml_value(),
        _ => builder.as_basic().to_toml_value(),
    }
}

/// A key path as TOML: bare segments where allowed, quoted otherwise (toml_writer's encoder,
/// the one rule for every key hst writes).
pub fn key_text<'a>(segments: impl IntoIterator<Item = &'a str>) -> String {
    use toml_writer::ToTomlKey;
    segments
        .into_iter()
        .map(|s| s.to_toml_key())
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_keep_the_literal_style_when_they_can() {
        assert_eq!(string_literal("a\"b\\c\nd", None), r#""a\"b\\c\nd""#);
        assert_eq!(string_literal("plain", Some("'old'")), "'plain'");
        assert_eq!(string_literal("it's", Some("'old'")), "\"it's\"");
        assert_eq!(string_literal("x", Some("'''old'''")), "\"x\"");
        assert_eq!(string_literal("\u{1}", None), "\"\\u0001\"");
    }

    #[test]
    fn typed_values_are_validated() {
        assert_eq!(
            literal(InputType::Integer, " 42 ", None).ok().as_deref(),
            Some("42")
        );
        assert_eq!(
            literal(InputType::Integer, "0x2A", None).ok().as_deref(),
            Some("0x2A")
        );
        assert!(literal(InputType::Integer, "4.2", None).is_err());
        assert!(literal(InputType::Float, "4.2", None).is_ok());
        assert!(literal(InputType::Float, "4", None).is_err());
        assert!(literal(InputType::Boolean, "yes", None).is_err());
        assert!(literal(InputType::Datetime, "2026-11-22", None).is_ok());
        assert!(literal(InputType::Datetime, "tomorrow", None).is_err());
        assert_eq!(
            literal(InputType::Raw, "{ a = 1, b = [1, 2] } # note", None)
                .ok()
                .as_deref(),
            Some("{ a = 1, b = [1, 2] }")
        );
        // A `#` inside a string is the string's; only the comment after the value goes.
        assert_eq!(
            literal(InputType::Raw, "\"a#b\" # ok", None)
                .ok()
                .as_deref(),
            Some("\"a#b\"")
        );
        assert_eq!(
            literal(InputType::Raw, "['#', \"#\"]#x", None)
                .ok()
                .as_deref(),
            Some("['#', \"#\"]")
        );
        assert!(
            literal(InputType::Raw, "1\ny = 2", None).is_err(),
            "no second line"
        );
        assert!(literal(InputType::Raw, "1 y = 2", None).is_err());
        assert!(literal(InputType::Raw, "", None).is_err());
    }

    #[test]
    fn keys_are_quoted_only_when_needed() {
        assert_eq!(key_text(["a", "b-c", "d_1"]), "a.b-c.d_1");
        assert_eq!(key_text(["a", "b.c", "", "é"]), "a.\"b.c\".\"\".\"é\"");
    }
}
