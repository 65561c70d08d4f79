//! Inline text: guidekit's `Text` fields (CommonMark inline markup plus citation groups) made into safe
//! HTML or Markdown, and plain `Line` fields escaped for either.
//!
//! Citation groups never reach the Markdown parser: each is replaced by a placeholder made of private-use
//! characters, the rest is parsed with pulldown-cmark (inline only: block syntax at the start of a line is
//! escaped first), and the placeholders are swapped for citation marks that this module writes itself, after
//! the user's markup has been sanitised. HTML goes through ammonia with a tight allowlist; Markdown is
//! written back from pulldown-cmark's events by [`MarkdownWriter`], which escapes text and keeps only
//! links to http, https and mailto and a handful of inline HTML tags.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use guidekit_model::text::{self, CitationGroup, Segment, Target};
use guidekit_model::{Guide, Id, LINK_SCHEMES, LinkTarget, link_target, walk};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use schemars::JsonSchema;
use serde::Serialize;

use crate::escape::{
    escape_markdown, escape_markdown_inline, escape_markdown_text, escape_markup, guard_line_start, markdown_code_span,
    markdown_destination,
};

/// Opens a placeholder for a citation group outside any link.
const OPEN: char = '\u{E000}';
/// Closes a placeholder.
const CLOSE: char = '\u{E001}';
/// Opens a placeholder for a citation group inside a link (its marks must not be links themselves).
const OPEN_IN_LINK: char = '\u{E002}';
/// The first byte of the UTF-8 of [`OPEN`], [`CLOSE`] and [`OPEN_IN_LINK`] (and of U+E000 to U+EFFF).
const MARKER_LEAD: u8 = 0xEE;

/// The two output formats' ways of writing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Html,
    Markdown,
}

/// Text converted to the output format: paragraph by paragraph, and as one inline run for places that hold
/// no paragraphs (list items, table cells), where paragraphs are separated by two line breaks.
/// Already safe in the output format, with citation marks in place: templates print it with `| safe`.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
pub struct Rich {
    /// The whole text as inline content.
    pub inline: String,
    /// Each paragraph's inline content.
    pub paragraphs: Vec<String>,
}

impl Rich {
    fn from_paragraphs(paragraphs: Vec<String>) -> Rich {
        Rich { inline: paragraphs.join("<br><br>"), paragraphs }
    }

    /// Rich text made of one inline run that is already in the output format.
    pub(crate) fn raw(inline: String) -> Rich {
        Rich { paragraphs: vec![inline.clone()], inline }
    }
}

/// Citation, table and figure numbers of one guide, looked up by key while text is written.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    references: BTreeMap<String, usize>,
    tables: BTreeMap<String, usize>,
    figures: BTreeMap<String, usize>,
}

impl Numbering {
    /// Takes `guide`'s reference numbers from the model (`numbered`, from [`walk::reference_numbers`], their one
    /// owner) and numbers its tables and its figures in the order they appear.
    pub(crate) fn new(guide: &Guide, numbered: &[walk::ReferenceNumber<'_>]) -> Numbering {
        let references = numbered.iter().map(|n| (n.reference.id.to_string(), n.number)).collect();
        let mut tables = BTreeMap::new();
        for table in guide.data.iter().flat_map(|d| d.tables.iter()) {
            let next = tables.len() + 1;
            tables.entry(table.id.to_string()).or_insert(next);
        }
        let mut figures = BTreeMap::new();
        for diagram in guide.diagrams.iter().flat_map(|d| d.items.iter()) {
            let next = figures.len() + 1;
            figures.entry(diagram.id.to_string()).or_insert(next);
        }
        Numbering { references, tables, figures }
    }

    /// The number of reference `key`, if the guide has it.
    pub(crate) fn reference(&self, key: &str) -> Option<usize> {
        self.references.get(key).copied()
    }

    /// The number of table `id`.
    pub(crate) fn table(&self, id: &str) -> Option<usize> {
        self.tables.get(id).copied()
    }

    /// The number of figure `id`.
    pub(crate) fn figure(&self, id: &str) -> Option<usize> {
        self.figures.get(id).copied()
    }
}

/// The anchor of reference number `n`.
pub(crate) fn reference_anchor(n: usize) -> String {
    format!("ref-{n}")
}

/// The anchor of the first citation mark of reference `n` in an HTML page.
pub(crate) fn citation_anchor(n: usize) -> String {
    format!("cite-{n}")
}

/// The anchor of table `id`.
pub(crate) fn table_anchor(id: &str) -> String {
    format!("tbl-{id}")
}

/// The anchor of figure `id`.
pub(crate) fn figure_anchor(id: &str) -> String {
    format!("fig-{id}")
}

/// Writes text for one guide in one format.
pub(crate) struct Writer<'a> {
    pub flavor: Flavor,
    pub numbering: &'a Numbering,
    /// References whose first citation mark has been written (HTML): that mark gets the anchor
    /// `cite-<n>`, which the reference list links back to.
    anchored: std::cell::RefCell<Vec<bool>>,
}

