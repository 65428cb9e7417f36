//! Integers and floats, as tomllib's number pattern and Python's `int` and `float` read them:
//! decimal, `0x`/`0o`/`0b`, underscores only between digits, at most 4300 decimal digits.

use super::dates::{DATE_FORM, TIME_FORM};
use super::{TokenError, unexpected, word_message};

/// Python refuses to turn a decimal string of more digits into an `int`
/// (`sys.int_info.default_max_str_digits`), so tomllib raises on longer decimal integers.
/// Underscores and the sign are not counted; hex, octal and binary have no limit.
const MAX_DECIMAL_DIGITS: usize = 4300;

const HEX_EMPTY: &str = "0x needs at least one hex digit";
const OCT_EMPTY: &str = "0o needs at least one octal digit";
const BIN_EMPTY: &str = "0b needs at least one binary digit";
const HEX_DIGIT: &str = "hex digits are 0-9 and a-f";
const OCT_DIGIT: &str = "octal digits are 0-7";
const BIN_DIGIT: &str = "binary digits are 0 and 1";
const PREFIX_SIGN: &str = "a 0x, 0o or 0b integer cannot have a sign";
const PREFIX_CASE: &str = "the 0x, 0o and 0b prefixes are lowercase";
pub(super) const UNDERSCORE: &str = "an underscore must be between two digits";
const LEADING_ZERO: &str = "leading zeros are not allowed in a decimal integer";
const POINT: &str = "a decimal point needs digits on both sides";
const EXPONENT: &str = "an exponent needs digits (like 1e6 or 1e-6)";
const SIGN_ALONE: &str = "a sign must be followed by digits";
const BAD_NUMBER: &str = "not a valid number";
const TOO_MANY_DIGITS: &str =
    "an integer can have at most 4300 digits (Python's limit for reading integers)";

