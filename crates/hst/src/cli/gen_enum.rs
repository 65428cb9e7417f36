//! `hst gen-enum`: write the Python enum module, with the reference's order of checks.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::Failure;
use crate::cli::args::GenEnumArgs;
use home_secret_toml::codegen::{generate, output_path};
use home_secret_toml::path::{display, expand_tilde};
use home_secret_toml::python::repr_str;

pub fn run(args: &GenEnumArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let output = output_path(
        args.output
            .as_deref()
            .map(|o| expand_tilde(Path::new(o)))
            .as_deref(),
    );
    // 1. An existing output wins over everything, even a missing secrets file.
    if output.exists() && !args.overwrite {
        return Err(Failure::OnStdout(format!(
            "{} already exists. Use --overwrite to replace it.",
            display(&output)
        )));
    }
    // 2. The reference creates the folder before reading the secrets file.
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", display(parent)))?;
    }
    // 3. Read the secrets.
    let file = super::load(path, super::NotFound::Stdout)?;
    let generated = generate(file.entries());
    for renamed in &generated.renamed {
        eprintln!(
            "Renamed key {} to attribute {} ({})",
            repr_str(&renamed.key),
            renamed.attribute,
            renamed.reason
        );
    }
    std::fs::write(&output, generated.code.as_bytes())
        .with_context(|| format!("cannot write {}", display(&output)))?;
    writeln!(out, "Generated: {}", display(&output))?;
    // The process ends now; freeing every entry one by one would only cost time.
    std::mem::forget(file);
    Ok(())
}
