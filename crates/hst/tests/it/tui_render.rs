//! Whole screens drawn into ratatui's `TestBackend`: insta snapshots of each screen, styles where
//! they carry meaning, and the no-leak check over every screen.

use crate::support;

use home_secret_toml::{SHARE_MASK, SecretFile, Value};
use hst::tui::action::Command;
use hst::tui::state::State;
use hst::tui::theme::THEME;
use hst::tui::ui::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use support::{demo_state, run, type_text};

fn draw(state: &State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    if let Err(e) = terminal.draw(|f| render(state, f)) {
        panic!("{e}");
    }
    terminal
}

fn text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn start_screen() {
    let state = demo_state(100, 30, false);
    insta::assert_snapshot!("start", draw(&state, 100, 30).backend());
}

#[test]
fn tree_narrowed() {
    let mut state = demo_state(100, 30, false);
    run(
        &mut state,
        &[
            Command::FocusNext,
            Command::Down,
            Command::Expand,
            Command::Expand,
        ],
    );
    insta::assert_snapshot!("tree_narrowed", draw(&state, 100, 30).backend());
}

#[test]
fn search_with_matches() {
    let mut state = demo_state(100, 30, false);
    run(&mut state, &[Command::Search]);
    type_text(&mut state, "token");
    let terminal = draw(&state, 100, 30);
    insta::assert_snapshot!("search", terminal.backend());
    // Matched characters are highlighted: the first row's "token" is in the match style.
    let buffer = terminal.backend().buffer();
    let areas = state.areas().unwrap_or_default();
    let row = areas.list.y + 1;
    let line: String = (areas.list.x..areas.list.right())
        .map(|x| buffer[(x, row)].symbol().to_string())
        .collect();
    let at = line.find("token").map(|b| line[..b].chars().count() as u16);
    let Some(at) = at else {
        panic!("no 'token' on the first row: {line}")
    };
    let cell = &buffer[(areas.list.x + at, row)];
    assert_eq!(cell.fg, THEME.matched.fg.unwrap_or_default());
}

#[test]
fn revealed_value() {
    let mut state = demo_state(100, 30, false);
    // aws.accounts.prod.region: a fake, non-secret-looking value is the one shown in full.
    for _ in 0..12 {
        run(&mut state, &[Command::Down]);
    }
    assert_eq!(
        state.selected().map(|(_, e)| e.key.to_string()).as_deref(),
        Some("aws.accounts.prod.region")
    );
    run(&mut state, &[Command::Reveal]);
    let terminal = draw(&state, 100, 30);
    insta::assert_snapshot!("revealed", terminal.backend());
    assert!(text(terminal.backend().buffer()).contains("us-east-1"));
}

#[test]
fn share_mode() {
    let mut state = demo_state(100, 30, true);
    run(&mut state, &[Command::Reveal]);
    insta::assert_snapshot!("share", draw(&state, 100, 30).backend());
}

#[test]
fn help_overlay() {
    let mut state = demo_state(100, 40, false);
    run(&mut state, &[Command::Help]);
    insta::assert_snapshot!("help", draw(&state, 100, 40).backend());
}

#[test]
fn tiny_terminal() {
    let state = demo_state(30, 6, false);
    insta::assert_snapshot!("tiny", draw(&state, 30, 6).backend());
    // Degenerate sizes draw without panicking.
    for (w, h) in [(1, 1), (0, 0), (49, 40), (200, 11), (50, 12)] {
        let mut state = demo_state(w, h, false);
        run(&mut state, &[Command::Help]);
        draw(&state, w, h);
    }
}

/// Every fixture value that must never be on screen unless revealed: the full text of each
/// listed entry (short ones are masked as `***` and could match ordinary words).
fn secrets(file: &SecretFile) -> Vec<String> {
    file.entries()
        .iter()
        .map(|e| match &e.value {
            Value::String(s) => s.expose().to_string(),
            other => home_secret_toml::value::Textual::python_repr(other),
        })
        .filter(|v| v.chars().count() >= 5)
        .collect()
}

/// Every screen the state can show for every selected entry.
fn each_screen(state: &mut State, mut check: impl FnMut(&str, &str)) {
    let n = state.entry_count();
    for i in 0..n {
        for (name, script) in [
            ("list", &[][..]),
            ("reveal attempt", &[Command::Reveal, Command::Reveal][..]),
            ("help", &[Command::Help][..]),
        ] {
            run(state, script);
            check(
                &format!("row {i} {name}"),
                &text(draw(state, 120, 40).backend().buffer()),
            );
            if *state.overlay() != hst::tui::state::Overlay::None {
                run(state, &[Command::CloseHelp]);
            }
        }
        run(state, &[Command::Down]);
    }
    run(state, &[Command::Search]);
    type_text(state, "secret");
    check("search", &text(draw(state, 120, 40).backend().buffer()));
    run(
        state,
        &[
            Command::SearchCancel,
            Command::FocusNext,
            Command::Down,
            Command::Expand,
        ],
    );
    check("tree", &text(draw(state, 120, 40).backend().buffer()));
}

