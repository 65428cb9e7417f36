//! Editing from the TUI: scripts of actions against the state, with the real file effects
//! (save, read, enum) on a temporary copy of the demo file. The clipboard is not used here.

use crate::support::env::Finish;

use std::path::{Path, PathBuf};

use home_secret_toml::SecretFile;
use home_secret_toml::store::Snapshot;
use home_secret_toml::store::{Revision, Saved};
use home_secret_toml::value::SecretValue;
use hst::clipboard::Copied;
use hst::tui::action::{Action, Command, CopyWhat};
use hst::tui::action::{EnumFailure, SaveFailure};
use hst::tui::app::dispatch;
use hst::tui::effects::{self, Effects};
use hst::tui::keymap::Scope;
use hst::tui::state::{Confirm, Overlay, Prompt, State};
use hst::tui::{Options, ui};
use tui_input::InputRequest;

/// The file effects for real; no clipboard.
struct Disk;

impl Effects for Disk {
    fn copy(&mut self, _: CopyWhat, _: &SecretValue) -> Result<Copied, String> {
        Err("no clipboard in these tests".into())
    }

    fn save(
        &mut self,
        path: &Path,
        expected: &Revision,
        new: &SecretValue,
    ) -> Result<Saved, SaveFailure> {
        effects::save_file(path, expected, new)
    }

    fn read(&mut self, path: &Path, patient: bool) -> Result<Snapshot, String> {
        effects::read_file(path, patient)
    }

    fn write_enum(
        &mut self,
        path: &Path,
        code: &str,
        overwrite: bool,
    ) -> Result<String, EnumFailure> {
        effects::write_enum_file(path, code, overwrite)
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    path: PathBuf,
    state: State,
}

fn setup(options: Options) -> Setup {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("home_secret.toml");
    let demo = crate::support::root().join("assets/demo_home_secret.toml");
    std::fs::copy(&demo, &path).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let private = std::fs::Permissions::from_mode(0o600);
        std::fs::set_permissions(&path, private).unwrap_or_else(|e| panic!("{e}"));
    }
    let file = SecretFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut state = State::new(file, options, std::time::Instant::now());
    dispatch(
        &mut state,
        Action::Resize {
            width: 100,
            height: 30,
        },
        &mut Disk,
    );
    Setup {
        _dir: dir,
        path,
        state,
    }
}

impl Setup {
    fn run(&mut self, commands: &[Command]) {
        for &c in commands {
            dispatch(&mut self.state, Action::Command(c), &mut Disk);
        }
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            dispatch(
                &mut self.state,
                Action::EditInput(InputRequest::InsertChar(c)),
                &mut Disk,
            );
        }
    }

    fn select(&mut self, key: &str) {
        self.run(&[Command::Search]);
        for c in key.chars() {
            dispatch(&mut self.state, Action::Input(c), &mut Disk);
        }
        self.run(&[Command::SearchAccept]);
        let got = self.state.selected().map(|(_, e)| e.key.to_string());
        assert_eq!(got.as_deref(), Some(key));
    }

    fn disk(&self) -> String {
        std::fs::read_to_string(&self.path).unwrap_or_else(|e| panic!("{e}"))
    }

    fn status(&self) -> String {
        self.state
            .status()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }
}

const KEY: &str = "aws.accounts.prod.region";

#[test]
fn editing_a_value_changes_only_that_line_and_keeps_the_selection() {
    let mut t = setup(Options::default());
    let before = t.disk();
    t.select(KEY);
    t.run(&[Command::Edit]);
    assert_eq!(t.state.scope(), Scope::Editor);
    t.type_text("eu-west-3");
    t.run(&[Command::EditorSubmit]);
    assert_eq!(t.status(), format!("Saved {KEY}"));
    let after = t.disk();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [(
            "aws.accounts.prod.region = \"us-east-1\"",
            "aws.accounts.prod.region = \"eu-west-3\""
        )]
    );
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(
        t.state
            .selected()
            .map(|(_, e)| e.key.to_string())
            .as_deref(),
        Some(KEY)
    );
    // Undo is itself a safe save.
    t.run(&[Command::Undo]);
    assert_eq!(t.disk(), before);
    assert_eq!(
        t.status(),
        format!("Undone: saved {KEY}"),
        "says what it undid"
    );
}

