//! The real `hst` binary against fixture files. Expected outputs come from the Python reference
//! (home-secret-toml 0.2.1, see `tests/expected/regenerate.sh`) or are written here from
//! REFERENCE.md; never from our own output.

use crate::support;

use std::path::Path;
use std::process::{Command, Stdio};

use support::env::Finish;
use support::{expected, fixture, synthetic};

/// `hst` in the shared hermetic environment, with a HOME that does not exist: every test names
/// its file, or checks what happens when there is none.
fn hst() -> Command {
    let mut cmd = support::env::hst();
    cmd.env("HOME", "/nonexistent-home-for-tests");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.finish();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: without_mode_warning(&String::from_utf8_lossy(&out.stderr)),
    }
}

/// The fixtures' mode depends on the checkout (usually 644), and a file others can read gets a
/// warning line on stderr; the only difference from the reference's stderr, checked on its own
/// in `a_file_others_can_read_gets_one_warning_line_and_the_same_stdout`.
fn without_mode_warning(stderr: &str) -> String {
    stderr
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("Warning: chmod 600 "))
        .collect()
}

fn ls(fixture_name: &str) -> Run {
    run(hst().arg("ls").arg("--path").arg(fixture(fixture_name)))
}

#[test]
fn ls_matches_the_reference_for_every_fixture() {
    for name in [
        "seed003",
        "types",
        "tables",
        "quoted",
        "masks",
        "crlf",
        "lone_cr",
        "no_final_newline",
        "empty",
        "only_filtered",
    ] {
        let r = ls(&format!("{name}.toml"));
        assert_eq!(r.code, 0, "{name}: exit code");
        assert_eq!(r.stdout, expected(&format!("{name}.ls")), "{name}: stdout");
        assert_eq!(r.stderr, "", "{name}: stderr");
    }
}

#[test]
fn ls_seed_example_written_from_the_reference_rules() {
    // Inline tables are flattened, descriptions dropped, masks are first2***last2 (> 8 code points).
    let r = ls("seed003.toml");
    let want_lines = [
        "github.accounts.personal.account_id = \"ma***er\"",
        "github.accounts.personal.users.dev.user_id = \"***\"",
        "aws.accounts.prod.secrets.deployment_key.creds.access_key = \"AK***XX\"",
        "aws.accounts.prod.secrets.deployment_key.creds.secret_key = \"xx***xx\"",
    ];
    for line in want_lines {
        assert!(r.stdout.lines().any(|l| l == line), "missing line {line:?}");
    }
    assert!(!r.stdout.contains("description"));
    assert_eq!(r.stdout.lines().count(), 18);
}

#[test]
fn ls_masks_at_the_8_and_9_code_point_boundary() {
    let r = ls("masks.toml");
    let want = "mask.ascii8 = \"***\"\n\
                mask.ascii9 = \"ab***hi\"\n\
                mask.e8 = \"***\"\n\
                mask.e9 = \"éé***éé\"\n\
                mask.key8 = \"***\"\n\
                mask.key9 = \"🔑🔑***🔑🔑\"\n\
                mask.combining = \"e\u{301}***e\u{301}\"\n\
                mask.zwj = \"👨\u{200d}***\u{200d}👦\"\n\
                mask.newlines = \"\na***j\n\"\n\
                mask.crlf = \"ab***\r\n\"\n\
                mask.quotes = \"\"\"***\"\"\"\n\
                mask.bom = \"\u{feff}a***ij\"\n\
                mask.empty = \"***\"\n";
    assert_eq!(r.stdout, want);
}

#[test]
fn ls_orders_by_first_insertion_not_by_line() {
    let r = ls("tables.toml");
    let keys: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split(" = ").next().unwrap_or(""))
        .collect();
    assert_eq!(
        &keys[..7],
        [
            "b.x",
            "b.z",
            "a.y",
            "aws.accounts.prod.account_id",
            "aws.accounts.prod.secrets.deploy.value",
            "aws.accounts.dev.account_id",
            "aws.region",
        ]
    );
}

#[test]
fn ls_query_matches_the_reference() {
    let cases = [
        ("seed003.toml", "AWS, prod", "seed003.query_aws_prod.ls"),
        ("quoted.toml", "straße", "quoted.query_strasse.ls"),
        ("quoted.toml", "MY_service", "quoted.query_my_service.ls"),
        ("types.toml", "nope nothing", "types.query_none.ls"),
        (
            "only_filtered.toml",
            " , ",
            "only_filtered.query_separators.ls",
        ),
    ];
    for (file, query, want) in cases {
        let r = run(hst()
            .args(["ls", "--query", query, "--path"])
            .arg(fixture(file)));
        assert_eq!(r.code, 0, "{query}");
        assert_eq!(r.stdout, expected(want), "query {query:?}");
    }
}

