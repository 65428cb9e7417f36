//! The layering check both crates' tests run: within a folder of modules, every module imports
//! only modules declared below it (no cycles, no upward arrows). A module's references are its
//! `crate::…` paths and, inside the folder, `super::…` paths that name a sibling; test code
//! (`#[cfg(test)] mod tests` and `*tests.rs` files) is left out.
#![allow(dead_code, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One folder of modules: where it is, how code outside names it (`crate` or `crate::tui`),
/// and its child modules from the bottom layer up.
pub struct Layers<'a> {
    pub dir: PathBuf,
    pub prefix: &'a str,
    pub order: &'a [&'a str],
}

/// Every reference that goes up or sideways-up, as `from -> to`; empty when the layering holds.
/// Also fails when a module exists that the order does not name (a new module must be placed).
pub fn violations(layers: &Layers<'_>) -> Vec<String> {
    let present = modules(&layers.dir);
    let declared: BTreeSet<&str> = layers.order.iter().copied().collect();
    let mut problems: Vec<String> = present
        .iter()
        .filter(|m| !declared.contains(m.as_str()))
        .map(|m| format!("{m} is not in the declared order"))
        .collect();
    for (level, module) in layers.order.iter().enumerate() {
        for used in references(layers, module, &present) {
            let allowed = layers.order[..level].contains(&used.as_str());
            if !allowed && used != *module {
                problems.push(format!("{module} -> {used}"));
            }
        }
    }
    problems
}

fn modules(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().ok()?.is_dir();
            match name.strip_suffix(".rs") {
                Some(stem) if !["lib", "main", "mod"].contains(&stem) => Some(stem.to_string()),
                None if is_dir && name != "bin" => Some(name),
                _ => None,
            }
        })
        .collect()
}

/// The sibling modules that `module`'s code names.
fn references(layers: &Layers<'_>, module: &str, siblings: &BTreeSet<String>) -> BTreeSet<String> {
    let file = layers.dir.join(format!("{module}.rs"));
    let folder = layers.dir.join(module);
    let mut files = Vec::new();
    if file.is_file() {
        files.push((file, 0));
    } else {
        collect(&folder, 1, &mut files);
    }
    let mut found = BTreeSet::new();
    for (path, depth) in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let code = without_tests(&text);
        let mut prefixes = vec![format!("{}::", layers.prefix)];
        // `super::` from a file `depth` folders below this one reaches the folder's siblings.
        prefixes.push("super::".repeat(depth + 1));
        for prefix in &prefixes {
            for name in names_after(&code, prefix) {
                if siblings.contains(&name) {
                    found.insert(name);
                }
            }
        }
    }
    found
}

/// Files of a folder module with how deep they sit (`mod.rs` counts as its folder's level).
fn collect(dir: &Path, depth: usize, out: &mut Vec<(PathBuf, usize)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            collect(&path, depth + 1, out);
        } else if name.ends_with("tests.rs") {
            continue;
        } else if name == "mod.rs" {
            out.push((path, depth - 1));
        } else if name.ends_with(".rs") {
            out.push((path, depth));
        }
    }
}

/// The text before a `#[cfg(test)] mod tests`, comments removed.
fn without_tests(text: &str) -> String {
    let code = text
        .find("#[cfg(test)]\nmod tests")
        .map_or(text, |at| &text[..at]);
    code.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Module names right after `prefix` (`prefix::name` or `prefix::{a, b::c}`), where the prefix
/// is not the end of a longer path.
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + prefix.len()..];
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = after.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                names.push(identifier(item.trim()));
            }
        } else {
            names.push(identifier(after));
        }
    }
    names
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}
