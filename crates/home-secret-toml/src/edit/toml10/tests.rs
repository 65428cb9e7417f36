//! Checks of whole values: the cases tomllib rejected, words, whitespace and comments, columns,
//! secrecy of the messages, speed; and the helpers the grammar parts' tests share.

use super::strings::ESC_E;
use super::tables::ARRAY_SEP;
use super::*;

pub(super) fn message(literal: &str) -> String {
    match check_value(literal) {
        Ok(()) => panic!("accepted: {literal:?}"),
        Err(e) => e.message,
    }
}

pub(super) fn accepts(literals: &[&str]) {
    for literal in literals {
        assert_eq!(check_value(literal), Ok(()), "{literal:?}");
    }
}

pub(super) fn refuses(cases: &[(&str, &str)]) {
    for (literal, expected) in cases {
        assert_eq!(message(literal), *expected, "{literal:?}");
    }
}

#[test]
fn the_values_tomllib_rejected() {
    refuses(&[
        ("0x", "0x needs at least one hex digit"),
        ("0o", "0o needs at least one octal digit"),
        ("0b", "0b needs at least one binary digit"),
        ("١٢٣", "digits must be ASCII 0-9"),
        ("1٢3", "digits must be ASCII 0-9"),
        ("10:00", "a time needs seconds in TOML 1.0 (like 10:00:00)"),
        (
            "2026-11-22T10:00",
            "a time needs seconds in TOML 1.0 (like 10:00:00)",
        ),
        (
            "{ a = 1, }",
            "a trailing comma is not allowed in an inline table in TOML 1.0",
        ),
        (
            "{ a = 1,\n b = 2 }",
            "an inline table must stay on one line in TOML 1.0",
        ),
        (
            "{\n a = 1 }",
            "an inline table must stay on one line in TOML 1.0",
        ),
        ("\"\\e\"", "\\e is not a TOML 1.0 escape (write \\u001B)"),
        (
            "\"\\x41\"",
            "\\x is not a TOML 1.0 escape (write \\u0041 style escapes)",
        ),
    ]);
    accepts(&[
        "0x0",
        "10:00:00",
        "2026-11-22T10:00:00",
        "{ a = 1 }",
        "\"\\u001B\"",
    ]);
}

#[test]
fn booleans_and_words() {
    accepts(&["true", "false"]);
    refuses(&[
        ("True", BOOL_CASE),
        ("FALSE", BOOL_CASE),
        ("truex", NEEDS_QUOTES),
        ("hello", NEEDS_QUOTES),
        ("é", NEEDS_QUOTES),
        ("", MISSING_VALUE),
        ("   ", MISSING_VALUE),
        ("# comment", MISSING_VALUE),
        ("=", EXPECTED_VALUE),
        ("@", EXPECTED_VALUE),
    ]);
}

#[test]
fn whitespace_and_comments() {
    accepts(&[
        "  1  ",
        "\t1\t",
        "1 # a comment",
        "1# no space",
        "1 #\ttab é",
        "\"a\" #",
    ]);
    refuses(&[
        ("1 # \u{7f}", COMMENT_CONTROL),
        ("1 # \u{0}", COMMENT_CONTROL),
        ("1 # c\r", COMMENT_CONTROL),
        ("1\n", NEWLINE_AFTER),
        ("1\r\n", NEWLINE_AFTER),
        ("1 # c\n", NEWLINE_AFTER),
        ("1\ny = 2", NEWLINE_AFTER),
        ("\n1", MISSING_VALUE),
        ("1 2", AFTER_VALUE),
        ("\u{c}1", EXPECTED_VALUE),
    ]);
}

#[test]
fn large_values_are_linear() {
    let start = std::time::Instant::now();
    let long_string = format!("\"{}\"", "x\\u00e9".repeat(200_000));
    let long_array = format!("[{}]", "1, ".repeat(200_000));
    let many_keys: Vec<String> = (0..50_000).map(|i| format!("k{i} = {i}")).collect();
    let wide_table = format!("{{ {} }}", many_keys.join(", "));
    accepts(&[&long_string, &long_array, &wide_table]);
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn column_counts_characters() {
    let e = check_value("  0x").unwrap_err();
    assert_eq!(e.column, 3);
    let e = check_value("[\"é日\", 1 2]").unwrap_err();
    assert_eq!((e.message.as_str(), e.column), (ARRAY_SEP, 10));
    let e = check_value("\"ab\\e\"").unwrap_err();
    assert_eq!(e.column, 4);
    assert_eq!(e.to_string(), format!("{ESC_E} (column 4)"));
}

#[test]
fn messages_never_contain_the_input() {
    let secret = "s3cr3tXYZ";
    let templates = [
        "\"{}\\q\"",
        "\"{}\\e\"",
        "\"{}\\x41\"",
        "\"{}\\u12\"",
        "\"{}\u{1}\"",
        "'{}\n'",
        "\"{}",
        "'{}",
        "\"\"\"{}",
        "{}",
        "{} = 1",
        "1 {}",
        "1 # {}\u{7f}",
        "[\"{}\" \"{}\"]",
        "{{ {} = 1, {} = 2 }}",
        "{{ \"{}\" = 1, }}",
        "{{ a = \"{}\"\n }}",
        "0x{}",
        "1979-05-27T{}",
        "07:32:{}",
        "12{}",
        "\"{}\" \n",
    ];
    for template in templates {
        for filler in [secret, "98765432", "s3cr3t s3cr3t"] {
            let literal = template.replace("{}", filler);
            let Err(e) = check_value(&literal) else {
                assert_eq!(filler, "98765432", "{literal:?}");
                continue;
            };
            for needle in ["s3cr3t", "XYZ", "98765", "432"] {
                assert!(
                    !e.message.contains(needle) && !e.to_string().contains(needle),
                    "{literal:?} -> {e}"
                );
            }
        }
    }
}

mod generated {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_on_any_text(s in "\\PC{0,60}") {
            let _ = check_value(&s);
        }

        #[test]
        fn never_panics_on_toml_like_text(
            s in "[\"'\\[\\]{}=,.#0-9a-fxobeTZz_+:\\- \t\n\r\\\\uUé٣\u{7f}\u{0}]{0,60}"
        ) {
            if let Err(e) = check_value(&s) {
                prop_assert!(e.column >= 1 && e.column <= s.chars().count() + 1);
            }
        }
    }
}
