//! Where things are in the source text: byte offsets to lines and columns, JSON Pointers to byte ranges,
//! and offsets inside a decoded JSON string back to the file.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use jsonc_parser::ast;

use crate::diagnostic::Span;

/// Line starts of a text, to turn byte offsets into 1-based lines and character columns.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Cow<'a, [usize]>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts: Cow::Owned(line_starts) }
    }

    /// The index of `text` from line starts kept elsewhere (see [`LineIndex::into_line_starts`]).
    pub fn borrowed(text: &'a str, line_starts: &'a [usize]) -> Self {
        LineIndex { text, line_starts: Cow::Borrowed(line_starts) }
    }

    /// The line starts, to keep without borrowing the text.
    pub fn into_line_starts(self) -> Vec<usize> {
        self.line_starts.into_owned()
    }

    /// The indexed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Line and column (both from 1, column in characters) of byte `offset`.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// Byte offset of 1-based `line` and `column` (in characters).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else { return self.text.len() };
        let rest = &self.text[start..];
        rest.char_indices().nth(column.saturating_sub(1)).map_or(self.text.len(), |(i, _)| start + i)
    }

    /// The span of a byte range.
    pub fn span(&self, range: Range<usize>) -> Span {
        let (line, column) = self.line_column(range.start);
        let (end_line, end_column) = self.line_column(range.end);
        Span { start: range.start, end: range.end, line, column, end_line, end_column }
    }
}

/// Where a JSON value is: its own range, and the range of its key when it is an object member.
#[derive(Debug, Clone)]
pub struct Location {
    /// The value, from its first to its last character.
    pub value: Range<usize>,
    /// The member's key, quotes included.
    pub key: Option<Range<usize>>,
    /// For a string value: the literal as written, quotes included (to map offsets inside it).
    pub is_string: bool,
}

/// JSON Pointer → location, for every value in the document.
pub struct PointerIndex {
    locations: HashMap<String, Location>,
}

impl PointerIndex {
    /// Indexes every value below `root`; `base` is added to every offset (the length of a skipped BOM).
    pub fn new(root: &ast::Value<'_>, base: usize) -> Self {
        let mut index = PointerIndex { locations: HashMap::new() };
        index.add(root, String::new(), None, base);
        index
    }

    fn add(&mut self, value: &ast::Value<'_>, pointer: String, key: Option<Range<usize>>, base: usize) {
        let range = value_range(value);
        let is_string = matches!(value, ast::Value::StringLit(_));
        match value {
            ast::Value::Object(object) => {
                for prop in &object.properties {
                    let (name, name_range) = prop_name(&prop.name);
                    let child = format!("{pointer}/{}", guidekit_model::walk::escape_pointer(&name));
                    // The first occurrence wins the pointer, as it is the one a reader sees first; duplicate
                    // keys are an error of their own.
                    if !self.locations.contains_key(&child) {
                        self.add(&prop.value, child, Some(name_range.start + base..name_range.end + base), base);
                    }
                }
            }
            ast::Value::Array(array) => {
                for (i, element) in array.elements.iter().enumerate() {
                    self.add(element, format!("{pointer}/{i}"), None, base);
                }
            }
            _ => {}
        }
        self.locations.insert(pointer, Location { value: range.start + base..range.end + base, key, is_string });
    }

    /// The location of `pointer`, or of its nearest ancestor that exists.
    pub fn locate(&self, pointer: &str) -> Option<&Location> {
        let mut pointer = pointer;
        loop {
            if let Some(location) = self.locations.get(pointer) {
                return Some(location);
            }
            match pointer.rfind('/') {
                Some(cut) => pointer = &pointer[..cut],
                None => return None,
            }
        }
    }

    /// The location of exactly `pointer`.
    pub fn get(&self, pointer: &str) -> Option<&Location> {
        self.locations.get(pointer)
    }
}

/// The name and range of an object member's key.
pub fn prop_name(name: &ast::ObjectPropName<'_>) -> (String, Range<usize>) {
    match name {
        ast::ObjectPropName::String(lit) => (lit.value.to_string(), lit.range.start..lit.range.end),
        ast::ObjectPropName::Word(word) => (word.value.to_string(), word.range.start..word.range.end),
    }
}

/// The byte range of any AST value.
pub fn value_range(value: &ast::Value<'_>) -> Range<usize> {
    let range = match value {
        ast::Value::StringLit(v) => v.range,
        ast::Value::NumberLit(v) => v.range,
        ast::Value::BooleanLit(v) => v.range,
        ast::Value::Object(v) => v.range,
        ast::Value::Array(v) => v.range,
        ast::Value::NullKeyword(v) => v.range,
    };
    range.start..range.end
}

/// Maps a byte offset inside a decoded JSON string to the byte offset in its literal as written
/// (`literal` includes the quotes). Escapes such as `\"`, `\n` and `\u00e9` take more bytes in the file
/// than in the value, so the offsets drift apart after each one.
pub fn literal_offset(literal: &str, decoded_offset: usize) -> usize {
    let bytes = literal.as_bytes();
    let mut raw = 1; // after the opening quote
    let mut decoded = 0;
    while raw < bytes.len().saturating_sub(1) && decoded < decoded_offset {
        if bytes[raw] == b'\\' {
            let (raw_len, decoded_len) = match bytes.get(raw + 1) {
                Some(b'u') => {
                    let code = u32::from_str_radix(literal.get(raw + 2..raw + 6).unwrap_or("0"), 16).unwrap_or(0);
                    if (0xD800..0xDC00).contains(&code) {
                        (12, 4) // a surrogate pair: two escapes, one 4-byte character
                    } else {
                        (6, char::from_u32(code).map_or(3, char::len_utf8))
                    }
                }
                _ => (2, 1),
            };
            raw += raw_len;
            decoded += decoded_len;
        } else {
            let len = literal[raw..].chars().next().map_or(1, char::len_utf8);
            raw += len;
            decoded += len;
        }
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let index = LineIndex::new("ab\nαβγ x\n");
        assert_eq!(index.line_column(0), (1, 1));
        assert_eq!(index.line_column(3), (2, 1));
        assert_eq!(index.line_column("ab\nαβγ ".len()), (2, 5));
        assert_eq!(index.offset(2, 5), "ab\nαβγ ".len());
    }

    #[test]
    fn offsets_inside_strings_follow_escapes() {
        let literal = r#""a\"b\u00e9c [@x]""#;
        let decoded = "a\"béc [@x]";
        let at = decoded.find("[@x]").unwrap();
        assert_eq!(&literal[literal_offset(literal, at)..literal_offset(literal, at) + 4], "[@x]");
        let pair = r#""\ud83d\ude00 [@y]""#;
        let at = "😀 [@y]".find('[').unwrap();
        assert_eq!(&pair[literal_offset(pair, at)..][..4], "[@y]");
    }
}
