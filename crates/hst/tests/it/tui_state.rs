//! Scripts of actions against the TUI state: selection, visible rows, status text. No terminal.

use crate::support;

use std::time::Duration;

use std::borrow::Cow;

use home_secret_toml::{SecretFile, Tree};
use hst::clipboard::{Backend, Copied};
use hst::tui::action::{Action, Command, CopyWhat, Mouse, Pane};
use hst::tui::keymap::Scope;
use hst::tui::state::{Effect, Overlay, State};
use support::{demo_state, run, start, type_text};

fn selected_key(state: &State) -> String {
    state
        .selected()
        .map(|(_, e)| e.key.to_string())
        .unwrap_or_default()
}

fn list_keys(state: &State) -> Vec<String> {
    state
        .list()
        .rows()
        .iter()
        .map(|&i| state.entry(i as usize).unwrap().key.to_string())
        .collect()
}

fn status(state: &State) -> String {
    state.status().map(|s| s.text.clone()).unwrap_or_default()
}

#[test]
fn starts_on_the_first_key_with_everything_listed() {
    let state = demo_state(100, 30, false);
    assert_eq!(state.list().len(), 33);
    assert_eq!(selected_key(&state), "github.accounts.personal.account_id");
    let providers: Vec<String> = state.tree_view().rows()[1..]
        .iter()
        .map(|r| state.node_name(r.node))
        .collect();
    assert_eq!(
        providers,
        ["github", "aws", "openai", "stripe", "db", "slack"]
    );
    assert_eq!(state.focus(), Pane::List);
    assert_eq!(state.scope(), Scope::List);
}

#[test]
fn tree_selection_narrows_the_list() {
    let mut state = demo_state(100, 30, false);
    run(
        &mut state,
        &[Command::FocusNext, Command::Down, Command::Down],
    );
    assert_eq!(state.node_name(state.tree_view().selected()), "aws");
    assert_eq!(state.list().len(), 10);
    assert!(list_keys(&state).iter().all(|k| k.starts_with("aws.")));
    // Open aws, go to its first account (prod), then into it and to the ci_bot user.
    run(&mut state, &[Command::Expand, Command::Expand]);
    assert_eq!(state.node_name(state.tree_view().selected()), "prod");
    assert_eq!(state.list().len(), 8);
    run(&mut state, &[Command::Expand, Command::Down, Command::Down]);
    assert_eq!(state.node_name(state.tree_view().selected()), "ci_bot");
    assert_eq!(
        list_keys(&state),
        [
            "aws.accounts.prod.users.ci_bot.user_id",
            "aws.accounts.prod.users.ci_bot.secrets.deploy.value"
        ]
    );
    // h twice: up to prod, then fold it; the list widens again.
    run(&mut state, &[Command::Collapse, Command::Collapse]);
    assert_eq!(state.node_name(state.tree_view().selected()), "prod");
    run(&mut state, &[Command::Collapse, Command::Collapse]);
    assert_eq!(state.node_name(state.tree_view().selected()), "aws");
    run(&mut state, &[Command::Top]);
    assert_eq!(state.list().len(), 33, "the root shows everything");
}

#[test]
fn off_convention_paths_sit_under_their_own_segments() {
    let mut state = demo_state(100, 30, false);
    run(&mut state, &[Command::FocusNext]);
    for _ in 0..5 {
        run(&mut state, &[Command::Down]);
    }
    assert_eq!(state.node_name(state.tree_view().selected()), "db");
    run(&mut state, &[Command::Toggle, Command::Down]);
    assert_eq!(
        state.node_name(state.tree_view().selected()),
        "postgres_local"
    );
    assert_eq!(state.list().len(), 4);
}

#[test]
fn fuzzy_search_ranks_keys_and_enter_keeps_the_filter() {
    let mut state = demo_state(100, 30, false);
    run(&mut state, &[Command::Search]);
    assert_eq!(state.scope(), Scope::Search);
    type_text(&mut state, "deploykey");
    assert_eq!(
        selected_key(&state),
        "github.accounts.work.users.ci.secrets.deploy_key.value"
    );
    let n = state.list().len();
    assert!(n < 33 && n > 0);
    run(&mut state, &[Command::SearchAccept]);
    assert!(!state.is_searching());
    assert_eq!(state.search_text(), "deploykey");
    assert_eq!(state.list().len(), n, "Enter keeps the filter");
    // Esc in the list clears it and stays on the same entry.
    run(&mut state, &[Command::ClearFilter]);
    assert_eq!(state.list().len(), 33);
    assert_eq!(
        selected_key(&state),
        "github.accounts.work.users.ci.secrets.deploy_key.value"
    );
}

