//! `hst set` on a file of `key = value` lines changes one line without building the whole file,
//! yet the whole file is still checked (a mistake anywhere is the error, and nothing is
//! written) and the result is what the general edit makes, byte for byte.

use crate::support::env::{Env, stderr};

fn read(env: &Env) -> String {
    std::fs::read_to_string(env.secrets()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_mistake_anywhere_is_still_the_error_and_nothing_is_written() {
    let env = Env::new();
    for (text, want) in [
        ("a.b = \"fake-1\"\nc = \"x\"\nd = = 2\n", ":3:"),
        ("a.b = \"fake-1\"\nc = 1\nc = 2\n", ":3:"),
        ("a.b = \"fake-1\"\na.b.c = 2\n", ":2:"),
        ("a.b = \"fake-1\"\nx = [1,\n", ":2:"),
        ("a.b = \"fake-1\"\nq = \"bad \\q escape\"\n", ":2:"),
    ] {
        env.write_secrets(text);
        for args in [
            ["set", "a.b", "fake-2"],
            ["set", "a.new", "fake-2"],
            ["set", "z", "fake-2"],
        ] {
            let out = env.hst(&args);
            assert_eq!(out.status.code(), Some(1), "{args:?} {text:?}");
            assert!(
                stderr(&out).contains(want),
                "{args:?} {text:?}: {}",
                stderr(&out)
            );
            assert!(!stderr(&out).contains("fake-"));
            assert_eq!(read(&env), text, "{args:?}: the file was written");
        }
    }
}

#[test]
fn one_value_changes_and_every_other_byte_stays() {
    let env = Env::new();
    let before =
        "\u{feff}# mine\r\na.b = 'fake-old'   # a note\r\na.n = 5\r\n\r\nz.arr = [1, 2] # x\r\n";
    env.write_secrets(before);
    env.hst_ok(&["set", "a.b", "fake-new"]);
    env.hst_ok(&["set", "a.n", "6"]);
    env.hst_ok(&["set", "z.arr", "[3]"]);
    assert_eq!(
        read(&env),
        "\u{feff}# mine\r\na.b = 'fake-new'   # a note\r\na.n = 6\r\n\r\nz.arr = [3] # x\r\n"
    );
    // The key keeps its type: text where a number is, is refused.
    let out = env.hst(&["set", "a.n", "six"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("a.n"), "{}", stderr(&out));
    assert_eq!(env.hst_ok(&["get", "a.n"]), "6\n");
}

#[test]
fn a_new_key_goes_after_its_closest_relatives() {
    let env = Env::new();
    env.write_secrets("a.x.one = 1\nb.y = 2\na.x.two = 3\nb.z = 4");
    let out = env.hst(&["set", "a.x.three", "fake-3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("Added a.x.three"), "{}", stderr(&out));
    env.hst_ok(&["set", "b.new", "fake-4"]);
    env.hst_ok(&["set", "c", "fake-5"]);
    assert_eq!(
        read(&env),
        "a.x.one = 1\nb.y = 2\na.x.two = 3\na.x.three = \"fake-3\"\nb.z = 4\nb.new = \"fake-4\"\n\
         c = \"fake-5\""
    );
    for (key, want) in [
        ("a.x.three", "fake-3\n"),
        ("b.new", "fake-4\n"),
        ("c", "fake-5\n"),
    ] {
        assert_eq!(env.hst_ok(&["get", key]), want);
    }
}

#[test]
fn tables_and_keys_below_values_are_refused_as_before() {
    let env = Env::new();
    let before = "a.b = \"fake-1\"\na.t = { u = 1 }\n";
    env.write_secrets(before);
    for (key, want) in [
        ("a", "a is a table with"),
        ("a.b.c", "a.b holds a value"),
        ("a..b", "cannot be empty"),
    ] {
        let out = env.hst(&["set", key, "fake-2"]);
        assert_eq!(out.status.code(), Some(1), "{key}");
        assert!(stderr(&out).contains(want), "{key}: {}", stderr(&out));
        assert_eq!(read(&env), before);
    }
    // A key inside an inline table is edited inside its braces (the general edit).
    env.hst_ok(&["set", "a.t.u", "2"]);
    assert_eq!(read(&env), "a.b = \"fake-1\"\na.t = { u = 2 }\n");
}

#[test]
fn an_empty_inline_table_is_a_relative_and_a_bom_alone_is_an_empty_file() {
    let env = Env::new();
    for (before, after) in [
        ("a.x = {}\nb = 1\n", "a.x = {}\na.y = \"fake-1\"\nb = 1\n"),
        // The same with a quoted key, which the general edit reads: the same place.
        (
            "\"q\" = 0\na.x = {}\nb = 1\n",
            "\"q\" = 0\na.x = {}\na.y = \"fake-1\"\nb = 1\n",
        ),
        ("\u{feff}", "\u{feff}a.y = \"fake-1\"\n"),
    ] {
        env.write_secrets(before);
        env.hst_ok(&["set", "a.y", "fake-1"]);
        assert_eq!(read(&env), after, "{before:?}");
    }
}

#[test]
fn a_raw_value_loses_only_the_comment_after_it() {
    let env = Env::new();
    env.write_secrets("k.s = \"str\" # old\nb = {p = 1, q = 2}\n");
    env.hst_ok(&["set", "k.s", "\"a#b\" # new", "--type", "raw"]);
    env.hst_ok(&["set", "b.p", "\"c#d\" # new", "--type", "raw"]);
    assert_eq!(
        read(&env),
        "k.s = \"a#b\" # old\nb = {p = \"c#d\", q = 2}\n"
    );
}

#[test]
fn what_is_typed_wrong_is_said_on_one_line_and_a_value_is_never_repeated() {
    let env = Env::new();
    let before = "a.s = \"fake-1\"\n";
    env.write_secrets(before);
    let out = env.hst(&["set", "a.s", "--fake-Secret-9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("fake-Secret"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("hst set KEY -- VALUE"),
        "{}",
        stderr(&out)
    );
    // Words of a value left unquoted are not repeated either.
    let out = env.hst(&["set", "a.s", "fake", "Secret-words"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("Secret-words"), "{}", stderr(&out));
    assert!(stderr(&out).contains("in quotes"), "{}", stderr(&out));
    // A misspelt option is still named, with clap's suggestion.
    let out = env.hst(&["set", "a.s", "--stdn"]);
    assert!(stderr(&out).contains("'--stdin'"), "{}", stderr(&out));
    let out = env.hst(&["set", "a.x\ny", "fake-2"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("a.x\\ny"), "{}", stderr(&out));
    let out = env.hst(&["set", "", "fake-2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot be empty"), "{}", stderr(&out));
    assert_eq!(read(&env), before);
    env.hst_ok(&["set", "a.s", "--", "--fake-3"]);
    assert_eq!(env.hst_ok(&["get", "a.s"]), "--fake-3\n");
}
