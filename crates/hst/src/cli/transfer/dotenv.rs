//! `.env` files as python-dotenv and dotenvx read them: `NAME=value` lines, an optional
//! `export `, `#` comments (whole lines, and after an unquoted value when a space precedes the
//! `#`), single quotes (literal; `\'` and `\\` only), double quotes (escapes `\n` `\t` `\"` …,
//! line breaks inside), and `${NAME}` / `${NAME:-default}` expanded in unquoted and
//! double-quoted values from the names above it, then the environment. Errors give the line,
//! never a value.

use zeroize::Zeroizing;

/// `(name, value)` in the file's order; a name given twice keeps its last value.
pub fn parse(
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, Zeroizing<String>)>, String> {
    let mut out: Vec<(String, Zeroizing<String>)> = Vec::new();
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut line = 1;
    while !rest.is_empty() {
        let (entry, used) = one(rest, line)?;
        line += rest[..used].matches('\n').count();
        rest = &rest[used..];
        if let Some((name, raw, expand)) = entry {
            let value = if expand {
                expanded(&raw, &out, env)
            } else {
                raw
            };
            out.retain(|(n, _)| *n != name);
            out.push((name, value));
        }
    }
    Ok(out)
}

type Entry = Option<(String, Zeroizing<String>, bool)>;

/// The entry at the start of `text` (`None` for a blank or comment line) and the bytes it used.
fn one(text: &str, line: usize) -> Result<(Entry, usize), String> {
    let end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..end].trim();
    if first.is_empty() || first.starts_with('#') {
        return Ok((None, end));
    }
    let lead = text.len() - text.trim_start_matches([' ', '\t']).len();
    let body = &text[lead..];
    let body = body
        .strip_prefix("export ")
        .map_or(body, |b| b.trim_start_matches([' ', '\t']));
    let skipped = text.len() - body.len();
    let eq = body[..body.find('\n').unwrap_or(body.len())]
        .find('=')
        .ok_or_else(|| format!("line {line}: expected NAME=value"))?;
    let name = body[..eq].trim().to_string();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return Err(format!("line {line}: expected NAME=value"));
    }
    let after = &body[eq + 1..];
    let value_lead = after.len() - after.trim_start_matches([' ', '\t']).len();
    let value = &after[value_lead..];
    let start = skipped + eq + 1 + value_lead;
    let (raw, used, expand) = match value.chars().next() {
        Some(q @ ('\'' | '"')) => {
            let (raw, used) = quoted(&value[1..], q, line)?;
            let rest_of_line = &value[1 + used..];
            let line_end = rest_of_line
                .find('\n')
                .map_or(rest_of_line.len(), |i| i + 1);
            let trailing = rest_of_line[..line_end].trim();
            if !trailing.is_empty() && !trailing.starts_with('#') {
                return Err(format!(
                    "line {line}: unexpected text after the closing quote"
                ));
            }
            (raw, 1 + used + line_end, q == '"')
        }
        _ => {
            let line_end = value.find('\n').map_or(value.len(), |i| i + 1);
            let mut v = value[..line_end].trim_end_matches(['\n', '\r']);
            if let Some(at) = v.find(" #").or_else(|| v.find("\t#")) {
                v = &v[..at];
            }
            (Zeroizing::new(v.trim_end().to_string()), line_end, true)
        }
    };
    Ok((Some((name, raw, expand)), start + used))
}

/// The inside of a quoted value up to its closing `quote`; the bytes used (quote included).
fn quoted(text: &str, quote: char, line: usize) -> Result<(Zeroizing<String>, usize), String> {
    let mut out = Zeroizing::new(String::new());
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((out, i + 1)),
            '\\' => {
                let Some((_, next)) = chars.next() else { break };
                let decoded = match (quote, next) {
                    ('\'', '\'' | '\\') => Some(next),
                    ('"', 'n') => Some('\n'),
                    ('"', 'r') => Some('\r'),
                    ('"', 't') => Some('\t'),
                    ('"', 'b') => Some('\u{8}'),
                    ('"', 'f') => Some('\u{c}'),
                    ('"', 'v') => Some('\u{b}'),
                    ('"', 'a') => Some('\u{7}'),
                    ('"', '"' | '\'' | '\\') => Some(next),
                    _ => None,
                };
                match decoded {
                    Some(d) => out.push(d),
                    None => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            c => out.push(c),
        }
    }
    Err(format!("line {line}: a {quote} quote is never closed"))
}

/// `${NAME}` and `${NAME:-default}` replaced: names above first, then the environment.
fn expanded(
    raw: &str,
    above: &[(String, Zeroizing<String>)],
    env: &dyn Fn(&str) -> Option<String>,
) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(raw.len()));
    let mut rest = raw;
    while let Some(at) = rest.find("${") {
        let Some(close) = rest[at..].find('}') else {
            break;
        };
        out.push_str(&rest[..at]);
        let inner = &rest[at + 2..at + close];
        let (name, default) = inner.split_once(":-").unwrap_or((inner, ""));
        let found = above
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.to_string())
            .or_else(|| env(name));
        out.push_str(found.as_deref().unwrap_or(default));
        rest = &rest[at + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(String, String)> {
        let env = |n: &str| (n == "FROM_ENV").then(|| "env-value".to_string());
        parse(text, &env)
            .unwrap()
            .into_iter()
            .map(|(n, v)| (n, v.to_string()))
            .collect()
    }

    #[test]
    fn the_forms_python_dotenv_reads() {
        let text = "# comment\n\nexport A=plain # note\nB = 'single $X #not a comment'\n\
                    C=\"two\\nlines \\\"q\\\"\"\nD=\"real\nbreak\"\nE=${A}-${FROM_ENV}-${NONE:-dflt}\n\
                    F='${A}'\nG=\nH=a#b\nA=again\n";
        assert_eq!(
            values(text),
            [
                ("B", "single $X #not a comment"),
                ("C", "two\nlines \"q\""),
                ("D", "real\nbreak"),
                ("E", "plain-env-value-dflt"),
                ("F", "${A}"),
                ("G", ""),
                ("H", "a#b"),
                ("A", "again"),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
    }

    #[test]
    fn errors_name_the_line_and_never_the_value() {
        let env = |_: &str| None;
        let err = parse("A=1\nB=\"fake-secret\n", &env).unwrap_err();
        assert_eq!(err, "line 2: a \" quote is never closed");
        let err = parse("A=1\njust words\n", &env).unwrap_err();
        assert_eq!(err, "line 2: expected NAME=value");
        let err = parse("A='fake-x' trailing\n", &env).unwrap_err();
        assert!(!err.contains("fake"), "{err}");
    }
}
