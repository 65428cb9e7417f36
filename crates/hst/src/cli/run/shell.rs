//! `hst env`: the manifest's variables as text another program reads: `sh` (for
//! `eval "$(hst env)"` in bash, zsh, dash and direnv's `.envrc`), `fish`, `dotenv`, `json`.
//! Every value is quoted so the reader gets its exact bytes back (quotes, newlines, `$`,
//! backticks included).

use std::io::Write;

use crate::cli::args::EnvFormat;

pub fn write(format: EnvFormat, vars: &[(&str, &str)], out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        EnvFormat::Sh => {
            for (name, value) in vars {
                writeln!(out, "export {name}={}", sh_quote(value))?;
            }
        }
        EnvFormat::Fish => {
            for (name, value) in vars {
                writeln!(out, "set -gx {name} {}", fish_quote(value))?;
            }
        }
        EnvFormat::Dotenv => {
            for (name, value) in vars {
                writeln!(out, "{name}={}", dotenv_quote(value))?;
            }
        }
        EnvFormat::Json => {
            let object: serde_json::Map<String, serde_json::Value> = vars
                .iter()
                .map(|(n, v)| {
                    (
                        (*n).to_string(),
                        serde_json::Value::String((*v).to_string()),
                    )
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &object).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// POSIX shells: single quotes take every byte literally; a `'` is closed, escaped, reopened.
pub fn sh_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

/// fish: inside single quotes only `\\` and `\'` are escapes.
pub fn fish_quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// dotenv (python-dotenv, dotenvx): single quotes are literal when the value has no `'` and no
/// line break; otherwise double quotes with `\\`, `\"`, `\n`, `\r`, `\t` escapes (a `$` in
/// double quotes may be expanded by readers that interpolate: python-dotenv does for `${NAME}`).
pub fn dotenv_quote(value: &str) -> String {
    if !value.contains(['\'', '\n', '\r']) {
        return format!("'{value}'");
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_every_byte() {
        assert_eq!(sh_quote("it's $HOME `x`"), "'it'\\''s $HOME `x`'");
        assert_eq!(fish_quote("a\\b'c"), "'a\\\\b\\'c'");
        assert_eq!(dotenv_quote("plain $x"), "'plain $x'");
        assert_eq!(
            dotenv_quote("two\nlines \"q\""),
            "\"two\\nlines \\\"q\\\"\""
        );
    }
}
