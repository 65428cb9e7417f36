//! What one round trip to a backend brings back, and the part of it a reference picks.

use home_secret_toml::value::SecretValue;

/// A secret as a backend keeps it: one text (an AWS secret string, a `pass` entry's first
/// line, a 1Password field) and named fields (a Vault KV secret's, the keys of an AWS secret
/// that is a JSON object, the `name: value` lines of a `pass` entry).
#[derive(Default)]
pub struct Fetched {
    pub text: Option<SecretValue>,
    pub fields: Vec<(String, SecretValue)>,
    /// The fields' names come from free text (a `pass` entry's lines): never shown in a
    /// message, in case a line of a secret looks like `name: value`.
    pub names_private: bool,
}

impl Fetched {
    /// A secret made of fields only.
    pub fn fields(fields: Vec<(String, SecretValue)>) -> Self {
        Fetched {
            text: None,
            fields,
            names_private: false,
        }
    }

    /// `#field` of the secret `id`; without a field, its text, or its only field, or the field
    /// called `value`.
    pub fn pick(&self, id: &str, field: Option<&str>) -> Result<SecretValue, String> {
        let names = || {
            if self.names_private {
                return "not shown".to_string();
            }
            let names: Vec<&str> = self.fields.iter().map(|(k, _)| k.as_str()).collect();
            names.join(", ")
        };
        let named = |wanted: &str| {
            self.fields
                .iter()
                .find(|(k, _)| k == wanted)
                .map(|(_, v)| v.clone())
        };
        match (field, &self.text) {
            (Some(wanted), _) if self.fields.is_empty() => Err(format!(
                "{id} is not made of fields, so it has no \"{wanted}\""
            )),
            (Some(wanted), _) => named(wanted)
                .ok_or_else(|| format!("{id} has no field \"{wanted}\" (its fields: {})", names())),
            (None, Some(text)) => Ok(text.clone()),
            (None, None) => match self.fields.as_slice() {
                [(_, only)] => Ok(only.clone()),
                _ => named("value")
                    .ok_or_else(|| format!("{id} has the fields {}: name one after #", names())),
            },
        }
    }
}

/// The members of a JSON object, strings as they are and anything else as JSON; nothing when
/// `text` is not an object.
pub fn json_fields(text: &str) -> Vec<(String, SecretValue)> {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
        Ok(map) => map
            .into_iter()
            .map(|(k, v)| (k, SecretValue::new(json_text(v))))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// A JSON value as text: a string as it is, anything else as JSON.
pub fn json_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, SecretValue)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), SecretValue::new(*v)))
            .collect()
    }

    fn got(r: Result<SecretValue, String>) -> String {
        r.map_or_else(|e| format!("error: {e}"), |v| v.expose().to_string())
    }

    #[test]
    fn picking_a_field() {
        let two = Fetched::fields(fields(&[("user", "fake-u"), ("password", "fake-p")]));
        assert_eq!(got(two.pick("kv/db", Some("password"))), "fake-p");
        assert_eq!(
            got(two.pick("kv/db", Some("pw"))),
            "error: kv/db has no field \"pw\" (its fields: user, password)"
        );
        assert_eq!(
            got(two.pick("kv/db", None)),
            "error: kv/db has the fields user, password: name one after #"
        );
        let one = Fetched::fields(fields(&[("token", "fake-t")]));
        assert_eq!(got(one.pick("kv/t", None)), "fake-t");
        let with_value = Fetched::fields(fields(&[("a", "x"), ("value", "fake-v")]));
        assert_eq!(got(with_value.pick("kv/v", None)), "fake-v");
        let private = Fetched {
            names_private: true,
            ..Fetched::fields(fields(&[("fake-line-of-a-secret", "x")]))
        };
        assert_eq!(
            got(private.pick("e", Some("user"))),
            "error: e has no field \"user\" (its fields: not shown)"
        );
        let text = Fetched {
            text: Some(SecretValue::new("fake-text")),
            ..Fetched::default()
        };
        assert_eq!(got(text.pick("id", None)), "fake-text");
        assert_eq!(
            got(text.pick("id", Some("k"))),
            "error: id is not made of fields, so it has no \"k\""
        );
    }

    #[test]
    fn json_objects_have_fields() {
        let f = json_fields(r#"{"a":"fake-1","n":2,"o":{"x":true}}"#);
        let shown: Vec<(String, String)> = f
            .into_iter()
            .map(|(k, v)| (k, v.expose().to_string()))
            .collect();
        assert_eq!(
            shown,
            [
                ("a".into(), "fake-1".into()),
                ("n".into(), "2".into()),
                ("o".into(), "{\"x\":true}".into())
            ]
        );
        assert!(json_fields("not json").is_empty());
        assert!(json_fields("[1]").is_empty());
    }
}
