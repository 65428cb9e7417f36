//! `hst set KEY VALUE` / `hst set KEY --stdin`: one value changed (or one line added), nothing
//! else in the file touched, written atomically. The value is never printed.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use zeroize::Zeroizing;

use crate::cli::args::SetArgs;
use crate::core::edit::{self, Edit, InputType};
use crate::core::file::SecretFile;
use crate::core::key_path::KeyPath;
use crate::core::path::resolve;

pub fn run(args: &SetArgs) -> anyhow::Result<ExitCode> {
    let text = match (&args.value, args.stdin) {
        (Some(v), false) => Zeroizing::new(v.clone()),
        (None, true) => {
            let mut buf = Zeroizing::new(String::new());
            std::io::stdin().read_to_string(&mut buf)?;
            let trimmed = buf
                .strip_suffix("\r\n")
                .or_else(|| buf.strip_suffix('\n'))
                .unwrap_or(&buf);
            Zeroizing::new(trimmed.to_string())
        }
        _ => {
            eprintln!("Error: give the value, or --stdin to read it from standard input");
            return Ok(ExitCode::FAILURE);
        }
    };
    let path = resolve(args.path.as_deref().map(Path::new));
    let file = match SecretFile::load(&path) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("Error: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    // Split on dots, as `hst get` and the reference's lookups do.
    let key = KeyPath::new(args.key.split('.'));
    let existing = file.leaf(&key);
    let input = match &args.kind {
        Some(name) => match InputType::parse_name(name) {
            Some(t) => t,
            None => {
                eprintln!(
                    "Error: unknown --type {name} (use string, int, float, bool, datetime or raw)"
                );
                return Ok(ExitCode::FAILURE);
            }
        },
        None => existing.map_or(InputType::String, |e| InputType::for_kind(e.value.kind())),
    };
    let old_literal = existing.map(|e| &file.text()[e.span.clone()]);
    let result = edit::value_literal(input, &text, old_literal).and_then(|literal| {
        let edit = match existing {
            Some(_) => Edit::Set {
                key: key.clone(),
                literal,
            },
            None => Edit::Add {
                key: key.clone(),
                literal,
            },
        };
        edit::apply(&file, &edit)
    });
    let new_text = match result {
        Ok(t) => Zeroizing::new(t),
        Err(e) => {
            eprintln!("Error: {key}: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    if let Err(e) = edit::save(&path, file.text().as_bytes(), new_text.as_bytes()) {
        eprintln!("Error: {e}");
        return Ok(ExitCode::FAILURE);
    }
    if let Some(warning) = edit::mode_warning(&path) {
        eprintln!("Warning: {warning}");
    }
    eprintln!(
        "{} {key}.",
        if existing.is_some() {
            "Updated"
        } else {
            "Added"
        }
    );
    Ok(ExitCode::SUCCESS)
}