/// An integer or float, as tomllib's number pattern and Python's `int`/`float` read it.
pub(super) fn number(tok: &[u8]) -> Result<(), TokenError> {
    let signed = matches!(tok.first(), Some(b'+' | b'-'));
    let i = usize::from(signed);
    match (tok.get(i), tok.get(i + 1)) {
        (Some(b'0'), Some(prefix @ (b'x' | b'o' | b'b'))) => {
            if signed {
                return Err((0, PREFIX_SIGN));
            }
            return prefixed(tok, *prefix);
        }
        (Some(b'0'), Some(b'X' | b'O' | b'B')) => return Err((i + 1, PREFIX_CASE)),
        _ => {}
    }
    match tok.get(i) {
        None => return Err((0, SIGN_ALONE)),
        Some(b'.') => return Err((i, POINT)),
        Some(b'_') => return Err((i, UNDERSCORE)),
        Some(b'0'..=b'9') => {}
        Some(c) if c.is_ascii_alphabetic() => {
            return Err((i, word_message(tok.get(i..).unwrap_or_default())));
        }
        Some(_) => return Err(unexpected(tok, i, BAD_NUMBER)),
    }
    if tok.get(i) == Some(&b'0') && matches!(tok.get(i + 1), Some(b'0'..=b'9' | b'_')) {
        return Err((i, LEADING_ZERO));
    }
    let (mut j, int_digits) = digit_run(tok, i, u8::is_ascii_digit)?;
    let mut float = false;
    if tok.get(j) == Some(&b'.') {
        if !tok.get(j + 1).is_some_and(u8::is_ascii_digit) {
            return Err(unexpected(tok, j + 1, POINT));
        }
        j = digit_run(tok, j + 1, u8::is_ascii_digit)?.0;
        float = true;
    }
    if matches!(tok.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(tok.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        match tok.get(k) {
            Some(b'0'..=b'9') => {}
            Some(b'_') => return Err((k, UNDERSCORE)),
            _ => return Err(unexpected(tok, k, EXPONENT)),
        }
        j = digit_run(tok, k, u8::is_ascii_digit)?.0;
        float = true;
    }
    if j < tok.len() {
        let message = match tok.get(j) {
            Some(b':') => TIME_FORM,
            Some(b'-' | b'/') if !float => DATE_FORM,
            _ => BAD_NUMBER,
        };
        return Err(unexpected(tok, j, message));
    }
    if !float && int_digits > MAX_DECIMAL_DIGITS {
        return Err((0, TOO_MANY_DIGITS));
    }
    Ok(())
}

/// A `0x`, `0o` or `0b` integer (`tok` starts with the prefix).
fn prefixed(tok: &[u8], prefix: u8) -> Result<(), TokenError> {
    let (is_digit, empty, bad): (fn(&u8) -> bool, _, _) = match prefix {
        b'x' => (u8::is_ascii_hexdigit, HEX_EMPTY, HEX_DIGIT),
        b'o' => (|b: &u8| (b'0'..=b'7').contains(b), OCT_EMPTY, OCT_DIGIT),
        _ => (|b: &u8| matches!(b, b'0' | b'1'), BIN_EMPTY, BIN_DIGIT),
    };
    match tok.get(2) {
        None => return Err((0, empty)),
        Some(b'_') => return Err((2, UNDERSCORE)),
        Some(c) if is_digit(c) => {}
        Some(_) => return Err(unexpected(tok, 2, bad)),
    }
    let (end, _) = digit_run(tok, 2, is_digit)?;
    if end < tok.len() {
        return Err(unexpected(tok, end, bad));
    }
    Ok(())
}

/// Digits with single underscores between them, from `start` (a digit): the end and the number
/// of digits.
fn digit_run(
    tok: &[u8],
    start: usize,
    is_digit: fn(&u8) -> bool,
) -> Result<(usize, usize), TokenError> {
    let mut i = start;
    let mut count = 0;
    loop {
        match tok.get(i) {
            Some(d) if is_digit(d) => {
                i += 1;
                count += 1;
            }
            Some(b'_') if tok.get(i + 1).is_some_and(is_digit) => i += 1,
            Some(b'_') => return Err((i, UNDERSCORE)),
            _ => return Ok((i, count)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{accepts, refuses};
    use super::super::{ASCII_DIGITS, NEEDS_QUOTES, SPECIAL_FLOAT};
    use super::*;

    #[test]
    fn integers() {
        accepts(&[
            "0",
            "+0",
            "-0",
            "7",
            "-17",
            "+1_000",
            "1_2_3",
            "0xDEAD_beef",
            "0x0001",
            "0o755",
            "0b1010_0101",
        ]);
        // Beyond 64 bits is fine for tomllib (Python ints), up to Python's 4300 decimal digits.
        let big = "9".repeat(MAX_DECIMAL_DIGITS);
        accepts(&["123456789012345678901234567890", &big, &format!("-{big}")]);
        accepts(&[&format!("{}_9", "9".repeat(MAX_DECIMAL_DIGITS - 1))]);
        accepts(&[&format!("0x{}", "f".repeat(10_000))]);
        refuses(&[
            (&format!("{big}9"), TOO_MANY_DIGITS),
            (&format!("{big}_9"), TOO_MANY_DIGITS),
            ("01", LEADING_ZERO),
            ("-00", LEADING_ZERO),
            ("0_1", LEADING_ZERO),
            ("1__0", UNDERSCORE),
            ("1_", UNDERSCORE),
            ("_1", UNDERSCORE),
            ("+_1", UNDERSCORE),
            ("0x_1", UNDERSCORE),
            ("0x1_", UNDERSCORE),
            ("+0x1", PREFIX_SIGN),
            ("-0b1", PREFIX_SIGN),
            ("0X1F", PREFIX_CASE),
            ("0B1", PREFIX_CASE),
            ("0xg", HEX_DIGIT),
            ("0o8", OCT_DIGIT),
            ("0o17.5", OCT_DIGIT),
            ("0b102", BIN_DIGIT),
            ("0x٣", ASCII_DIGITS),
            ("+", SIGN_ALONE),
            ("-", SIGN_ALONE),
            ("1a", BAD_NUMBER),
            ("123:30", TIME_FORM),
            ("1979-5-27", DATE_FORM),
        ]);
    }

    #[test]
    fn floats() {
        accepts(&[
            "0.0",
            "+1.5",
            "-0.01",
            "3.141_592",
            "1e6",
            "1E-6",
            "-2e+10",
            "6.626e-34",
            "1e0_1",
            "0e0",
            "1e05",
            "1e999",
            "inf",
            "+inf",
            "-inf",
            "nan",
            "+nan",
            "-nan",
        ]);
        refuses(&[
            (".5", POINT),
            ("1.", POINT),
            ("1._5", POINT),
            ("-.5", POINT),
            ("01.5", LEADING_ZERO),
            ("1.5_", UNDERSCORE),
            ("1e", EXPONENT),
            ("1e+", EXPONENT),
            ("1e_5", UNDERSCORE),
            ("1.5.5", BAD_NUMBER),
            ("1e5.5", BAD_NUMBER),
            ("Inf", SPECIAL_FLOAT),
            ("-NaN", SPECIAL_FLOAT),
            ("infinity", SPECIAL_FLOAT),
            ("nanx", NEEDS_QUOTES),
        ]);
    }
}
