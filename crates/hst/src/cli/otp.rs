//! `hst otp KEY [-c]`: the current one-time code of a value holding an `otpauth://totp/` URI,
//! as `pass otp` prints it (the code alone on stdout); how long it stays valid goes to stderr
//! on a terminal.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::Failure;
use crate::cli::args::OtpArgs;
use home_secret_toml::otp::Totp;

pub fn run(args: &OtpArgs, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let file = super::load(path, super::NotFound::Stderr)?;
    let value = file.lookup(&args.key).map_err(|e| match e {
        home_secret_toml::Error::KeyNotFound { .. } => {
            super::get::not_found_message(&file, &args.key, &e)
        }
        e => Failure::File(e),
    })?;
    // A reference's value is fetched first: the otpauth URI can live in a vault too.
    let resolved = match value.as_reference() {
        Some(_) => Some(
            crate::resolve::text(&args.key, value, home_secret_toml::TextForm::Toml)
                .map_err(Failure::Message)?,
        ),
        None => None,
    };
    let Some(uri) = resolved.as_ref().or(value.as_secret()) else {
        let kind = value.kind().name();
        let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        return Err(Failure::Message(format!(
            "{} is {article} {kind}, not an otpauth://totp/ URI",
            args.key
        )));
    };
    let totp =
        Totp::parse(uri.expose()).map_err(|e| Failure::Message(format!("{} {e}", args.key)))?;
    let (code, left) = totp.code_now();
    if let Some(backend) = args.clipboard {
        super::get::copy(&code, backend, args.clipboard_timeout)?;
        eprintln!("The code changes in {left} s.");
        return Ok(());
    }
    out.write_all(code.expose().as_bytes())?;
    out.write_all(b"\n")?;
    if std::io::stderr().is_terminal() {
        out.flush()?;
        eprintln!("(changes in {left} s)");
    }
    Ok(())
}
