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
