//! "Did you mean": the keys closest to one that was not found. Keys only, never values. Used by
//! `hst get` and `hst run` (anything that looks a key up by name).
//!
//! Three kinds of near miss, best first: a typo (a few edits away); the parts asked for, in
//! order, with parts left out (`openai.api_key` for `openai.accounts.me.secrets.api_key.value`,
//! the middle a user does not remember); the words asked for, in any order and any part.

/// Up to `n` keys that `wanted` probably meant: typos first (closest first), then keys holding
/// its parts in order, then keys holding all its words; shorter keys first within each kind.
pub fn nearest<'k>(
    wanted: &str,
    keys: impl IntoIterator<Item = &'k str>,
    n: usize,
) -> Vec<&'k str> {
    let keys: Vec<&'k str> = keys.into_iter().filter(|k| *k != wanted).collect();
    let mut found = by_typo(wanted, keys.iter().copied(), n);
    for more in [by_parts(wanted, &keys), by_words(wanted, &keys)] {
        for key in more {
            if found.len() >= n {
                return found;
            }
            if !found.contains(&key) {
                found.push(key);
            }
        }
    }
    found.truncate(n);
    found
}

/// Keys holding every part of `wanted`, in order, with others between (shortest first).
fn by_parts<'k>(wanted: &str, keys: &[&'k str]) -> Vec<&'k str> {
    let parts: Vec<&str> = wanted.split('.').filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 {
        // One part is a word, and `by_words` finds it in any place.
        return Vec::new();
    }
    let mut found: Vec<&'k str> = keys
        .iter()
        .copied()
        .filter(|key| {
            let mut have = key.split('.');
            parts
                .iter()
                .all(|p| have.any(|h| h.eq_ignore_ascii_case(p)))
        })
        .collect();
    found.sort_by_key(|k| k.len());
    found
}

/// Keys holding every word of `wanted` (split at `.`, `_`, `-` and spaces; case ignored),
/// anywhere (shortest first).
fn by_words<'k>(wanted: &str, keys: &[&'k str]) -> Vec<&'k str> {
    let wanted: Vec<String> = words(wanted).map(str::to_lowercase).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<&'k str> = keys
        .iter()
        .copied()
        .filter(|key| {
            let have: Vec<String> = words(key).map(str::to_lowercase).collect();
            wanted.iter().all(|w| have.contains(w))
        })
        .collect();
    found.sort_by_key(|k| k.len());
    found
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '_', '-', ' ']).filter(|w| !w.is_empty())
}

/// Up to `n` keys within a few edits of `wanted` (closest first, then in the order given).
/// A key is close when at most an eighth of its characters (at least two) differ.
fn by_typo<'k>(wanted: &str, keys: impl IntoIterator<Item = &'k str>, n: usize) -> Vec<&'k str> {
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
    fn a_missing_middle_and_words_in_another_order_are_found() {
        let keys = [
            "openai.accounts.me.secrets.api_key.value",
            "openai.accounts.me.secrets.org_id.value",
            "github.accounts.me.secrets.api_key.value",
        ];
        assert_eq!(
            nearest("openai.api_key", keys, 3),
            ["openai.accounts.me.secrets.api_key.value"]
        );
        assert_eq!(
            nearest("OpenAI.org_id", keys, 3),
            ["openai.accounts.me.secrets.org_id.value"]
        );
        // Words in any order and any part.
        assert_eq!(
            nearest("key-api-github", keys, 3),
            ["github.accounts.me.secrets.api_key.value"]
        );
        // Parts out of order are not a parts match, and words must all be there.
        assert!(nearest("api_key.openai.nothing", keys, 3).is_empty());
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