#[test]
fn search_matches_keys_never_values() {
    let mut state = demo_state(100, 30, false);
    run(&mut state, &[Command::Search]);
    // A string that only occurs inside values of the demo file.
    type_text(&mut state, "ghpDEMOdemo");
    assert_eq!(state.list().len(), 0);
}

#[test]
fn space_or_comma_uses_the_reference_query_terms() {
    let mut state = demo_state(100, 30, false);
    run(&mut state, &[Command::Search]);
    type_text(&mut state, "PROD,secrets ");
    assert_eq!(
        list_keys(&state),
        [
            "aws.accounts.prod.secrets.deployment.name",
            "aws.accounts.prod.secrets.deployment.creds.access_key",
            "aws.accounts.prod.secrets.deployment.creds.secret_key",
            "aws.accounts.prod.users.ci_bot.secrets.deploy.value",
        ],
        "file order, as hst ls --query"
    );
    run(&mut state, &[Command::SearchDeleteWord]);
    assert_eq!(state.search_text(), "PROD,");
    run(&mut state, &[Command::SearchCancel]);
    assert_eq!(state.search_text(), "");
    assert_eq!(state.list().len(), 33);
}

#[test]
fn reveal_lasts_until_moved_toggled_or_timed_out() {
    let mut state = demo_state(100, 30, false);
    run(&mut state, &[Command::Reveal]);
    let (index, _) = state.selected().unwrap_or_default_entry();
    assert!(state.is_revealed(index));
    run(&mut state, &[Command::Reveal]);
    assert!(!state.is_revealed(index), "the key again hides it");
    run(&mut state, &[Command::Reveal, Command::Down]);
    assert!(state.reveal().is_none(), "moving hides it");
    run(&mut state, &[Command::Reveal]);
    state.apply(Action::Tick, start() + Duration::from_secs(14));
    assert!(state.reveal().is_some());
    state.apply(Action::Tick, start() + Duration::from_secs(15));
    assert!(state.reveal().is_none(), "15 s by default");
}

#[test]
fn share_mode_refuses_reveal_and_asks_before_turning_off() {
    let mut state = demo_state(100, 30, false);
    run(&mut state, &[Command::Reveal, Command::ToggleShare]);
    assert!(state.is_share());
    assert!(
        state.reveal().is_none(),
        "share mode hides what was revealed"
    );
    run(&mut state, &[Command::Reveal]);
    assert!(state.reveal().is_none());
    assert!(
        status(&state).contains("Share mode is on"),
        "{}",
        status(&state)
    );
    run(&mut state, &[Command::ToggleShare]);
    assert_eq!(state.scope(), Scope::Confirm);
    run(&mut state, &[Command::Cancel]);
    assert!(state.is_share(), "n keeps it on");
    run(&mut state, &[Command::ToggleShare, Command::Confirm]);
    assert!(!state.is_share());
    assert_eq!(*state.overlay(), Overlay::None);
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut state = demo_state(100, 30, false);
    run(&mut state, &[Command::Help]);
    assert_eq!(state.scope(), Scope::Help);
    run(&mut state, &[Command::Down, Command::Down]);
    assert_eq!(*state.overlay(), Overlay::Help { scroll: 2 });
    assert_eq!(selected_key(&state), "github.accounts.personal.account_id");
    run(&mut state, &[Command::CloseHelp]);
    assert_eq!(*state.overlay(), Overlay::None);
    run(&mut state, &[Command::Quit]);
    assert!(state.should_quit());
}

#[test]
fn copy_asks_for_the_value_key_or_snippet_and_reports_without_the_value() {
    let mut state = demo_state(100, 30, false);
    let (_, entry) = state.selected().unwrap_or_default_entry();
    let key = entry.key.to_string();
    let value = entry.value.as_secret().map(|s| s.expose().to_string());
    for (command, what, expected) in [
        (
            Command::CopyValue,
            CopyWhat::Value,
            value.unwrap_or_default(),
        ),
        (Command::CopyKey, CopyWhat::KeyPath, key.clone()),
        (
            Command::CopySnippet,
            CopyWhat::Snippet,
            format!("hs.v(\"{key}\")"),
        ),
    ] {
        let effects = state.apply(Action::Command(command), start());
        let [Effect::Copy { what: got, text }] = effects.as_slice() else {
            panic!("expected one copy effect for {command:?}");
        };
        assert_eq!(*got, what);
        assert!(
            text.expose() == expected,
            "copied text differs for {what:?}"
        );
        state.apply(
            Action::Copied {
                what,
                result: Ok(Copied {
                    backend: Backend::Osc52 { tmux: false },
                    clears_after: None,
                }),
            },
            start(),
        );
        assert_eq!(
            status(&state),
            format!(
                "Copied (terminal clipboard, OSC 52): the {} of {key}",
                what.label()
            )
        );
    }
    state.apply(
        Action::Copied {
            what: CopyWhat::Value,
            result: Err("no clipboard available".into()),
        },
        start(),
    );
    assert_eq!(status(&state), "no clipboard available");
    state.apply(Action::Tick, start() + Duration::from_secs(6));
    assert_eq!(status(&state), "", "status messages expire");
}

