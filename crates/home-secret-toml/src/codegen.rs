//! The Python enum module (`home_secret_enum.py`), byte for byte as the reference writes it for
//! every key whose attribute is a valid Python name; other keys get a valid, unique name and a
//! properly escaped string, and are reported so the user knows.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::entry::Entry;
use crate::path::{display, python_suffix};

/// The reference's default output file name.
pub const OUTPUT_NAME: &str = "home_secret_enum.py";

const HEADER: &str = "\ntry:\n    from home_secret_toml import hs\nexcept ImportError:  # pragma: no cover\n    pass\n\n\nclass Secret:\n    # fmt: off\n";
const TAIL: &str = "\n    # fmt: on\n\n\ndef _validate_secret():\n    print(\"Validate secret:\")\n    for key, token in Secret.__dict__.items():\n        if key.startswith(\"_\") is False:\n            print(f\"{key} = {token.v}\")\n\n\nif __name__ == \"__main__\":\n    _validate_secret()\n";

/// Python's hard keywords: a valid identifier that is one of these does not compile.
const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// A key whose attribute name had to differ from the reference's `path.replace(".", "__")`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renamed {
    pub key: String,
    pub attribute: String,
    pub reason: &'static str,
}

/// The generated module and what it says about the keys.
#[derive(Clone, Debug)]
pub struct Generated {
    pub code: String,
    pub entries: usize,
    pub renamed: Vec<Renamed>,
}

/// Builds the module for the listed entries, in their order.
///
/// ```
/// # let dir = tempfile::tempdir()?;
/// # let path = dir.path().join("s.toml");
/// # std::fs::write(&path, "github.token.value = \"ghp_fake\"\n")?;
/// let file = home_secret_toml::SecretFile::load(&path)?;
/// let module = home_secret_toml::generate(file.entries());
/// assert!(module.code.contains(r#"github__token__value = hs.t("github.token.value")"#));
/// assert!(module.renamed.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn generate(entries: &[Entry]) -> Generated {
    let keys: Vec<&str> = entries.iter().map(|e| e.key.dotted()).collect();
    generate_for_keys(&keys)
}

pub fn generate_for_keys<S: AsRef<str>>(keys: &[S]) -> Generated {
    // Names the reference would use and Python accepts are kept first, so a renamed key can
    // never take a name that a well-formed key already has.
    let natural: Vec<String> = keys.iter().map(|k| k.as_ref().replace('.', "__")).collect();
    let mut used: HashSet<String> = HashSet::new();
    let mut keep = vec![false; keys.len()];
    for (i, name) in natural.iter().enumerate() {
        if is_valid_attribute(name) && used.insert(name.clone()) {
            keep[i] = true;
        }
    }
    let mut renamed = Vec::new();
    let mut body = String::with_capacity(keys.iter().map(|k| 2 * k.as_ref().len() + 16).sum());
    for (i, key) in keys.iter().map(AsRef::as_ref).enumerate() {
        let attribute = if keep[i] {
            natural[i].clone()
        } else {
            let reason = if is_valid_attribute(&natural[i]) {
                "duplicate attribute name"
            } else {
                "not a valid Python name"
            };
            let name = unique(sanitize(&natural[i]), &mut used);
            renamed.push(Renamed {
                key: key.to_string(),
                attribute: name.clone(),
                reason,
            });
            name
        };
        body.push_str("    ");
        body.push_str(&attribute);
        body.push_str(" = hs.t(");
        // Raw, as the reference writes it, unless a character would break the literal.
        body.push_str(&crate::python::python_double_quoted(key));
        body.push_str(")\n");
    }
    let code = format!("{HEADER}\n{body}{TAIL}");
    Generated {
        code,
        entries: keys.len(),
        renamed,
    }
}

/// Where the reference writes: `home_secret_enum.py` by default; into a directory when `output`
/// is one or does not end in `.py` (case-sensitive); else `output` itself.
pub fn output_path(output: Option<&Path>) -> PathBuf {
    let Some(output) = output else {
        return PathBuf::from(OUTPUT_NAME);
    };
    if output.is_dir() || python_suffix(&display(output)) != ".py" {
        output.join(OUTPUT_NAME)
    } else {
        output.to_path_buf()
    }
}

