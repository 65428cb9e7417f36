//! Paths as the reference prints them, `~` expanded, the home directory as Python sees it.

use std::path::{Path, PathBuf};

/// The home directory as Python's `Path.home()` sees it: `$HOME` when set (an empty `$HOME` is
/// `/`), otherwise the account's home directory (through `dirs`).
pub fn home_dir() -> PathBuf {
    match std::env::var_os("HOME") {
        Some(home) if home.is_empty() => PathBuf::from("/"),
        Some(home) => PathBuf::from(home),
        None => dirs::home_dir().unwrap_or_else(|| PathBuf::from("/")),
    }
}

/// `~` and `~/rest` become the home directory (a deliberate change from the reference, which
/// looks for a folder literally named `~`). `~user` is left alone. An empty path is `.`, as in
/// pathlib.
pub fn expand_tilde(path: &Path) -> PathBuf {
    if path.as_os_str().is_empty() {
        return PathBuf::from(".");
    }
    let Some(text) = path.to_str() else {
        return path.to_path_buf();
    };
    if text == "~" {
        home_dir()
    } else if let Some(rest) = text.strip_prefix("~/") {
        home_dir().join(rest)
    } else {
        path.to_path_buf()
    }
}

/// A path as Python's `str(pathlib.PurePosixPath(p))` prints it: repeated `/` collapsed, `.`
/// segments and a trailing `/` dropped, `..` kept, exactly two leading slashes kept, `.` if empty.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    let root = if text.starts_with("//") && !text.starts_with("///") {
        "//"
    } else if text.starts_with('/') {
        "/"
    } else {
        ""
    };
    let parts: Vec<&str> = text
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if root.is_empty() && parts.is_empty() {
        return ".".to_string();
    }
    format!("{root}{}", parts.join("/"))
}

/// Python's `PurePath.suffix` of a displayed path: the last `.`-part of the final component,
/// empty when the name starts with its only dot or ends with a dot.
pub(crate) fn python_suffix(displayed: &str) -> &str {
    let name = displayed.rsplit('/').next().unwrap_or("");
    match name.rfind('.') {
        Some(i) if i > 0 && i < name.len() - 1 => &name[i..],
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matches_pure_posix_path() {
        let cases = [
            ("./nope//x.toml/", "nope/x.toml"),
            ("a/../b/./c.toml", "a/../b/c.toml"),
            ("//tmp/x", "//tmp/x"),
            ("///tmp/x", "/tmp/x"),
            ("", "."),
            (".", "."),
            ("/", "/"),
            ("~/x.toml", "~/x.toml"),
            ("/x//home_secret.toml", "/x/home_secret.toml"),
        ];
        for (given, want) in cases {
            assert_eq!(display(Path::new(given)), want, "display({given:?})");
        }
    }

    #[test]
    fn suffix_is_case_sensitive_and_ignores_leading_dot() {
        assert_eq!(python_suffix("out.py"), ".py");
        assert_eq!(python_suffix("X.PY"), ".PY");
        assert_eq!(python_suffix(".py"), "");
        assert_eq!(python_suffix("dir/a.tar.py"), ".py");
        assert_eq!(python_suffix("name."), "");
        assert_eq!(python_suffix("newdir"), "");
    }

    #[test]
    fn tilde_expands_to_home() {
        let home = home_dir();
        assert_eq!(expand_tilde(Path::new("~")), home);
        assert_eq!(expand_tilde(Path::new("~/x.toml")), home.join("x.toml"));
        assert_eq!(expand_tilde(Path::new("~bob/x")), PathBuf::from("~bob/x"));
        assert_eq!(expand_tilde(Path::new("a/~")), PathBuf::from("a/~"));
    }
}
