//! `hst set KEY [VALUE|--stdin]`: one value changed (or one line added), nothing else in the
//! file touched, written atomically under the writers' lock. Without a value it asks on the
//! terminal, without echo. The value is never printed.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::process::ExitCode;

use zeroize::Zeroizing;

use crate::cli::args::SetArgs;
use crate::core::edit::{self, InputType};
use crate::core::file::SecretFile;
use crate::core::key_path::KeyPath;
use crate::core::path::resolve;
use crate::core::store::{SaveError, Store};

/// A file changed between our read and our write by a program that takes no lock: the edit is
/// made again on what is there now, this many times at most.
const ATTEMPTS: usize = 3;

pub fn run(args: &SetArgs) -> anyhow::Result<ExitCode> {
    let path = resolve(args.path.as_deref().map(Path::new));
    let forced = match &args.kind {
        Some(name)
            if args.generate.is_some()
                && InputType::parse_name(name) != Some(InputType::String) =>
        {
            return fail(format!(
                "--generate makes text; --type {name} does not fit it"
            ));
        }
        _ if args.generate.is_some() => Some(InputType::String),
        Some(name) => match InputType::parse_name(name) {
            Some(t) => Some(t),
            None => {
                return fail(format!(
                    "unknown --type {name} (use string, int, float, bool, datetime or raw)"
                ));
            }
        },
        None => None,
    };
    // Look before asking: a wrong path should not cost the user typing a secret first.
    if let Err(e) = SecretFile::load(&path) {
        return fail(e.to_string());
    }
    let text = match args.generate {
        Some(len) => match generate(usize::from(len)) {
            Ok(text) => Ok(text),
            Err(e) => return fail(e),
        },
        None => read_value(args),
    };
    let text = match text {
        Ok(text) => text,
        Err(message) => return fail(message),
    };
    // Split on dots, as `hst get` and the reference's lookups do.
    let key = KeyPath::new(args.key.split('.'));
    let guard = match Store::new(&path).lock() {
        Ok(guard) => guard,
        Err(e) => return fail(e.to_string()),
    };
    let mut attempt = 1;
    let (saved, existed) = loop {
        let file = match guard
            .read()
            .and_then(|s| SecretFile::from_snapshot(&path, s))
        {
            Ok(file) => file,
            Err(e) => return fail(e.to_string()),
        };
        let existed = file.leaf(&key).is_some();
        let new_text = match edit::set_value(&file, &key, &text, forced) {
            Ok((_, t)) => Zeroizing::new(t),
            Err(e) if e.names_key() => return fail(e.to_string()),
            Err(e) => return fail(format!("{key}: {e}")),
        };
        match guard.write(new_text.as_bytes(), &file.revision()) {
            Ok(saved) => break (saved, existed),
            Err(SaveError::Conflict(_)) if attempt < ATTEMPTS => attempt += 1,
            Err(e) => return fail(e.to_string()),
        }
    };
    drop(guard);
    for warning in saved.warnings {
        eprintln!("Warning: {warning}");
    }
    if let Some(warning) = edit::mode_warning(&path) {
        eprintln!("Warning: {warning}");
    }
    let verb = if existed { "Updated" } else { "Added" };
    match args.generate {
        Some(len) => {
            eprintln!("{verb} {key} with a new random value of {len} characters (not shown).")
        }
        None => eprintln!("{verb} {key}."),
    }
    if args.copy {
        let value = crate::core::value::SecretValue::new(text.as_str());
        return super::get::copy(&value, "", None);
    }
    Ok(ExitCode::SUCCESS)
}

/// Letters and digits from the operating system's random generator, each of the 62 equally
/// likely (bytes that would favour some are drawn again).
fn generate(len: usize) -> Result<Zeroizing<String>, String> {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = Zeroizing::new(String::with_capacity(len));
    let mut pool = Zeroizing::new([0u8; 64]);
    while out.len() < len {
        getrandom::fill(&mut pool[..])
            .map_err(|e| format!("the system's random generator failed ({e})"))?;
        for &b in pool.iter() {
            // 248 = 4 × 62: the bytes above would make the first characters likelier.
            if b < 248 && out.len() < len {
                out.push(char::from(ALPHABET[usize::from(b % 62)]));
            }
        }
    }
    Ok(out)
}

fn fail(message: String) -> anyhow::Result<ExitCode> {
    eprintln!("Error: {message}");
    Ok(ExitCode::FAILURE)
}

/// The value: the argument, standard input, or asked for twice on the terminal.
fn read_value(args: &SetArgs) -> Result<Zeroizing<String>, String> {
    let text = match (&args.value, args.stdin) {
        (Some(v), _) => return Ok(Zeroizing::new(v.clone())),
        (None, true) => {
            let mut buf = Zeroizing::new(String::new());
            std::io::stdin()
                .read_to_string(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            let trimmed = buf
                .strip_suffix("\r\n")
                .or_else(|| buf.strip_suffix('\n'))
                .unwrap_or(&buf);
            Zeroizing::new(trimmed.to_string())
        }
        (None, false) if std::io::stdin().is_terminal() => prompt_twice(&args.key)?,
        (None, false) => {
            return Err(
                "no value: run hst set KEY on a terminal to be asked for it, or pipe \
                        it in with --stdin"
                    .to_string(),
            );
        }
    };
    if text.is_empty() && !args.allow_empty {
        return Err(if args.stdin {
            "standard input was empty; nothing was written (use --allow-empty to set an empty value)"
        } else {
            "the value is empty; nothing was written (use --allow-empty to set an empty value)"
        }
        .to_string());
    }
    Ok(text)
}

/// Asks on the terminal without echo, twice, as `pass insert` does: a typo in a secret that
/// nobody sees is otherwise found only when it fails to work.
fn prompt_twice(key: &str) -> Result<Zeroizing<String>, String> {
    let ask = |prompt: String| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| format!("cannot read the value from the terminal: {e}"))
    };
    let first = ask(format!("Value for {key}: "))?;
    let second = ask("Again, to be sure: ".to_string())?;
    if first != second {
        return Err("the two values differ; nothing was written".to_string());
    }
    Ok(first)
}