#[test]
fn no_secret_is_on_screen_unless_revealed() {
    let mut state = demo_state(120, 40, false);
    let secrets = secrets(state.file());
    assert!(secrets.len() > 20);
    each_screen(&mut state, |screen, text| {
        // In normal mode "reveal attempt" toggles twice: revealed, then hidden again.
        for (i, s) in secrets.iter().enumerate() {
            assert!(
                !text.contains(s.as_str()),
                "secret #{i} visible on screen '{screen}'"
            );
        }
    });
}

#[test]
fn share_mode_shows_no_value_nor_any_mask_after_trying_to_reveal() {
    let mut state = demo_state(120, 40, true);
    let secrets = secrets(state.file());
    each_screen(&mut state, |screen, text| {
        for (i, s) in secrets.iter().enumerate() {
            assert!(
                !text.contains(s.as_str()),
                "secret #{i} visible on screen '{screen}'"
            );
        }
        assert!(
            !text.contains("***"),
            "a masked prefix/suffix is visible on '{screen}'"
        );
        assert!(text.contains("SHARE"), "no SHARE badge on '{screen}'");
    });
    // And when reveal is pressed once (not toggled back), still nothing.
    run(&mut state, &[Command::Top, Command::Reveal]);
    let screen = text(draw(&state, 120, 40).backend().buffer());
    assert!(screen.contains(SHARE_MASK));
    for (i, s) in secrets.iter().enumerate() {
        assert!(
            !screen.contains(s.as_str()),
            "secret #{i} visible after reveal in share mode"
        );
    }
}

