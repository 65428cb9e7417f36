//! Where things are written in a TOML document: its `[table]` and `[[array]]` headers (with
//! the sections they open) and its inline tables, each with its full key path and byte offsets.
//! What an edit needs to add a key where TOML allows it: in the section of its table, relative
//! to the header, or inside the braces of an inline table. Read from the event stream of
//! `toml_parser`, the parser under `toml` and `toml_edit`.

use toml_parser::parser::{Event, EventKind};

use crate::key_path::KeyPath;

/// A `[table]` or `[[array]]` header and the section it opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    pub path: KeyPath,
    /// `[[path]]`: an element of an array of tables.
    pub array: bool,
    /// Where the header's line starts.
    pub line_start: usize,
    /// Just after the header's line (its newline included).
    pub body_start: usize,
    /// Where the next header's line starts, or the end of the text.
    pub end: usize,
}

/// An inline table written as the value of a key (`creds = { a = 1 }`), not inside an array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct InlineTable {
    pub path: KeyPath,
    /// The `{`.
    pub open: usize,
    /// The `}`.
    pub close: usize,
    /// Whether it holds no key yet.
    pub empty: bool,
    /// Each `key = value` directly inside it: from the key's first byte to the value's end.
    pub items: Vec<std::ops::Range<usize>>,
}

/// The outline of a document; offsets are into the text given to [`Outline::of`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Outline {
    pub headers: Vec<Header>,
    pub inline_tables: Vec<InlineTable>,
}

impl Outline {
    /// The outline of `text` (a document that parses; on errors the outline is partial, and
    /// the edit's re-parse refuses the result anyway).
    pub(crate) fn of(text: &str) -> Self {
        let source = toml_parser::Source::new(text);
        let tokens: Vec<_> = source.lex().collect();
        let mut events = Vec::new();
        let mut errors = ();
        toml_parser::parser::parse_document(
            &tokens,
            &mut |event: Event| events.push(event),
            &mut errors,
        );
        let mut builder = Builder {
            source,
            text,
            outline: Outline::default(),
            header_keys: None,
            statement: Vec::new(),
            table_prefix: KeyPath::default(),
            nesting: Vec::new(),
            at_value: false,
        };
        for event in &events {
            builder.event(event);
        }
        let mut outline = builder.outline;
        let ends: Vec<usize> = outline
            .headers
            .iter()
            .skip(1)
            .map(|h| h.line_start)
            .chain([text.len()])
            .collect();
        for (header, end) in outline.headers.iter_mut().zip(ends) {
            header.end = end;
        }
        outline
    }

    /// The same outline with every offset moved by `by` (the text was parsed without a BOM).
    pub(crate) fn shifted(mut self, by: usize) -> Self {
        for h in &mut self.headers {
            h.line_start += by;
            h.body_start += by;
            h.end += by;
        }
        for t in &mut self.inline_tables {
            t.open += by;
            t.close += by;
        }
        self
    }

    /// Where the root section (before any header) ends.
    pub(crate) fn root_end(&self, text_len: usize) -> usize {
        self.headers.first().map_or(text_len, |h| h.line_start)
    }
}

/// What the event walk is inside of.
#[derive(Clone, Debug)]
enum Nest {
    /// An inline table at this key path (keys inside it are relative to it), the index of its
    /// record, and where the item being read started.
    Table {
        path: KeyPath,
        index: usize,
        item_start: Option<usize>,
    },
    /// An array: nothing inside it has a key path.
    Array,
}

struct Builder<'t> {
    source: toml_parser::Source<'t>,
    text: &'t str,
    outline: Outline,
    /// The keys of the header being read, and its `[` / `[[` offset and kind.
    header_keys: Option<(Vec<String>, usize, bool)>,
    /// The keys of the key-value statement being read.
    statement: Vec<String>,
    /// The path of the current section's table.
    table_prefix: KeyPath,
    nesting: Vec<Nest>,
    /// The last key of a statement was just read, so the next value belongs to it.
    at_value: bool,
}

