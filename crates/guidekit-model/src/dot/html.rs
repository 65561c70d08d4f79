//! Graphviz's HTML-like labels (`label=<...>`): their XML syntax and their grammar
//! (<https://graphviz.org/doc/info/shapes.html#html>), checked as Graphviz checks them, because `dot` refuses
//! a label that breaks either ("Unknown HTML element <style>", "mismatched tag", "undefined entity").
//!
//! A label is either text (strings, `<BR/>`, and font elements `<B>`, `<I>`, `<U>`, `<O>`, `<S>`, `<SUB>`,
//! `<SUP>`, `<FONT>` around text) or one `<TABLE>`, possibly inside font elements. A table holds rows
//! (`<TR>`, with `<HR/>` between them), a row holds cells (`<TD>`, with `<VR/>` between them), and a cell holds
//! nothing, text, a table or an `<IMG/>`. Element names are case-insensitive; text between the rows and cells
//! of a table is ignored.

use std::ops::Range;

use super::entities;

/// An element of an HTML-like label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Its name in lowercase, e.g. `td`.
    pub name: String,
    /// Its attributes, names as written.
    pub attributes: Vec<(String, String)>,
    /// Byte range of its start tag within the label text.
    pub span: Range<usize>,
    /// What it contains.
    pub children: Vec<Content>,
}

/// A piece of an element's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Text, entities decoded.
    Text(String),
    /// An element.
    Element(Element),
}

/// Why a label is refused, with the byte offset within the label text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlError {
    /// Byte offset within the label (the text between the outer `<` and `>`).
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

fn error<T>(offset: usize, message: impl Into<String>) -> Result<T, HtmlError> {
    Err(HtmlError { offset, message: message.into() })
}

/// The elements Graphviz knows.
const ELEMENTS: &[&str] =
    &["table", "tr", "td", "font", "b", "i", "u", "o", "s", "sub", "sup", "br", "hr", "vr", "img"];
/// Elements that change the font of what they hold.
const FONTS: &[&str] = &["font", "b", "i", "u", "o", "s", "sub", "sup"];
/// Font elements that may hold a table.
const TABLE_FONTS: &[&str] = &["font", "b", "i", "u", "o"];

/// Parses and checks the text of an HTML-like label; returns its top-level content.
pub fn parse(label: &str) -> Result<Vec<Content>, HtmlError> {
    let content = Xml { text: label, pos: 0 }.content(None)?;
    if !content.iter().all(is_blank) {
        label_content(&content, 0)?;
    }
    Ok(content)
}

/// Every element in `content`, depth first.
pub fn elements(content: &[Content]) -> Vec<&Element> {
    let mut out = Vec::new();
    let mut stack: Vec<&Content> = content.iter().rev().collect();
    while let Some(item) = stack.pop() {
        if let Content::Element(e) = item {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
    }
    out
}

struct Xml<'a> {
    text: &'a str,
    pos: usize,
}

/// Whether XML allows `c` in a document (Graphviz reads HTML labels with an XML parser).
fn is_xml_char(c: char) -> bool {
    matches!(u32::from(c), 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':') || !c.is_ascii()
}

