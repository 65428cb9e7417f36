//! `hst get KEY`: one value, raw (strings) or as Python's `repr` (everything else).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::args::GetArgs;
use crate::clipboard::Clipboard;
use crate::core::error::Error;
use crate::core::file::SecretFile;
use crate::core::path::resolve;
use crate::core::pyrepr::{exposed_text, repr_str};

pub fn run(args: &GetArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let non_empty = |k: &Option<String>| k.clone().filter(|k| !k.is_empty());
    let Some(key) = non_empty(&args.key).or_else(|| non_empty(&args.key_opt)) else {
        eprintln!("Error: key is required. Use: hst get <key> or hst get --key <key>");
        return Ok(ExitCode::FAILURE);
    };
    let path = resolve(args.path.as_deref().map(Path::new));
    let file = match SecretFile::load(&path) {
        Ok(file) => file,
        Err(e) if e.is_not_found() => {
            eprintln!("Error: {e}");
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    let value = match file.lookup(&key) {
        Ok(value) => value,
        Err(e @ Error::KeyNotFound { .. }) => {
            // The reference prints `str(KeyError(msg))`, which is `repr(msg)`.
            eprintln!("Error: {}", repr_str(&e.to_string()));
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    let text = exposed_text(value);
    if args.clipboard {
        let copied = Clipboard::open().and_then(|mut clipboard| clipboard.copy(&text));
        return match copied {
            Ok(()) => {
                eprintln!("Copied to clipboard.");
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("Error: {e}");
                Ok(ExitCode::FAILURE)
            }
        };
    }
    out.write_all(text.expose().as_bytes())?;
    if !args.no_newline {
        out.write_all(b"\n")?;
    }
    Ok(ExitCode::SUCCESS)
}
