//! Dates, times and date-times with their offsets, within the ranges of Python's `datetime`
//! (years 1-9999, real days, no leap second, offsets under 24 hours; seconds required).

use super::{TokenError, unexpected};

pub(super) const DATE_FORM: &str = "a date is written YYYY-MM-DD";
const YEAR_ZERO: &str = "year must be 0001-9999 (Python has no year 0)";
const MONTH: &str = "month must be 01-12";
const DAY: &str = "day must be 01-31";
const DAY_IN_MONTH: &str = "that day does not exist in that month";
const AFTER_DATE: &str = "unexpected text after a date";
const DATE_NEEDS_TIME: &str = "a date-time needs a time after the T (like 10:00:00)";
pub(super) const TIME_FORM: &str = "a time is written HH:MM:SS";
const SECONDS: &str = "a time needs seconds in TOML 1.0 (like 10:00:00)";
const HOUR: &str = "hour must be 00-23";
const MINUTE: &str = "minute must be 00-59";
const SECOND: &str = "second must be 00-59";
const FRACTION: &str = "a fraction of a second needs digits after the point";
const OFFSET_FORM: &str = "a time offset is written Z, +HH:MM or -HH:MM";
const OFFSET_HOUR: &str = "offset hours must be 00-23";
const OFFSET_MINUTE: &str = "offset minutes must be 00-59";
const LOCAL_TIME_OFFSET: &str = "a time without a date cannot have an offset";
const AFTER_TIME: &str = "unexpected text after a time";

/// A date, or a date and time with `T`/`t` (returns whether it was only a date).
pub(super) fn date_time(tok: &[u8]) -> Result<bool, TokenError> {
    let year = field(tok, 0, 4, DATE_FORM)?;
    let month = field(tok, 5, 2, DATE_FORM)?;
    if tok.get(7) != Some(&b'-') {
        return Err(unexpected(tok, 7, DATE_FORM));
    }
    let day = field(tok, 8, 2, DATE_FORM)?;
    // Python's `date` is what tomllib builds: years 1-9999, real days only.
    if year == 0 {
        return Err((0, YEAR_ZERO));
    }
    if !(1..=12).contains(&month) {
        return Err((5, MONTH));
    }
    if !(1..=31).contains(&day) {
        return Err((8, DAY));
    }
    if day > days_in_month(year, month) {
        return Err((8, DAY_IN_MONTH));
    }
    match tok.get(10) {
        None => Ok(true),
        Some(b'T' | b't') if tok.len() == 11 => Err((10, DATE_NEEDS_TIME)),
        Some(b'T' | b't') => time(tok, 11, true).map(|()| false),
        Some(_) => Err(unexpected(tok, 10, AFTER_DATE)),
    }
}

