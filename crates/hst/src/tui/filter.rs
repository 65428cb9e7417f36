//! The TUI's search box: fuzzy ranking over keys (never values), or the reference's `--query`
//! terms when the text contains a space or a comma.
//!
//! The fuzzy matcher is `frizbee` (SIMD Smith-Waterman, the matcher skim and television use),
//! chosen by measurement (`cargo bench --bench tui`): one full re-filter of 100,000 keys took
//! 1–7 ms with frizbee, 2–21 ms with nucleo-matcher and 11–69 ms with fuzzy-matcher.
//! Only this file knows which matcher is used.

use frizbee::{Config, Match, Matcher, SortStrategy};

use home_secret_toml::query::{Query, normalize};

/// From this many keys on, the fuzzy matcher uses every core (one thread start costs far less
/// than scoring 20,000 keys).
const PARALLEL_FROM: usize = 20_000;

/// A ranking off the UI thread looks between slices of this many keys whether it is still
/// wanted (each slice is a few milliseconds).
pub const RANK_SLICE: usize = 65_536;

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A compiled search. Build it once per keystroke, then rank the keys and highlight the rows
/// that are on screen.
pub struct Filter {
    kind: Kind,
}

enum Kind {
    All,
    Terms(Query),
    Fuzzy(Box<Matcher>),
}

/// One key that passed the filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ranked {
    /// Index into the slice given to [`Filter::rank`].
    pub index: u32,
    pub score: u16,
}

impl Filter {
    pub fn new(text: &str) -> Self {
        let kind = if text.trim().is_empty() {
            Kind::All
        } else if text.contains([' ', ',']) {
            Kind::Terms(Query::parse(text))
        } else {
            // Matched in the keys' order and ordered here (see `best_first`).
            let config = Config::default().sort(SortStrategy::IndexAsc);
            Kind::Fuzzy(Box::new(Matcher::new(text, &config)))
        };
        Self { kind }
    }

    /// True when the filter lets everything through, in its original order.
    pub fn is_all(&self) -> bool {
        matches!(self.kind, Kind::All)
    }

    /// The keys that match, best first; ties keep their original order. Terms (reference syntax)
    /// do not rank: they keep the original order, as `hst ls --query` does.
    pub fn rank<S: AsRef<str> + Sync>(&mut self, keys: &[S]) -> Vec<Ranked> {
        match &mut self.kind {
            Kind::Fuzzy(matcher) => best_first(&matches(matcher, keys), |m| Ranked {
                index: m.index,
                score: m.score,
            }),
            _ => self
                .rank_indices(keys)
                .into_iter()
                .map(|index| Ranked { index, score: 0 })
                .collect(),
        }
    }

    /// True for a fuzzy search (ordered by score).
    pub fn is_fuzzy(&self) -> bool {
        matches!(self.kind, Kind::Fuzzy(_))
    }

    /// [`Filter::rank`]'s indices only (what the key list keeps).
    pub fn rank_indices<S: AsRef<str> + Sync>(&mut self, keys: &[S]) -> Vec<u32> {
        match &mut self.kind {
            Kind::All => (0..keys.len() as u32).collect(),
            Kind::Terms(query) => keys
                .iter()
                .enumerate()
                .filter(|(_, k)| query.matches(k.as_ref()))
                .map(|(i, _)| i as u32)
                .collect(),
            Kind::Fuzzy(matcher) => best_first(&matches(matcher, keys), |m| m.index),
        }
    }

    /// [`Filter::rank_indices`] of the keys `candidates` (ascending indices into `keys`), as
    /// indices into `keys`; `None` as soon as `cancelled` says so (asked between slices of
    /// [`RANK_SLICE`] keys).
    pub fn rank_among(
        &mut self,
        keys: &[&str],
        candidates: &[u32],
        cancelled: &dyn Fn() -> bool,
    ) -> Option<Vec<u32>> {
        let text = |i: &u32| keys.get(*i as usize).copied().unwrap_or_default();
        let Kind::Fuzzy(matcher) = &mut self.kind else {
            let texts: Vec<&str> = candidates.iter().map(text).collect();
            let rows = self.rank_indices(&texts);
            return Some(rows.iter().map(|&r| candidates[r as usize]).collect());
        };
        let mut all = Vec::new();
        for slice in candidates.chunks(RANK_SLICE) {
            if cancelled() {
                return None;
            }
            let texts: Vec<&str> = slice.iter().map(text).collect();
            all.extend(matches(matcher, &texts).into_iter().map(|mut m| {
                m.index = slice[m.index as usize];
                m
            }));
        }
        Some(best_first(&all, |m| m.index))
    }

    /// Whether every key matching `longer` also matches `text` (the text was only extended and
    /// the kind of search did not change), so a search for `longer` can start from `text`'s
    /// results.
    pub fn narrows(text: &str, longer: &str) -> bool {
        longer.len() > text.len()
            && longer.starts_with(text)
            && matches!(
                (Filter::new(text).kind, Filter::new(longer).kind),
                (Kind::Fuzzy(_), Kind::Fuzzy(_)) | (Kind::Terms(_), Kind::Terms(_))
            )
    }

    /// Byte offsets in `key` to highlight, ascending. Meant for the few rows on screen.
    pub fn highlights(&mut self, key: &str) -> Vec<usize> {
        match &mut self.kind {
            Kind::All => Vec::new(),
            Kind::Terms(query) => term_highlights(query, key),
            Kind::Fuzzy(matcher) => {
                let mut offsets: Vec<usize> = matcher
                    .match_one_indices(key, 0)
                    .map(|m| m.indices.into_iter().map(|i| i as usize).collect())
                    .unwrap_or_default();
                offsets.sort_unstable();
                offsets.dedup();
                offsets
            }
        }
    }
}