#[test]
fn an_invalid_value_is_explained_in_the_editor_and_nothing_is_written() {
    let mut t = setup(Options::default());
    let before = t.disk();
    t.select("db.postgres_local.port");
    t.run(&[Command::Edit]);
    t.type_text("fifty");
    t.run(&[Command::EditorSubmit]);
    let error = t
        .state
        .editor()
        .and_then(|e| e.error.clone())
        .unwrap_or_default();
    assert!(error.contains("expected an integer"), "{error}");
    assert_eq!(t.disk(), before);
    t.run(&[Command::EditorCancel]);
    assert!(t.state.editor().is_none());
}

#[test]
fn rename_add_and_delete() {
    let mut t = setup(Options::default());
    t.select(KEY);
    t.run(&[Command::Rename]);
    for _ in 0..6 {
        dispatch(
            &mut t.state,
            Action::EditInput(InputRequest::DeletePrevChar),
            &mut Disk,
        );
    }
    t.type_text("zone");
    t.run(&[Command::EditorSubmit]);
    assert!(
        t.disk()
            .contains("\naws.accounts.prod.zone = \"us-east-1\"\n"),
        "{}",
        t.status()
    );
    // A file others can read gets a warning with the fix.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let open = std::fs::Permissions::from_mode(0o644);
        std::fs::set_permissions(&t.path, open).unwrap_or_else(|e| panic!("{e}"));
        t.run(&[Command::Undo]);
        assert!(t.status().contains("chmod 600"), "{}", t.status());
    }
    // Add under the tree's "stripe" node.
    t.run(&[Command::ClearFilter, Command::FocusNext]);
    for _ in 0..4 {
        t.run(&[Command::Down]);
    }
    assert_eq!(t.state.node_name(t.state.tree_view().selected()), "stripe");
    t.run(&[Command::Add]);
    t.type_text("accounts.shop.secrets.new_key.value");
    t.run(&[Command::EditorSubmit]);
    t.type_text("sk_fake_added");
    t.run(&[Command::EditorSubmit]);
    let text = t.disk();
    assert!(
        text.contains("stripe.accounts.shop.secrets.webhook.value = \"whsec_DEMO0000000000000000000000\"\nstripe.accounts.shop.secrets.new_key.value = \"sk_fake_added\"\n"),
        "the new line goes after its closest relative: {}",
        t.status()
    );
    // The tree stays as it was: stripe still selected.
    assert_eq!(t.state.node_name(t.state.tree_view().selected()), "stripe");
    // Delete asks first, naming the key.
    t.select("stripe.accounts.shop.secrets.new_key.value");
    t.run(&[Command::Delete]);
    match t.state.overlay() {
        Overlay::Confirm(c @ Confirm::Delete { count: 1, .. }) => {
            assert!(c.question().contains("new_key"))
        }
        other => panic!("expected a delete confirmation, got {other:?}"),
    }
    t.run(&[Command::Confirm]);
    assert!(!t.disk().contains("new_key"));
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_and_a_reload_is_offered() {
    let mut t = setup(Options::default());
    t.select(KEY);
    let outside = format!("{}# added by someone else\n", t.disk());
    std::fs::write(&t.path, &outside).unwrap_or_else(|e| panic!("{e}"));
    t.run(&[Command::Edit]);
    t.type_text("eu-west-3");
    t.run(&[Command::EditorSubmit]);
    assert_eq!(t.disk(), outside, "the outside change survives");
    assert_eq!(
        *t.state.overlay(),
        Overlay::Confirm(Confirm::Reload { keeps_edit: true })
    );
    // "No" keeps what was typed in the editor (and reloads nothing).
    t.run(&[Command::Cancel]);
    assert_eq!(
        t.state
            .editor()
            .map(|e| e.input.value().to_string())
            .as_deref(),
        Some("eu-west-3")
    );
    assert_ne!(t.state.file().text(), outside, "no reload on no");
    t.run(&[Command::EditorSubmit]);
    assert_eq!(
        *t.state.overlay(),
        Overlay::Confirm(Confirm::Reload { keeps_edit: true })
    );
    t.run(&[Command::Confirm]);
    assert_eq!(t.state.file().text(), outside);
    // What was typed is back in the editor, ready to be saved on the new text.
    assert_eq!(
        t.state
            .editor()
            .map(|e| e.input.value().to_string())
            .as_deref(),
        Some("eu-west-3")
    );
    t.run(&[Command::EditorSubmit]);
    assert!(
        t.disk().contains("# added by someone else"),
        "both changes kept"
    );
    assert!(
        t.disk()
            .contains("aws.accounts.prod.region = \"eu-west-3\"")
    );
    t.run(&[Command::Undo]);
    assert_eq!(
        t.state
            .selected()
            .map(|(_, e)| e.key.to_string())
            .as_deref(),
        Some(KEY),
        "selection kept"
    );
}

