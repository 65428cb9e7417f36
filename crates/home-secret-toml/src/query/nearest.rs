//! "Did you mean": the keys closest to one that was not found, by edit distance. Keys only,
//! never values. Used by `hst get` (and anything else that looks a key up by name).

/// Up to `n` keys within a few edits of `wanted` (closest first, then in the order given).
/// A key is close when at most an eighth of its characters (at least two) differ.
pub fn nearest<'k>(
    wanted: &str,
    keys: impl IntoIterator<Item = &'k str>,
    n: usize,
) -> Vec<&'k str> {
    let wanted_len = wanted.chars().count();
    let limit = (wanted_len / 8).max(2);
    let wanted_counts = Counts::of(wanted);
    let mut found: Vec<(usize, usize, &str)> = keys
        .into_iter()
        .enumerate()
        // A key whose dotted form is what was asked for has a dot inside a part: suggesting it
        // back would only confuse.
        .filter(|(_, key)| *key != wanted)
        .filter_map(|(i, key)| {
            // Cheap lower bounds first: a million keys cost a pass, not a million matrices.
            if key.chars().count().abs_diff(wanted_len) > limit
                || wanted_counts.lower_bound(&Counts::of(key)) > limit
            {
                return None;
            }
            let d = strsim::levenshtein(wanted, key);
            (d <= limit).then_some((d, i, key))
        })
        .collect();
    found.sort_unstable();
    found.dedup_by(|a, b| a.2 == b.2);
    found.into_iter().take(n).map(|(_, _, k)| k).collect()
}

/// How often each ASCII character occurs (other characters share one bucket). One edit
/// changes at most two counts by one, so half the counts' difference never exceeds the edit
/// distance.
struct Counts([u16; 129]);

impl Counts {
    fn of(text: &str) -> Self {
        let mut counts = [0u16; 129];
        for c in text.chars() {
            let bucket = if c.is_ascii() { c as usize } else { 128 };
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        Self(counts)
    }

    fn lower_bound(&self, other: &Self) -> usize {
        let differ: usize = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| usize::from(a.abs_diff(*b)))
            .sum();
        differ.div_ceil(2)
    }
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
    fn the_lower_bound_never_exceeds_the_distance() {
        for (a, b) in [
            ("kitten", "sitting"),
            ("", "abc"),
            ("ab", "ba"),
            ("äöü", "aou"),
            ("x.y", "y.x"),
        ] {
            let bound = Counts::of(a).lower_bound(&Counts::of(b));
            assert!(bound <= strsim::levenshtein(a, b), "{a} {b}");
        }
    }
}
