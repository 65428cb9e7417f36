//! The tree pane over a file read as lines (no entry per key): which keys each folder lists,
//! which folders stay open when the file is read again, and what a key's commands say when the
//! list below the folder is empty.

use crate::support::{run, start};

use home_secret_toml::store::Snapshot;
use hst::tui::action::{Action, Command};
use hst::tui::{Options, State};

const FILE: &str = "\
a.accounts.p.users.u.secrets.s.value = \"fake-1\"
a.accounts.p.users.u.secrets.s.name = \"n\"
a.accounts.q.users.v.secrets.t.value = \"fake-2\"
b.accounts.r.users.w.secrets.x.value = \"fake-3\"
ci.accounts.x = \"fake-4\"
ci.accounts.prod.key = \"fake-5\"
ci.accounts.y = \"fake-6\"
";

fn state_of(text: &str) -> State {
    let path = std::path::Path::new("tree.toml");
    let file = home_secret_toml::SecretFile::from_text(path, text.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut state = State::new(file, Options::default(), start());
    state.apply(
        Action::Resize {
            width: 120,
            height: 40,
        },
        start(),
    );
    state
}

fn selected_node(state: &State) -> String {
    state.node_prefix(state.tree_view().selected()).to_string()
}

/// Moves the tree's cursor to the row of `prefix` (which must be on screen).
fn go_to(state: &mut State, prefix: &str) {
    run(state, &[Command::Top]);
    for _ in 0..state.tree_view().rows().len() {
        if selected_node(state) == prefix {
            return;
        }
        run(state, &[Command::Down]);
    }
    panic!("no row for {prefix}");
}

fn listed(state: &State) -> Vec<String> {
    state
        .list()
        .rows()
        .iter()
        .filter_map(|&i| state.entry(i as usize).map(|e| e.key.to_string()))
        .collect()
}

#[test]
fn each_folder_lists_exactly_the_keys_below_it() {
    let mut state = state_of(FILE);
    run(&mut state, &[Command::FocusNext]);
    for id in 0..state.tree().len() {
        let prefix = state.node_prefix(id);
        let range = state.tree().entry_range(id);
        let below: Vec<usize> = (0..state.entry_count())
            .filter(|&i| {
                let leaf = state.tree().leaf(i).unwrap_or_default();
                state.tree().ancestors(leaf).contains(&id)
            })
            .collect();
        assert_eq!(range.collect::<Vec<_>>(), below, "under {prefix}");
    }
    // `ci.accounts` holds two attributes and an account between them: each run of keys has
    // its node, so no folder lists a key that is not below it.
    run(&mut state, &[Command::Top]);
    go_to(&mut state, "ci");
    run(&mut state, &[Command::Expand]);
    let mut seen = Vec::new();
    for _ in 0..state.tree_view().rows().len() {
        let before = state.tree_view().cursor();
        run(&mut state, &[Command::Down]);
        let node = selected_node(&state);
        if state.tree_view().cursor() == before || !node.starts_with("ci.") {
            break;
        }
        let keys = listed(&state);
        assert!(
            keys.iter().all(|k| k.starts_with(&format!("{node}."))),
            "{node}: {keys:?}"
        );
        seen.extend(keys);
    }
    seen.sort();
    assert_eq!(
        seen,
        ["ci.accounts.prod.key", "ci.accounts.x", "ci.accounts.y"]
    );
}

#[test]
fn folders_open_inside_a_closed_folder_are_open_again_after_a_reload() {
    let mut state = state_of(FILE);
    run(&mut state, &[Command::FocusNext]);
    go_to(&mut state, "a");
    run(&mut state, &[Command::Expand]);
    go_to(&mut state, "a.accounts.p");
    run(&mut state, &[Command::Expand]);
    go_to(&mut state, "a");
    run(&mut state, &[Command::Collapse]);
    go_to(&mut state, "b");
    let snapshot = Ok(Snapshot::new(FILE.as_bytes().to_vec()));
    state.apply(
        Action::Reloaded {
            snapshot,
            external: true,
        },
        start(),
    );
    assert_eq!(
        selected_node(&state),
        "b",
        "the selected folder stays selected"
    );
    go_to(&mut state, "a");
    run(&mut state, &[Command::Expand]);
    go_to(&mut state, "a.accounts.p");
    let p = state.tree_view().selected();
    assert!(
        state.tree_view().is_expanded(p),
        "p was open inside a closed a"
    );
    go_to(&mut state, "a.accounts.q");
    let q = state.tree_view().selected();
    assert!(!state.tree_view().is_expanded(q));
}

#[test]
fn editing_with_no_key_in_the_list_says_so() {
    let mut state = state_of(FILE);
    run(&mut state, &[Command::Search]);
    crate::support::type_text(&mut state, "zzzzqq");
    run(&mut state, &[Command::SearchAccept]);
    assert!(state.list().is_empty());
    for command in [Command::Edit, Command::Rename, Command::Delete] {
        run(&mut state, &[command]);
        let said = state.status().map(|s| s.text.clone()).unwrap_or_default();
        assert!(said.contains("No key selected"), "{command:?}: {said}");
        assert_eq!(
            state.scope(),
            hst::tui::keymap::Scope::List,
            "{command:?} opened something"
        );
    }
}
