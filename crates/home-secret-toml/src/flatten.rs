//! The reference's flattening (`walk` in the Python module): depth-first over tables in
//! insertion order, inline tables flattened, arrays kept whole, `description` and `"..."` skipped.
//! The parse tree is turned into our [`Value`]s and [`Entry`]s in the same single pass.

use toml::de::{DeTable, DeValue};

use crate::entry::{Entry, Leaves};
use crate::key_path::KeyPath;
use crate::limits::MAX_INT_DIGITS;
use crate::python::big_int_decimal;
use crate::source::Source;
use crate::value::{SecretValue, Table, Value};

/// The placeholder the reference skips (exact match only).
pub const PLACEHOLDER: &str = "...";
/// The attribute name the reference skips at any depth (exact, case-sensitive).
pub const DESCRIPTION: &str = "description";

/// Whether the reference lists a non-table leaf with this last key segment and value.
pub fn is_listed(key: &str, value: &Value) -> bool {
    is_listed_text(key, value.as_secret().map(SecretValue::expose))
}

/// [`is_listed`] for a leaf known by its last key segment and, for a string, its text.
pub fn is_listed_text(key: &str, text: Option<&str>) -> bool {
    key != DESCRIPTION && text != Some(PLACEHOLDER)
}

/// An integer literal over [`MAX_INT_DIGITS`]: where it is in the parsed text, and how long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HugeInt {
    pub offset: usize,
    pub digits: usize,
}

impl HugeInt {
    pub(crate) fn reason(&self) -> String {
        format!(
            "an integer of {} decimal digits; hst reads integers of up to {MAX_INT_DIGITS} \
             digits, as Python does",
            self.digits
        )
    }
}

/// Converts the parsed document, collecting the listed leaves in the reference's order. `Err`
/// when an integer is too large to convert (the first one in the walk).
pub(crate) fn build(root: &DeTable<'_>, source: &Source) -> Result<(Table, Leaves), HugeInt> {
    let mut walker = Walker {
        source,
        path: Vec::new(),
        leaves: Leaves::default(),
        huge: None,
    };
    let table = walker.table(root);
    match walker.huge {
        Some(huge) => Err(huge),
        None => Ok((table, walker.leaves)),
    }
}

struct Walker<'s> {
    source: &'s Source,
    path: Vec<String>,
    leaves: Leaves,
    huge: Option<HugeInt>,
}

impl Walker<'_> {
    fn table(&mut self, de: &DeTable<'_>) -> Table {
        let mut out = Table::with_capacity(de.len());
        for (key, value) in de {
            let name = key.get_ref().to_string();
            let converted = match value.get_ref() {
                DeValue::Table(inner) => {
                    self.path.push(name.clone());
                    let t = self.table(inner);
                    self.path.pop();
                    Value::Table(Box::new(t))
                }
                DeValue::String(text) => {
                    let v = Value::leaf_string(text);
                    self.leaf(&name, key.span(), value.span(), v)
                }
                other => {
                    let v = convert(other, value.span().start, &mut self.huge);
                    self.leaf(&name, key.span(), value.span(), v)
                }
            };
            out.insert(name, converted);
        }
        out
    }

    /// Records a leaf that is not a table (its entry, listed or not) and gives its value back.
    fn leaf(
        &mut self,
        name: &str,
        key_span: std::ops::Range<usize>,
        value_span: std::ops::Range<usize>,
        v: Value,
    ) -> Value {
        let segments = self.path.iter().map(String::as_str);
        let entry = Entry {
            key: KeyPath::new(segments.chain([name])),
            value: v.clone(),
            line: self.source.line_of(key_span.start),
            span: self.source.span_to_original(value_span),
            key_span: self.source.span_to_original(key_span),
        };
        if is_listed(name, &v) {
            self.leaves.listed.push(entry);
        } else {
            self.leaves.unlisted.push(entry);
        }
        v
    }
}

/// A value inside an array (or a whole non-table leaf): no entries of its own. `at` is where
/// it starts; the first integer too large to convert is noted in `huge` (and not converted).
fn convert(de: &DeValue<'_>, at: usize, huge: &mut Option<HugeInt>) -> Value {
    match de {
        DeValue::String(s) => Value::String(SecretValue::new(s.as_ref())),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Integer(n),
            Err(_) => match decimal_digits(i.as_str(), i.radix()) {
                digits if digits > MAX_INT_DIGITS => {
                    huge.get_or_insert(HugeInt { offset: at, digits });
                    Value::BigInt(String::new())
                }
                _ => Value::BigInt(big_int_decimal(i.as_str(), i.radix())),
            },
        },
        DeValue::Float(f) => Value::Float(parse_float(f.as_str())),
        DeValue::Boolean(b) => Value::Boolean(*b),
        DeValue::Datetime(d) => Value::Datetime(*d),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| convert(v.get_ref(), v.span().start, huge))
                .collect(),
        ),
        DeValue::Table(t) => Value::Table(Box::new(
            t.iter()
                .map(|(k, v)| {
                    let value = convert(v.get_ref(), v.span().start, huge);
                    (k.get_ref().to_string(), value)
                })
                .collect(),
        )),
    }
}

/// How many decimal digits the integer written with `digits` in `radix` has, at most (exact
/// for base 10; for hex, octal and binary an upper bound from the significant digits).
fn decimal_digits(digits: &str, radix: u32) -> usize {
    let significant = digits
        .trim_start_matches(['+', '-'])
        .trim_start_matches('0')
        .len();
    if radix == 10 {
        return significant;
    }
    let per_digit = f64::from(radix).log10();
    // At most a few hundred thousand digits (the file is bounded), exact in f64.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let bound = (significant as f64 * per_digit).ceil() as usize;
    bound
}

/// The parser has validated the literal; Rust's `f64` parsing knows `inf`/`nan` with a sign.
fn parse_float(text: &str) -> f64 {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    cleaned.parse().unwrap_or(f64::NAN)
}