/// A time starting at `start` in `tok`, with an offset only when it follows a date.
pub(super) fn time(tok: &[u8], start: usize, after_date: bool) -> Result<(), TokenError> {
    let hour = field(tok, start, 2, TIME_FORM)?;
    if tok.get(start + 2) != Some(&b':') {
        return Err(unexpected(tok, start + 2, TIME_FORM));
    }
    let minute = field(tok, start + 3, 2, TIME_FORM)?;
    if hour > 23 {
        return Err((start, HOUR));
    }
    if minute > 59 {
        return Err((start + 3, MINUTE));
    }
    // TOML 1.1 made seconds optional; tomllib (1.0) requires them.
    if tok.get(start + 5) != Some(&b':') {
        return Err((start + 5, SECONDS));
    }
    let second = field(tok, start + 6, 2, TIME_FORM)?;
    // Python's `time` has no leap second 60.
    if second > 59 {
        return Err((start + 6, SECOND));
    }
    let mut i = start + 8;
    if tok.get(i) == Some(&b'.') {
        i += 1;
        if !tok.get(i).is_some_and(u8::is_ascii_digit) {
            return Err(unexpected(tok, i, FRACTION));
        }
        // Any number of digits: tomllib keeps the first six (microseconds).
        while tok.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    match tok.get(i) {
        None => return Ok(()),
        Some(b'Z' | b'z') if after_date => i += 1,
        Some(b'+' | b'-') if after_date => {
            let hours = field(tok, i + 1, 2, OFFSET_FORM)?;
            if tok.get(i + 3) != Some(&b':') {
                return Err(unexpected(tok, i + 3, OFFSET_FORM));
            }
            let minutes = field(tok, i + 4, 2, OFFSET_FORM)?;
            // Python's `timezone` needs less than 24 hours.
            if hours > 23 {
                return Err((i + 1, OFFSET_HOUR));
            }
            if minutes > 59 {
                return Err((i + 4, OFFSET_MINUTE));
            }
            i += 6;
        }
        Some(b'Z' | b'z' | b'+' | b'-') => return Err((i, LOCAL_TIME_OFFSET)),
        Some(_) => return Err(unexpected(tok, i, AFTER_TIME)),
    }
    if i < tok.len() {
        return Err(unexpected(tok, i, AFTER_TIME));
    }
    Ok(())
}

/// The value of the `len` ASCII digits at `start` of a date or time field.
fn field(tok: &[u8], start: usize, len: usize, message: &'static str) -> Result<u32, TokenError> {
    let mut value = 0;
    for i in start..start + len {
        match tok.get(i) {
            Some(d) if d.is_ascii_digit() => value = value * 10 + u32::from(d - b'0'),
            _ => return Err(unexpected(tok, i, message)),
        }
    }
    Ok(value)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{accepts, refuses};
    use super::super::{AFTER_VALUE, ASCII_DIGITS};
    use super::*;

    #[test]
    fn dates_and_times() {
        accepts(&[
            "1979-05-27T07:32:00Z",
            "1979-05-27t07:32:00z",
            "1979-05-27 07:32:00",
            "1979-05-27T00:32:00.999999-07:00",
            "1979-05-27T00:32:00.1234567891+23:59",
            "1979-05-27T07:32:00-00:00",
            "1979-05-27T07:32:00",
            "1979-05-27",
            "2000-02-29",
            "2024-02-29",
            "0001-01-01",
            "9999-12-31",
            "07:32:00",
            "00:32:00.999999999",
            "23:59:59",
        ]);
        refuses(&[
            ("0000-01-01", YEAR_ZERO),
            ("1979-00-27", MONTH),
            ("1979-13-27", MONTH),
            ("1979-05-00", DAY),
            ("1979-05-32", DAY),
            ("2023-02-29", DAY_IN_MONTH),
            ("1900-02-29", DAY_IN_MONTH),
            ("2024-04-31", DAY_IN_MONTH),
            ("1979/05/27", DATE_FORM),
            ("1979-05-7", DATE_FORM),
            ("1979-05-27x", AFTER_DATE),
            ("1979-05-27T", DATE_NEEDS_TIME),
            ("1979-05-27 07:32", SECONDS),
            ("1979-05-27 7:32:00", TIME_FORM),
            ("1979-05-27  07:32:00", AFTER_VALUE),
            ("1979-05-27_07:32:00", AFTER_DATE),
            ("24:00:00", HOUR),
            ("23:60:00", MINUTE),
            ("23:59:60", SECOND),
            ("1979-05-27T23:59:60Z", SECOND),
            ("07:32", SECONDS),
            ("07:32Z", SECONDS),
            ("07:32:0", TIME_FORM),
            ("07:32:00.", FRACTION),
            ("07:32:00Z", LOCAL_TIME_OFFSET),
            ("07:32:00+01:00", LOCAL_TIME_OFFSET),
            ("07:32:00.5.5", AFTER_TIME),
            ("1979-05-27T07:32:00+24:00", OFFSET_HOUR),
            ("1979-05-27T07:32:00+01:60", OFFSET_MINUTE),
            ("1979-05-27T07:32:00+0100", OFFSET_FORM),
            ("1979-05-27T07:32:00+01", OFFSET_FORM),
            ("1979-05-27T07:32:00Zz", AFTER_TIME),
            ("1979-05-27T07:32:00+01:00:00", AFTER_TIME),
            ("١٠:٠٠:٠٠", ASCII_DIGITS),
            ("1979-٠٥-27", ASCII_DIGITS),
        ]);
    }
}
