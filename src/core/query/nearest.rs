//! "Did you mean": the keys closest to one that was not found, by edit distance. Keys only,
//! never values. Used by `hst get` (and anything else that looks a key up by name).

/// Up to `n` keys within a few edits of `wanted` (closest first, then in the order given).
/// A key is close when at most an eighth of its characters (at least two) differ.
pub fn nearest<'k>(
    wanted: &str,
    keys: impl IntoIterator<Item = &'k str>,
    n: usize,
) -> Vec<&'k str> {
    let wanted: Vec<char> = wanted.chars().collect();
    let limit = (wanted.len() / 8).max(2);
    let mut found: Vec<(usize, usize, &str)> = keys
        .into_iter()
        .enumerate()
        // A key whose dotted form is what was asked for has a dot inside a part: suggesting it
        // back would only confuse.
        .filter(|(_, key)| key.chars().ne(wanted.iter().copied()))
        .filter_map(|(i, key)| {
            let key_chars: Vec<char> = key.chars().collect();
            distance_within(&wanted, &key_chars, limit).map(|d| (d, i, key))
        })
        .collect();
    found.sort_unstable();
    found.dedup_by(|a, b| a.2 == b.2);
    found.into_iter().take(n).map(|(_, _, k)| k).collect()
}

/// Levenshtein distance of `a` and `b` if it is at most `limit` (one row at a time, stopping as
/// soon as every entry of a row exceeds the limit).
fn distance_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        let mut best = row[0];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
            best = best.min(row[j + 1]);
        }
        if best > limit {
            return None;
        }
    }
    row.last().copied().filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_keys_come_first_and_far_ones_not_at_all() {
        let keys = [
            "github.accounts.personal.token",
            "github.accounts.work.token",
            "aws.prod.region",
        ];
        assert_eq!(
            nearest("github.accounts.personl.token", keys, 3),
            ["github.accounts.personal.token"]
        );
        assert_eq!(nearest("aws.prod.regoin", keys, 3), ["aws.prod.region"]);
        assert!(nearest("something.else.entirely", keys, 3).is_empty());
        assert_eq!(
            nearest("github.accounts.wrk.token", keys, 1),
            ["github.accounts.work.token"]
        );
    }

    #[test]
    fn distances() {
        let d = |a: &str, b: &str| {
            distance_within(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
                10,
            )
        };
        assert_eq!(d("kitten", "sitting"), Some(3));
        assert_eq!(d("", "abc"), Some(3));
        assert_eq!(d("same", "same"), Some(0));
        assert_eq!(
            distance_within(&['a'; 20], &['b'; 20], 3),
            None,
            "stops past the limit"
        );
    }
}