#[test]
fn ls_query_messages_follow_the_reference() {
    let r = run(hst()
        .args(["ls", "--query", "github nope", "--path"])
        .arg(fixture("seed003.toml")));
    assert_eq!(r.stdout, "No secrets found matching \"github nope\"\n");
    assert_eq!(r.code, 0);
    // An empty query is no query.
    let r = run(hst()
        .args(["ls", "--query", "", "--path"])
        .arg(fixture("empty.toml")));
    assert_eq!(r.stdout, "No secrets found\n");
    // Unambiguous prefixes of long options work, as with argparse.
    let r = run(hst()
        .args(["ls", "--q", "aws", "--pa"])
        .arg(fixture("seed003.toml")));
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.lines().all(|l| l.starts_with("aws.")),
        "{}",
        r.stdout
    );
    // A hyphen-leading query is accepted (argparse needs --query=-x).
    let r = run(hst()
        .args(["ls", "--query", "-dev", "--path"])
        .arg(fixture("quoted.toml")));
    assert_eq!(r.stdout, "mysql_dev.port = \"*\"\n");
}

#[test]
fn get_prints_every_value_type_like_the_reference() {
    let table = expected("types.get");
    for line in table.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [key, code, stdout, stderr] = fields[..] else {
            panic!("bad expected line {line:?}");
        };
        let r = run(hst()
            .args(["get", key, "--path"])
            .arg(fixture("types.toml")));
        assert_eq!(r.code.to_string(), code, "exit code for {key}");
        assert_eq!(r.stdout, unescape(stdout), "stdout for {key}");
        assert_eq!(r.stderr, unescape(stderr), "stderr for {key}");
    }
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn get_key_forms_and_no_newline() {
    let seed = fixture("seed003.toml");
    let key = "github.accounts.personal.account_id";
    let r = run(hst().args(["get", key, "--path"]).arg(&seed));
    assert_eq!(r.stdout, "machuuser\n");
    let r = run(hst().args(["get", "--key", key, "-n", "--path"]).arg(&seed));
    assert_eq!(r.stdout, "machuuser");
    // The positional wins over --key.
    let r = run(hst()
        .args(["get", key, "--key", "nope", "--path"])
        .arg(&seed));
    assert_eq!(r.stdout, "machuuser\n");
    for args in [vec!["get"], vec!["get", ""], vec!["get", "", "--key", ""]] {
        let r = run(hst().args(&args).arg("--path").arg(&seed));
        assert_eq!(r.code, 1);
        assert_eq!(
            r.stderr,
            "Error: key is required. Use: hst get <key> or hst get --key <key>\n"
        );
        assert_eq!(r.stdout, "");
    }
    // Quoted keys: `it's` gets the double-repr the reference prints.
    let r = run(hst().args(["get", "it's", "--path"]).arg(&seed));
    assert_eq!(
        r.stderr,
        "Error: 'Key \"it\\'s\" not found in the provided data.'\n"
    );
    let r = run(hst()
        .args(["get", "empty.", "--path"])
        .arg(fixture("quoted.toml")));
    assert_eq!(r.stdout, "empty-segment-v\n");
    let r = run(hst()
        .args(["get", "site.example.com.token", "--path"])
        .arg(fixture("quoted.toml")));
    assert_eq!(
        r.stderr,
        "Error: \"Key 'site.example' not found in the provided data.\"\n"
    );
}

#[test]
fn crlf_and_lone_cr_values_use_newline_only() {
    let r = run(hst()
        .args(["get", "crlf.multi", "--path"])
        .arg(fixture("crlf.toml")));
    assert_eq!(r.stdout, "line one\nline two\n");
    let r = run(hst()
        .args(["get", "lonecr.port", "--path"])
        .arg(fixture("lone_cr.toml")));
    assert_eq!(r.stdout, "23\n");
    let r = run(hst()
        .args(["get", "last.port", "--path"])
        .arg(fixture("no_final_newline.toml")));
    assert_eq!(r.stdout, "24\n");
}

#[test]
fn a_bom_is_accepted() {
    let r = ls("bom.toml");
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "bom.token = \"bo***-1\"\n");
}

