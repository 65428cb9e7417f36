//! `hst get` builds only the value it prints, yet the whole file is still checked: a mistake
//! anywhere in it is still the error, as with Python's `tomllib`.

use crate::support::env::{Env, stderr};

#[test]
fn a_mistake_after_the_key_is_still_the_error() {
    let env = Env::new();
    for (text, want) in [
        ("a.b = \"fake-1\"\nc = \"x\"\nd = = 2\n", ":3:"),
        ("a.b = \"fake-1\"\nc = 1\nc = 2\n", ":3:"),
        ("a.b = \"fake-1\"\na.b.c = 2\n", ":2:"),
        ("a.b = \"fake-1\"\nx = [1,\n", ":2:"),
    ] {
        env.write_secrets(text);
        let out = env.hst(&["get", "a.b"]);
        assert_eq!(out.status.code(), Some(1), "{text:?}");
        assert!(stderr(&out).contains(want), "{text:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("fake-1"));
    }
}

#[test]
fn every_kind_of_value_and_a_table_come_out_as_before() {
    let env = Env::new();
    env.write_secrets(
        "\u{feff}a.s = \"fake\\tesc\"\r\na.n = 42\r\na.f = 1.5\r\na.d = 2025-12-31\r\n\
         a.arr = [1, \"x\"]\r\na.t = { u = \"me\" }\r\na.p = \"...\"\r\nb = true\r\n",
    );
    for (key, want) in [
        ("a.s", "fake\tesc\n"),
        ("a.n", "42\n"),
        ("a.f", "1.5\n"),
        ("a.d", "datetime.date(2025, 12, 31)\n"),
        ("a.arr", "[1, 'x']\n"),
        ("a.t", "{'u': 'me'}\n"),
        ("a.t.u", "me\n"),
        ("a.p", "...\n"),
        ("b", "True\n"),
        (
            "a",
            "{'s': 'fake\\tesc', 'n': 42, 'f': 1.5, 'd': datetime.date(2025, 12, 31), 'arr': [1, 'x'], 't': {'u': 'me'}, 'p': '...'}\n",
        ),
    ] {
        assert_eq!(env.hst_ok(&["get", key]), want, "{key}");
    }
    let out = env.hst(&["get", "a.nn"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Did you mean: a.n"),
        "{}",
        stderr(&out)
    );
}