#[test]
fn outside_changes_reload_unless_an_edit_is_open() {
    let mut t = setup(Options::default());
    t.select(KEY);
    let outside = t.disk().replace("us-east-1", "ap-south-1");
    let snapshot = Ok(Snapshot::new(outside.clone().into_bytes()));
    t.run(&[Command::Edit]);
    dispatch(
        &mut t.state,
        Action::Reloaded {
            snapshot: snapshot.clone(),
            external: true,
        },
        &mut Disk,
    );
    assert_ne!(
        t.state.file().text(),
        outside,
        "not while the editor is open"
    );
    t.run(&[Command::EditorCancel]);
    dispatch(
        &mut t.state,
        Action::Reloaded {
            snapshot,
            external: true,
        },
        &mut Disk,
    );
    assert_eq!(t.state.file().text(), outside);
    assert!(t.status().contains("changed on disk"));
}

#[test]
fn read_only_refuses_every_change() {
    let mut t = setup(Options {
        read_only: true,
        ..Options::default()
    });
    let before = t.disk();
    t.select(KEY);
    for c in [
        Command::Edit,
        Command::Rename,
        Command::Add,
        Command::Delete,
        Command::Undo,
    ] {
        t.run(&[c]);
        assert!(t.state.editor().is_none() && *t.state.overlay() == Overlay::None);
        assert!(t.status().starts_with("Read-only"));
    }
    assert_eq!(t.disk(), before);
}

#[test]
fn share_mode_masks_what_is_typed() {
    let mut t = setup(Options {
        share: true,
        ..Options::default()
    });
    t.select(KEY);
    t.run(&[Command::Edit]);
    t.type_text("typed-fake-secret");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30))
        .unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|f| ui::render(&t.state, f))
        .unwrap_or_else(|e| panic!("{e}"));
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(!screen.contains("typed-fake-secret"));
    assert!(screen.contains("••••••••"));
}

#[test]
fn the_enum_module_is_written_and_an_existing_one_needs_a_yes() {
    let mut t = setup(Options::default());
    let out = t.path.with_file_name("module.py");
    t.run(&[Command::GenEnum]);
    for _ in 0.."home_secret_enum.py".len() {
        dispatch(
            &mut t.state,
            Action::EditInput(InputRequest::DeletePrevChar),
            &mut Disk,
        );
    }
    t.type_text(&out.to_string_lossy());
    t.run(&[Command::EditorSubmit]);
    assert!(
        t.status().starts_with("Wrote 33 entries to "),
        "{}",
        t.status()
    );
    let expected = home_secret_toml::generate(t.state.file().entries()).code;
    assert_eq!(std::fs::read_to_string(&out).ok(), Some(expected));
    std::fs::write(&out, "# mine\n").unwrap_or_else(|e| panic!("{e}"));
    t.run(&[Command::GenEnum]);
    for _ in 0.."home_secret_enum.py".len() {
        dispatch(
            &mut t.state,
            Action::EditInput(InputRequest::DeletePrevChar),
            &mut Disk,
        );
    }
    t.type_text(&out.to_string_lossy());
    t.run(&[Command::EditorSubmit]);
    assert!(matches!(
        t.state.overlay(),
        Overlay::Confirm(Confirm::Overwrite(_))
    ));
    t.run(&[Command::Cancel]);
    assert_eq!(
        std::fs::read_to_string(&out).ok().as_deref(),
        Some("# mine\n")
    );
}

#[test]
fn a_new_key_is_checked_before_its_value_is_asked_for() {
    let mut t = setup(Options::default());
    let before = t.disk();
    let editor_error = |t: &Setup| {
        t.state
            .editor()
            .and_then(|e| e.error.clone())
            .unwrap_or_default()
    };
    // Below a value that is a string.
    t.run(&[Command::Add]);
    t.type_text(&format!("{KEY}.below"));
    t.run(&[Command::EditorSubmit]);
    assert!(
        editor_error(&t).contains("not a table"),
        "{}",
        editor_error(&t)
    );
    assert!(
        t.state
            .editor()
            .is_some_and(|e| matches!(e.prompt, Prompt::AddPath { .. })),
        "still asking for the path, not the value"
    );
    t.run(&[Command::EditorCancel]);
    // Where a table is.
    t.run(&[Command::Add]);
    t.type_text("aws.accounts");
    t.run(&[Command::EditorSubmit]);
    assert!(
        editor_error(&t).contains("is a table with"),
        "{}",
        editor_error(&t)
    );
    t.run(&[Command::EditorCancel]);
    assert_eq!(t.disk(), before);
}