impl<'a> Writer<'a> {
    /// A writer for one page.
    pub(crate) fn new(flavor: Flavor, numbering: &'a Numbering) -> Writer<'a> {
        Writer { flavor, numbering, anchored: std::cell::RefCell::new(Vec::new()) }
    }
}

impl Writer<'_> {
    /// Plain text, escaped for the format.
    pub(crate) fn plain(&self, text: &str) -> String {
        match self.flavor {
            Flavor::Html => escape_markup(text),
            Flavor::Markdown => escape_markdown(text),
        }
    }

    /// A `Text` field.
    pub(crate) fn rich(&self, text: &str) -> Rich {
        self.rich_in(text, false)
    }

    /// A `Text` field that goes in a Markdown table cell, where `|` must be escaped even in code.
    pub(crate) fn rich_cell(&self, text: &str) -> Rich {
        self.rich_in(text, true)
    }

    fn rich_in(&self, text: &str, table: bool) -> Rich {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let paragraphs = split_paragraphs(&text).into_iter().map(|p| self.paragraph(p, table)).collect();
        Rich::from_paragraphs(paragraphs)
    }

    fn paragraph(&self, text: &str, table: bool) -> String {
        // 1. Citation groups out, placeholders in. Our marker characters in the user's text are replaced.
        let mut markup = String::with_capacity(text.len());
        let mut groups: Vec<CitationGroup<'_>> = Vec::new();
        for segment in text::segments(text) {
            match segment {
                // The markers are U+E000 to U+E002, which start with the byte 0xEE: text without it (nearly
                // all text) is copied whole.
                Segment::Markup(m) if !m.as_bytes().contains(&MARKER_LEAD) => markup.push_str(m),
                Segment::Markup(m) => markup
                    .extend(m.chars().map(|c| if matches!(c, OPEN | CLOSE | OPEN_IN_LINK) { '\u{FFFD}' } else { c })),
                Segment::Group(group) => {
                    markup.push(OPEN);
                    markup.push_str(&groups.len().to_string());
                    markup.push(CLOSE);
                    groups.push(group);
                }
            }
        }
        // 2. Inline Markdown, sanitised.
        let markup = neutralize_blocks(&markup);
        let converted = if is_plain(&markup) {
            // No markup at all: what pulldown-cmark and the sanitiser would give is known. Debug builds check
            // it against them on every paragraph they render.
            let plain = match self.flavor {
                Flavor::Html => markup.clone(),
                Flavor::Markdown => guard_line_start(&escape_markdown_text(&markup, table)),
            };
            debug_assert_eq!(plain, self.convert(&markup, table), "{markup:?}");
            plain
        } else {
            self.convert(&markup, table)
        };
        // 3. Placeholders out, citation marks in.
        let mut out = String::with_capacity(converted.len());
        let mut rest = converted.as_str();
        while let Some(open) = rest.find([OPEN, OPEN_IN_LINK]) {
            out.push_str(&rest[..open]);
            let in_link = rest[open..].starts_with(OPEN_IN_LINK);
            let after = &rest[open + OPEN.len_utf8()..];
            let Some(close) = after.find(CLOSE) else {
                rest = after;
                continue;
            };
            if let Some(group) = after[..close].parse::<usize>().ok().and_then(|i| groups.get(i)) {
                out.push_str(&self.group(group, !in_link));
            }
            rest = &after[close + CLOSE.len_utf8()..];
        }
        out.push_str(rest);
        if out.as_bytes().contains(&MARKER_LEAD) {
            out.retain(|c| c != CLOSE);
        }
        out
    }