impl Builder<'_> {
    fn event(&mut self, event: &Event) {
        let span = event.span();
        match event.kind() {
            EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                let array = event.kind() == EventKind::ArrayTableOpen;
                self.header_keys = Some((Vec::new(), span.start(), array));
            }
            EventKind::StdTableClose | EventKind::ArrayTableClose => self.close_header(span.end()),
            EventKind::SimpleKey => {
                let key = self.decode_key(event);
                match &mut self.header_keys {
                    Some((keys, _, _)) => keys.push(key),
                    None => {
                        self.statement.push(key);
                        if let Some(Nest::Table { item_start, .. }) = self.nesting.last_mut() {
                            item_start.get_or_insert(span.start());
                        }
                    }
                }
            }
            EventKind::KeyValSep => self.at_value = true,
            EventKind::InlineTableOpen => {
                let path = self.value_path();
                self.at_value = false;
                if let Some(path) = path {
                    let empty = self.text[span.end()..]
                        .trim_start_matches([' ', '\t'])
                        .starts_with('}');
                    self.outline.inline_tables.push(InlineTable {
                        path: path.clone(),
                        open: span.start(),
                        close: span.start(),
                        empty,
                        items: Vec::new(),
                    });
                    self.nesting.push(Nest::Table {
                        path,
                        index: self.outline.inline_tables.len() - 1,
                        item_start: None,
                    });
                } else {
                    self.nesting.push(Nest::Array);
                }
            }
            EventKind::InlineTableClose => {
                self.close_inline_table(span.start());
                self.item_ends(span.end());
            }
            EventKind::ArrayOpen => {
                self.at_value = false;
                self.statement.clear();
                self.nesting.push(Nest::Array);
            }
            EventKind::ArrayClose => {
                self.nesting.pop();
                self.item_ends(span.end());
            }
            EventKind::Scalar => {
                self.at_value = false;
                self.statement.clear();
                self.item_ends(span.end());
            }
            _ => {}
        }
    }

    /// The full path of the value about to be read, `None` inside an array.
    fn value_path(&mut self) -> Option<KeyPath> {
        let keys = std::mem::take(&mut self.statement);
        let base = match self.nesting.last() {
            Some(Nest::Array) => return None,
            Some(Nest::Table { path, .. }) => path.clone(),
            None => self.table_prefix.clone(),
        };
        self.at_value
            .then(|| KeyPath::new(base.segments().chain(keys.iter().map(String::as_str))))
    }

    fn close_header(&mut self, end: usize) {
        let Some((keys, open, array)) = self.header_keys.take() else {
            return;
        };
        let path = KeyPath::new(keys.iter().map(String::as_str));
        self.table_prefix = path.clone();
        let line_start = self.text[..open].rfind('\n').map_or(0, |i| i + 1);
        let body_start = self.text[end..]
            .find('\n')
            .map_or(self.text.len(), |i| end + i + 1);
        self.outline.headers.push(Header {
            path,
            array,
            line_start,
            body_start,
            end: self.text.len(),
        });
    }

    fn close_inline_table(&mut self, close: usize) {
        if let Some(Nest::Table { index, .. }) = self.nesting.pop()
            && let Some(table) = self.outline.inline_tables.get_mut(index)
        {
            table.close = close;
        }
        self.statement.clear();
    }

    /// A value ended at `end`: if it was an item of the inline table being read, record it.
    fn item_ends(&mut self, end: usize) {
        if let Some(Nest::Table {
            index, item_start, ..
        }) = self.nesting.last_mut()
            && let Some(start) = item_start.take()
            && let Some(table) = self.outline.inline_tables.get_mut(*index)
        {
            table.items.push(start..end);
        }
    }

    fn decode_key(&self, event: &Event) -> String {
        let mut key = String::new();
        if let Some(raw) = self.source.get(event.span()) {
            let raw = toml_parser::Raw::new_unchecked(raw.as_str(), event.encoding(), event.span());
            raw.decode_key(&mut key, &mut ());
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(outline: &Outline) -> (Vec<String>, Vec<String>) {
        let parts = |p: &KeyPath| p.segments().collect::<Vec<_>>().join("|");
        (
            outline.headers.iter().map(|h| parts(&h.path)).collect(),
            outline
                .inline_tables
                .iter()
                .map(|t| parts(&t.path))
                .collect(),
        )
    }

    #[test]
    fn headers_sections_and_inline_tables_with_their_paths() {
        let text = "top.k = 1\n[github]\ntoken = { a = 1, b = { c = 2 } }\nx = [{ y = 1 }]\n\
                    # note\n[[servers]]\nname = 'a'\n[\"a.b\".\"c d\"]\n";
        let outline = Outline::of(text);
        let (headers, tables) = paths(&outline);
        assert_eq!(headers, ["github", "servers", "a.b|c d"]);
        assert_eq!(tables, ["github|token", "github|token|b"]);
        let github = &outline.headers[0];
        assert_eq!(&text[github.line_start..github.body_start], "[github]\n");
        assert_eq!(
            &text[github.body_start..github.end],
            "token = { a = 1, b = { c = 2 } }\nx = [{ y = 1 }]\n# note\n"
        );
        assert!(outline.headers[1].array);
        assert_eq!(outline.root_end(text.len()), 10);
        let token = &outline.inline_tables[0];
        assert_eq!(&text[token.open..=token.close], "{ a = 1, b = { c = 2 } }");
        assert!(!token.empty);
        let items: Vec<&str> = token.items.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(items, ["a = 1", "b = { c = 2 }"]);
        let empty = Outline::of("e = {}\n");
        assert!(empty.inline_tables[0].empty);
        let arrays = Outline::of("t = { a = [1, { b = 2 }], c.d = \"x\" }\n");
        let items: Vec<&str> = arrays.inline_tables[0]
            .items
            .iter()
            .map(|r| &"t = { a = [1, { b = 2 }], c.d = \"x\" }\n"[r.clone()])
            .collect();
        assert_eq!(items, ["a = [1, { b = 2 }]", "c.d = \"x\""]);
    }

    #[test]
    fn dotted_keys_and_header_keys_with_spaces() {
        let outline = Outline::of("[ a . b ]\nc . d = { e = 1 }\n");
        let (headers, tables) = paths(&outline);
        assert_eq!(headers, ["a|b"]);
        assert_eq!(tables, ["a|b|c|d"]);
    }
}
