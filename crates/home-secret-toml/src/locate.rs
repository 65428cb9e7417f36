//! Which secrets file a command uses: `--path`, else `$HST_PATH`, else `$HOME/home_secret.toml`
//! or its encrypted twin `home_secret.toml.age`.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::path::{expand_tilde, home_dir};

/// The file name the reference uses in the home directory.
pub const FILE_NAME: &str = "home_secret.toml";

/// Environment variable that points at another secrets file (a `--path` flag still wins).
pub const PATH_ENV: &str = "HST_PATH";

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
pub fn resolve(flag: Option<&Path>) -> Result<PathBuf, Error> {
    match named(flag) {
        Some(path) => Ok(path),
        None => {
            let plain = plain_default();
            let sealed = sealed_name(&plain);
            match (exists(&plain), exists(&sealed)) {
                (true, true) => Err(Error::BothFiles { plain, sealed }),
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