    /// Inline Markdown to the output format, sanitised (HTML through ammonia).
    fn convert(&self, markup: &str, table: bool) -> String {
        let events = inline_events(markup);
        match self.flavor {
            Flavor::Html => {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, events.into_iter());
                SANITIZER.clean(&html).to_string()
            }
            Flavor::Markdown => {
                let mut writer = MarkdownWriter { out: String::new(), table, links: Vec::new() };
                writer.write(events);
                guard_line_start(&writer.out)
            }
        }
    }

    /// Citation marks for a structured list of reference ids (a row's or a value's `citations`).
    pub(crate) fn marks(&self, keys: &[Id]) -> String {
        let items: Vec<(Target, &str)> = keys.iter().map(|k| (Target::Reference, k.as_str())).collect();
        self.items(&items, true)
    }

    fn group(&self, group: &CitationGroup<'_>, links: bool) -> String {
        let items: Vec<(Target, &str)> = group.items.iter().map(|i| (i.target, i.key)).collect();
        self.items(&items, links)
    }

    /// Writes a group's items: runs of references as `[1][2]` (a superscript in HTML), tables and figures as
    /// "Table 1" and "Figure 2", anything unknown as `[?key]`.
    fn items(&self, items: &[(Target, &str)], links: bool) -> String {
        let mut out = String::new();
        let mut run: Vec<String> = Vec::new();
        let mut words_written = false;
        for (target, key) in items {
            let number = match target {
                Target::Reference => self.numbering.reference(key),
                _ => None,
            };
            if let Some(n) = number {
                run.push(self.reference_mark(n, links));
                continue;
            }
            self.flush(&mut out, &mut run);
            let word = match target {
                Target::Table => self.numbering.table(key).map(|n| (format!("Table {n}"), table_anchor(key))),
                Target::Figure => self.numbering.figure(key).map(|n| (format!("Figure {n}"), figure_anchor(key))),
                _ => None,
            };
            if words_written && word.is_some() {
                out.push_str(", ");
            }
            match word {
                Some((label, anchor)) => {
                    words_written = true;
                    out.push_str(&self.link(&label, &anchor, links));
                }
                None => {
                    let written = match target {
                        Target::Table => format!("[?tbl:{key}]"),
                        Target::Figure => format!("[?fig:{key}]"),
                        _ => format!("[?{key}]"),
                    };
                    match self.flavor {
                        Flavor::Html => {
                            out.push_str(&format!("<span class=\"cite-missing\">{}</span>", escape_markup(&written)))
                        }
                        Flavor::Markdown => out.push_str(&escape_markdown_inline(&written)),
                    }
                }
            }
        }
        self.flush(&mut out, &mut run);
        out
    }

    fn flush(&self, out: &mut String, run: &mut Vec<String>) {
        if run.is_empty() {
            return;
        }
        match self.flavor {
            Flavor::Html => out.push_str(&format!("<sup class=\"cite\">{}</sup>", run.join(""))),
            Flavor::Markdown => out.push_str(&run.join("")),
        }
        run.clear();
    }

    fn reference_mark(&self, n: usize, links: bool) -> String {
        let anchor = reference_anchor(n);
        match (self.flavor, links) {
            (Flavor::Html, true) => {
                let mut anchored = self.anchored.borrow_mut();
                if anchored.len() <= n {
                    anchored.resize(n + 1, false);
                }
                if std::mem::replace(&mut anchored[n], true) {
                    format!("<a href=\"#{anchor}\">[{n}]</a>")
                } else {
                    format!("<a id=\"{}\" href=\"#{anchor}\">[{n}]</a>", citation_anchor(n))
                }
            }
            (Flavor::Html, false) => format!("[{n}]"),
            (Flavor::Markdown, true) => format!("[[{n}]](#{anchor})"),
            (Flavor::Markdown, false) => format!("\\[{n}\\]"),
        }
    }

    fn link(&self, label: &str, anchor: &str, links: bool) -> String {
        match (self.flavor, links) {
            (Flavor::Html, true) => format!("<a href=\"#{anchor}\">{label}</a>"),
            (Flavor::Markdown, true) => format!("[{label}](#{anchor})"),
            (_, false) => label.to_owned(),
        }
    }
}

/// Whether `markup` (one paragraph, its blocks neutralised, its citation groups placeholders) is plain text:
/// one line of letters, digits, single spaces, placeholders and punctuation that neither Markdown nor HTML
/// reads, with nothing that HTML escapes. Its HTML is then itself, and its Markdown the escaped text.
fn is_plain(markup: &str) -> bool {
    !markup.is_empty()
        && !markup.starts_with(' ')
        && !markup.ends_with(' ')
        && !markup.contains("  ")
        && markup.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | '.' | ',' | ';' | ':' | '(' | ')' | '-' | '/' | '\'' | '%' | '+' | '=' | '?' | OPEN | CLOSE
                )
        })
}

