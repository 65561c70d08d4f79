//! Where things are in the source text: byte offsets to lines and columns, JSON Pointers to byte ranges,
//! and offsets inside a decoded JSON string back to the file.

use std::borrow::Cow;
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

/// JSON Pointer → location, for every value in the document: the values as a flat tree (no string per
/// value, no hash map), which a pointer is looked up in by walking down from the root.
pub struct PointerIndex {
    /// The root first; the members or elements of each container next to each other, in document order.
    nodes: Vec<Node>,
}

struct Node {
    location: Location,
    /// An object member's name when its key has escapes; otherwise the name is the key without its quotes.
    escaped_name: Option<String>,
    /// The node's members or elements, an index range into `nodes`.
    children: Range<usize>,
    is_array: bool,
}

impl PointerIndex {
    /// Indexes every value below `root`; `base` is added to every offset (the length of a skipped BOM).
    pub fn new(root: &ast::Value<'_>, base: usize) -> Self {
        let mut index = PointerIndex { nodes: Vec::new() };
        index.nodes.push(Node::new(root, None, None, base));
        index.add_children(root, 0, base);
        index
    }

    fn add_children(&mut self, value: &ast::Value<'_>, at: usize, base: usize) {
        let first = self.nodes.len();
        match value {
            ast::Value::Object(object) => {
                for prop in &object.properties {
                    let (name, name_range) = prop_name(&prop.name);
                    let escaped = match &prop.name {
                        ast::ObjectPropName::String(lit) => matches!(lit.value, std::borrow::Cow::Owned(_)),
                        ast::ObjectPropName::Word(_) => true,
                    };
                    let key = name_range.start + base..name_range.end + base;
                    self.nodes.push(Node::new(&prop.value, Some(key), escaped.then_some(name), base));
                }
                for (k, prop) in object.properties.iter().enumerate() {
                    self.add_children(&prop.value, first + k, base);
                }
            }
            ast::Value::Array(array) => {
                self.nodes.extend(array.elements.iter().map(|element| Node::new(element, None, None, base)));
                for (k, element) in array.elements.iter().enumerate() {
                    self.add_children(element, first + k, base);
                }
            }
            _ => {}
        }
        self.nodes[at].children = first..first + value_children(value);
        self.nodes[at].is_array = matches!(value, ast::Value::Array(_));
    }

    /// The location of `pointer`, or of its nearest ancestor that exists; `text` is the indexed text.
    pub fn locate(&self, text: &str, pointer: &str) -> Option<&Location> {
        self.walk(text, pointer).map(|(at, _)| &self.nodes[at].location)
    }

    /// The location of exactly `pointer`; `text` is the indexed text.
    pub fn get(&self, text: &str, pointer: &str) -> Option<&Location> {
        match self.walk(text, pointer)? {
            (at, true) => Some(&self.nodes[at].location),
            (_, false) => None,
        }
    }

    /// The deepest node on the way to `pointer`, and whether it is `pointer` itself; `None` for a text that is
    /// no pointer. Where a key repeats, the first member with it is the one a pointer names, as it is the one
    /// a reader sees first.
    fn walk(&self, text: &str, pointer: &str) -> Option<(usize, bool)> {
        let mut at = 0;
        if pointer.is_empty() {
            return Some((0, true));
        }
        let rest = pointer.strip_prefix('/')?;
        for segment in rest.split('/') {
            let node = &self.nodes[at];
            let mut children = node.children.clone();
            let found = if node.is_array {
                array_index(segment).and_then(|i| children.nth(i))
            } else {
                children.find(|&child| self.nodes[child].is_named(text, segment))
            };
            match found {
                Some(child) => at = child,
                None => return Some((at, false)),
            }
        }
        Some((at, true))
    }
}

impl Node {
    fn new(value: &ast::Value<'_>, key: Option<Range<usize>>, escaped_name: Option<String>, base: usize) -> Self {
        let range = value_range(value);
        let is_string = matches!(value, ast::Value::StringLit(_));
        Node {
            location: Location { value: range.start + base..range.end + base, key, is_string },
            escaped_name,
            children: 0..0,
            is_array: false,
        }
    }

    /// Whether this object member's name, escaped for a pointer (`~` → `~0`, `/` → `~1`), is `segment`.
    fn is_named(&self, text: &str, segment: &str) -> bool {
        let name = match (&self.escaped_name, &self.location.key) {
            (Some(name), _) => name.as_str(),
            (None, Some(key)) => text.get(key.start + 1..key.end.saturating_sub(1)).unwrap_or_default(),
            (None, None) => return false,
        };
        let mut segment = segment.chars();
        name.chars().all(|c| match c {
            '~' => segment.next() == Some('~') && segment.next() == Some('0'),
            '/' => segment.next() == Some('~') && segment.next() == Some('1'),
            c => segment.next() == Some(c),
        }) && segment.next().is_none()
    }
}

/// The number of members or elements of a value.
fn value_children(value: &ast::Value<'_>) -> usize {
    match value {
        ast::Value::Object(object) => object.properties.len(),
        ast::Value::Array(array) => array.elements.len(),
        _ => 0,
    }
}

/// An array index as pointers write it: decimal, without a leading zero.
fn array_index(segment: &str) -> Option<usize> {
    let canonical = !segment.is_empty()
        && segment.bytes().all(|b| b.is_ascii_digit())
        && (segment.len() == 1 || !segment.starts_with('0'));
    if canonical { segment.parse().ok() } else { None }
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

    /// Looks `pointer` up in an index of `text`, and gives the text of the value found and whether it is
    /// exactly `pointer` (not an ancestor).
    fn check(text: &str, pointer: &str, expect: Option<(&str, bool)>) {
        let options = (&jsonc_parser::CollectOptions::default(), &jsonc_parser::ParseOptions::default());
        let ast = jsonc_parser::parse_to_ast(text, options.0, options.1).unwrap().value.unwrap();
        let index = PointerIndex::new(&ast, 0);
        let found = index.locate(text, pointer).map(|l| (&text[l.value.clone()], index.get(text, pointer).is_some()));
        assert_eq!(found, expect, "{pointer}");
    }

    #[test]
    fn pointers_name_members_elements_and_escaped_keys() {
        let text = r#"{"a": [10, {"b/c": 1, "~x": 2, "\u0071": 3}], "a": 4, "": 5}"#;
        check(text, "", Some((text, true)));
        check(text, "/a/0", Some(("10", true)));
        check(text, "/a/1/b~1c", Some(("1", true)));
        check(text, "/a/1/~0x", Some(("2", true)));
        check(text, "/a/1/q", Some(("3", true)));
        check(text, "/", Some(("5", true)));
        // The first of two members with one key; the nearest ancestor of what is not there.
        check(text, "/a/1/b/c", Some((r#"{"b/c": 1, "~x": 2, "\u0071": 3}"#, false)));
        check(text, "/a/01", Some((r#"[10, {"b/c": 1, "~x": 2, "\u0071": 3}]"#, false)));
        check(text, "/a/2", Some((r#"[10, {"b/c": 1, "~x": 2, "\u0071": 3}]"#, false)));
        check(text, "a", None);
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
