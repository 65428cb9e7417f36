//! Python's `repr()` for the values `tomllib` produces: what the reference `hst get` prints for a
//! non-string value, and how its `KeyError` messages quote keys.

use std::fmt::Write;

use toml_datetime::{Datetime, Offset};
use unicode_general_category::{GeneralCategory, get_general_category};

/// `repr(str)`: single quotes unless the text has `'` and no `"`; escapes as CPython does.
pub fn repr_str(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_ascii() || is_printable(c) => out.push(c),
            c if (c as u32) <= 0xff => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable()` for one non-ASCII character.
fn is_printable(c: char) -> bool {
    !matches!(
        get_general_category(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Surrogate
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::SpaceSeparator
    )
}

/// `"text"` as a Python string literal: the text as it is, but for the characters that would
/// break the literal (quotes, backslashes, line breaks, control characters), escaped. One
/// escaper for the generated enum module and the `hs.v("…")` snippet.
pub fn python_double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `repr(list)` of items already in their `repr` form.
pub(crate) fn repr_list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    format!("[{}]", items.join(", "))
}

/// `repr(dict)` of (key, value) pairs already in their `repr` form.
pub(crate) fn repr_dict(pairs: impl Iterator<Item = (String, String)>) -> String {
    let pairs: Vec<String> = pairs.map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", pairs.join(", "))
}

/// `repr(float)`: the shortest digits that round-trip, fixed notation for decimal exponents
/// -4..=15 (with `.0` when whole), otherwise `1e+16` / `1.5e-05` style.
pub(crate) fn repr_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // Rust's `{:e}` gives the shortest round-trip digits too, e.g. `-1.5e-7`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if (point as usize) >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        };
        format!("{sign}{body}")
    } else {
        let mantissa = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exp_sign}{:02}", exp.abs())
    }
}

/// `repr()` of the `datetime.date` / `time` / `datetime` that `tomllib` builds. Fractions of a
/// second are truncated to microseconds, as `tomllib` does.
pub(crate) fn repr_datetime(dt: &Datetime) -> String {
    let time_fields = |t: &toml_datetime::Time| {
        let second = t.second.unwrap_or(0);
        let micro = t.nanosecond.unwrap_or(0) / 1000;
        let mut s = format!("{}, {}", t.hour, t.minute);
        if second != 0 || micro != 0 {
            let _ = write!(s, ", {second}");
        }
        if micro != 0 {
            let _ = write!(s, ", {micro}");
        }
        s
    };
    match (&dt.date, &dt.time) {
        (Some(d), None) => format!("datetime.date({}, {}, {})", d.year, d.month, d.day),
        (None, Some(t)) => format!("datetime.time({})", time_fields(t)),
        (Some(d), Some(t)) => {
            let mut s = format!(
                "datetime.datetime({}, {}, {}, {}",
                d.year,
                d.month,
                d.day,
                time_fields(t)
            );
            if let Some(offset) = &dt.offset {
                let _ = write!(s, ", tzinfo={}", repr_timezone(offset));
            }
            s.push(')');
            s
        }
        (None, None) => "None".into(),
    }
}

fn repr_timezone(offset: &Offset) -> String {
    let minutes = match offset {
        Offset::Z => 0,
        Offset::Custom { minutes } => i64::from(*minutes),
    };
    if minutes == 0 {
        return "datetime.timezone.utc".into();
    }
    let total = minutes * 60;
    let days = total.div_euclid(86_400);
    let seconds = total.rem_euclid(86_400);
    let delta = match (days, seconds) {
        (0, s) => format!("seconds={s}"),
        (d, 0) => format!("days={d}"),
        (d, s) => format!("days={d}, seconds={s}"),
    };
    format!("datetime.timezone(datetime.timedelta({delta}))")
}

/// Decimal text of an integer literal that does not fit in `i64` (`digits` as the parser gives
/// them: no prefix, no underscores, an optional sign for base 10).
pub(crate) fn big_int_decimal(digits: &str, radix: u32) -> String {
    let (negative, digits) = match digits.as_bytes().first() {
        Some(b'-') => (true, &digits[1..]),
        Some(b'+') => (false, &digits[1..]),
        _ => (false, digits),
    };
    // Little-endian base-10^9 limbs; multiply-add one digit at a time.
    let mut limbs: Vec<u64> = vec![0];
    for c in digits.chars() {
        let Some(d) = c.to_digit(radix) else { continue };
        let mut carry = u64::from(d);
        for limb in &mut limbs {
            let v = *limb * u64::from(radix) + carry;
            *limb = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut out = String::new();
    let is_zero = limbs == [0];
    if negative && !is_zero {
        out.push('-');
    }
    let mut iter = limbs.iter().rev();
    if let Some(first) = iter.next() {
        let _ = write!(out, "{first}");
    }
    for limb in iter {
        let _ = write!(out, "{limb:09}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{SecretValue, Textual, Value};

    #[test]
    fn str_repr_picks_quotes_and_escapes_like_python() {
        assert_eq!(repr_str("a.b"), "'a.b'");
        assert_eq!(repr_str("it's"), "\"it's\"");
        assert_eq!(repr_str("both ' and \""), "'both \\' and \"'");
        assert_eq!(repr_str("t\tn\nr\rb\\"), "'t\\tn\\nr\\rb\\\\'");
        assert_eq!(repr_str("\u{0}\u{1b}\u{7f}"), "'\\x00\\x1b\\x7f'");
        assert_eq!(repr_str("é🔑"), "'é🔑'");
        assert_eq!(repr_str("\u{85}\u{a0}\u{ad}"), "'\\x85\\xa0\\xad'");
        assert_eq!(
            repr_str("\u{200b}\u{2028}\u{feff}"),
            "'\\u200b\\u2028\\ufeff'"
        );
        assert_eq!(repr_str("\u{e0001}"), "'\\U000e0001'");
        // The reference's error message: repr applied twice.
        let msg = format!("Key {} not found in the provided data.", repr_str("it's"));
        assert_eq!(
            repr_str(&msg),
            "'Key \"it\\'s\" not found in the provided data.'"
        );
    }

    #[test]
    fn float_repr_matches_python() {
        let cases = [
            (2.71, "2.71"),
            (6.02e23, "6.02e+23"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1.5e300, "1.5e+300"),
            (5e-324, "5e-324"),
            (-2.5, "-2.5"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for (f, want) in cases {
            assert_eq!(repr_float(f), want, "repr({f:e})");
        }
    }

    #[test]
    fn datetime_repr_matches_python() {
        let dt = |s: &str| {
            s.parse::<Datetime>()
                .map(|d| repr_datetime(&d))
                .unwrap_or_default()
        };
        assert_eq!(dt("1979-05-27"), "datetime.date(1979, 5, 27)");
        assert_eq!(dt("07:32:00"), "datetime.time(7, 32)");
        assert_eq!(dt("00:32:00.999999"), "datetime.time(0, 32, 0, 999999)");
        assert_eq!(dt("07:32:05"), "datetime.time(7, 32, 5)");
        assert_eq!(
            dt("1979-05-27T07:32:00Z"),
            "datetime.datetime(1979, 5, 27, 7, 32, tzinfo=datetime.timezone.utc)"
        );
        assert_eq!(
            dt("1979-05-27T07:32:00"),
            "datetime.datetime(1979, 5, 27, 7, 32)"
        );
        assert_eq!(
            dt("1979-05-27T00:32:00.9999999-07:00"),
            "datetime.datetime(1979, 5, 27, 0, 32, 0, 999999, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=61200)))"
        );
        assert_eq!(
            dt("1979-05-27T07:32:00+05:30"),
            "datetime.datetime(1979, 5, 27, 7, 32, tzinfo=datetime.timezone(datetime.timedelta(seconds=19800)))"
        );
        assert_eq!(
            dt("1979-05-27T07:32:00-00:00"),
            "datetime.datetime(1979, 5, 27, 7, 32, tzinfo=datetime.timezone.utc)"
        );
    }

    #[test]
    fn containers_repr_like_python() {
        let mut table = crate::value::Table::new();
        table.insert("k".into(), Value::String(SecretValue::new("v")));
        table.insert("n".into(), Value::Integer(3306));
        table.insert(
            "a".into(),
            Value::Array(vec![Value::Boolean(true), Value::Float(1.0)]),
        );
        assert_eq!(
            Value::Table(Box::new(table)).python_repr(),
            "{'k': 'v', 'n': 3306, 'a': [True, 1.0]}"
        );
    }

    #[test]
    fn big_ints_convert_to_decimal() {
        assert_eq!(
            big_int_decimal("9223372036854775808", 10),
            "9223372036854775808"
        );
        assert_eq!(
            big_int_decimal("+99999999999999999999", 10),
            "99999999999999999999"
        );
        assert_eq!(
            big_int_decimal("-99999999999999999999", 10),
            "-99999999999999999999"
        );
        assert_eq!(
            big_int_decimal("ffffffffffffffffff", 16),
            "4722366482869645213695"
        );
        assert_eq!(
            big_int_decimal("1777777777777777777777", 8),
            "18446744073709551615"
        );
        assert_eq!(big_int_decimal("-0", 10), "0");
    }
}