/// Splits text into paragraphs at blank lines.
fn split_paragraphs(text: &str) -> Vec<&str> {
    let mut paragraphs = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    let mut blank_run = false;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            if !blank_run && !text[start..offset].trim().is_empty() {
                paragraphs.push(text[start..offset].trim());
            }
            blank_run = true;
            start = offset + line.len();
        } else {
            blank_run = false;
        }
        offset += line.len();
    }
    if !text[start..].trim().is_empty() {
        paragraphs.push(text[start..].trim());
    }
    if paragraphs.is_empty() {
        paragraphs.push(text.trim());
    }
    paragraphs
}

/// Escapes what would start a block at the beginning of a line (headings, quotes, lists, rules, fences,
/// setext underlines, indented code), so that a text is read as one paragraph of inline markup.
fn neutralize_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Leading spaces are dropped (four of them would make indented code).
        out.push_str(&guard_line_start(line.trim_start()));
    }
    out
}

/// The inline events of `markup`: block starts and ends are dropped (a space keeps their words apart), raw
/// HTML blocks become inline HTML, and text inside a link has its placeholders marked as in-link.
fn inline_events(markup: &str) -> Vec<Event<'_>> {
    let options = Options::ENABLE_STRIKETHROUGH;
    let mut events = Vec::new();
    let mut link_depth = 0usize;
    let mut blocks_seen = 0usize;
    for event in Parser::new_ext(markup, options) {
        match event {
            Event::Start(Tag::Link { .. }) => {
                link_depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(event);
            }
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Image { .. },
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Image,
            ) => events.push(event),
            Event::Start(_) => {
                if blocks_seen > 0 {
                    events.push(Event::Text(" ".into()));
                }
                blocks_seen += 1;
            }
            Event::End(_) => {}
            Event::Text(t) if link_depth > 0 && t.contains(OPEN) => {
                events.push(Event::Text(t.replace(OPEN, &OPEN_IN_LINK.to_string()).into()))
            }
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::InlineHtml(h)),
            Event::Code(_) | Event::Text(_) | Event::SoftBreak | Event::HardBreak => events.push(event),
            Event::InlineMath(m) | Event::DisplayMath(m) => events.push(Event::Text(m)),
            Event::FootnoteReference(f) => events.push(Event::Text(f)),
            Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
    events
}

/// The allowlist sanitiser for HTML made from user text.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(HashSet::from(["a", "b", "br", "code", "del", "em", "i", "s", "strong", "sub", "sup"]))
        .clean_content_tags(HashSet::from(["script", "style"]))
        .tag_attributes(std::collections::HashMap::from([("a", HashSet::from(["href"]))]))
        .url_schemes(HashSet::from(LINK_SCHEMES))
        // ammonia reads URLs its own way; the policy's function has the last word on every link.
        .attribute_filter(|_, attribute, value| match attribute {
            "href" if link_target(value) != LinkTarget::Absolute => None,
            _ => Some(value.into()),
        })
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder
});

/// Inline HTML tags that Markdown output keeps (exactly as written here, without attributes).
const MARKDOWN_HTML_TAGS: &[&str] = &["sub", "sup", "em", "strong", "b", "i", "code", "del", "s"];

/// Writes Markdown back from inline events, escaping text and dropping what is not allowed.
struct MarkdownWriter {
    out: String,
    /// Inside a table cell, `|` is escaped even in code spans.
    table: bool,
    /// For each open link: its destination, or `None` when the link is dropped (its text is kept).
    links: Vec<Option<String>>,
}

