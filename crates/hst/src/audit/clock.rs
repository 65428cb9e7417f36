//! Times in the log: UTC, `2026-12-03T18:12:35Z`, which sort as text in time order.

/// `unix` seconds as an RFC 3339 UTC time.
pub fn format(unix: u64) -> String {
    let days = i64::try_from(unix / 86_400).unwrap_or(0);
    let rest = unix % 86_400;
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 as a date (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `--since`: a duration back from now (`90s`, `30m`, `2h`, `7d`) or a time as the log writes
/// it (a date alone means its midnight UTC). The earliest time, in the log's format.
pub fn since(text: &str, now: u64) -> Result<String, String> {
    let text = text.trim();
    let unit = |c: char| match c {
        's' => Some(1),
        'm' => Some(60),
        'h' => Some(3600),
        'd' => Some(86_400),
        _ => None,
    };
    if let Some(last) = text.chars().last()
        && let Some(seconds) = unit(last)
        && let Ok(n) = text[..text.len() - 1].parse::<u64>()
    {
        return Ok(format(now.saturating_sub(n.saturating_mul(seconds))));
    }
    let valid = text.len() >= 10
        && text.as_bytes()[4] == b'-'
        && text.as_bytes()[7] == b'-'
        && text[..4].bytes().all(|b| b.is_ascii_digit());
    if valid {
        Ok(text.to_string())
    } else {
        Err(format!(
            "--since wants a duration (30m, 2h, 7d) or a time like 2026-12-03 or \
             2026-12-03T10:00:00Z, not {text:?}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc_3339_utc() {
        assert_eq!(format(0), "1970-01-01T00:00:00Z");
        assert_eq!(format(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format(1_796_324_355), "2026-12-03T18:59:15Z");
        assert_eq!(since("2h", 7200).unwrap(), format(0));
        assert_eq!(since("2026-12-03", 0).unwrap(), "2026-12-03");
        assert!(since("yesterday", 0).is_err());
    }
}