#[test]
fn a_rename_cannot_put_a_dot_in_a_key_part() {
    let mut t = setup(Options::default());
    let before = t.disk();
    t.select(KEY);
    t.run(&[Command::Rename]);
    t.type_text(".sub");
    t.run(&[Command::EditorSubmit]);
    let error = t
        .state
        .editor()
        .and_then(|e| e.error.clone())
        .unwrap_or_default();
    assert!(error.contains("cannot contain '.'"), "{error}");
    assert_eq!(t.disk(), before, "nothing written");
}

#[test]
fn ctrl_c_in_the_editor_cancels_the_edit_instead_of_quitting() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let command = hst::tui::keymap::lookup(Scope::Editor, &ctrl_c);
    assert_eq!(command, Some(Command::EditorCancel));
    let mut t = setup(Options::default());
    let before = t.disk();
    t.select(KEY);
    t.run(&[Command::Edit]);
    t.type_text("half-typed");
    t.run(&[Command::EditorCancel]);
    assert!(t.state.editor().is_none());
    assert!(!t.state.should_quit());
    assert_eq!(t.disk(), before);
}

#[test]
fn placeholders_are_announced_and_filled_one_by_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("home_secret.toml");
    let text = "a.secrets.one.value = \"fake-1\"\nb.secrets.two.value = \"...\"\n# keep me\nc.secrets.three.value = \"...\"\n";
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let file = SecretFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut state = State::new(file, Options::default(), std::time::Instant::now());
    dispatch(
        &mut state,
        Action::Resize {
            width: 100,
            height: 30,
        },
        &mut Disk,
    );
    let status = |s: &State| s.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(
        status(&state).contains("2 placeholders"),
        "{}",
        status(&state)
    );
    let fill = |state: &mut State, value: &str| {
        dispatch(state, Action::Command(Command::FillPlaceholder), &mut Disk);
        for c in value.chars() {
            dispatch(
                state,
                Action::EditInput(InputRequest::InsertChar(c)),
                &mut Disk,
            );
        }
        dispatch(state, Action::Command(Command::EditorSubmit), &mut Disk);
    };
    fill(&mut state, "fake-2");
    let disk = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        disk,
        text.replacen("two.value = \"...\"", "two.value = \"fake-2\"", 1),
        "{}",
        status(&state)
    );
    fill(&mut state, "fake-3");
    let disk = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(disk.contains("c.secrets.three.value = \"fake-3\"\n"));
    assert!(disk.contains("# keep me\n"));
    assert_eq!(state.entry_count(), 3, "filled placeholders are listed now");
    dispatch(
        &mut state,
        Action::Command(Command::FillPlaceholder),
        &mut Disk,
    );
    assert!(state.editor().is_none());
    assert!(status(&state).contains("No placeholders"));
}

#[test]
fn the_editor_can_read_a_value_as_another_type_and_refuses_like_hst_set() {
    let mut t = setup(Options::default());
    // Add a key under the root, typed as an integer with Ctrl-t.
    t.run(&[Command::Add]);
    t.type_text("svc.port.value");
    t.run(&[Command::EditorSubmit, Command::EditorType]);
    assert!(
        t.state
            .editor()
            .is_some_and(|e| e.prompt.title().contains("(integer;")),
        "Ctrl-t switched to integer"
    );
    t.type_text("not-a-number");
    t.run(&[Command::EditorSubmit]);
    let tui_error = t
        .state
        .editor()
        .and_then(|e| e.error.clone())
        .unwrap_or_default();
    // The same refusal, word for word, as `hst set --type int`.
    let out = crate::support::env::hst()
        .args(["set", "--path"])
        .arg(&t.path)
        .args(["svc.port.value", "not-a-number", "--type", "int"])
        .finish();
    let cli_error = String::from_utf8_lossy(&out.stderr);
    assert!(!tui_error.is_empty());
    assert!(
        cli_error.contains(&tui_error),
        "TUI: {tui_error:?} CLI: {cli_error:?}"
    );
    for _ in 0.."not-a-number".len() {
        dispatch(
            &mut t.state,
            Action::EditInput(InputRequest::DeletePrevChar),
            &mut Disk,
        );
    }
    t.type_text("5432");
    t.run(&[Command::EditorSubmit]);
    assert!(
        t.disk().contains("\nsvc.port.value = 5432\n"),
        "{}",
        t.status()
    );
}