impl MarkdownWriter {
    fn write(&mut self, events: Vec<Event<'_>>) {
        let mut image_depth = 0usize;
        for event in events {
            match event {
                Event::Text(t) => self.out.push_str(&self.escape(&t)),
                Event::Code(code) => self.out.push_str(&markdown_code_span(&code, self.table)),
                Event::SoftBreak => self.out.push(' '),
                Event::HardBreak => self.out.push_str("<br>"),
                Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => self.out.push('*'),
                Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => self.out.push_str("**"),
                Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => self.out.push_str("~~"),
                Event::Start(Tag::Superscript) => self.out.push_str("<sup>"),
                Event::End(TagEnd::Superscript) => self.out.push_str("</sup>"),
                Event::Start(Tag::Subscript) => self.out.push_str("<sub>"),
                Event::End(TagEnd::Subscript) => self.out.push_str("</sub>"),
                Event::Start(Tag::Link { dest_url, link_type, .. }) => {
                    let url = safe_url(&dest_url, link_type);
                    if url.is_some() && image_depth == 0 {
                        self.out.push('[');
                    }
                    self.links.push(url.filter(|_| image_depth == 0));
                }
                Event::End(TagEnd::Link) => {
                    if let Some(Some(url)) = self.links.pop() {
                        self.out.push_str(&format!("]({url})"));
                    }
                }
                // An image shows its text only: pictures from user text are not fetched.
                Event::Start(Tag::Image { .. }) => image_depth += 1,
                Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
                Event::InlineHtml(html) => {
                    let tag = html.trim().to_ascii_lowercase();
                    let name = tag.trim_start_matches('<').trim_start_matches('/').trim_end_matches('>');
                    let name = name.trim_end_matches('/').trim();
                    if name == "br" {
                        self.out.push_str("<br>");
                    } else if MARKDOWN_HTML_TAGS.contains(&name) && tag.starts_with('<') && tag.ends_with('>') {
                        let close = if tag.starts_with("</") { "/" } else { "" };
                        self.out.push_str(&format!("<{close}{name}>"));
                    } else {
                        self.out.push_str(&self.escape(&html));
                    }
                }
                _ => {}
            }
        }
        // Links left open (cannot happen with pulldown-cmark's balanced events) are closed as text.
        for link in std::mem::take(&mut self.links) {
            if link.is_some() {
                self.out.push(']');
            }
        }
    }

    fn escape(&self, text: &str) -> String {
        escape_markdown_text(text, self.table)
    }
}

