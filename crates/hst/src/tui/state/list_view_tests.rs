//! The key list: searches typed and backspaced, and searches ranked off the UI thread (tiny
//! limits stand in for a million keys).

use super::*;

fn entries<'k>(keys: &[&'k str]) -> Vec<&'k str> {
    keys.to_vec()
}

fn fresh(entries: &[&str], text: &str) -> Vec<u32> {
    let mut list = ListView::default();
    list.refilter(entries, 0..entries.len(), text, None, 10);
    list.rows().to_vec()
}

#[test]
fn backspaces_give_back_what_a_fresh_search_finds() {
    let keys = entries(&[
        "github.personal.token",
        "gitlab.work.pat",
        "aws.prod.key",
        "github.work.token",
        "google.api.key",
    ]);
    let mut list = ListView::default();
    let all = 0..keys.len();
    let mut typed = String::new();
    for c in "gitw".chars() {
        typed.push(c);
        list.refilter(keys.as_slice(), all.clone(), &typed, None, 10);
        assert_eq!(list.rows(), fresh(&keys, &typed), "{typed}");
    }
    while typed.pop().is_some() {
        list.refilter(keys.as_slice(), all.clone(), &typed, None, 10);
        assert_eq!(list.rows(), fresh(&keys, &typed), "{typed:?}");
    }
    // Another word after a backspace, and a search in a narrower range.
    for text in ["g", "go", "g", "a", "aw"] {
        list.refilter(keys.as_slice(), all.clone(), text, None, 10);
        assert_eq!(list.rows(), fresh(&keys, text), "{text}");
    }
    list.refilter(keys.as_slice(), 0..2, "g", None, 10);
    assert_eq!(list.rows(), [0, 1]);
}

#[test]
fn new_entries_are_searched_again() {
    let before = entries(&["a.one", "b.two"]);
    let mut list = ListView::default();
    list.refilter(before.as_slice(), 0..2, "o", None, 10);
    list.refilter(before.as_slice(), 0..2, "on", None, 10);
    let after = entries(&["b.two", "a.one", "c.once"]);
    list.forget();
    list.refilter(after.as_slice(), 0..3, "o", None, 10);
    assert_eq!(list.rows(), fresh(&after, "o"));
}

// ---- a search ranked off the UI thread (tiny limits stand in for a million keys) -----

fn many() -> Vec<String> {
    (0..300)
        .map(|i| {
            format!(
                "p{}.accounts.a{}.users.u{}.secrets.s{i}",
                i % 7,
                i % 5,
                i % 11
            )
        })
        .collect()
}

fn waiting() -> ListView {
    ListView {
        limits: Some((10, 5)),
        ..ListView::default()
    }
}

fn sorted(rows: &[u32]) -> Vec<u32> {
    let mut rows = rows.to_vec();
    rows.sort_unstable();
    rows
}

/// What the ranking thread would send for the job the list asked for.
fn run(list: &mut ListView, keys: &[&str]) -> Option<(RankFor, Vec<u32>)> {
    let (what, candidates) = list.take_job()?;
    let rows = Filter::new(&what.text).rank_among(keys, &candidates, &|| false)?;
    Some((what, rows))
}

#[test]
fn the_exact_matches_show_at_once_and_their_order_when_ranked() {
    let keys = many();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let all = 0..keys.len();
    let mut list = waiting();
    let mut typed = String::new();
    for c in "p3a2u1s".chars() {
        typed.push(c);
        list.refilter(&keys, all.clone(), &typed, None, 10);
        let want = fresh(&keys, &typed);
        assert_eq!(
            sorted(list.rows()),
            sorted(&want),
            "{typed}: the same matches"
        );
        if let Some((what, rows)) = run(&mut list, &keys) {
            assert!(list.ranking());
            list.ranked(&what, rows, 10);
        }
        assert!(!list.ranking());
        assert_eq!(list.rows(), want, "{typed}: ranked");
    }
    // Uppercase: a case-sensitive search, started again from every key.
    list.refilter(&keys, all.clone(), "P3", None, 10);
    assert_eq!(sorted(list.rows()), sorted(&fresh(&keys, "P3")));
    assert!(list.rows().is_empty());
}