#[test]
fn missing_file_messages_and_streams_follow_the_reference() {
    // The reference's line where it prints it; then (issue 21) a hint naming `hst init` on
    // stderr, which leaves stdout's bytes the reference's.
    let hint = "hint: create one with `hst init` (or pick another file with --path or $HST_PATH)\n";
    let r = run(hst().args(["ls", "--path", "./nope//x.toml/"]));
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (1, "Error: Secret file not found at nope/x.toml\n", hint)
    );
    let r = run(hst().args(["get", "a", "--path", "a/../b/./c.toml"]));
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "",
            format!("Error: Secret file not found at a/../b/c.toml\n{hint}").as_str()
        )
    );
    // Default path: $HOME/home_secret.toml.
    let r = run(hst().arg("ls").env("HOME", "/x/"));
    assert_eq!(
        r.stdout,
        "Error: Secret file not found at /x/home_secret.toml\n"
    );
}

#[test]
fn bad_input_is_one_line_on_stderr_with_line_and_column() {
    let cases = [
        ("bad_syntax.toml", ":2:26: "),
        ("bad_duplicate.toml", ":2:5: duplicate key"),
        ("bad_utf8.toml", ":2:14: invalid UTF-8"),
    ];
    for (name, want) in cases {
        for sub in [
            vec!["ls"],
            vec!["get", "ok.token"],
            vec!["gen-enum", "--output"],
        ] {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let mut cmd = hst();
            cmd.args(&sub);
            if sub[0] == "gen-enum" {
                cmd.arg(dir.path().join("out.py"));
            }
            let path = fixture(name);
            let r = run(cmd.arg("--path").arg(&path));
            assert_eq!(r.code, 1, "{name} {sub:?}");
            assert_eq!(r.stdout, "", "{name} {sub:?}");
            let prefix = format!("Error: {}{want}", path.display());
            assert!(
                r.stderr.starts_with(&prefix),
                "{name} {sub:?}: {}",
                r.stderr
            );
            assert_eq!(r.stderr.lines().count(), 1, "{name}: one line");
            assert!(!r.stderr.contains("fake-value") && !r.stderr.contains("broken"));
            assert!(!dir.path().join("out.py").exists(), "nothing written");
        }
    }
    let r = run(hst()
        .current_dir(support::root())
        .args(["ls", "--path", "tests"]));
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "Error: tests: is a directory, not a secrets file\n")
    );
    let r = run(hst().args(["ls", "--path", ""]));
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "Error: .: is a directory, not a secrets file\n")
    );
}