#[test]
fn a_copied_value_counts_down_to_its_clearing() {
    let mut state = demo_state(100, 30, false);
    let copied = |secs| Action::Copied {
        what: CopyWhat::Value,
        result: Ok(Copied {
            backend: Backend::Native,
            clears_after: Some(Duration::from_secs(secs)),
        }),
    };
    state.apply(copied(45), start());
    assert!(status(&state).starts_with("Copied (system clipboard, cleared in 45 s): "));
    assert_eq!(
        state.clipboard_clears(),
        Some(start() + Duration::from_secs(45))
    );
    assert_eq!(
        state.next_deadline(),
        Some(start() + Duration::from_secs(5))
    );
    // A second copy restarts the countdown.
    state.apply(copied(45), start() + Duration::from_secs(30));
    assert_eq!(
        state.clipboard_clears(),
        Some(start() + Duration::from_secs(75))
    );
    state.apply(Action::Tick, start() + Duration::from_secs(75));
    assert_eq!(state.clipboard_clears(), None);
    assert!(status(&state).starts_with("Clipboard cleared"));
}

#[test]
fn paging_and_ends() {
    let mut state = demo_state(100, 30, false);
    let rows = state.areas().map(|a| a.list_rows()).unwrap_or(0);
    assert!(rows > 5);
    run(&mut state, &[Command::PageDown]);
    assert_eq!(state.list().cursor(), rows);
    run(&mut state, &[Command::Bottom]);
    assert_eq!(state.list().cursor(), 32);
    assert_eq!(state.list().offset(), 33 - rows, "last row at the bottom");
    run(&mut state, &[Command::PageUp, Command::Top]);
    assert_eq!(state.list().cursor(), 0);
    assert_eq!(state.list().offset(), 0);
}

#[test]
fn mouse_selects_and_scrolls() {
    let mut state = demo_state(100, 30, false);
    let areas = state.areas().unwrap_or_default();
    // Third row of the list.
    let click = |column, row| Action::Mouse(Mouse::Click { column, row });
    state.apply(click(areas.list.x + 5, areas.list.y + 3), start());
    assert_eq!(state.list().cursor(), 2);
    state.apply(
        Action::Mouse(Mouse::ScrollDown {
            column: areas.list.x + 5,
            row: areas.list.y + 3,
        }),
        start(),
    );
    assert_eq!(state.list().cursor(), 5);
    // Second tree row is github; clicking it again opens it.
    state.apply(click(areas.tree.x + 4, areas.tree.y + 2), start());
    assert_eq!(state.focus(), Pane::Tree);
    assert_eq!(state.node_name(state.tree_view().selected()), "github");
    assert_eq!(state.list().len(), 10);
    let before = state.tree_view().rows().len();
    state.apply(click(areas.tree.x + 4, areas.tree.y + 2), start());
    assert!(state.tree_view().rows().len() > before);
    // Borders and the title bar do nothing.
    state.apply(click(0, 0), start());
    assert_eq!(state.node_name(state.tree_view().selected()), "github");
}

#[test]
fn any_size_works_and_tiny_has_no_layout() {
    let mut state = demo_state(100, 30, false);
    state.apply(
        Action::Resize {
            width: 20,
            height: 5,
        },
        start(),
    );
    assert!(state.areas().is_none());
    run(
        &mut state,
        &[
            Command::Down,
            Command::PageDown,
            Command::Bottom,
            Command::Search,
        ],
    );
    state.apply(
        Action::Resize {
            width: 80,
            height: 14,
        },
        start(),
    );
    let rows = state.areas().map(|a| a.list_rows()).unwrap_or(0);
    assert!(
        state.list().cursor() < state.list().offset() + rows,
        "cursor on screen"
    );
}

