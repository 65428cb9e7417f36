//! The undo history keeps whole texts, within a budget.

use super::changes::{Session, UNDO_BYTES};
use home_secret_toml::value::SecretValue;

fn texts(session: &Session) -> Vec<String> {
    session.undo.iter().map(|(_, done)| done.clone()).collect()
}

#[test]
fn small_files_keep_every_step() {
    let mut session = Session::new(String::new());
    for i in 0..1000 {
        session.remember(SecretValue::new("a.b = 1\n"), format!("step {i}"));
    }
    assert_eq!(session.undo.len(), 1000);
}

#[test]
fn big_texts_keep_the_newest_steps_within_the_budget() {
    let mut session = Session::new(String::new());
    let third = "x".repeat(UNDO_BYTES / 3 + 1);
    for i in 0..5 {
        session.remember(SecretValue::new(third.as_str()), format!("step {i}"));
    }
    // Two thirds fit, three do not.
    assert_eq!(texts(&session), ["step 3", "step 4"]);
    let huge = "x".repeat(UNDO_BYTES + 1);
    session.remember(SecretValue::new(huge.as_str()), "huge".to_string());
    assert_eq!(
        texts(&session),
        ["huge"],
        "the newest step stays, whatever its size"
    );
    session.remember(SecretValue::new("a = 1\n"), "small".to_string());
    assert_eq!(
        texts(&session),
        ["small"],
        "the huge one no longer fits beside it"
    );
}