#[test]
fn a_late_ranking_is_kept_for_a_backspace_but_not_shown() {
    let keys = many();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let all = 0..keys.len();
    let mut list = waiting();
    list.refilter(&keys, all.clone(), "p", None, 10);
    let first = run(&mut list, &keys);
    list.refilter(&keys, all.clone(), "pa", None, 10);
    let provisional = list.rows().to_vec();
    let (what, rows) = first.unwrap_or_else(|| panic!("a ranking was asked for"));
    list.ranked(&what, rows, 10);
    assert_eq!(
        list.rows(),
        provisional,
        "the ranking of `p` does not replace `pa`'s rows"
    );
    assert!(list.ranking());
    list.refilter(&keys, all.clone(), "p", None, 10);
    assert_eq!(list.rows(), fresh(&keys, "p"), "kept, ranked");
    assert!(!list.ranking() && list.take_job().is_none());
    // Typed again: `pa` was never ranked, so it is asked for again.
    list.refilter(&keys, all, "pa", None, 10);
    assert!(list.ranking());
    let (what, rows) = run(&mut list, &keys).unwrap_or_else(|| panic!("asked again"));
    list.ranked(&what, rows, 10);
    assert_eq!(list.rows(), fresh(&keys, "pa"));
}

#[test]
fn the_cursor_moved_before_the_ranking_stays_on_its_key() {
    let keys = many();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut list = waiting();
    list.refilter(&keys, 0..keys.len(), "s1", None, 10);
    list.move_by(3, 10);
    let chosen = list.selected();
    let (what, rows) = run(&mut list, &keys).unwrap_or_else(|| panic!("asked"));
    list.ranked(&what, rows, 10);
    assert_eq!(list.selected(), chosen);
    assert_eq!(list.rows(), fresh(&keys, "s1"));
    assert_eq!(
        list.cursor() - list.offset(),
        3.min(list.cursor()),
        "on its screen row, what ranks above it shown"
    );
    // Not moved: the best match is selected when the order comes.
    list.refilter(&keys, 0..keys.len(), "s2", None, 10);
    let (what, rows) = run(&mut list, &keys).unwrap_or_else(|| panic!("asked"));
    list.ranked(&what, rows, 10);
    assert_eq!(list.cursor(), 0);
    assert_eq!(
        list.selected(),
        fresh(&keys, "s2").first().map(|&r| r as usize)
    );
}

#[test]
fn a_key_kept_far_down_shows_the_matches_ranked_above_it() {
    let keys = many();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut list = waiting();
    list.refilter(&keys, 0..keys.len(), "a", None, 10);
    let deep = list.rows().get(150).map(|&r| r as usize);
    // A reload keeps the selected key: it is deep in the provisional rows.
    list.forget();
    list.refilter(&keys, 0..keys.len(), "a", deep, 10);
    assert_eq!(list.selected(), deep);
    let row_on_screen = list.cursor() - list.offset();
    let (what, rows) = run(&mut list, &keys).unwrap_or_else(|| panic!("asked"));
    list.ranked(&what, rows, 10);
    assert_eq!(list.selected(), deep);
    assert_eq!(
        list.cursor() - list.offset(),
        row_on_screen.min(list.cursor())
    );
}

#[test]
fn a_ranking_of_other_keys_is_dropped_and_a_pick_ranks_now() {
    let keys = many();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut list = waiting();
    list.refilter(&keys, 0..keys.len(), "u3", None, 10);
    let old = run(&mut list, &keys).unwrap_or_else(|| panic!("asked"));
    list.forget();
    list.refilter(&keys, 0..keys.len(), "u3", None, 10);
    let provisional = list.rows().to_vec();
    list.ranked(&old.0, old.1, 10);
    assert_eq!(list.rows(), provisional, "the keys changed since");
    list.rank_now(&keys, 10);
    assert!(!list.ranking() && list.take_job().is_none());
    assert_eq!(list.rows(), fresh(&keys, "u3"));
}
