//! What the TUI says, drawn into ratatui's `TestBackend`: the full key path readable in the
//! detail pane at any width from 40 columns, dialogs broken at spaces (never mid-word), and
//! empty lists that name the key that helps.

use crate::support::{self, run};
use home_secret_toml::SecretFile;
use hst::tui::action::{Action, Command};
use hst::tui::{Options, State};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn state_on(text: &str, options: Options, width: u16, height: u16) -> State {
    let file = SecretFile::from_text(std::path::Path::new("t.toml"), text.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut state = State::new(file, options, support::start());
    state.apply(Action::Resize { width, height }, support::start());
    state
}

fn screen(state: &State, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| hst::tui::ui::render(state, frame))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

const LONG_KEY: &str =
    "cloudprovider.accounts.production_main.users.deploy_robot.secrets.signing_key.value";

#[test]
fn the_whole_key_path_is_readable_in_the_detail_pane_from_40_columns() {
    let text = format!("{LONG_KEY} = \"fake-value-0001\"\n");
    for width in [40u16, 50, 64, 80, 120] {
        let state = state_on(&text, Options::default(), width, 40);
        let rows = state.detail_rows(state.areas().unwrap().detail.width - 2);
        let key_rows: Vec<&str> = rows
            .iter()
            .enumerate()
            .take_while(|(i, r)| *i == 0 || r.label.is_empty())
            .map(|(_, r)| r.text.as_str())
            .collect();
        assert_eq!(key_rows.concat(), LONG_KEY, "at {width} columns");
        assert_eq!(rows[0].label, "Key");
        // Broken after dots, so every part reads whole.
        for row in &key_rows[..key_rows.len() - 1] {
            assert!(row.ends_with('.'), "{row:?} at {width} columns");
        }
        // And it is on the screen.
        let drawn = screen(&state, width, 40).join("\n");
        for part in LONG_KEY.split('.') {
            assert!(drawn.contains(part), "{part} not drawn at {width} columns");
        }
    }
}

#[test]
fn dialogs_break_lines_at_spaces() {
    let text = format!("{LONG_KEY} = \"fake-value-0001\"\nother.key = \"fake-2\"\n");
    for width in [40u16, 52, 70] {
        let mut state = state_on(&text, Options::default(), width, 30);
        run(&mut state, &[Command::Top, Command::Delete]);
        let question = match state.overlay() {
            hst::tui::state::Overlay::Confirm(c) => c.question(),
            other => panic!("expected a confirmation, got {other:?}"),
        };
        let drawn = screen(&state, width, 30);
        // Every word of the question is drawn whole on one row.
        for word in question.split(' ').filter(|w| w.len() > 1) {
            assert!(
                drawn.iter().any(|row| row.contains(word)) || word.len() > usize::from(width) - 6,
                "{word:?} was broken at {width} columns:\n{}",
                drawn.join("\n")
            );
        }
    }
}

#[test]
fn empty_lists_name_the_key_that_helps() {
    let empty = state_on("# nothing yet\n", Options::default(), 80, 24);
    let said = empty.empty_list_text().unwrap();
    assert!(said.contains("press a"), "{said}");
    assert!(screen(&empty, 80, 24).join("\n").contains("press a"));
    let read_only = state_on(
        "# nothing yet\n",
        Options {
            read_only: true,
            ..Options::default()
        },
        80,
        24,
    );
    let said = read_only.empty_list_text().unwrap();
    assert!(
        !said.contains("press a") && said.contains("read-only"),
        "{said}"
    );

    // A search inside a tree node that finds nothing there says Ctrl-a searches everything.
    let mut state = state_on(
        "github.token = \"fake-1\"\naws.region = \"fake-2\"\n",
        Options::default(),
        80,
        24,
    );
    assert_eq!(state.empty_list_text(), None);
    run(
        &mut state,
        &[Command::FocusNext, Command::Top, Command::Down],
    );
    run(&mut state, &[Command::Search]);
    support::type_text(&mut state, "region");
    let folder = state.node_prefix(state.tree_view().selected()).to_string();
    let said = state.empty_list_text().unwrap_or_default();
    if folder == "github" {
        assert!(said.contains("Ctrl-a"), "{said}");
    } else {
        panic!("expected the github folder selected, got {folder:?}");
    }
}

#[test]
fn a_one_time_code_and_its_countdown_are_shown_and_masked_in_share_mode() {
    use home_secret_toml::otp::{Totp, now_unix};
    // RFC 6238's SHA-1 test key: a published test vector, not anyone's secret.
    let uri = "otpauth://totp/Site:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Site";
    let text =
        format!("site.otp.value = \"{uri}\"\nsite.bad.value = \"otpauth://totp/x?digits=12\"\n");
    let state = state_on(&text, Options::default(), 100, 30);
    let code_row = |state: &State| {
        state
            .detail_rows(60)
            .into_iter()
            .find(|r| r.label == "Code")
            .map(|r| r.text)
    };
    for _ in 0..3 {
        let before = now_unix();
        let shown = code_row(&state).unwrap_or_else(|| panic!("no Code row"));
        if now_unix() / 30 != before / 30 {
            continue;
        }
        let totp = Totp::parse(uri).unwrap();
        let left = totp.seconds_left(before);
        let want = totp.code_at(before);
        assert!(
            shown == format!("{} · {left} s", want.expose())
                || shown == format!("{} · {} s", want.expose(), left.saturating_sub(1)),
            "{shown}"
        );
        break;
    }
    // The countdown redraws every second.
    let wait = state
        .next_deadline()
        .map(|d| d.saturating_duration_since(std::time::Instant::now()));
    assert!(
        wait.is_some_and(|w| w <= std::time::Duration::from_secs(1)),
        "{wait:?}"
    );
    // Share mode: the fixed mask, and no countdown.
    let share = state_on(
        &text,
        Options {
            share: true,
            ..Options::default()
        },
        100,
        30,
    );
    assert_eq!(
        code_row(&share).as_deref(),
        Some(home_secret_toml::mask::SHARE_MASK)
    );
    assert_eq!(share.next_deadline(), None);
    // A URI hst cannot use says why, in place of a code.
    let mut bad = state_on(&text, Options::default(), 100, 30);
    run(&mut bad, &[Command::Down]);
    let said = code_row(&bad).unwrap_or_default();
    assert!(said.contains("digits=12"), "{said}");
}
