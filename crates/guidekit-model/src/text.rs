//! guidekit's inline syntax inside [`Text`](crate::Text) fields.
//!
//! Text is CommonMark inline markup plus bracketed citation groups in the Pandoc style:
//!
//! - `[@key]` cites the reference with id `key`; `[@a; @b]` cites several at once;
//! - `[@tbl:id]` refers to a table and `[@fig:id]` to a figure (rendered "Table 1", "Figure 2");
//! - `\[@` is a literal `[@`, and nothing inside a code span (`` `...` ``) is a citation.
//!
//! This module only finds the groups and says where they are (byte offsets into the text); what they
//! mean is the validator's and the renderer's business.

use std::ops::Range;

/// A piece of a text: markup to pass on, or a citation group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// CommonMark inline markup, as written.
    Markup(&'a str),
    /// A bracketed group of citations or cross-references.
    Group(CitationGroup<'a>),
}

/// A bracketed group: `[@a; @b]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationGroup<'a> {
    /// Byte range of the whole group, brackets included.
    pub span: Range<usize>,
    /// The items, in the order written.
    pub items: Vec<CitationItem<'a>>,
}

/// One item of a group: `@key`, `@tbl:id` or `@fig:id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationItem<'a> {
    /// What the item points at.
    pub target: Target,
    /// The key without `@` and without the `tbl:`/`fig:` prefix. For a malformed item, the item as written.
    pub key: &'a str,
    /// Byte range of the item in the text (from `@`, or the first non-blank character).
    pub span: Range<usize>,
}

/// What a citation item points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A reference in the guide's `references`.
    Reference,
    /// A table, by id.
    Table,
    /// A diagram, by id.
    Figure,
    /// The item is not `@` followed by a valid id (e.g. `@Smith 2020` or `smith`).
    Malformed,
}

/// Splits `text` into markup and citation groups.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut markup_start = 0;
    for span in group_spans(text) {
        if markup_start < span.start {
            out.push(Segment::Markup(&text[markup_start..span.start]));
        }
        markup_start = span.end;
        out.push(Segment::Group(CitationGroup { items: items(text, span.clone()).collect(), span }));
    }
    if markup_start < text.len() {
        out.push(Segment::Markup(&text[markup_start..]));
    }
    out
}

/// Every citation item in `text`, in order.
pub fn citation_items(text: &str) -> impl Iterator<Item = CitationItem<'_>> {
    group_spans(text).flat_map(move |span| items(text, span))
}

/// `[@`, the start of every citation group, searched for with one searcher built once.
static GROUP_START: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("[@"));

/// The byte range of each citation group in `text`, brackets included, in order: the grammar's one reader,
/// behind both [`segments`] and [`citation_items`].
fn group_spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    // Most texts cite nothing: without a `[@` there is no group, and nothing to scan.
    let mut i = if GROUP_START.find(bytes).is_some() { 0 } else { bytes.len() };
    std::iter::from_fn(move || {
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'`' => {
                    // A code span: skip to the closing run of the same number of backticks, if any.
                    let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                    let fence = &text[i..i + run];
                    match text[i + run..].find(fence) {
                        Some(close) => i += run + close + run,
                        None => i += run,
                    }
                }
                b'[' if bytes.get(i + 1) == Some(&b'@') => match memchr::memchr(b']', &bytes[i..]) {
                    Some(close) => {
                        let span = i..i + close + 1;
                        i = span.end;
                        return Some(span);
                    }
                    None => i += 1,
                },
                // Nothing else matters: jump to the next byte that might.
                _ => i += 1 + memchr::memchr3(b'\\', b'`', b'[', &bytes[i + 1..]).unwrap_or(bytes.len() - i - 1),
            }
        }
        None
    })
}

/// The items of the group at `span` (brackets included).
fn items(text: &str, span: Range<usize>) -> impl Iterator<Item = CitationItem<'_>> {
    let inner = span.start + 1..span.end - 1;
    let mut start = inner.start;
    text[inner].split(';').map(move |part| {
        let leading = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        let item_start = start + leading;
        let item_span = item_start..item_start + trimmed.len();
        start += part.len() + 1;
        let (target, key) = match trimmed.strip_prefix('@') {
            Some(rest) => classify(rest),
            None => (Target::Malformed, trimmed),
        };
        CitationItem { target, key, span: item_span }
    })
}

fn classify(rest: &str) -> (Target, &str) {
    let (target, key) = if let Some(id) = rest.strip_prefix("tbl:") {
        (Target::Table, id)
    } else if let Some(id) = rest.strip_prefix("fig:") {
        (Target::Figure, id)
    } else {
        (Target::Reference, rest)
    };
    if crate::primitives::is_id(key) { (target, key) } else { (Target::Malformed, rest) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(Target, &str)> {
        citation_items(text).map(|item| (item.target, item.key)).collect()
    }

    #[test]
    fn finds_groups_with_their_spans() {
        let text = "glutamate.[@a; @b-2] This [@tbl:t1], see [@fig:f].";
        assert_eq!(
            keys(text),
            [(Target::Reference, "a"), (Target::Reference, "b-2"), (Target::Table, "t1"), (Target::Figure, "f")]
        );
        let items: Vec<_> = citation_items(text).collect();
        assert_eq!(&text[items[1].span.clone()], "@b-2");
        let Segment::Group(group) = &segments(text)[1] else { panic!("expected a group") };
        assert_eq!(&text[group.span.clone()], "[@a; @b-2]");
    }

    #[test]
    fn escapes_and_code_spans_are_not_citations() {
        assert!(keys(r"a \[@x] b").is_empty());
        assert!(keys("use `[@x]` literally").is_empty());
        assert!(keys("``a ` [@x]`` b").is_empty());
        assert_eq!(keys("`open [@x]"), [(Target::Reference, "x")]);
    }

    #[test]
    fn malformed_items_are_reported_not_dropped() {
        assert_eq!(keys("[@Smith 2020]"), [(Target::Malformed, "Smith 2020")]);
        assert_eq!(keys("[@a; b]"), [(Target::Reference, "a"), (Target::Malformed, "b")]);
        assert_eq!(keys("[@]"), [(Target::Malformed, "")]);
    }

    #[test]
    fn markup_around_groups_is_kept_whole() {
        let parts = segments("**x**[@a] y");
        assert_eq!(parts[0], Segment::Markup("**x**"));
        assert_eq!(parts[2], Segment::Markup(" y"));
        assert_eq!(segments("[@unclosed"), [Segment::Markup("[@unclosed")]);
    }
}