#[test]
fn a_renamed_key_that_leaves_the_search_stays_selected() {
    let mut t = setup(Options::default());
    t.run(&[Command::Search]);
    for c in "access_key".chars() {
        dispatch(&mut t.state, Action::Input(c), &mut Disk);
    }
    t.run(&[Command::SearchAccept]);
    let before = t
        .state
        .selected()
        .map(|(_, e)| e.key.to_string())
        .unwrap_or_default();
    assert!(before.ends_with("access_key"), "{before}");
    t.run(&[Command::Rename]);
    for _ in 0.."access_key".len() {
        dispatch(
            &mut t.state,
            Action::EditInput(InputRequest::DeletePrevChar),
            &mut Disk,
        );
    }
    t.type_text("akid");
    t.run(&[Command::EditorSubmit]);
    let after = t
        .state
        .selected()
        .map(|(_, e)| e.key.to_string())
        .unwrap_or_default();
    assert_eq!(
        after,
        before.replace("access_key", "akid"),
        "{}",
        t.status()
    );
}

#[test]
fn the_tree_pane_moves_and_deletes_whole_folders_after_saying_how_many_keys() {
    let mut t = setup(Options::default());
    let before = t.disk();
    // Tree focused on its root: nothing visibly selected, nothing happens.
    t.run(&[Command::FocusNext, Command::Top, Command::Rename]);
    assert!(t.status().contains("Select a folder"), "{}", t.status());
    t.run(&[Command::Delete]);
    assert_eq!(*t.state.overlay(), Overlay::None);
    // The stripe folder: its whole path is offered, any part can change.
    select_folder(&mut t, "stripe");
    t.run(&[Command::Rename]);
    for _ in 0.."stripe".len() {
        dispatch(
            &mut t.state,
            Action::EditInput(InputRequest::DeletePrevChar),
            &mut Disk,
        );
    }
    t.type_text("payments.stripe");
    t.run(&[Command::EditorSubmit]);
    let count = before.lines().filter(|l| l.starts_with("stripe.")).count();
    match t.state.overlay() {
        Overlay::Confirm(c @ Confirm::Move { count: n, .. }) => {
            assert_eq!(*n, count);
            assert!(
                c.question()
                    .contains(&format!("the {count} keys under stripe to payments.stripe"))
            );
        }
        other => panic!("expected a move confirmation, got {other:?}"),
    }
    t.run(&[Command::Confirm]);
    let after = t.disk();
    assert!(
        !after.lines().any(|l| l.starts_with("stripe.")),
        "{}",
        t.status()
    );
    assert_eq!(
        after
            .lines()
            .filter(|l| l.starts_with("payments.stripe."))
            .count(),
        count
    );
    // `y` in the tree copies the folder's path, not a list row's.
    // Delete a folder: asked with its count; u brings it back.
    select_folder(&mut t, "github");
    t.run(&[Command::Delete]);
    let github = after.lines().filter(|l| l.starts_with("github.")).count();
    match t.state.overlay() {
        Overlay::Confirm(c @ Confirm::Delete { count: n, .. }) => {
            assert_eq!(*n, github);
            assert!(
                c.question()
                    .contains(&format!("the {github} keys under github"))
            );
        }
        other => panic!("expected a delete confirmation, got {other:?}"),
    }
    t.run(&[Command::Confirm]);
    assert!(!t.disk().lines().any(|l| l.starts_with("github.")));
    t.run(&[Command::Undo]);
    assert_eq!(t.disk(), after);
}

/// Moves the tree's cursor (the tree has the keyboard) to the folder called `name`; bounded, so
/// a folder that is not there fails the test instead of looping.
fn select_folder(t: &mut Setup, name: &str) {
    assert_eq!(t.state.focus(), hst::tui::action::Pane::Tree);
    t.run(&[Command::Top]);
    for _ in 0..t.state.tree_view().rows().len() {
        if t.state.node_name(t.state.tree_view().selected()) == name {
            return;
        }
        t.run(&[Command::Down]);
    }
    panic!("no folder {name} in the tree");
}

#[test]
fn read_only_writes_no_enum_module() {
    let mut t = setup(Options {
        read_only: true,
        ..Options::default()
    });
    t.run(&[Command::GenEnum]);
    assert!(t.state.editor().is_none(), "no editor for the path opens");
    assert!(
        t.status().to_lowercase().contains("read-only"),
        "{}",
        t.status()
    );
}