#[test]
fn tilde_and_hst_path_choose_the_file() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(fixture("masks.toml"), home.path().join("m.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(fixture("bom.toml"), home.path().join("home_secret.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = run(hst()
        .args(["ls", "--path", "~/m.toml"])
        .env("HOME", home.path()));
    assert_eq!(r.stdout, expected("masks.ls"));
    let r = run(hst().arg("ls").env("HOME", home.path()));
    assert_eq!(r.stdout, "bom.token = \"bo***-1\"\n");
    let r = run(hst()
        .arg("ls")
        .env("HOME", home.path())
        .env("HST_PATH", "~/m.toml"));
    assert_eq!(r.stdout, expected("masks.ls"));
    // --path beats HST_PATH.
    let r = run(hst()
        .arg("ls")
        .env("HST_PATH", "~/m.toml")
        .env("HOME", home.path())
        .arg("--path")
        .arg(fixture("empty.toml")));
    assert_eq!(r.stdout, "No secrets found\n");
}

#[test]
fn broken_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("big.toml");
    std::fs::write(&path, synthetic(10_000)).unwrap_or_else(|e| panic!("{e}"));
    let mut child = hst()
        .args(["ls", "--path"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // Close our end at once, like `| head -0`.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        without_mode_warning(&String::from_utf8_lossy(&out.stderr)),
        ""
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn gen_enum_writes_the_reference_file() {
    for name in ["seed003", "tables", "types"] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("secrets_enum.py");
        let r = run(hst()
            .args(["gen-enum", "--path"])
            .arg(fixture(&format!("{name}.toml")))
            .arg("--output")
            .arg(&out));
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert_eq!(r.stdout, format!("Generated: {}\n", out.display()));
        assert_eq!(r.stderr, "");
        let written = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written, expected(&format!("{name}.enum.py")), "{name}");
        py_compile(&out);
    }
}

#[test]
fn gen_enum_output_rules_and_order_of_checks() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let seed = fixture("seed003.toml");
    let gen_in = |args: &[&str]| {
        run(hst()
            .current_dir(dir.path())
            .arg("gen-enum")
            .args(args)
            .arg("--path")
            .arg(&seed))
    };
    let r = gen_in(&[]);
    assert_eq!(r.stdout, "Generated: home_secret_enum.py\n");
    // Exists, no --overwrite: refused on stdout, before the secrets file is even looked at.
    let r = run(hst()
        .current_dir(dir.path())
        .args(["gen-enum", "--path", "missing.toml"]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            1,
            "Error: home_secret_enum.py already exists. Use --overwrite to replace it.\n"
        )
    );
    let r = gen_in(&["--overwrite"]);
    assert_eq!(r.stdout, "Generated: home_secret_enum.py\n");
    // Not `.py` (case-sensitive) means a directory; it is created.
    let r = gen_in(&["--output", "X.PY"]);
    assert_eq!(r.stdout, "Generated: X.PY/home_secret_enum.py\n");
    assert!(dir.path().join("X.PY/home_secret_enum.py").is_file());
    let r = gen_in(&["--output", "./q//r.py"]);
    assert_eq!(r.stdout, "Generated: q/r.py\n");
    // The directory is made before reading, even when the secrets file is missing; an existing
    // output is left alone in that case, even with --overwrite.
    let r = run(hst().current_dir(dir.path()).args([
        "gen-enum",
        "--output",
        "newdir",
        "--path",
        "missing.toml",
    ]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (1, "Error: Secret file not found at missing.toml\n")
    );
    assert!(dir.path().join("newdir").is_dir());
    let before = std::fs::read(dir.path().join("q/r.py")).unwrap_or_default();
    let r = run(hst().current_dir(dir.path()).args([
        "gen-enum",
        "--output",
        "q/r.py",
        "--overwrite",
        "--path",
        "missing.toml",
    ]));
    assert_eq!(r.code, 1);
    assert_eq!(
        std::fs::read(dir.path().join("q/r.py")).unwrap_or_default(),
        before
    );
}

fn python3() -> Option<std::path::PathBuf> {
    let ok = support::env::shared("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| "python3".into())
}

fn py_compile(file: &Path) {
    let Some(python) = python3() else {
        panic!(
            "python3 is needed to check {} (CI installs it; a fresh machine has it)",
            file.display()
        );
    };
    let out = support::env::shared(python)
        .args(["-m", "py_compile"])
        .arg(file)
        .finish();
    assert!(
        out.status.success(),
        "py_compile: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn gen_enum_with_odd_keys_compiles_and_reports_renames() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("odd.py");
    let r = run(hst()
        .args(["gen-enum", "--path"])
        .arg(fixture("quoted.toml"))
        .arg("--output")
        .arg(&out));
    assert_eq!(r.code, 0);
    py_compile(&out);
    let code = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(code.contains("    a__b = hs.t(\"a.b\")\n"));
    assert!(code.contains("    a__b_2 = hs.t(\"a.b\")\n"));
    assert!(code.contains("    quote_key__value = hs.t(\"quote\\\"key.value\")\n"));
    assert!(code.contains("    İstanbul__token = hs.t(\"İstanbul.token\")\n"));
    for line in [
        "Renamed key 'a.b' to attribute a__b_2 (duplicate attribute name)",
        "Renamed key 'tab\\tkey.value' to attribute tab_key__value (not a valid Python name)",
        "Renamed key 'literal key.value' to attribute literal_key__value (not a valid Python name)",
        "Renamed key '1password.token' to attribute key_1password__token (not a valid Python name)",
    ] {
        assert!(
            r.stderr.lines().any(|l| l == line),
            "missing {line:?} in\n{}",
            r.stderr
        );
    }
}

#[test]
fn gen_enum_output_compiles_for_every_fixture_and_the_demo_file() {
    // hst's own output, not the checked-in expected files: a file hst writes that Python cannot
    // import is a bug even where no reference output exists. Not `empty.toml`: with no key the
    // reference writes a class whose body is only comments (374 bytes, REFERENCE.md), kept for
    // byte parity and checked in the library's codegen tests.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut files: Vec<std::path::PathBuf> = [
        "seed003", "types", "tables", "quoted", "masks", "crlf", "lone_cr", "bom",
    ]
    .iter()
    .map(|name| fixture(&format!("{name}.toml")))
    .collect();
    files.push(support::root().join("assets/demo_home_secret.toml"));
    for (i, file) in files.iter().enumerate() {
        let out = dir.path().join(format!("enum_{i}.py"));
        let r = run(hst()
            .args(["gen-enum", "--path"])
            .arg(file)
            .arg("--output")
            .arg(&out));
        assert_eq!(r.code, 0, "{}: {}", file.display(), r.stderr);
        py_compile(&out);
    }
}

#[test]
fn version_help_and_completions() {
    let r = run(hst().arg("--version"));
    assert_eq!(r.stdout, format!("hst {}\n", env!("CARGO_PKG_VERSION")));
    let r = run(&mut hst());
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("Home Secret TOML - Local credential management CLI")
    );
    assert!(r.stdout.contains("gen-enum"));
    for shell in ["bash", "zsh", "fish"] {
        let r = run(hst().args(["completions", shell]));
        assert_eq!(r.code, 0, "{shell}");
        // The script calls back into hst, which knows the subcommands and the file's keys
        // (tests/completions.rs).
        assert!(r.stdout.contains("HST_COMPLETE"), "{shell}");
    }
    let r = run(hst().arg("bogus"));
    assert_eq!(r.code, 2);
}

#[test]
fn the_readme_demo_command_lists_the_demo_file() {
    let demo = crate::support::root().join("assets/demo_home_secret.toml");
    let r = run(hst().args(["ls", "--path"]).arg(&demo));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 33);
    assert!(
        r.stdout
            .starts_with("github.accounts.personal.account_id = \"oc***mo\"\n")
    );
    assert!(!r.stdout.contains("ghp_DEMO"), "values are masked");
}

