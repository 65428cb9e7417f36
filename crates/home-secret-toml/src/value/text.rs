//! The one place a value becomes text. Every command that hands a value out goes through
//! [`text`]: `hst get` ([`TextForm::Get`]), the TUI's reveal and copy and `hst scan`
//! ([`TextForm::Toml`]), `hst run` ([`TextForm::Env`], [`TextForm::Json`]). A kind of value
//! says what it is once, by implementing [`Textual`]; the forms are derived here.

use crate::value::{Reference, Resolve, SecretValue};

/// The text a command needs.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextForm {
    /// What `hst get` prints (the Python tool's bytes): a string's text, anything else as
    /// Python's `repr` (`True`, `datetime.date(2025, 12, 31)`, `{'a': 1}`).
    Get,
    /// As TOML writes it, for showing and copying: a string's text, anything else its TOML
    /// literal (`true`, `2025-12-31`, `[1, 2]`).
    Toml,
    /// An environment variable's value: a string's text, a number, boolean or date as TOML
    /// writes it; an array or a table cannot be one (use [`TextForm::Json`]).
    Env,
    /// JSON: strings quoted, tables as objects.
    Json,
    /// Its TOML literal, strings quoted too (`"ghp_…"`): what the value's line in the file would
    /// say after `=`.
    Literal,
}

/// Why a value has no text in a form. Never holds the value.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// An array or a table where one line of text is needed.
    #[error("is {0}; add format = \"json\" to its entry to pass it as JSON")]
    NeedsJson(&'static str),
    #[error("cannot be written as JSON ({0})")]
    Json(String),
    /// A reference handed to [`text`], which never reaches a backend: use [`text_with`].
    #[error("is a reference ({0}); it is resolved only where a backend can be asked")]
    Unresolved(String),
    /// The backend could not give the value: the reference and the backend's own reason.
    #[error("{uri}: {reason}")]
    Resolve { uri: String, reason: String },
}

/// What a kind of value contributes to its text forms. [`crate::Value`] implements it; a new
/// kind (a reference resolved from a vault, a TOTP code) implements it once and every command
/// can print, copy, inject and scan it.
pub trait Textual {
    /// The value's own text when it is text (a string): every form but JSON gives it as it is.
    fn as_text(&self) -> Option<&SecretValue>;
    /// Python's `repr()` of the object `tomllib` would build.
    fn python_repr(&self) -> String;
    /// Its TOML literal (a string quoted; arrays and tables inline).
    fn toml_literal(&self) -> String;
    /// Its JSON value.
    fn json(&self) -> serde_json::Value;
    /// `Some("a table")` or `Some("an array")` for a value made of other values.
    fn structure(&self) -> Option<&'static str>;
    /// Where the value lives when it is a reference to a backend rather than the value.
    fn reference(&self) -> Option<&Reference> {
        None
    }
}

/// `value` in `form`. **Shows the secret**: for output the user asked for.
///
/// ```
/// use home_secret_toml::value::{TextForm, Value, text};
///
/// let enabled = Value::Boolean(true);
/// assert_eq!(text(&enabled, TextForm::Get)?.expose(), "True"); // what `hst get` prints
/// assert_eq!(text(&enabled, TextForm::Env)?.expose(), "true"); // what `hst run` exports
/// # Ok::<(), home_secret_toml::value::TextError>(())
/// ```
pub fn text(value: &(impl Textual + ?Sized), form: TextForm) -> Result<SecretValue, TextError> {
    if let Some(reference) = value.reference() {
        return Err(TextError::Unresolved(reference.uri().to_string()));
    }
    if !matches!(form, TextForm::Json | TextForm::Literal)
        && let Some(own) = value.as_text()
    {
        return Ok(own.clone());
    }
    match form {
        TextForm::Get => Ok(SecretValue::new(value.python_repr())),
        TextForm::Toml | TextForm::Literal => Ok(SecretValue::new(value.toml_literal())),
        TextForm::Env => match value.structure() {
            Some(what) => Err(TextError::NeedsJson(what)),
            None => Ok(SecretValue::new(value.toml_literal())),
        },
        TextForm::Json => serde_json::to_string(&value.json())
            .map(SecretValue::new)
            .map_err(|e| TextError::Json(e.to_string())),
    }
}

