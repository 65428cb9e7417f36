//! `hst set KEY [VALUE|--stdin]`: one value changed (or one line added), nothing else in the
//! file touched, written atomically under the writers' lock. Without a value it asks on the
//! terminal, without echo. The value is never printed.

use std::io::{IsTerminal, Read};
use std::path::Path;

use zeroize::Zeroizing;

use super::Failure;
use super::locked_edit::Made;
use crate::cli::args::SetArgs;
use home_secret_toml::edit::{self, EditError, InputType, SetInPlace};
use home_secret_toml::file::SecretFile;
use home_secret_toml::key_path::KeyPath;
use home_secret_toml::store::Store;

/// `--ref URI`: the reference's text, once its backend gave a value for it (unless `no_check`).
fn checked_reference(key: &str, uri: &str, no_check: bool) -> Result<Zeroizing<String>, Failure> {
    use home_secret_toml::value::{Reference, Resolve};
    let Some(reference) = Reference::parse(uri) else {
        return Err(msg(
            "--ref takes a reference hst resolves (not quoted here, in case it is a secret): \
             vault://PATH#FIELD, aws-sm://ID#KEY, op://VAULT/ITEM/FIELD, pass://ENTRY, or \
             NAME://… for a [backends.NAME] of the config"
                .to_string(),
        ));
    };
    if !no_check {
        // The value is fetched and dropped: only whether it can be is wanted.
        crate::resolve::resolver()
            .resolve(&reference)
            .map_err(|why| {
                msg(format!(
                    "{key}: {uri}: {why}; nothing was written (--no-check writes it anyway)"
                ))
            })?;
    }
    Ok(Zeroizing::new(uri.to_string()))
}

pub fn run(args: &SetArgs, path: &Path) -> Result<(), Failure> {
    // As `hst get` has it: an empty key names nothing `hst get` would look up.
    if args.key.is_empty() {
        return Err(msg(
            "the key cannot be empty: hst set KEY [VALUE] takes a dotted path like \
             github.accounts.me.secrets.token.value"
                .to_string(),
        ));
    }
    let forced = match args.kind {
        Some(kind) if args.generate.is_some() && kind != InputType::String => {
            return Err(msg(format!(
                "--generate makes text; --type {} does not fit it",
                kind.label()
            )));
        }
        _ if args.generate.is_some() => Some(InputType::String),
        kind => kind,
    };
    // Look before asking (a wrong path should not cost the user typing a secret first), before
    // a backend is asked about a reference, and before the clipboard is: said in that order.
    // Otherwise the edit itself reads the file once (a million keys: a second pass is seconds).
    let asks = args.value.is_none()
        && args.reference.is_none()
        && args.generate.is_none()
        && std::io::stdin().is_terminal();
    if asks || args.copy || args.reference.is_some() {
        SecretFile::check(path, Store::new(path).read()?)?;
    }
    // A new value that cannot reach the clipboard would be written and known to nobody.
    if args.copy {
        super::get::clipboard_ready()?;
    }
    let (text, forced) = match (&args.reference, args.generate) {
        (Some(uri), _) => (
            checked_reference(&args.key, uri, args.no_check)?,
            Some(InputType::String),
        ),
        (None, Some(len)) => (generate(usize::from(len)).map_err(msg)?, forced),
        (None, None) => (read_value(args).map_err(msg)?, forced),
    };
    // Split on dots, as `hst get` and the reference's lookups do.
    let key = KeyPath::new(args.key.split('.'));
    let existed = super::locked_edit::edit_read(path, |snapshot| {
        let refused = |e: EditError| super::locked_edit::edit_error(&e, &key.to_string());
        match edit::set_in_place(path, snapshot, &key, &text, forced)? {
            SetInPlace::Spliced(spliced) => Ok((!spliced.added(), Made::Spliced(spliced))),
            SetInPlace::Refused(e) => Err(refused(e)),
            SetInPlace::Whole(file) => {
                let existed = file.leaf(&key).is_some();
                let (_, edited) = edit::set_value(&file, &key, &text, forced).map_err(refused)?;
                Ok((existed, Made::File(Box::new(edited), file.revision())))
            }
        }
    })?;
    let verb = if existed { "Updated" } else { "Added" };
    match args.generate {
        Some(len) => {
            eprintln!("{verb} {key} with a new random value of {len} characters (not shown).")
        }
        None => eprintln!("{verb} {key}."),
    }
    if args.copy {
        let value = home_secret_toml::value::SecretValue::new(text.as_str());
        return super::get::copy(&value, None, None);
    }
    Ok(())
}

fn msg(message: String) -> Failure {
    Failure::Message(message)
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

/// The largest value `--stdin` takes (a certificate chain is kilobytes).
const MAX_VALUE_BYTES: u64 = 16 * 1024 * 1024;

/// The value: the argument, standard input, or asked for twice on the terminal.
fn read_value(args: &SetArgs) -> Result<Zeroizing<String>, String> {
    let text = match (&args.value, args.stdin) {
        (Some(v), _) => return Ok(Zeroizing::new(v.clone())),
        // `--stdin` from a terminal would echo the secret as it is typed, with no prompt: ask
        // the way `hst set KEY` does.
        (None, true) if std::io::stdin().is_terminal() => prompt_twice(&args.key)?,
        (None, true) => {
            let mut buf = Zeroizing::new(String::new());
            // Bounded: `--stdin < /dev/zero` must end, with a message, not fill the memory.
            let read = std::io::stdin()
                .take(MAX_VALUE_BYTES + 1)
                .read_to_string(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            if read as u64 > MAX_VALUE_BYTES {
                return Err(format!(
                    "the value on standard input is over {} MiB; hst keeps values that fit in \
                     a secrets file",
                    MAX_VALUE_BYTES / (1024 * 1024)
                ));
            }
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
        super::prompt::hidden(&prompt)
            .map_err(|e| format!("cannot read the value from the terminal: {e}"))
    };
    let first = ask(format!("Value for {key}: "))?;
    let second = ask("Again, to be sure: ".to_string())?;
    if first != second {
        return Err("the two values differ; nothing was written".to_string());
    }
    Ok(first)
}