#[test]
#[cfg(unix)]
fn a_file_others_can_read_gets_one_warning_line_and_the_same_stdout() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("home_secret.toml");
    std::fs::copy(fixture("seed003.toml"), &path).unwrap_or_else(|e| panic!("{e}"));
    let raw = |args: &[&str]| {
        let out = hst().args(args).arg("--path").arg(&path).finish();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for (mode, warned) in [(0o644, true), (0o640, true), (0o600, false), (0o400, false)] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"));
        for args in [
            &["ls"][..],
            &["get", "github.accounts.personal.account_id"][..],
        ] {
            let (code, stdout, stderr) = raw(args);
            assert_eq!(code, Some(0), "{args:?} {mode:o}");
            if args[0] == "ls" {
                assert_eq!(stdout, expected("seed003.ls"), "stdout unchanged");
            }
            let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("chmod 600")).collect();
            assert_eq!(
                warnings.len(),
                usize::from(warned),
                "{args:?} {mode:o}: {stderr}"
            );
            if warned {
                assert!(
                    warnings[0].starts_with("Warning: chmod 600 "),
                    "the fix comes first: {stderr}"
                );
                assert!(warnings[0].contains(&format!("mode {mode:o}")), "{stderr}");
            }
        }
    }
}

#[test]
fn get_of_a_mistyped_key_suggests_the_nearest_and_an_absent_one_keeps_one_line() {
    let seed = fixture("seed003.toml");
    let r = run(hst()
        .args(["get", "github.accounts.personal.acount_id", "--path"])
        .arg(&seed));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Error: \"Key 'github.accounts.personal.acount_id' not found in the provided data.\"\nDid you mean: github.accounts.personal.account_id?\n"
    );
    assert!(r.stdout.is_empty());
    let r = run(hst().args(["get", "nothing.like.it", "--path"]).arg(&seed));
    assert_eq!(
        r.stderr, "Error: \"Key 'nothing' not found in the provided data.\"\n",
        "the reference's one line when nothing is close"
    );
}

#[test]
fn path_goes_before_or_after_the_subcommand_and_value_lists_come_from_clap() {
    let seed = fixture("seed003.toml");
    let before = run(hst().arg("--path").arg(&seed).arg("ls"));
    let after = run(hst().arg("ls").arg("--path").arg(&seed));
    assert_eq!(before.code, 0, "{}", before.stderr);
    assert_eq!(before.stdout, after.stdout);
    assert_eq!(before.stdout, expected("seed003.ls"));
    // --type and --clipboard are closed lists: a wrong value is a usage error naming them.
    let r = run(hst()
        .args(["set", "a.b", "1", "--type", "number", "--path"])
        .arg(&seed));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("possible values") && r.stderr.contains("int"),
        "{}",
        r.stderr
    );
    let r = run(hst()
        .args(["get", "a.b", "--clipboard=xclip", "--path"])
        .arg(&seed));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("osc52"), "{}", r.stderr);
}