impl<'a> Xml<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// Content up to the end tag of `open` (or the end of the label when `open` is `None`).
    fn content(&mut self, open: Option<(&str, usize)>) -> Result<Vec<Content>, HtmlError> {
        let mut out = Vec::new();
        let mut text = String::new();
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                if let Some((name, at)) = open {
                    return error(at, format!("`<{name}>` is never closed"));
                }
                break;
            }
            if rest.starts_with("<!--") {
                match rest.find("-->") {
                    Some(end) => self.pos += end + 3,
                    None => return error(self.pos, "comment `<!--` is never closed"),
                }
            } else if rest.starts_with("<![CDATA[") {
                match rest.find("]]>") {
                    Some(end) => {
                        text.push_str(&rest[9..end]);
                        self.pos += end + 3;
                    }
                    None => return error(self.pos, "`<![CDATA[` is never closed"),
                }
            } else if let Some(pi) = rest.strip_prefix("<?") {
                if pi.strip_prefix("xml").is_some_and(|r| r.starts_with(|c: char| c.is_whitespace() || c == '?')) {
                    return error(self.pos, "an XML declaration is not allowed in a label");
                }
                match rest.find("?>") {
                    Some(end) => self.pos += end + 2,
                    None => return error(self.pos, "`<?` is never closed"),
                }
            } else if rest.starts_with("<!") {
                return error(self.pos, "a declaration (`<!`) is not allowed in a label");
            } else if let Some(after) = rest.strip_prefix("</") {
                let at = self.pos;
                let name: String = after.chars().take_while(|&c| is_name_char(c)).collect();
                let tail = after[name.len()..].trim_start();
                if !tail.starts_with('>') {
                    return error(at, "malformed end tag");
                }
                match open {
                    Some((open_name, _)) if open_name == name => {
                        self.pos = self.text.len() - tail.len() + 1;
                        break;
                    }
                    _ => return error(at, format!("mismatched tag `</{name}>`")),
                }
            } else if rest.starts_with('<') {
                if !text.is_empty() {
                    out.push(Content::Text(std::mem::take(&mut text)));
                }
                out.push(Content::Element(self.element()?));
            } else if rest.starts_with('&') {
                text.push(self.entity()?);
            } else {
                let run = rest.find(['<', '&']).unwrap_or(rest.len());
                if let Some(bad) = rest[..run].find(|c: char| !is_xml_char(c)) {
                    return error(self.pos + bad, "a control character is not allowed in an HTML label");
                }
                text.push_str(&rest[..run]);
                self.pos += run;
            }
        }
        if !text.is_empty() {
            out.push(Content::Text(text));
        }
        Ok(out)
    }

    /// `&name;`, `&#n;` or `&#xh;` at the current position.
    fn entity(&mut self) -> Result<char, HtmlError> {
        let at = self.pos;
        let rest = self.rest();
        let Some(semi) = rest.find(';').filter(|&s| s > 1 && !rest[1..s].contains(['<', '&', ' ', '"', '\''])) else {
            return error(at, "`&` must start an entity such as `&amp;`");
        };
        let name = &rest[1..semi];
        self.pos += semi + 1;
        let code = if let Some(num) = name.strip_prefix('#') {
            let value = match num.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            value.filter(|&v| char::from_u32(v).is_some_and(is_xml_char))
        } else {
            match name {
                "amp" => Some(u32::from('&')),
                "lt" => Some(u32::from('<')),
                "gt" => Some(u32::from('>')),
                "quot" => Some(u32::from('"')),
                "apos" => Some(u32::from('\'')),
                // The character does not matter here, only that Graphviz knows the name.
                _ => entities::NAMES.binary_search(&name).ok().map(|_| u32::from('\u{fffd}')),
            }
        };
        code.and_then(char::from_u32).map_or_else(|| error(at, format!("undefined entity `&{name};`")), Ok)
    }

    /// A start tag at the current position, and the element's content when it is not `/>`.
    fn element(&mut self) -> Result<Element, HtmlError> {
        let at = self.pos;
        self.pos += 1;
        let name: String = self.rest().chars().take_while(|&c| is_name_char(c)).collect();
        if name.is_empty() {
            return error(at, "`<` must start a tag");
        }
        self.pos += name.len();
        let mut attributes: Vec<(String, String)> = Vec::new();
        let empty = loop {
            let before = self.pos;
            let trimmed = self.rest().trim_start();
            self.pos = self.text.len() - trimmed.len();
            let spaced = self.pos > before;
            if let Some(after) = self.rest().strip_prefix("/>") {
                self.pos = self.text.len() - after.len();
                break true;
            }
            if self.rest().starts_with('>') {
                self.pos += 1;
                break false;
            }
            let attr: String = self.rest().chars().take_while(|&c| is_name_char(c)).collect();
            if attr.is_empty() || !spaced {
                return error(self.pos, format!("malformed tag `<{name}>`"));
            }
            let attr_at = self.pos;
            self.pos += attr.len();
            let rest = self.rest().trim_start();
            let Some(rest) = rest.strip_prefix('=') else {
                return error(attr_at, format!("attribute `{attr}` needs a quoted value"));
            };
            let rest = rest.trim_start();
            let Some(quote) = rest.chars().next().filter(|&q| q == '"' || q == '\'') else {
                return error(attr_at, format!("attribute `{attr}` needs a quoted value"));
            };
            self.pos = self.text.len() - rest.len() + 1;
            let mut value = String::new();
            loop {
                let rest = self.rest();
                match rest.chars().next() {
                    None => return error(attr_at, format!("the value of `{attr}` is never closed")),
                    Some(c) if c == quote => {
                        self.pos += 1;
                        break;
                    }
                    Some('<') => return error(self.pos, "`<` in an attribute value"),
                    Some('&') => value.push(self.entity()?),
                    Some(c) if !is_xml_char(c) => {
                        return error(self.pos, "a control character is not allowed in an HTML label");
                    }
                    Some(c) => {
                        value.push(c);
                        self.pos += c.len_utf8();
                    }
                }
            }
            if attributes.iter().any(|(a, _)| *a == attr) {
                return error(attr_at, format!("duplicate attribute `{attr}`"));
            }
            attributes.push((attr, value));
        };
        let lower = name.to_ascii_lowercase();
        if !ELEMENTS.contains(&lower.as_str()) {
            return error(at, format!("unknown HTML element `<{name}>`"));
        }
        let children = if empty { Vec::new() } else { self.content(Some((&name, at)))? };
        Ok(Element { name: lower, attributes, span: at..at + 1 + name.len(), children })
    }
}

