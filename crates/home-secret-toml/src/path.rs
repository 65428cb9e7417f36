//! Where the secrets file is, and how paths are printed.

use std::path::{Path, PathBuf};

/// The file name the reference uses in the home directory.
pub const FILE_NAME: &str = "home_secret.toml";

/// Environment variable that points at another secrets file (a `--path` flag still wins).
pub const PATH_ENV: &str = "HST_PATH";

/// The home directory as Python's `Path.home()` sees it: `$HOME` when set (an empty `$HOME` is
/// `/`), otherwise the account's home directory (through `dirs`).
pub fn home_dir() -> PathBuf {
    match std::env::var_os("HOME") {
        Some(home) if home.is_empty() => PathBuf::from("/"),
        Some(home) => PathBuf::from(home),
        None => dirs::home_dir().unwrap_or_else(|| PathBuf::from("/")),
    }
}

/// `$HOME/home_secret.toml`, or `$HOME/home_secret.toml.age` when only the encrypted one exists.
pub fn default_path() -> PathBuf {
    let plain = plain_default();
    let sealed = sealed_name(&plain);
    if !exists(&plain) && exists(&sealed) {
        sealed
    } else {
        plain
    }
}

/// `NAME.age` beside `NAME`.
pub fn sealed_name(plain: &Path) -> PathBuf {
    let mut name = plain.as_os_str().to_os_string();
    name.push(crate::encrypted::SUFFIX);
    PathBuf::from(name)
}

/// Whether anything (a file, a dangling symlink) is at `path`.
fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// The file to use: the flag, else `$HST_PATH`, else the default. `~` is expanded in both.
/// The default is `~/home_secret.toml`, or `~/home_secret.toml.age` when that one exists; both
/// existing is an error, since either could be the one that is up to date.
pub fn resolve(flag: Option<&Path>) -> Result<PathBuf, crate::error::Error> {
    match named(flag) {
        Some(path) => Ok(path),
        None => {
            let plain = plain_default();
            let sealed = sealed_name(&plain);
            match (exists(&plain), exists(&sealed)) {
                (true, true) => Err(crate::error::Error::BothFiles { plain, sealed }),
                (false, true) => Ok(sealed),
                _ => Ok(plain),
            }
        }
    }
}

/// The file the user named (the flag, else `$HST_PATH`), or `None` for the default.
pub fn named(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = flag {
        return Some(expand_tilde(path));
    }
    match std::env::var_os(PATH_ENV) {
        Some(env) if !env.is_empty() => Some(expand_tilde(Path::new(&env))),
        _ => None,
    }
}

/// `$HOME/home_secret.toml`, whether or not it exists.
pub fn plain_default() -> PathBuf {
    home_dir().join(FILE_NAME)
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