#[test]
fn wide_characters_keep_the_columns_aligned() {
    use hst::tui::action::Action;
    use hst::tui::{Options, State};
    let text = "\"鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵\".x = \"fake-wide\"\n\
                \"短い\".y = \"fake-short\"\nascii.z = \"fake-ascii\"\n";
    let file = SecretFile::from_text(std::path::Path::new("wide.toml"), text.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut state = State::new(file, Options::default(), support::start());
    state.apply(
        Action::Resize {
            width: 100,
            height: 30,
        },
        support::start(),
    );
    let terminal = draw(&state, 100, 30);
    let buffer = terminal.backend().buffer();
    let areas = state.areas().unwrap_or_default();
    // The last digit of each row's line number sits right before the border, on every row.
    for (row, line) in [(1, "1"), (2, "2"), (3, "3")] {
        let cell = &buffer[(areas.list.right() - 2, areas.list.y + row)];
        assert_eq!(cell.symbol(), line, "row {row} is shifted");
    }
}

/// A state on `text` (fake values), sized `width` × `height`.
fn state_on(text: &str, width: u16, height: u16) -> State {
    use hst::tui::Options;
    use hst::tui::action::Action;
    let file = SecretFile::from_text(std::path::Path::new("t.toml"), text.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut state = State::new(file, Options::default(), support::start());
    state.apply(Action::Resize { width, height }, support::start());
    state
}

/// The detail pane's rows (inside its border), as text.
fn detail_rows(state: &State, width: u16, height: u16) -> Vec<String> {
    let terminal = draw(state, width, height);
    let areas = state.areas().unwrap_or_else(|| panic!("no layout"));
    let buffer = terminal.backend().buffer();
    (areas.detail.y + 1..areas.detail.y + areas.detail.height - 1)
        .map(|y| {
            (areas.detail.x + 1..areas.detail.x + areas.detail.width - 1)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

fn select(state: &mut State, key: &str) {
    run(state, &[Command::Top]);
    for _ in 0..state.list().len() {
        if state.selected().is_some_and(|(_, e)| e.key.dotted() == key) {
            return;
        }
        run(state, &[Command::Down]);
    }
    panic!("{key} not in the list");
}

#[test]
fn a_revealed_value_is_shown_whole_with_its_line_breaks_and_as_toml_writes_it() {
    let long: String = (0..300)
        .map(|i| char::from(b'a' + u8::try_from(i % 26).unwrap_or(0)))
        .collect();
    let text = format!(
        "svc.long.value = \"{long}\"\nsvc.multi.value = \"line one\\nline two\"\nsvc.when.value = 2024-01-01T10:00:00Z\nsvc.flag.value = true\n"
    );
    let mut state = state_on(&text, 100, 30);

    select(&mut state, "svc.long.value");
    run(&mut state, &[Command::Reveal]);
    let rows = detail_rows(&state, 100, 30);
    let value_rows: Vec<&String> = rows
        .iter()
        .skip_while(|r| !r.starts_with("Value"))
        .take_while(|r| !r.trim().is_empty())
        .collect();
    let shown: String = value_rows.iter().map(|r| r[7..].trim_end()).collect();
    assert_eq!(
        shown,
        long,
        "the whole value, wrapped over {} rows",
        value_rows.len()
    );
    assert!(value_rows.len() > 1);

    select(&mut state, "svc.multi.value");
    run(&mut state, &[Command::Reveal]);
    let rows = detail_rows(&state, 100, 30);
    let at = rows
        .iter()
        .position(|r| r.starts_with("Value  line one"))
        .unwrap_or_else(|| panic!("{rows:#?}"));
    assert_eq!(rows[at + 1].trim(), "line two", "the line break is kept");

    select(&mut state, "svc.when.value");
    run(&mut state, &[Command::Reveal]);
    let rows = detail_rows(&state, 100, 30).join("\n");
    assert!(rows.contains("Value  2024-01-01T10:00:00Z"), "{rows}");
    assert!(!rows.contains("datetime.datetime"));
    let effects = state.apply(
        hst::tui::action::Action::Command(Command::CopyValue),
        support::start(),
    );
    let copied: Vec<String> = effects
        .iter()
        .filter_map(|e| match e {
            hst::tui::state::Effect::Copy { text, .. } => Some(text.expose().to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(copied, ["2024-01-01T10:00:00Z"], "copied as TOML writes it");

    select(&mut state, "svc.flag.value");
    run(&mut state, &[Command::Reveal]);
    assert!(
        detail_rows(&state, 100, 30)
            .join("\n")
            .contains("Value  true")
    );
}

#[test]
fn a_value_too_long_for_the_pane_scrolls() {
    let long: String = (0..2000)
        .map(|i| char::from(b'a' + u8::try_from(i % 26).unwrap_or(0)))
        .collect();
    let text = format!("svc.long.value = \"{long}\"\nsvc.other.value = \"x\"\n");
    let mut state = state_on(&text, 60, 16);
    select(&mut state, "svc.long.value");
    run(&mut state, &[Command::Reveal]);
    let terminal = draw(&state, 60, 16);
    assert!(text_of(&terminal).contains("J/K scroll"), "says it scrolls");
    let before = detail_rows(&state, 60, 16);
    run(&mut state, &[Command::DetailDown, Command::DetailDown]);
    let after = detail_rows(&state, 60, 16);
    assert_ne!(before, after, "J scrolls");
    assert_eq!(after[0], before[2], "by one row per press");
    run(&mut state, &[Command::DetailUp, Command::DetailUp]);
    assert_eq!(detail_rows(&state, 60, 16), before);
    // Far past the end: stops at the last row, and one K is one row back.
    for _ in 0..500 {
        run(&mut state, &[Command::DetailDown]);
    }
    let end = detail_rows(&state, 60, 16);
    run(&mut state, &[Command::DetailUp]);
    assert_ne!(detail_rows(&state, 60, 16), end);
}

fn text_of(terminal: &Terminal<TestBackend>) -> String {
    text(terminal.backend().buffer())
}

/// The demo state with `options`, sized 100 × 30.
fn demo_with(options: hst::tui::Options) -> State {
    use hst::tui::action::Action;
    let path = crate::support::root().join("assets/demo_home_secret.toml");
    let file = SecretFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut state = State::new(file, options, support::start());
    state.apply(
        Action::Resize {
            width: 100,
            height: 30,
        },
        support::start(),
    );
    state
}

/// The cells of screen row `y` from column `x0` to `x1` (exclusive).
fn cells(buffer: &Buffer, y: u16, x0: u16, x1: u16) -> Vec<ratatui::buffer::Cell> {
    (x0..x1).map(|x| buffer[(x, y)].clone()).collect()
}

#[test]
fn without_colour_meaning_is_carried_by_attributes() {
    use hst::tui::Options;
    use ratatui::style::{Color, Modifier};
    let mut state = demo_with(Options {
        monochrome: true,
        ..Options::default()
    });
    let terminal = draw(&state, 100, 30);
    let buffer = terminal.backend().buffer();
    for y in 0..30 {
        for x in 0..100 {
            let cell = &buffer[(x, y)];
            assert!(
                cell.fg == Color::Reset && cell.bg == Color::Reset,
                "colour at {x},{y}"
            );
        }
    }
    let areas = state.areas().unwrap_or_else(|| panic!("no layout"));
    // The focused list: heavy border; its cursor row in reverse video.
    assert_eq!(buffer[(areas.list.x, areas.list.y)].symbol(), "┏");
    assert_eq!(buffer[(areas.tree.x, areas.tree.y)].symbol(), "╭");
    let row = cells(
        buffer,
        areas.list.y + 1,
        areas.list.x + 1,
        areas.list.x + 10,
    );
    assert!(row.iter().all(|c| c.modifier.contains(Modifier::REVERSED)));
    // Focus moves to the tree: its cursor row is reversed, the list's only underlined.
    run(&mut state, &[Command::FocusNext]);
    let terminal = draw(&state, 100, 30);
    let buffer = terminal.backend().buffer();
    assert_eq!(buffer[(areas.tree.x, areas.tree.y)].symbol(), "┏");
    let tree_row = cells(buffer, areas.tree.y + 1, areas.tree.x + 1, areas.tree.x + 6);
    assert!(
        tree_row
            .iter()
            .all(|c| c.modifier.contains(Modifier::REVERSED))
    );
    let list_row = cells(
        buffer,
        areas.list.y + 1,
        areas.list.x + 1,
        areas.list.x + 10,
    );
    assert!(list_row.iter().all(|c| {
        c.modifier.contains(Modifier::UNDERLINED) && !c.modifier.contains(Modifier::REVERSED)
    }));
    // A revealed value stands out.
    run(&mut state, &[Command::FocusNext, Command::Reveal]);
    let terminal = draw(&state, 100, 30);
    let screen = text(terminal.backend().buffer());
    let value_row = screen
        .lines()
        .position(|l| l.contains("│Value  "))
        .unwrap_or_else(|| panic!("{screen}"));
    let y = u16::try_from(value_row).unwrap_or_default();
    let x = areas.detail.x + 8;
    let revealed = &terminal.backend().buffer()[(x, y)];
    assert!(
        revealed
            .modifier
            .contains(Modifier::BOLD | Modifier::UNDERLINED)
    );
}

#[test]
fn the_share_badge_and_cursor_row_are_styled_in_colour_too() {
    use hst::tui::Options;
    let state = demo_with(Options {
        share: true,
        ..Options::default()
    });
    let terminal = draw(&state, 100, 30);
    let buffer = terminal.backend().buffer();
    let screen = text(buffer);
    let title = screen.lines().next().unwrap_or_default();
    let at = title
        .find("SHARE")
        .unwrap_or_else(|| panic!("no SHARE badge: {title}"));
    let x = u16::try_from(title[..at].chars().count()).unwrap_or_default();
    assert_eq!(buffer[(x, 0)].bg, THEME.share_badge.bg.unwrap_or_default());
    let areas = state.areas().unwrap_or_else(|| panic!("no layout"));
    let row = cells(
        buffer,
        areas.list.y + 1,
        areas.list.x + 1,
        areas.list.x + 10,
    );
    assert!(
        row.iter()
            .all(|c| c.bg == THEME.selected.bg.unwrap_or_default())
    );
    // The focused pane's border stands out from the other's.
    assert_eq!(
        buffer[(areas.list.x, areas.list.y + 2)].fg,
        THEME.border_focused.fg.unwrap_or_default()
    );
    assert_eq!(
        buffer[(areas.tree.x, areas.tree.y + 2)].fg,
        THEME.border.fg.unwrap_or_default()
    );
    // A revealed value is marked (outside share mode).
    let mut state = demo_with(Options::default());
    run(&mut state, &[Command::Reveal]);
    let terminal = draw(&state, 100, 30);
    let screen = text(terminal.backend().buffer());
    let y = screen
        .lines()
        .position(|l| l.contains("│Value  "))
        .unwrap_or_else(|| panic!("{screen}"));
    let y = u16::try_from(y).unwrap_or_default();
    let cell = &terminal.backend().buffer()[(areas.detail.x + 8, y)];
    assert_eq!(cell.bg, THEME.revealed.bg.unwrap_or_default());
}

#[test]
fn the_editor_is_as_wide_as_the_screen_and_wraps_its_message() {
    use hst::tui::action::{Action, Command};
    let text = "svc.port.value = 5432\n";
    for width in [60u16, 100, 160] {
        let mut state = state_on(text, width, 24);
        run(&mut state, &[Command::Edit]);
        for c in "not a number at all".chars() {
            state.apply(
                Action::EditInput(tui_input::InputRequest::InsertChar(c)),
                support::start(),
            );
        }
        run(&mut state, &[Command::EditorSubmit]);
        let message = state
            .editor()
            .and_then(|e| e.error.clone())
            .unwrap_or_else(|| panic!("no error shown"));
        let terminal = draw(&state, width, 24);
        let screen = text_of(&terminal);
        let top = screen
            .lines()
            .find(|l| l.contains("Edit"))
            .unwrap_or_default();
        let box_width = top.chars().filter(|c| !c.is_whitespace()).count();
        assert!(
            box_width >= usize::from(width.min(128)) - 10,
            "{width}: box {box_width} wide"
        );
        let flat: String = screen
            .lines()
            .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace() || c == '┃'))
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<&str> = message.split_whitespace().collect();
        for word in words {
            assert!(
                flat.contains(word),
                "{width}: {word:?} of the message is cut"
            );
        }
    }
}

#[test]
fn hints_leave_out_what_the_mode_forbids() {
    use hst::tui::Options;
    let status_line = |mut state: State| {
        // A first key dismisses the start notice (the demo has a placeholder to fill).
        run(&mut state, &[Command::Top]);
        let terminal = draw(&state, 120, 30);
        text_of(&terminal)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    let normal = status_line(demo_with(Options::default()));
    assert!(
        normal.contains("r reveal") && normal.contains("e edit"),
        "{normal}"
    );
    let share = status_line(demo_with(Options {
        share: true,
        ..Options::default()
    }));
    assert!(!share.contains("reveal"), "{share}");
    assert!(share.contains("e edit"), "{share}");
    let read_only = status_line(demo_with(Options {
        read_only: true,
        ..Options::default()
    }));
    assert!(!read_only.contains("edit"), "{read_only}");
    assert!(read_only.contains("r reveal"), "{read_only}");
}

#[test]
fn the_help_lists_every_key_the_readme_lists_and_scrolls_to_all_of_them() {
    let mut state = demo_state(100, 24, false);
    run(&mut state, &[Command::Help]);
    let mut seen = String::new();
    for _ in 0..120 {
        seen.push_str(&text_of(&draw(&state, 100, 24)));
        run(&mut state, &[Command::Down]);
    }
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| where | keys | what |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(table.len() > 10, "the README's key table");
    for row in table {
        let keys = row.split('|').nth(2).unwrap_or_default();
        for key in keys.split('`').skip(1).step_by(2) {
            assert!(
                seen.contains(key),
                "{key:?} (README: {row}) is not in the help"
            );
        }
        for word in ["click", "wheel"] {
            if keys.contains(word) {
                assert!(seen.contains(word), "{word} is not in the help");
            }
        }
    }
}

#[test]
fn the_search_line_says_when_it_searches_inside_a_tree_node() {
    let mut state = demo_state(120, 30, false);
    run(
        &mut state,
        &[
            Command::FocusNext,
            Command::Down,
            Command::Down,
            Command::Search,
        ],
    );
    type_text(&mut state, "value");
    let screen = text_of(&draw(&state, 120, 30));
    assert!(screen.contains("in aws · Ctrl-a all keys"), "{screen}");
    run(&mut state, &[Command::SearchAll]);
    let screen = text_of(&draw(&state, 120, 30));
    assert!(!screen.contains("Ctrl-a all keys"), "{screen}");
}

#[test]
fn the_detail_pane_names_the_variable_that_hst_run_injects() {
    use hst::manifest::Manifest;
    use hst::tui::Options;
    let manifest = Manifest::parse(
        std::path::Path::new("/project/hst.toml"),
        "[env]\nLOG_LEVEL = { default = \"info\" }\nAWS_REGION = \"aws.accounts.prod.region\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut state = demo_with(Options {
        manifest: Some(manifest),
        ..Options::default()
    });
    for _ in 0..12 {
        run(&mut state, &[Command::Down]);
    }
    assert_eq!(
        state.selected().map(|(_, e)| e.key.to_string()).as_deref(),
        Some("aws.accounts.prod.region")
    );
    let screen = text_of(&draw(&state, 100, 30));
    assert!(
        screen.contains("Env    AWS_REGION (hst run; /project/hst.toml line 3)"),
        "{screen}"
    );
    run(&mut state, &[Command::Up]);
    let screen = text_of(&draw(&state, 100, 30));
    assert!(
        !screen.contains("Env    "),
        "only for keys the manifest names"
    );
}