fn is_blank(c: &Content) -> bool {
    matches!(c, Content::Text(t) if t.trim().is_empty())
}

/// The whole label, or a cell's or font element's content: a table (possibly in fonts) or text.
fn label_content(content: &[Content], at: usize) -> Result<(), HtmlError> {
    if holds_table(content) { table_content(content, at) } else { text(content, at) }
}

/// Whether `content` is meant as a table: its only element is a table, or a table font holding one.
fn holds_table(content: &[Content]) -> bool {
    let elements: Vec<&Element> = content
        .iter()
        .filter_map(|c| match c {
            Content::Element(e) => Some(e),
            Content::Text(_) => None,
        })
        .collect();
    match elements.as_slice() {
        [e] if e.name == "table" => true,
        [e] if TABLE_FONTS.contains(&e.name.as_str()) => holds_table(&e.children),
        _ => false,
    }
}

/// `space? <TABLE>...</TABLE> space?`, possibly inside font elements.
fn table_content(content: &[Content], at: usize) -> Result<(), HtmlError> {
    let mut seen_table = false;
    for c in content {
        match c {
            Content::Text(t) if !t.trim().is_empty() => {
                let side = if seen_table { "after" } else { "before" };
                return error(at, format!("text {side} a `<TABLE>`"));
            }
            Content::Text(_) => {}
            Content::Element(e) if e.name == "table" => {
                seen_table = true;
                table(e)?;
            }
            Content::Element(e) => {
                seen_table = true;
                table_content(&e.children, e.span.start)?;
            }
        }
    }
    Ok(())
}

/// `<TABLE>`: rows, with `<HR/>` between two rows. Text between them is ignored.
fn table(e: &Element) -> Result<(), HtmlError> {
    let parts = structural(e);
    let rows = parts.iter().filter(|p| p.name == "tr").count();
    separated(&parts, "tr", "hr", e)?;
    if rows == 0 {
        return error(e.span.start, "a `<TABLE>` needs at least one `<TR>`");
    }
    for row in parts.iter().filter(|p| p.name == "tr") {
        let cells = structural(row);
        if !cells.iter().any(|c| c.name == "td") {
            return error(row.span.start, "a `<TR>` needs at least one `<TD>`");
        }
        separated(&cells, "td", "vr", row)?;
        for cell in cells.iter().filter(|c| c.name == "td") {
            let content = &cell.children;
            let solid: Vec<&Content> = content.iter().filter(|c| !is_blank(c)).collect();
            match solid.as_slice() {
                [] => {}
                [Content::Element(img)] if img.name == "img" && content.len() == 1 => empty(img)?,
                _ => label_content(content, cell.span.start)?,
            }
        }
    }
    Ok(())
}

