//! One listed secret: a leaf of the document with where it sits in the file.

use std::ops::Range;

use crate::key_path::KeyPath;
use crate::value::Value;

/// A leaf as the reference lists it (`hst ls`, `gen-enum`), with its place in the file.
/// `Debug` is safe to print: [`Value`] redacts itself.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: KeyPath,
    pub value: Value,
    /// 1-based line of the leaf's key.
    pub line: usize,
    /// Bytes of the value's literal in the original file text (quotes included).
    pub span: Range<usize>,
    /// Bytes of the leaf's own key segment (the last one) in the original file text.
    pub key_span: Range<usize>,
}

/// The leaves of a file in walk order: the listed ones, and the ones the reference leaves out
/// (`description`, `"..."` placeholders), which the TUI still shows as context.
#[derive(Debug, Default)]
pub(crate) struct Leaves {
    pub listed: Vec<Entry>,
    pub unlisted: Vec<Entry>,
}
