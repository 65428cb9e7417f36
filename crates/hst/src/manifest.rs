//! `hst.toml`, a project's list of the secrets it needs: environment variable names mapped to
//! key paths (aliases, safe to commit), or to literal defaults. Each developer's own
//! `home_secret.toml` holds the values. Used by `hst run` and shown in the TUI.
//!
//! ```toml
//! [env]
//! GITHUB_TOKEN = "github.accounts.personal.users.dev.secrets.api_token.value"
//! PGPORT       = { key = "db.postgres_local.port" }
//! LOG_LEVEL    = { default = "info" }
//! SENTRY_DSN   = { key = "sentry.accounts.dev.dsn", optional = true }
//! API_URL      = { key = "api.url", default = "http://localhost:8080" }
//! AWS_PROFILE  = { key = "aws.profile", keep_env = true }
//! ```
//!
//! A variable already set in the environment wins over a `default`; a key's value wins over
//! the environment unless `keep_env = true` (or `hst run --keep-env NAME`). Names that change
//! what runs or how ([`FORBIDDEN`]) are refused.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use toml::Spanned;

use home_secret_toml::limits::MAX_CONFIG_FILE;
use home_secret_toml::path::display;
use home_secret_toml::source::LineIndex;

/// The manifest's file name.
pub const FILE_NAME: &str = "hst.toml";

/// Folders that mark a repository's root: the search for a manifest stops there.
const REPOSITORY_MARKERS: [&str; 3] = [".git", ".hg", ".svn"];

/// Where a variable's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A key of the secrets file; its `default` is used when the key is absent or a
    /// placeholder (and the environment does not set the variable).
    Key {
        key: String,
        optional: bool,
        default: Option<String>,
        /// The environment's value, when it has one, wins over the key's.
        keep_env: bool,
    },
    /// A literal, not a secret; the environment's value wins over it.
    Default(String),
}

/// How a table or array value is put into a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Strings as they are, other scalars as TOML writes them; tables and arrays are refused.
    Plain,
    /// JSON (for tables and arrays; scalars too).
    Json,
}

/// One `[env]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub source: Source,
    pub format: Format,
    /// The line of the manifest it is on (0 for `--env` on the command line).
    pub line: usize,
}

/// A manifest, in its own order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    pub path: PathBuf,
    pub variables: Vec<Variable>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    env: Option<IndexMap<String, Spanned<toml::Value>>>,
}

impl Manifest {
    /// Reads and validates `path`. Errors are one line with the file's line and column.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = home_secret_toml::small_file::read_text(path, MAX_CONFIG_FILE)
            .map_err(|e| format!("{}: {e}", display(path)))?;
        Self::parse(path, &text)
    }

    /// Validates the text of a manifest read from `path` (named in messages).
    pub fn parse(path: &Path, text: &str) -> Result<Self, String> {
        let index = LineIndex::new(text);
        let at = |offset: usize| {
            let (line, column) = index.line_col(offset);
            format!("{}:{line}:{column}", display(path))
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            format!("{}: {}", at(offset), e.message().trim())
        })?;
        let mut variables = Vec::new();
        for (name, value) in file.env.unwrap_or_default() {
            let place = at(value.span().start);
            let line = index.line_col(value.span().start).0;
            let name_place = at(value_name_offset(text, &name, value.span().start));
            check_name(&name).map_err(|why| format!("{name_place}: {why}"))?;
            if is_forbidden(&name) {
                return Err(format!(
                    "{name_place}: {name} changes which program runs or how, so a manifest may \
                     not set it (hst run --env {name}=KEY can, with a warning)"
                ));
            }
            let (source, format) =
                entry(&name, value.get_ref()).map_err(|why| format!("{place}: {why}"))?;
            if let Source::Key { key, .. } = &source {
                check_key(key).map_err(|why| format!("{place}: {name}: {why}"))?;
            }
            variables.push(Variable {
                name,
                source,
                format,
                line,
            });
        }
        Ok(Self {
            path: path.to_path_buf(),
            variables,
        })
    }

    /// The variable that injects `key`, if any.
    pub fn variable_for(&self, key: &str) -> Option<&Variable> {
        self.variables
            .iter()
            .find(|v| matches!(&v.source, Source::Key { key: k, .. } if k == key))
    }
}