/// The elements of a table or row, text ignored.
fn structural(e: &Element) -> Vec<&Element> {
    e.children
        .iter()
        .filter_map(|c| match c {
            Content::Element(x) => Some(x),
            Content::Text(_) => None,
        })
        .collect()
}

/// `item (rule? item)*`, with `rule` elements empty.
fn separated(parts: &[&Element], item: &str, rule: &str, parent: &Element) -> Result<(), HtmlError> {
    let mut after_item = false;
    for part in parts {
        if part.name == item {
            after_item = true;
        } else if part.name == rule && after_item {
            empty(part)?;
            after_item = false;
        } else {
            return error(part.span.start, format!("`<{}>` is not allowed in `<{}>` here", part.name, parent.name));
        }
    }
    if !after_item && !parts.is_empty() {
        return error(parent.span.start, format!("`<{}>` cannot end a `<{}>`", rule, parent.name));
    }
    Ok(())
}

fn empty(e: &Element) -> Result<(), HtmlError> {
    if e.children.is_empty() { Ok(()) } else { error(e.span.start, format!("`<{}>` must be empty", e.name)) }
}

/// Text: strings, `<BR/>`, and font elements holding text (never empty).
fn text(content: &[Content], at: usize) -> Result<(), HtmlError> {
    if content.is_empty() {
        return error(at, "an element here needs some text");
    }
    for c in content {
        if let Content::Element(e) = c {
            if e.name == "br" {
                empty(e)?;
            } else if FONTS.contains(&e.name.as_str()) {
                text(&e.children, e.span.start)?;
            } else {
                return error(e.span.start, format!("`<{}>` is not allowed in text", e.name));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_graphviz_accepts() {
        for ok in [
            "",
            " ",
            "plain",
            "<b>x</b><br/>y &amp; z &nbsp;&alpha;&#65;&#x41;",
            "<B>x</B><BR/><font color='red'>y</font>",
            "<table><tr><td>x</td></tr></table>",
            " <font><table><tr>ignored<td></td></tr></table></font> ",
            "<table><tr><td><b>x</b></td></tr><hr/><tr><td>x</td><vr/><td><table><tr><td>y</td></tr></table></td></tr></table>",
            "<!-- c -->x<![CDATA[<y>]]>",
            "<br></br>",
        ] {
            assert!(parse(ok).is_ok(), "{ok:?}: {:?}", parse(ok));
        }
    }

    #[test]
    fn refuses_what_graphviz_refuses() {
        for (bad, why) in [
            ("<style>x</style>", "unknown HTML element"),
            ("<b>x</i>", "mismatched"),
            ("x &foo; y", "undefined entity"),
            ("x & y", "entity"),
            ("<b></b>", "needs some text"),
            ("x<table><tr><td>y</td></tr></table>", "text before a `<TABLE>`"),
            ("<table><tr><td>y</td></tr></table>x", "after"),
            ("<table></table>", "at least one"),
            ("<table><tr></tr></table>", "at least one"),
            ("<table><hr/><tr><td>x</td></tr></table>", "not allowed"),
            ("<table><tr><td>x</td></tr><hr/></table>", "cannot end"),
            ("<s><table><tr><td>x</td></tr></table></s>", "not allowed in text"),
            ("<td>x</td>", "not allowed in text"),
            ("<br>x</br>", "must be empty"),
            ("<br a=1/>", "quoted value"),
            ("<b x='1' x='2'>y</b>", "duplicate"),
            ("&#0;", "undefined entity"),
            ("<?xml version='1.0'?>x", "XML declaration"),
            ("<b>x", "never closed"),
            ("x\u{1}y", "control character"),
        ] {
            let error = parse(bad).expect_err(bad);
            assert!(error.message.contains(why), "{bad:?}: {}", error.message);
        }
    }
}