/// The keys that match, in the keys' order.
fn matches<S: AsRef<str> + Sync>(matcher: &mut Matcher, keys: &[S]) -> Vec<Match> {
    if keys.len() >= PARALLEL_FROM {
        matcher.match_list_parallel(keys, threads())
    } else {
        matcher.match_list(keys)
    }
}

/// Matches in the keys' order, best score first, ties in the keys' order: one counting pass
/// over the few distinct scores. frizbee's own ordering sorts each thread's matches and merges
/// them, a third of the time of ranking a million keys.
fn best_first<T: Default + Copy>(matches: &[Match], out_of: impl Fn(&Match) -> T) -> Vec<T> {
    let (Some(best), Some(worst)) = (
        matches.iter().map(|m| m.score).max(),
        matches.iter().map(|m| m.score).min(),
    ) else {
        return Vec::new();
    };
    // starts[b]: where the matches `b` below the best score start.
    let mut starts = vec![0usize; usize::from(best - worst) + 2];
    for m in matches {
        starts[usize::from(best - m.score) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut out = vec![T::default(); matches.len()];
    for m in matches {
        let slot = &mut starts[usize::from(best - m.score)];
        out[*slot] = out_of(m);
        *slot += 1;
    }
    out
}

/// Every occurrence of every term. Only for keys whose normalised form has the same byte layout
/// (ASCII); other keys are matched correctly but not highlighted.
fn term_highlights(query: &Query, key: &str) -> Vec<usize> {
    if !key.is_ascii() {
        return Vec::new();
    }
    let norm = normalize(key);
    let mut marked = vec![false; key.len()];
    for facet in query.facets() {
        for (start, _) in norm.match_indices(facet.as_str()) {
            for m in &mut marked[start..start + facet.len()] {
                *m = true;
            }
        }
    }
    marked
        .iter()
        .enumerate()
        .filter_map(|(i, &m)| m.then_some(i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 5] = [
        "github.accounts.personal.users.dev.secrets.api_token.value",
        "aws.accounts.prod.account_id",
        "github.accounts.work.users.ci.secrets.deploy_key.value",
        "db.mysql_dev.password",
        "openai.accounts.personal.secrets.api_key.value",
    ];

    fn ranked_keys(text: &str) -> Vec<&'static str> {
        Filter::new(text)
            .rank(&KEYS)
            .iter()
            .map(|r| KEYS[r.index as usize])
            .collect()
    }

    #[test]
    fn empty_text_keeps_everything_in_order() {
        assert_eq!(ranked_keys("  "), KEYS.to_vec());
        assert!(Filter::new("").is_all());
    }

    #[test]
    fn fuzzy_ranks_the_closest_key_first() {
        let keys = ranked_keys("deploykey");
        assert_eq!(
            keys.first(),
            Some(&"github.accounts.work.users.ci.secrets.deploy_key.value")
        );
        assert!(!keys.contains(&"db.mysql_dev.password"));
    }

    #[test]
    fn a_space_or_comma_switches_to_reference_terms() {
        // `-` ≡ `_` and case-insensitive, as in `hst ls --query`; order stays the original one.
        assert_eq!(
            ranked_keys("PERSONAL api-"),
            vec![KEYS[0], KEYS[4]],
            "terms keep file order"
        );
        assert_eq!(ranked_keys("mysql,pass"), vec![KEYS[3]]);
    }

    #[test]
    fn extending_the_text_narrows_within_one_kind() {
        assert!(Filter::narrows("dep", "depl"));
        assert!(
            !Filter::narrows("dep", "dep "),
            "fuzzy to terms is not a narrowing"
        );
        assert!(!Filter::narrows("dep", "de"));
        assert!(!Filter::narrows("", "d"));
        assert!(Filter::narrows("a b", "a bc"));
        // The property the narrowing relies on, checked on the sample keys.
        for (short, long) in [("dep", "deploy"), ("acc", "accpers"), ("a p", "a pe,v")] {
            let wide = ranked_keys(short);
            for key in ranked_keys(long) {
                assert!(
                    wide.contains(&key),
                    "{long} matched {key} but {short} did not"
                );
            }
        }
    }

    #[test]
    fn many_keys_rank_the_same_in_parallel() {
        let keys: Vec<String> = (0..PARALLEL_FROM + 5000)
            .map(|i| {
                format!(
                    "provider_{}.accounts.a{}.secrets.s{}.value",
                    i % 97,
                    i % 13,
                    i
                )
            })
            .collect();
        let mut filter = Filter::new("p5a3s1");
        let ranked = filter.rank(&keys);
        let mut serial = Matcher::new("p5a3s1", &Config::default());
        let expected: Vec<u32> = serial.match_list(&keys).iter().map(|m| m.index).collect();
        let got: Vec<u32> = ranked.iter().map(|r| r.index).collect();
        assert!(!got.is_empty());
        assert_eq!(got, expected);
    }

    #[test]
    fn highlights_point_at_matched_bytes() {
        let key = "db.mysql_dev.password";
        let hl = Filter::new("pass").highlights(key);
        assert_eq!(hl.len(), 4);
        let picked: String = hl.iter().map(|&i| key.as_bytes()[i] as char).collect();
        assert_eq!(picked, "pass");
        assert_eq!(
            Filter::new("dev pass").highlights(key),
            vec![9, 10, 11, 13, 14, 15, 16]
        );
    }
}