#[test]
fn tree_nodes_cover_contiguous_entry_ranges() {
    for name in ["seed003.toml", "tables.toml", "quoted.toml", "types.toml"] {
        let file = SecretFile::load(&support::fixture(name)).unwrap_or_else(|e| panic!("{e}"));
        let tree = Tree::build(&file);
        assert!(file.listed_len() > 0);
        for id in 0..tree.len() {
            let prefix = &tree.prefix(id, &file);
            for entry in &file.entries()[tree.entry_range(id)] {
                assert!(
                    entry.key.starts_with(prefix),
                    "{name}: {} not under {prefix}",
                    entry.key
                );
            }
        }
    }
}

/// `Option<(usize, &Entry)>` → the pair, failing the test (without printing a value) when empty.
trait OrFail<'a> {
    fn unwrap_or_default_entry(self) -> (usize, Cow<'a, home_secret_toml::Entry>);
}

impl<'a> OrFail<'a> for Option<(usize, Cow<'a, home_secret_toml::Entry>)> {
    fn unwrap_or_default_entry(self) -> (usize, Cow<'a, home_secret_toml::Entry>) {
        match self {
            Some(pair) => pair,
            None => panic!("nothing selected"),
        }
    }
}

#[test]
fn typing_narrows_to_the_same_rows_as_one_fresh_search() {
    use hst::tui::filter::Filter;
    for text in ["deploykey", "acc,prod", "secretsvalue", "dbpass"] {
        let mut state = demo_state(100, 30, false);
        run(&mut state, &[Command::Search]);
        type_text(&mut state, text);
        let keys: Vec<String> = (0..state.entry_count())
            .map(|i| state.entry(i).unwrap().key.to_string())
            .collect();
        let fresh: Vec<u32> = Filter::new(text)
            .rank(&keys)
            .iter()
            .map(|r| r.index)
            .collect();
        assert_eq!(state.list().rows(), fresh.as_slice(), "{text}");
    }
}

#[test]
fn a_search_inside_a_tree_node_can_widen_to_every_key() {
    let mut state = demo_state(120, 30, false);
    run(
        &mut state,
        &[Command::FocusNext, Command::Down, Command::Down],
    );
    assert_eq!(state.node_name(state.tree_view().selected()), "aws");
    run(&mut state, &[Command::Search]);
    type_text(&mut state, "value");
    assert!(!state.list().is_empty());
    assert!(list_keys(&state).iter().all(|k| k.starts_with("aws.")));
    let narrowed = state.list().len();
    run(&mut state, &[Command::SearchAll]);
    assert!(state.is_searching(), "still searching");
    assert_eq!(state.search_text(), "value");
    assert!(state.list().len() > narrowed);
    assert!(list_keys(&state).iter().any(|k| k.starts_with("github.")));
}

#[test]
fn the_python_snippet_stays_one_valid_literal_for_any_key() {
    use hst::tui::state::python_snippet;
    assert_eq!(python_snippet("a.b"), "hs.v(\"a.b\")");
    assert_eq!(
        python_snippet("we\"ird\\key\nwith\tcontrol\u{1}"),
        "hs.v(\"we\\\"ird\\\\key\\nwith\\tcontrol\\x01\")"
    );
    assert!(!python_snippet("line\nbreak").contains('\n'));
}

/// A terminal too small for the panes shows a notice: keys typed then would act on keys the user
/// cannot see (`d` and Enter would delete one). Only `q` acts; at a usable size again, nothing
/// has changed.
#[test]
fn a_screen_too_small_for_the_panes_takes_no_key_but_quit() {
    let mut state = demo_state(100, 30, false);
    let before = (selected_key(&state), list_keys(&state));
    state.apply(
        Action::Resize {
            width: 20,
            height: 6,
        },
        start(),
    );
    run(&mut state, &[Command::Down, Command::Search]);
    type_text(&mut state, "zz");
    let effects = state.apply(Action::Command(Command::Delete), start());
    assert!(effects.is_empty());
    assert!(
        matches!(state.overlay(), Overlay::None),
        "no confirmation opened"
    );
    state.apply(
        Action::Resize {
            width: 100,
            height: 30,
        },
        start(),
    );
    assert_eq!((selected_key(&state), list_keys(&state)), before);
    assert!(!state.is_searching() && state.search_text().is_empty());
    state.apply(
        Action::Resize {
            width: 20,
            height: 6,
        },
        start(),
    );
    run(&mut state, &[Command::Quit]);
    assert!(state.should_quit());
}
