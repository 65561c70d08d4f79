//! The view's rich text, which the renderer gives as sanitised HTML, rewritten as Typst markup.
//!
//! The input is never arbitrary HTML: it is what `guidekit-render` writes after its allowlist sanitiser
//! (`a`, `b`, `br`, `code`, `del`, `em`, `i`, `s`, `strong`, `sub`, `sup`, and its own citation marks:
//! `<sup class="cite">`, `<a href="#ref-N">`, `<span class="cite-missing">`). So a small reader suffices, and
//! reading the HTML keeps one source of truth for citation numbers and links. Whatever it does not know it
//! drops while keeping the text, so nothing a guide writes can become Typst code: every run of text goes
//! through [`escape::markup`], every URL through [`escape::string`].

use std::collections::HashSet;

use guidekit_model::dot::label::decode_character_references;
use guidekit_model::{LinkTarget, link_target};

use crate::escape;

/// One open element and how to close it.
enum Open {
    /// Closed with `]`.
    Bracket,
    /// Written nothing (unknown element, or a link whose target the document lacks).
    Nothing,
    /// `<code>`: its text is collected and written as one `#raw(...)`.
    Code(String),
}

/// Converts sanitised inline HTML to Typst markup. `labels` are the anchors the document defines; an
/// internal link to any other anchor is written as plain text (Typst refuses links to missing labels).
pub fn to_typst(html: &str, labels: &HashSet<String>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut stack: Vec<(String, Open)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            text(&mut out, &mut stack, rest);
            break;
        };
        text(&mut out, &mut stack, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            // Not a tag after all: the sanitiser escapes a lone `<`, but stay safe.
            text(&mut out, &mut stack, &rest[lt..]);
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(at) = stack.iter().rposition(|(open, _)| *open == name) {
                while stack.len() > at {
                    let (_, open) = stack.pop().expect("non-empty");
                    close(&mut out, &mut stack, open);
                }
            }
            continue;
        }
        let (name, attributes) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
        let name = name.trim_end_matches('/').to_ascii_lowercase();
        if name == "br" {
            push(&mut out, &mut stack, LINEBREAK);
            continue;
        }
        let open = match name.as_str() {
            "em" | "i" => opening(&mut out, &mut stack, "#emph["),
            "strong" | "b" => opening(&mut out, &mut stack, "#strong["),
            "del" | "s" => opening(&mut out, &mut stack, "#strike["),
            "sub" => opening(&mut out, &mut stack, "#sub(typographic: false)["),
            "sup" => opening(&mut out, &mut stack, "#super(typographic: false)["),
            "code" => Open::Code(String::new()),
            "a" => match attribute(attributes, "href") {
                Some(href) => match href.strip_prefix('#') {
                    Some(anchor) if labels.contains(anchor) => {
                        opening(&mut out, &mut stack, &format!("#link({})[", escape::label(anchor)))
                    }
                    Some(_) => Open::Nothing,
                    None if link_target(&href) == LinkTarget::Absolute => {
                        opening(&mut out, &mut stack, &format!("#link({})[", escape::string(href.trim())))
                    }
                    None => Open::Nothing,
                },
                None => Open::Nothing,
            },
            _ => Open::Nothing,
        };
        stack.push((name, open));
    }
    while let Some((_, open)) = stack.pop() {
        close(&mut out, &mut stack, open);
    }
    out
}

fn opening(out: &mut String, stack: &mut [(String, Open)], call: &str) -> Open {
    push(out, stack, call);
    Open::Bracket
}

fn close(out: &mut String, stack: &mut [(String, Open)], open: Open) {
    match open {
        Open::Bracket => push(out, stack, "]"),
        Open::Nothing => {}
        Open::Code(code) => push(out, stack, &format!("#raw({})", escape::string(&code))),
    }
}

/// The line break, which inside code is a space.
const LINEBREAK: &str = "#linebreak()";

/// Writes Typst source; inside an open `<code>`, where markup is not wanted, writes nothing (a line break
/// is a space there).
fn push(out: &mut String, stack: &mut [(String, Open)], typst: &str) {
    match stack.iter_mut().rev().find_map(|(_, open)| if let Open::Code(code) = open { Some(code) } else { None }) {
        Some(code) if typst == LINEBREAK => code.push(' '),
        Some(_) => {}
        None => out.push_str(typst),
    }
}

/// A run of HTML text (entities decoded), escaped for markup or collected into open code.
fn text(out: &mut String, stack: &mut [(String, Open)], html: &str) {
    if html.is_empty() {
        return;
    }
    let decoded = decode_character_references(html);
    match stack.iter_mut().rev().find_map(|(_, open)| if let Open::Code(code) = open { Some(code) } else { None }) {
        Some(code) => code.push_str(&decoded),
        None => out.push_str(&escape::markup(&decoded)),
    }
}

/// The value of attribute `name` in a tag's attribute text, decoded.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let mut rest = attributes;
    while let Some(at) = rest.find(name) {
        let after = &rest[at + name.len()..];
        let boundary = at == 0 || rest[..at].ends_with(char::is_whitespace);
        if boundary && let Some(value) = after.trim_start().strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = value[1..].find(quote)?;
                return Some(decode_character_references(&value[1..1 + end]));
            }
            let end = value.find(char::is_whitespace).unwrap_or(value.len());
            return Some(decode_character_references(&value[..end]));
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expect: &str) {
        let labels: HashSet<String> = ["ref-1".to_owned(), "tbl-a".to_owned()].into();
        assert_eq!(to_typst(html, &labels), expect, "{html:?}");
    }

    #[test]
    fn inline_elements() {
        check("<em>a</em> <strong>b</strong> <del>c</del>", "#emph[a] #strong[b] #strike[c]");
        check("x<sub>2</sub>", "x#sub(typographic: false)[2]");
        check("<code>a*b \"c\"</code>", "#raw(\"a*b \\\"c\\\"\")");
        check("<code>a<em>b</em><br>c</code>", "#raw(\"ab c\")");
        check("a<br>b", "a#linebreak()b");
    }

    #[test]
    fn links_and_citations() {
        check(
            "see<sup class=\"cite\"><a id=\"cite-1\" href=\"#ref-1\">[1]</a><a href=\"#ref-2\">[2]</a></sup>",
            "see#super(typographic: false)[#link(<ref-1>)[\\[1\\]]\\[2\\]]",
        );
        check("<a href=\"#tbl-a\">Table 1</a>", "#link(<tbl-a>)[Table 1]");
        check(
            "<a href=\"https://e.org/?a=1&amp;b=&quot;\" rel=\"noopener noreferrer\">e.org</a>",
            "#link(\"https://e.org/?a=1&b=\\\"\")[e.org]",
        );
        check("<a href=\"javascript:x\">no</a>", "no");
        check("<span class=\"cite-missing\">[?x]</span>", "\\[?x\\]");
    }

    #[test]
    fn entities_and_text() {
        check("Aniracetam&#x27;s &lt;b&gt; &amp; #x &#35; &bogus; &", "Aniracetam\\'s \\<b\\> & \\#x \\# &bogus; &");
        check("unclosed <em>x", "unclosed #emph[x]");
        check("stray</em> a < b", "stray a \\< b");
    }
}