/// [`text`], with a reference resolved by `resolver` first: the value it points at is text, in
/// every form as a string read from the file would be. **Shows the secret.**
pub fn text_with(
    value: &(impl Textual + ?Sized),
    form: TextForm,
    resolver: &dyn Resolve,
) -> Result<SecretValue, TextError> {
    let Some(reference) = value.reference() else {
        return text(value, form);
    };
    let resolved = resolver
        .resolve(reference)
        .map_err(|e| TextError::Resolve {
            uri: reference.uri().to_string(),
            reason: e.reason,
        })?;
    text(&crate::value::Value::String(resolved), form)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Table, Value};

    fn all(value: &Value) -> [String; 4] {
        [TextForm::Get, TextForm::Toml, TextForm::Env, TextForm::Json].map(|form| {
            text(value, form).map_or_else(|e| format!("error: {e}"), |t| t.expose().to_string())
        })
    }

    #[test]
    fn each_form_of_each_kind() {
        let s = Value::String(SecretValue::new("fake \"tok\"\n"));
        assert_eq!(
            all(&s),
            [
                "fake \"tok\"\n",
                "fake \"tok\"\n",
                "fake \"tok\"\n",
                "\"fake \\\"tok\\\"\\n\""
            ]
        );
        assert_eq!(all(&Value::Integer(-42)), ["-42", "-42", "-42", "-42"]);
        let big = Value::BigInt("123456789012345678901234567890".into());
        assert_eq!(all(&big)[2], "123456789012345678901234567890");
        assert_eq!(all(&big)[3], "\"123456789012345678901234567890\"");
        assert_eq!(all(&Value::Boolean(true)), ["True", "true", "true", "true"]);
        assert_eq!(all(&Value::Float(0.5)), ["0.5", "0.5", "0.5", "0.5"]);
        assert_eq!(all(&Value::Float(f64::NAN))[..3], ["nan", "nan", "nan"]);
        let date: toml_datetime::Datetime = "2025-12-31".parse().unwrap();
        assert_eq!(
            all(&Value::Datetime(date)),
            [
                "datetime.date(2025, 12, 31)",
                "2025-12-31",
                "2025-12-31",
                "\"2025-12-31\""
            ]
        );
        let array = Value::Array(vec![
            Value::Integer(1),
            Value::String(SecretValue::new("x")),
        ]);
        assert_eq!(
            all(&array),
            [
                "[1, 'x']",
                "[1, \"x\"]",
                "error: is an array; add format = \"json\" to its entry to pass it as JSON",
                "[1,\"x\"]"
            ]
        );
        let mut table = Table::new();
        table.insert("a key".into(), Value::Boolean(false));
        table.insert("b".into(), Value::Array(Vec::new()));
        assert_eq!(
            all(&Value::Table(Box::new(table))),
            [
                "{'a key': False, 'b': []}",
                "{ \"a key\" = false, b = [] }",
                "error: is a table; add format = \"json\" to its entry to pass it as JSON",
                "{\"a key\":false,\"b\":[]}"
            ]
        );
    }

    #[test]
    fn the_literal_form_quotes_strings_and_matches_toml_for_the_rest() {
        let s = Value::String(SecretValue::new("fake \"tok\"\n"));
        let literal = text(&s, TextForm::Literal).unwrap();
        assert_eq!(literal.expose(), "\"fake \\\"tok\\\"\\n\"");
        let date: toml_datetime::Datetime = "2025-12-31".parse().unwrap();
        for v in [
            Value::Boolean(false),
            Value::Integer(7),
            Value::Datetime(date),
        ] {
            assert_eq!(
                text(&v, TextForm::Literal).unwrap().expose(),
                text(&v, TextForm::Toml).unwrap().expose()
            );
        }
    }

    struct Fixed;
    impl Resolve for Fixed {
        fn resolve(
            &self,
            r: &Reference,
        ) -> Result<SecretValue, crate::value::reference::ResolveError> {
            match r.field() {
                Some("ok") => Ok(SecretValue::new("fake \"resolved\"")),
                _ => Err(crate::value::reference::ResolveError::new("no such field")),
            }
        }
    }

    #[test]
    fn a_reference_is_text_only_once_resolved() {
        let value = Value::leaf_string("vault://secret/x#ok");
        assert_eq!(value.kind(), crate::value::ValueKind::Reference);
        let err = text(&value, TextForm::Get).unwrap_err();
        assert!(matches!(err, TextError::Unresolved(_)), "{err}");
        let resolved = |form| {
            text_with(&value, form, &Fixed)
                .unwrap()
                .expose()
                .to_string()
        };
        assert_eq!(resolved(TextForm::Get), "fake \"resolved\"");
        assert_eq!(resolved(TextForm::Env), "fake \"resolved\"");
        assert_eq!(resolved(TextForm::Json), "\"fake \\\"resolved\\\"\"");
        let broken = Value::leaf_string("vault://secret/x#nope");
        let err = text_with(&broken, TextForm::Get, &Fixed).unwrap_err();
        assert_eq!(err.to_string(), "vault://secret/x#nope: no such field");
        let plain = Value::leaf_string("postgres://u:fake@h/db");
        assert_eq!(
            text_with(&plain, TextForm::Get, &Fixed).unwrap().expose(),
            "postgres://u:fake@h/db"
        );
    }

    #[test]
    fn errors_never_hold_the_value() {
        let secret = "fake-secret-in-a-table";
        let mut table = Table::new();
        table.insert("k".into(), Value::String(SecretValue::new(secret)));
        let err = text(&Value::Table(Box::new(table)), TextForm::Env).unwrap_err();
        assert!(!format!("{err} {err:?}").contains(secret));
    }
}
