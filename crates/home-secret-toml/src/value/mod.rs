//! Values read from the secrets file. Every string is a [`SecretValue`], so no `Debug` or
//! `Display` of a value, an entry or a whole table can print a secret by accident.

pub mod reference;
pub mod text;

use std::fmt;

use indexmap::IndexMap;
use toml_datetime::Datetime;
use zeroize::Zeroizing;

pub use reference::{BackendType, Reference, Resolve, ResolveError};
pub use text::{TextError, TextForm, Textual, text, text_with};

/// A string read from the secrets file. `Debug` and `Display` are redacted; the text is only
/// reachable through [`SecretValue::expose`], so every place that shows a secret says so.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretValue(Zeroizing<String>);

impl SecretValue {
    pub fn new(text: impl Into<String>) -> Self {
        Self(Zeroizing::new(text.into()))
    }

    /// The secret itself. Call sites are the places where a value is deliberately revealed.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }

    /// Length in Unicode code points (what the reference's masking counts).
    pub fn char_len(&self) -> usize {
        self.0.as_str().chars().count()
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue(<redacted>)")
    }
}

impl fmt::Display for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The type of a value, as shown to users.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    String,
    Integer,
    Float,
    Boolean,
    Datetime,
    Array,
    Table,
    /// A reference to a secret a backend keeps (see [`Reference`]).
    Reference,
}

impl ValueKind {
    pub fn name(self) -> &'static str {
        match self {
            ValueKind::String => "string",
            ValueKind::Integer => "integer",
            ValueKind::Float => "float",
            ValueKind::Boolean => "boolean",
            ValueKind::Datetime => "datetime",
            ValueKind::Array => "array",
            ValueKind::Table => "table",
            ValueKind::Reference => "reference",
        }
    }
}

impl fmt::Display for ValueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A table: keys in the order the reference's `tomllib` dicts have them (first insertion).
pub type Table = IndexMap<String, Value>;

/// One TOML value. Strings (including those inside arrays and tables) are [`SecretValue`]s.
#[non_exhaustive]
#[derive(Clone, PartialEq)]
pub enum Value {
    String(SecretValue),
    Integer(i64),
    /// An integer beyond the `i64` range, as canonical decimal text (sign and digits only).
    BigInt(String),
    Float(f64),
    Boolean(bool),
    Datetime(Datetime),
    Array(Vec<Value>),
    /// Boxed: tables are rare as values and `IndexMap` would make every value 72 bytes.
    Table(Box<Table>),
    /// A string whose scheme hst resolves (`vault://…`): where the secret lives, not the
    /// secret. Only a leaf's own value is one, never a string inside an array or a table.
    Reference(Box<Reference>),
}

impl Value {
    pub fn kind(&self) -> ValueKind {
        match self {
            Value::String(_) => ValueKind::String,
            Value::Integer(_) | Value::BigInt(_) => ValueKind::Integer,
            Value::Float(_) => ValueKind::Float,
            Value::Boolean(_) => ValueKind::Boolean,
            Value::Datetime(_) => ValueKind::Datetime,
            Value::Array(_) => ValueKind::Array,
            Value::Table(_) => ValueKind::Table,
            Value::Reference(_) => ValueKind::Reference,
        }
    }

    pub fn as_secret(&self) -> Option<&SecretValue> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A leaf's string, as a reference when its scheme is one hst resolves.
    pub fn leaf_string(text: &str) -> Value {
        match Reference::parse(text) {
            Some(reference) => Value::Reference(Box::new(reference)),
            None => Value::String(SecretValue::new(text)),
        }
    }

    pub fn as_reference(&self) -> Option<&Reference> {
        match self {
            Value::Reference(r) => Some(r),
            _ => None,
        }
    }

    pub fn as_table(&self) -> Option<&Table> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }
}

/// Redacted: shows the shape (types, keys, array lengths) and never a string's text.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => fmt::Debug::fmt(s, f),
            Value::Integer(_) | Value::BigInt(_) => f.write_str("Integer(<redacted>)"),
            Value::Float(_) => f.write_str("Float(<redacted>)"),
            Value::Boolean(_) => f.write_str("Boolean(<redacted>)"),
            Value::Datetime(_) => f.write_str("Datetime(<redacted>)"),
            Value::Array(items) => write!(f, "Array(len {})", items.len()),
            Value::Table(t) => f.debug_map().entries(t.iter()).finish(),
            Value::Reference(r) => fmt::Debug::fmt(r, f),
        }
    }
}

/// Each kind of value, once; the text forms are derived in [`text::text`].
impl Textual for Value {
    fn as_text(&self) -> Option<&SecretValue> {
        self.as_secret()
    }

    fn reference(&self) -> Option<&Reference> {
        self.as_reference()
    }

    fn python_repr(&self) -> String {
        use crate::python;
        match self {
            Value::String(s) => python::repr_str(s.expose()),
            Value::Integer(i) => i.to_string(),
            Value::BigInt(digits) => digits.clone(),
            Value::Float(f) => python::repr_float(*f),
            Value::Boolean(b) => if *b { "True" } else { "False" }.to_string(),
            Value::Datetime(dt) => python::repr_datetime(dt),
            Value::Array(items) => python::repr_list(items.iter().map(Textual::python_repr)),
            Value::Table(table) => python::repr_dict(
                table
                    .iter()
                    .map(|(k, v)| (python::repr_str(k), v.python_repr())),
            ),
            Value::Reference(r) => python::repr_str(r.uri()),
        }
    }

    fn toml_literal(&self) -> String {
        use toml_writer::{ToTomlKey, ToTomlValue, TomlKeyBuilder, TomlStringBuilder};
        match self {
            Value::String(s) => TomlStringBuilder::new(s.expose())
                .as_basic()
                .to_toml_value(),
            Value::Integer(i) => i.to_string(),
            Value::BigInt(digits) => digits.clone(),
            Value::Float(f) => f.to_toml_value(),
            Value::Boolean(b) => b.to_string(),
            Value::Datetime(dt) => dt.to_string(),
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(Textual::toml_literal).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Table(table) if table.is_empty() => "{}".to_string(),
            Value::Table(table) => {
                let pairs: Vec<String> = table
                    .iter()
                    .map(|(k, v)| {
                        let key = TomlKeyBuilder::new(k).as_default().to_toml_key();
                        format!("{key} = {}", v.toml_literal())
                    })
                    .collect();
                format!("{{ {} }}", pairs.join(", "))
            }
            Value::Reference(r) => TomlStringBuilder::new(r.uri()).as_basic().to_toml_value(),
        }
    }

    fn json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::String(s) => J::String(s.expose().to_string()),
            Value::Integer(i) => J::from(*i),
            // Beyond what JSON numbers carry exactly in most readers.
            Value::BigInt(digits) => J::String(digits.clone()),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Boolean(b) => J::Bool(*b),
            Value::Datetime(dt) => J::String(dt.to_string()),
            Value::Array(items) => J::Array(items.iter().map(Textual::json).collect()),
            Value::Table(table) => {
                J::Object(table.iter().map(|(k, v)| (k.clone(), v.json())).collect())
            }
            Value::Reference(r) => J::String(r.uri().to_string()),
        }
    }

    fn structure(&self) -> Option<&'static str> {
        match self {
            Value::Array(_) => Some("an array"),
            Value::Table(_) => Some("a table"),
            _ => None,
        }
    }
}