/// Where the name of the entry whose value starts at `value_start` is written: the last
/// occurrence of the name before the value on its line (else the value itself).
fn value_name_offset(text: &str, name: &str, value_start: usize) -> usize {
    let line_start = text[..value_start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    text[line_start..value_start.min(text.len())]
        .rfind(name)
        .map_or(value_start, |i| line_start + i)
}

/// The manifest that applies in `dir`: the nearest `hst.toml` from `dir` up to the repository
/// root (the first folder with `.git`, `.hg` or `.svn`), never above it, so a hostile parent
/// folder cannot choose what is injected. Outside a repository only `dir` itself counts.
pub fn find(dir: &Path) -> Option<PathBuf> {
    let in_repository = dir.ancestors().any(is_repository_root);
    for folder in dir.ancestors() {
        let candidate = folder.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if !in_repository || is_repository_root(folder) {
            return None;
        }
    }
    None
}

fn is_repository_root(folder: &Path) -> bool {
    REPOSITORY_MARKERS
        .iter()
        .any(|marker| folder.join(marker).exists())
}

/// `KEY` or `{ key = …, optional = …, format = … }` or `{ default = …, format = … }`.
fn entry(name: &str, value: &toml::Value) -> Result<(Source, Format), String> {
    let table = match value {
        toml::Value::String(key) => {
            return Ok((
                Source::Key {
                    key: key.clone(),
                    optional: false,
                    default: None,
                    keep_env: false,
                },
                Format::Plain,
            ));
        }
        toml::Value::Table(table) => table,
        _ => {
            return Err(format!(
                "{name} must be a key path (\"a.b.c\") or a table like {{ key = \"a.b.c\" }}"
            ));
        }
    };
    const FIELDS: &str = "key, default, optional, keep_env, format";
    let mut key = None;
    let mut default = None;
    let mut optional = false;
    let mut keep_env = false;
    let mut format = Format::Plain;
    for (field, value) in table {
        match (field.as_str(), value) {
            ("key", toml::Value::String(s)) => key = Some(s.clone()),
            ("default", toml::Value::String(s)) => default = Some(s.clone()),
            ("optional", toml::Value::Boolean(b)) => optional = *b,
            ("keep_env", toml::Value::Boolean(b)) => keep_env = *b,
            ("format", toml::Value::String(s)) if s == "json" => format = Format::Json,
            ("format", toml::Value::String(s)) if s == "plain" => format = Format::Plain,
            ("format", _) => return Err(format!("{name}.format must be \"json\" or \"plain\"")),
            ("optional" | "keep_env", _) => {
                return Err(format!("{name}.{field} must be true or false"));
            }
            ("key" | "default", _) => return Err(format!("{name}.{field} must be a string")),
            (other, _) => {
                return Err(format!("{name}: unknown field `{other}` (known: {FIELDS})"));
            }
        }
    }
    match (key, default) {
        (None, None) => Err(format!("{name} needs a key (or a default)")),
        (Some(key), default) => Ok((
            Source::Key {
                key,
                optional,
                default,
                keep_env,
            },
            format,
        )),
        (None, Some(_)) if optional => {
            Err(format!("{name}: optional goes with a key, not a default"))
        }
        (None, Some(_)) if keep_env => Err(format!(
            "{name}: keep_env goes with a key (the environment already wins over a default)"
        )),
        (None, Some(text)) => Ok((Source::Default(text), format)),
    }
}

/// Variables that change which program runs or how it behaves (the loader, shells, language
/// runtimes, git, where HOME is). A manifest from a repository may not set them: it could run
/// its own code in place of the command, or make the loader print a secret. Names ending in `*`
/// are prefixes.
pub const FORBIDDEN: &[&str] = &[
    "PATH",
    "LD_*",
    "DYLD_*",
    "BASH_ENV",
    "ENV",
    "SHELLOPTS",
    "BASHOPTS",
    "BASH_FUNC_*",
    "PS4",
    "PROMPT_COMMAND",
    "IFS",
    "CDPATH",
    "GLOBIGNORE",
    "ZDOTDIR",
    "SHELL",
    "HOME",
    "TMPDIR",
    "PYTHONSTARTUP",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONUSERBASE",
    "PYTHONINSPECT",
    "NODE_OPTIONS",
    "NODE_PATH",
    "PERL5OPT",
    "PERL5LIB",
    "PERLLIB",
    "PERL5DB",
    "RUBYOPT",
    "RUBYLIB",
    "GEM_PATH",
    "GEM_HOME",
    "JAVA_TOOL_OPTIONS",
    "_JAVA_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "CLASSPATH",
    "DOTNET_STARTUP_HOOKS",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_EXEC_PATH",
    "GIT_CONFIG*",
    "GIT_ASKPASS",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_TEMPLATE_DIR",
    "GIT_PAGER",
    "GIT_EDITOR",
    "GIT_PROXY_COMMAND",
    "SSH_ASKPASS",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "LESSOPEN",
    "LESSCLOSE",
    "MANPAGER",
    "BROWSER",
    "GCONV_PATH",
    "LOCPATH",
    "NLSPATH",
    "HOSTALIASES",
    "RES_OPTIONS",
    "MALLOC_*",
    "GLIBC_TUNABLES",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "HST_*",
];

/// Whether `name` is one of the [`FORBIDDEN`] variables.
pub fn is_forbidden(name: &str) -> bool {
    FORBIDDEN.iter().any(|f| match f.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == *f,
    })
}