/// A link destination fit for Markdown output: absolute, with a scheme the link policy allows
/// ([`guidekit_model::link_target`]), and without characters that would end it. Relative links are refused
/// in text, as the HTML sanitiser refuses them: a guide's text cannot know where its page will live.
fn safe_url(url: &str, link_type: LinkType) -> Option<String> {
    let url = if link_type == LinkType::Email && !url.starts_with("mailto:") {
        format!("mailto:{url}")
    } else {
        url.to_owned()
    };
    let allowed = link_target(&url) == LinkTarget::Absolute;
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\'));
    (allowed && clean).then(|| markdown_destination(&url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbering() -> Numbering {
        let mut n = Numbering::default();
        n.references.insert("a".into(), 1);
        n.references.insert("b".into(), 2);
        n.tables.insert("t".into(), 1);
        n.figures.insert("f".into(), 2);
        n
    }

    fn html(text: &str) -> String {
        Writer::new(Flavor::Html, &numbering()).rich(text).inline
    }

    fn md(text: &str) -> String {
        Writer::new(Flavor::Markdown, &numbering()).rich(text).inline
    }

    #[test]
    fn citations_become_numbered_links() {
        assert_eq!(
            html("glutamate.[@a; @b] See [@tbl:t] and [@fig:f]."),
            "glutamate.<sup class=\"cite\"><a id=\"cite-1\" href=\"#ref-1\">[1]</a><a id=\"cite-2\" href=\"#ref-2\">[2]</a></sup> See \
             <a href=\"#tbl-t\">Table 1</a> and <a href=\"#fig-f\">Figure 2</a>."
        );
        assert_eq!(md("x.[@a; @b] [@tbl:t]"), "x.[[1]](#ref-1)[[2]](#ref-2) [Table 1](#tbl-t)");
    }

    #[test]
    fn unknown_keys_are_shown_literally() {
        assert_eq!(html("x[@smith2020]"), "x<span class=\"cite-missing\">[?smith2020]</span>");
        assert_eq!(md("x[@smith2020; @tbl:nope]"), "x\\[?smith2020\\]\\[?tbl:nope\\]");
        assert_eq!(html("[@Smith 2020]"), "<span class=\"cite-missing\">[?Smith 2020]</span>");
    }

    #[test]
    fn markup_passes_through_and_blocks_do_not_form() {
        assert_eq!(
            html("**bold** *em* `c<d` H<sub>2</sub>O"),
            "<strong>bold</strong> <em>em</em> <code>c&lt;d</code> H<sub>2</sub>O"
        );
        assert_eq!(md("**bold** *em* `c|d` H<sub>2</sub>O"), "**bold** *em* `c|d` H<sub>2</sub>O");
        assert_eq!(html("# not a heading\n- not a list"), "# not a heading\n- not a list");
        assert_eq!(md("1. not a list"), "1\\. not a list");
        // The first mark of a reference carries the anchor the reference list links back to.
        assert_eq!(html("[@a] starts"), "<sup class=\"cite\"><a id=\"cite-1\" href=\"#ref-1\">[1]</a></sup> starts");
    }

    #[test]
    fn citations_inside_links_are_not_nested_links() {
        assert_eq!(
            html("[see [@a]](https://example.org)"),
            "<a href=\"https://example.org\" rel=\"noopener noreferrer\">see <sup class=\"cite\">[1]</sup></a>"
        );
        assert_eq!(md("[see [@a]](https://example.org)"), "[see \\[1\\]](https://example.org)");
    }

    #[test]
    fn paragraphs_are_kept_apart() {
        let rich = Writer::new(Flavor::Html, &numbering()).rich("one\n\n \n two");
        assert_eq!(rich.paragraphs, ["one", "two"]);
        assert_eq!(rich.inline, "one<br><br>two");
    }

    #[test]
    fn links_in_text_follow_the_models_link_policy() {
        for (text, linked) in [
            ("[x](HTTPS://a.org)", true),
            ("[x](mailto:a@b.org)", true),
            ("[x](figures/a.svg)", false),
            ("[x](//evil.org/x)", false),
            ("[x](ftp://a.org)", false),
        ] {
            assert_eq!(html(text).contains("href="), linked, "{text} -> {}", html(text));
            assert_eq!(md(text).contains("]("), linked, "{text} -> {}", md(text));
        }
    }

    #[test]
    fn plain_text_skips_the_markdown_parser_with_the_same_output() {
        let numbers = numbering();
        let writer = |flavor| Writer::new(flavor, &numbers);
        for text in [
            "Aniracetam increases AMPA receptor currents (in vitro) by 20% [@a; @b].",
            "Ca2+ influx: e = mc2, x/y, it's 1.5-fold? Yes",
            "1. not a list",
            "- not a list either",
            "+ nor this",
            "= setext?",
            "naïve Ⅻ² 日本語 ελληνικά \u{E000}7\u{E001}",
            "50% of [@tbl:t] and [@fig:f], [@nobody]",
        ] {
            let markup = neutralize_blocks(text);
            for flavor in [Flavor::Html, Flavor::Markdown] {
                for table in [false, true] {
                    // Which of these take the plain path, both paths must agree (debug builds also assert it).
                    if is_plain(&markup) {
                        let fast = match flavor {
                            Flavor::Html => markup.clone(),
                            Flavor::Markdown => guard_line_start(&escape_markdown_text(&markup, table)),
                        };
                        assert_eq!(fast, writer(flavor).convert(&markup, table), "{text}");
                    }
                    writer(flavor).rich_in(text, table);
                }
            }
        }
        assert!(is_plain("Aniracetam increases AMPA receptor currents (in vitro) by 20%."));
        for markup in ["a *b*", "a_b", "a <b>", "a & b", "a\nb", " a", "a  b", "[x](y)", "a\u{a0}b", "`c`", "a\\b"] {
            assert!(!is_plain(markup), "{markup:?}");
        }
    }

    #[test]
    fn hostile_markup_is_neutralised() {
        for text in [
            "<script>alert(1)</script>",
            "[x](javascript:alert(1))",
            "<img src=x onerror=alert(1)>",
            "[x](JaVaScRiPt:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "![x](javascript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<svg onload=alert(1)>",
            "\u{E000}0\u{E001}[@a]",
        ] {
            for out in [html(text), md(text)] {
                let lower = out.to_ascii_lowercase();
                // Text may mention anything; no tag, handler or link may come of it.
                for bad in
                    ["<script", "<img", "<svg", "<a href=\"javascript", "](javascript", "<a href=\"data:", "](data:"]
                {
                    assert!(!lower.contains(bad), "{text} -> {out}");
                }
            }
        }
    }

    #[test]
    fn markdown_table_cells_escape_pipes_in_code() {
        let cell = Writer::new(Flavor::Markdown, &numbering()).rich_cell("a | b `c|d`");
        assert_eq!(cell.inline, "a \\| b `c\\|d`");
    }
}