/// A Python identifier (`XID_Start`/`_` then `XID_Continue`) that is not a keyword.
pub(crate) fn is_valid_attribute(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '_' || unicode_ident::is_xid_start(first))
        && chars.all(unicode_ident::is_xid_continue)
        && !KEYWORDS.contains(&name)
}

fn sanitize(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if unicode_ident::is_xid_continue(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let starts_ok = out
        .chars()
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c));
    if !starts_ok {
        out.insert_str(0, "key_");
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

fn unique(base: String, used: &mut HashSet<String>) -> String {
    if used.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}_{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn empty_module_is_the_reference_374_bytes() {
        let g = generate_for_keys::<&str>(&[]);
        assert_eq!(g.code.len(), 374);
        assert!(g.code.contains("    # fmt: off\n\n\n    # fmt: on\n"));
    }

    #[test]
    fn normal_keys_match_the_reference_template_exactly() {
        let g = generate_for_keys(&keys(&[
            "github.accounts.personal.account_id",
            "db.mysql_dev.port",
        ]));
        let want = concat!(
            "\n",
            "try:\n",
            "    from home_secret_toml import hs\n",
            "except ImportError:  # pragma: no cover\n",
            "    pass\n",
            "\n",
            "\n",
            "class Secret:\n",
            "    # fmt: off\n",
            "\n",
            "    github__accounts__personal__account_id = hs.t(\"github.accounts.personal.account_id\")\n",
            "    db__mysql_dev__port = hs.t(\"db.mysql_dev.port\")\n",
            "\n",
            "    # fmt: on\n",
            "\n",
            "\n",
            "def _validate_secret():\n",
            "    print(\"Validate secret:\")\n",
            "    for key, token in Secret.__dict__.items():\n",
            "        if key.startswith(\"_\") is False:\n",
            "            print(f\"{key} = {token.v}\")\n",
            "\n",
            "\n",
            "if __name__ == \"__main__\":\n",
            "    _validate_secret()\n",
        );
        assert_eq!(g.code, want);
        assert!(g.renamed.is_empty());
    }

    #[test]
    fn odd_keys_get_valid_unique_names_and_escaped_strings() {
        let g = generate_for_keys(&keys(&[
            "a.b",
            "a.b",
            "my-key.x",
            "1password.token",
            "class",
            "",
            "q\"uote.back\\slash",
            "sp ace\ttab",
            "straße.ok",
            "a-b",
            "a_b",
        ]));
        let attrs: Vec<&str> = g.renamed.iter().map(|r| r.attribute.as_str()).collect();
        assert_eq!(
            attrs,
            [
                "a__b_2",
                "my_key__x",
                "key_1password__token",
                "class_",
                "key_",
                "q_uote__back_slash",
                "sp_ace_tab",
                "a_b_2"
            ]
        );
        assert!(g.code.contains("    straße__ok = hs.t(\"straße.ok\")\n"));
        assert!(g.code.contains("hs.t(\"q\\\"uote.back\\\\slash\")"));
        assert!(g.code.contains("hs.t(\"sp ace\\ttab\")"));
        assert_eq!(g.renamed[0].reason, "duplicate attribute name");
        assert_eq!(g.renamed[1].reason, "not a valid Python name");
    }

    #[test]
    fn output_path_follows_the_reference_rules() {
        assert_eq!(output_path(None), PathBuf::from("home_secret_enum.py"));
        assert_eq!(
            output_path(Some(Path::new("q/r.py"))),
            PathBuf::from("q/r.py")
        );
        assert_eq!(
            output_path(Some(Path::new("out.txt"))),
            PathBuf::from("out.txt/home_secret_enum.py")
        );
        assert_eq!(
            output_path(Some(Path::new("X.PY"))),
            PathBuf::from("X.PY/home_secret_enum.py")
        );
        assert_eq!(
            output_path(Some(Path::new("./.py"))),
            PathBuf::from("./.py/home_secret_enum.py")
        );
    }
}