/// A portable environment variable name: letters, digits and `_`, not starting with a digit.
pub fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "{} is not a valid environment variable name (letters, digits and _, not starting with a digit)",
            home_secret_toml::python::repr_str(name)
        ))
    }
}

/// A key path with control characters or bidirectional overrides could read as another key
/// (a review of the manifest would not see what is injected): refused.
pub fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("the key is empty".to_string());
    }
    if key.chars().any(char::is_control) {
        return Err("the key contains control characters".to_string());
    }
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}');
    if key.chars().any(bidi) {
        return Err(
            "the key contains bidirectional control characters, which can make it read as another key"
                .to_string(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Manifest, String> {
        Manifest::parse(Path::new("hst.toml"), text)
    }

    #[test]
    fn the_issue_example_in_order() {
        let m = parse(
            "[env]\nGITHUB_TOKEN = \"github.a.b\"\nPGPORT = { key = \"db.port\" }\nLOG_LEVEL = { default = \"info\" }\nSENTRY_DSN = { key = \"sentry.dsn\", optional = true }\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = m.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["GITHUB_TOKEN", "PGPORT", "LOG_LEVEL", "SENTRY_DSN"]);
        assert_eq!(m.variables[2].source, Source::Default("info".into()));
        assert_eq!(
            m.variables[3].source,
            Source::Key {
                key: "sentry.dsn".into(),
                optional: true,
                default: None,
                keep_env: false,
            }
        );
        assert_eq!(m.variables[1].line, 3);
        assert!(parse("[env]\n").is_ok_and(|m| m.variables.is_empty()));
        assert!(parse("").is_ok());
    }

    #[test]
    fn validation_names_what_is_wrong_with_line_and_column() {
        let err = |text: &str| parse(text).err().unwrap_or_default();
        assert!(err("[env]\nA = { key = \"a\", typo = 1 }\n").contains("unknown field `typo`"));
        assert!(parse("[env]\nA = { key = \"a\", default = \"b\", keep_env = true }\n").is_ok());
        assert!(err("[env]\nA = { default = \"b\", keep_env = true }\n").contains("keep_env goes"));
        assert!(err("[env]\nPATH = { default = \"./bin\" }\n").starts_with("hst.toml:2:1: PATH"));
        let forbidden = err("[env]\nOK = \"a.b\"\n  LD_PRELOAD = \"gh.token\"\n");
        assert!(
            forbidden.starts_with("hst.toml:3:3: LD_PRELOAD changes which program runs"),
            "{forbidden}"
        );
        for name in [
            "PATH",
            "BASH_ENV",
            "ENV",
            "NODE_OPTIONS",
            "PYTHONSTARTUP",
            "GIT_SSH_COMMAND",
            "HOME",
            "DYLD_INSERT_LIBRARIES",
            "GIT_CONFIG_COUNT",
        ] {
            assert!(is_forbidden(name), "{name}");
        }
        for name in ["PATHS", "GITHUB_TOKEN", "HOMEPAGE", "LOG_LEVEL"] {
            assert!(!is_forbidden(name), "{name}");
        }
        assert!(err("[env]\n1A = \"a\"\n").contains("not a valid environment variable name"));
        assert!(err("[env]\n\"A-B\" = \"a\"\n").starts_with("hst.toml:2:"));
        assert!(err("[env]\nA = \"a\\u202eb\"\n").contains("bidirectional"));
        assert!(err("[env]\nA = \"a\\u0007\"\n").contains("control characters"));
        assert!(err("[other]\n").contains("unknown field `other`"));
        assert!(err("[env]\nA = 1\n").contains("must be a key path"));
        assert!(err("[env]\nA = { format = \"json\" }\n").contains("needs a key"));
    }
}
