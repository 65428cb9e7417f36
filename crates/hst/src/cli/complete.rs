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

/// `--env NAME=KEY`: after the `=`, the key paths (the typed `NAME=` kept in front).
pub fn env_pairs(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(typed) = current.to_str() else {
        return Vec::new();
    };
    let Some((name, key)) = typed.split_once('=') else {
        return Vec::new();
    };
    keys(OsStr::new(key))
        .into_iter()
        .map(|c| {
            let value = format!("{name}={}", c.get_value().to_string_lossy());
            CompletionCandidate::new(value)
        })
        .collect()
}

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
    let word = ShellWord::from_env(typed);
    let mut keys: Vec<&str> = file
        .leaves()
        .map(|e| e.key.dotted())
        .filter(|k| k.starts_with(word.typed.as_str()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .map(|k| CompletionCandidate::new(word.insertable(k)))
        .collect()
}

/// The word being completed, as the shell gave it, and how a key must be written back into
/// the command line so the shell reads it as that key (a key may hold spaces, quotes, `$`).
struct ShellWord {
    /// What the user typed, with the shell's quoting taken off.
    typed: String,
    /// Bash inserts a candidate as it is: outside quotes it must come backslash-escaped.
    escape: bool,
}

impl ShellWord {
    /// zsh (`_describe`) and fish quote what they insert themselves, and so does bash inside
    /// an opened quote (readline closes it); bash outside quotes inserts the text verbatim.
    /// Bash gives the word without an opening quote but with backslashes, so our bash script
    /// passes the raw word in `_HST_COMPLETE_WORD` to tell the two apart.
    fn from_env(typed: &str) -> Self {
        let shell = SHELL.get().map_or("", String::as_str);
        let raw = std::env::var(RAW_WORD).unwrap_or_else(|_| typed.to_string());
        let quoted = raw.starts_with(['"', '\'']);
        Self {
            typed: unquote(typed),
            escape: shell == "bash" && !quoted,
        }
    }

    fn insertable(&self, key: &str) -> String {
        if self.escape {
            escape_for_bash(key)
        } else {
            key.to_string()
        }
    }
}

/// The shell asking, kept before clap's engine takes `HST_COMPLETE` out of the environment.
static SHELL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Notes which shell is asking for completions (call before clap's engine runs).
pub fn remember_shell() {
    if let Ok(shell) = std::env::var(VAR) {
        let _ = SHELL.set(shell);
    }
}

/// The raw word being completed, set by the bash registration script.
const RAW_WORD: &str = "_HST_COMPLETE_WORD";

/// `typed` without the shell's quoting: an opening quote dropped, backslash escapes resolved.
fn unquote(typed: &str) -> String {
    let body = typed
        .strip_prefix('"')
        .or_else(|| typed.strip_prefix('\''))
        .unwrap_or(typed);
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// `key` with every character bash would treat specially preceded by a backslash.
fn escape_for_bash(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if !(c.is_alphanumeric() || "._-+,@%^/:=".contains(c)) {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
        if shell == clap_complete::Shell::Bash {
            write_bash(bin, out)?;
        } else {
            completer.write_registration(VAR, bin, bin, bin, out)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// clap's bash registration, plus the raw word in `_HST_COMPLETE_WORD`: bash hands the
/// completer the word without its opening quote, and only the raw word says whether the key
/// must come back escaped (see [`ShellWord`]).
fn write_bash(bin: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let name = bin.replace('-', "_");
    let script = r#"
_clap_complete_NAME() {
    local IFS=$'\013'
    local _CLAP_COMPLETE_INDEX=${COMP_CWORD}
    local _CLAP_COMPLETE_COMP_TYPE=${COMP_TYPE}
    if compopt +o nospace 2> /dev/null; then
        local _CLAP_COMPLETE_SPACE=false
    else
        local _CLAP_COMPLETE_SPACE=true
    fi
    local words=("${COMP_WORDS[@]}")
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        words[COMP_CWORD]="$2"
    fi
    COMPREPLY=( $( \
        _CLAP_IFS="$IFS" \
        _CLAP_COMPLETE_INDEX="$_CLAP_COMPLETE_INDEX" \
        _CLAP_COMPLETE_COMP_TYPE="$_CLAP_COMPLETE_COMP_TYPE" \
        _CLAP_COMPLETE_SPACE="$_CLAP_COMPLETE_SPACE" \
        _HST_COMPLETE_WORD="${COMP_WORDS[COMP_CWORD]}" \
        VAR="bash" \
        "BIN" -- "${words[@]}" \
    ) )
    if [[ $? != 0 ]]; then
        unset COMPREPLY
    elif [[ $_CLAP_COMPLETE_SPACE == false ]] && [[ "${COMPREPLY-}" =~ [=/:]$ ]]; then
        compopt -o nospace
    fi
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -o nospace -o bashdefault -o nosort -F _clap_complete_NAME BIN
else
    complete -o nospace -o bashdefault -F _clap_complete_NAME BIN
fi
"#
    .replace("NAME", &name)
    .replace("BIN", bin)
    .replace("VAR", VAR);
    writeln!(out, "{script}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_lose_their_quoting_and_keys_are_escaped_for_bash() {
        assert_eq!(unquote("a.my\\ k"), "a.my k");
        assert_eq!(unquote("\"a.my k"), "a.my k");
        assert_eq!(unquote("'it\\'s"), "it's");
        assert_eq!(escape_for_bash("a.my key.$x"), "a.my\\ key.\\$x");
        assert_eq!(escape_for_bash("plain.key_1-2"), "plain.key_1-2");
    }

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
