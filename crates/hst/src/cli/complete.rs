//! Shell completion that knows the file: `hst get <TAB>` offers the key paths of the secrets
//! file (keys are aliases, never values). clap's dynamic completion engine calls back into the
//! binary (`HST_COMPLETE=bash hst -- hst get gi`), which reads the file and answers; the script
//! `hst completions SHELL` prints registers that call-back for `hst` and `hst-tui`.

use std::ffi::OsStr;
use std::io::Write;
use std::path::PathBuf;

use clap_complete::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use home_secret_toml::file::SecretFile;
use home_secret_toml::locate::resolve;

/// The variable the registration scripts set for the call-back. Not clap's default `COMPLETE`,
/// which a user may have set for something else (`hst` would then print a script instead of
/// running).
pub const VAR: &str = "HST_COMPLETE";

/// The key paths of the file named on the command line being completed (`--path`), else of
/// `$HST_PATH` or `~/home_secret.toml`, that start with what is typed.
pub fn keys(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(typed) = current.to_str() else {
        return Vec::new();
    };
    let Ok(path) = resolve(flag_in_command_line("--path").as_deref()) else {
        return Vec::new();
    };
    // An encrypted file opens with the identity named on the line; a passphrase is never
    // asked for here (no prompter is installed), so such a file completes nothing.
    if let Some(identity) = flag_in_command_line("--identity") {
        home_secret_toml::encrypted::keyring().use_identity(&identity);
    }
    let Ok(file) = SecretFile::load(&path) else {
        return Vec::new();
    };
    let mut keys: Vec<&str> = file
        .leaves()
        .map(|e| e.key.dotted())
        .filter(|k| k.starts_with(typed))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter().map(CompletionCandidate::new).collect()
}

/// `--path FILE` or `--path=FILE` (or another flag) among the words being completed (after
/// the `--` the shell passes them behind).
fn flag_in_command_line(flag: &str) -> Option<PathBuf> {
    let words: Vec<String> = std::env::args().skip_while(|a| a != "--").skip(1).collect();
    let mut found = None;
    let with_equals = format!("{flag}=");
    for (i, word) in words.iter().enumerate() {
        if let Some(value) = word.strip_prefix(&with_equals) {
            found = Some(PathBuf::from(value));
        } else if word == flag {
            found = words.get(i + 1).map(PathBuf::from);
        }
    }
    found
}

/// The registration script of `shell` for both binaries.
pub fn write_script(shell: clap_complete::Shell, out: &mut dyn Write) -> std::io::Result<()> {
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Zsh => &Zsh,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::Elvish => &Elvish,
        clap_complete::Shell::PowerShell => &Powershell,
        _ => &Bash,
    };
    for bin in ["hst", "hst-tui"] {
        completer.write_registration(VAR, bin, bin, bin, out)?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_register_both_binaries_with_our_variable() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
        ] {
            let mut out = Vec::new();
            write_script(shell, &mut out).unwrap_or_else(|e| panic!("{e}"));
            let text = String::from_utf8_lossy(&out);
            assert!(text.contains("HST_COMPLETE"), "{shell}");
            assert!(text.contains("hst-tui"), "{shell}");
        }
    }
}
