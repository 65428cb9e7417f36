//! A whole document edited by hand (`hst edit`): parsed by hst's parser, then every value
//! checked against TOML 1.0 as Python's `tomllib` reads it, since hst's parser also takes TOML
//! 1.1 forms that would make the file unreadable to the Python tool.

use super::outline::Outline;
use super::toml10::check_value;
use crate::file::SecretFile;

/// Where the first value that is not TOML 1.0 is, and why: `line:column: message`. Never quotes
/// the value.
pub fn toml10_problem(file: &SecretFile) -> Option<String> {
    let text = file.text();
    let bom = crate::source::bom_len(text);
    let outline = Outline::of(&text[bom..]).shifted(bom);
    let mut checked: Vec<usize> = Vec::new();
    // `[[x]]` sections are no literal: their span is the header's (their values are leaves).
    let mut leaves: Vec<_> = file
        .leaves()
        .filter(|e| !written_as_sections(text, e.span.start))
        .map(|e| e.span.clone())
        .collect();
    leaves.sort_by_key(|s| s.start);
    for span in leaves {
        // A value inside an inline table is checked with its outermost table, whose commas and
        // line breaks TOML 1.0 also rules on.
        let range = outline
            .inline_tables
            .iter()
            .filter(|t| t.open < span.start && span.end <= t.close)
            .min_by_key(|t| t.open)
            .map_or(span, |t| t.open..t.close + 1);
        if checked.contains(&range.start) {
            continue;
        }
        checked.push(range.start);
        let Some(literal) = text.get(range.clone()) else {
            continue;
        };
        if let Err(e) = check_value(literal) {
            let (line, column) = file.source().line_col(range.start.saturating_sub(bom));
            return Some(format!(
                "{line}:{column}: this value is not TOML 1.0, which Python's tomllib reads: {e}"
            ));
        }
    }
    // What the values do not show: a key's escapes (`"\e" = 1`), a lone carriage return
    // between lines, a second byte-order mark.
    crate::toml11::first_addition(text).map(|addition| {
        let (line, column) = file.source().line_col(addition.offset.saturating_sub(bom));
        format!(
            "{line}:{column}: {}: Python's tomllib cannot read it",
            addition.what
        )
    })
}

/// Whether a leaf's span starts at a `[[header]]` (the first thing on its line) rather than at
/// a literal after `key =`.
fn written_as_sections(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    text[at..].starts_with("[[")
        && text[line_start..at]
            .trim_start_matches('\u{feff}')
            .trim_matches([' ', '\t'])
            .is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn problem(text: &str) -> Option<String> {
        let file = SecretFile::from_text(Path::new("t.toml"), text.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        toml10_problem(&file)
    }

    #[test]
    fn toml_1_1_forms_are_found_with_their_place() {
        assert_eq!(problem("a = 1\nb = \"x\"\nc = { d = [1, 2] }\n"), None);
        let said = problem("a = 1\nb = 10:30\n").unwrap_or_default();
        assert!(said.starts_with("2:5: "), "{said}");
        let said = problem("a = 1\nt = { x = 1, }\n").unwrap_or_default();
        assert!(said.starts_with("2:5: "), "{said}");
        let said = problem("\u{feff}k = \"\\e[0m\"\n").unwrap_or_default();
        assert!(said.starts_with("1:5: "), "{said}");
        let said = problem("a = 1\n\"k\\x41\" = 2\n").unwrap_or_default();
        assert!(said.starts_with("2:3: the escape \\x"), "{said}");
    }
}
