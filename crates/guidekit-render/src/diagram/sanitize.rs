//! The SVG sanitiser: every diagram, whichever engine drew it, is parsed as XML and rebuilt from an
//! allowlist of elements and attributes before it reaches a page or a file.
//!
//! Dropped with everything inside them: `script`, `style`, `foreignObject`, `image`, `use`, animation
//! elements and every element not on the list; unwrapped (children kept): `a`. Dropped attributes: every
//! event handler (`on*`), `href`/`xlink:href`, `style`, and every attribute not on the list; a value that
//! mentions `javascript:` or `data:`, or a `url(...)` other than a local `url(#id)`, drops its attribute.
//! Ids are prefixed with the diagram's own prefix (so that several diagrams can share a page without
//! clashing), and `url(#id)` references follow. The result is accessible: `role="img"`, an `aria-label`
//! and a `<title>` carrying the diagram's text alternative.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::escape::escape_markup;

const MAX_INPUT: usize = 8 * 1024 * 1024;
const MAX_DEPTH: usize = 256;

/// Elements kept as they are (with their allowed attributes).
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "defs",
    "marker",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
];

/// Elements replaced by their children.
const UNWRAPPED: &[&str] = &["a", "switch"];

/// Attributes kept, when their value passes [`safe_value`].
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "dx",
    "dy",
    "width",
    "height",
    "points",
    "d",
    "transform",
    "viewBox",
    "preserveAspectRatio",
    "rotate",
    "textLength",
    "lengthAdjust",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "font-variant",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "text-decoration",
    "letter-spacing",
    "word-spacing",
    "visibility",
    "clip-path",
    "clip-rule",
    "marker-start",
    "marker-mid",
    "marker-end",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "clipPathUnits",
];

/// Sanitises `svg` and makes it accessible with `alt`. Ids get `id_prefix` (which must be a valid id).
pub(crate) fn sanitize_svg(svg: &str, alt: &str, id_prefix: &str) -> Result<String, String> {
    if svg.len() > MAX_INPUT {
        return Err("the SVG is too large".into());
    }
    let mut reader = Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut out = String::with_capacity(svg.len());
    // For each open element: whether it was written (false for unwrapped ones).
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut skip_depth = 0usize;
    let mut seen_root = false;
    let mut root_closed = false;
    loop {
        let event = reader.read_event().map_err(|e| format!("the SVG is not well-formed XML: {e}"))?;
        match event {
            Event::Eof => break,
            Event::Start(ref start) | Event::Empty(ref start) => {
                let empty = matches!(event, Event::Empty(_));
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                if skip_depth > 0 {
                    if !empty {
                        skip_depth += 1;
                    }
                    continue;
                }
                if root_closed {
                    return Err("the SVG has content after its root element".into());
                }
                if !seen_root {
                    if name != "svg" {
                        return Err("the document is not an SVG".into());
                    }
                    seen_root = true;
                    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\"");
                    write_attributes(&mut out, start, id_prefix, true);
                    out.push_str(&format!(" role=\"img\" aria-label=\"{}\">", escape_markup(alt)));
                    out.push_str(&format!("<title>{}</title>", escape_markup(alt)));
                    if empty {
                        out.push_str("</svg>");
                        root_closed = true;
                    } else {
                        stack.push((name, true));
                    }
                    continue;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err("the SVG is nested too deeply".into());
                }
                if ELEMENTS.contains(&name.as_str()) {
                    out.push('<');
                    out.push_str(&name);
                    write_attributes(&mut out, start, id_prefix, false);
                    if empty {
                        out.push_str("/>");
                    } else {
                        out.push('>');
                        stack.push((name, true));
                    }
                } else if UNWRAPPED.contains(&name.as_str()) {
                    if !empty {
                        stack.push((name, false));
                    }
                } else if !empty {
                    skip_depth = 1;
                }
            }
            Event::End(_) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                let Some((name, written)) = stack.pop() else {
                    return Err("the SVG closes an element it did not open".into());
                };
                if written {
                    out.push_str(&format!("</{name}>"));
                }
                if stack.is_empty() {
                    root_closed = true;
                }
            }
            Event::Text(text) => {
                if skip_depth == 0 && !stack.is_empty() {
                    let text = text.decode().map_err(|e| e.to_string())?;
                    out.push_str(&escape_markup(&text));
                }
            }
            Event::CData(text) => {
                if skip_depth == 0 && !stack.is_empty() {
                    out.push_str(&escape_markup(&String::from_utf8_lossy(&text)));
                }
            }
            Event::GeneralRef(reference) => {
                if skip_depth == 0 && !stack.is_empty() {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        _ => {
                            let name = String::from_utf8_lossy(&reference);
                            quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                        }
                    };
                    // Entities other than XML's five are not expanded (no DTD is read): they are dropped.
                    if let Some(resolved) = resolved {
                        out.push_str(&escape_markup(&resolved));
                    }
                }
            }
            // Declarations, doctypes (and any entities they define), comments and processing instructions
            // are dropped.
            Event::Decl(_) | Event::DocType(_) | Event::Comment(_) | Event::PI(_) => {}
        }
    }
    if !seen_root || !root_closed {
        return Err("the SVG is incomplete".into());
    }
    Ok(out)
}

/// What [`sanitize_svg`] gives for an SVG written by the embedded engine, without parsing it again: that SVG
/// is safe by construction, since `svg::Svg` writes only allowlisted elements and attributes, escapes every
/// attribute value and text, writes no ids, and its colours are `#hex` or a name of letters. So only the
/// text alternative is added, as the sanitiser adds it. Debug builds check every embedded diagram they draw
/// against the sanitiser (in `Diagrams::draw`), and a test does so with hostile labels, names and colours.
pub(crate) fn accessible(svg: &str, alt: &str) -> String {
    let alt = escape_markup(alt);
    let end = svg.find('>').unwrap_or(svg.len());
    let mut out = String::with_capacity(svg.len() + 2 * alt.len() + 48);
    out.push_str(&svg[..end]);
    out.push_str(" role=\"img\" aria-label=\"");
    out.push_str(&alt);
    out.push_str("\"><title>");
    out.push_str(&alt);
    out.push_str("</title>");
    out.push_str(svg.get(end + 1..).unwrap_or(""));
    out
}

fn write_attributes(out: &mut String, start: &BytesStart<'_>, id_prefix: &str, root: bool) {
    for attribute in start.attributes().with_checks(false) {
        let Ok(attribute) = attribute else { continue };
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        if !ATTRIBUTES.contains(&key.as_str()) || (root && matches!(key.as_str(), "id" | "class")) {
            continue;
        }
        let Ok(value) = attribute.unescape_value() else { continue };
        let Some(value) = safe_value(&key, &value, id_prefix) else { continue };
        out.push_str(&format!(" {key}=\"{}\"", escape_markup(&value)));
    }
}

/// The value to write for attribute `key`, or `None` to drop the attribute.
fn safe_value(key: &str, value: &str, id_prefix: &str) -> Option<String> {
    let squeezed: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let lower = squeezed.to_ascii_lowercase();
    if ["javascript:", "vbscript:", "data:", "expression(", "@import", "\\"].iter().any(|bad| lower.contains(bad)) {
        return None;
    }
    if key == "id" {
        let id: String = value.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')).collect();
        return (!id.is_empty()).then(|| format!("{id_prefix}-{id}"));
    }
    if lower.contains("url(") {
        // Only a whole-value local reference: url(#id).
        let inner = squeezed.strip_prefix("url(#")?.strip_suffix(')')?;
        if inner.is_empty() || !inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            return None;
        }
        return Some(format!("url(#{id_prefix}-{inner})"));
    }
    Some(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> String {
        sanitize_svg(svg, "A \"diagram\" <of> things", "fig-x").unwrap()
    }

    #[test]
    fn keeps_drawing_and_adds_a_text_alternative() {
        let out = clean(
            r##"<?xml version="1.0"?><!-- c --><svg width="10pt" viewBox="0 0 10 10" xmlns:xlink="http://www.w3.org/1999/xlink"><g id="graph0" class="graph"><title>g</title><rect x="1" fill="url(#grad)"/><text x="2">a &amp; b &#x3c;</text></g></svg>"##,
        );
        assert_eq!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10pt\" viewBox=\"0 0 10 10\" role=\"img\" \
             aria-label=\"A &quot;diagram&quot; &lt;of&gt; things\"><title>A &quot;diagram&quot; &lt;of&gt; things</title>\
             <g id=\"fig-x-graph0\" class=\"graph\"><rect x=\"1\" fill=\"url(#fig-x-grad)\"/><text x=\"2\">a &amp; b &lt;</text></g></svg>"
        );
    }

    #[test]
    fn removes_scripts_handlers_foreign_objects_and_script_links() {
        let out = clean(
            r#"<svg onload="alert(1)"><script>alert(1)</script><g onclick="x()" style="background:url(http://e/)"><a xlink:href="javascript:alert(1)" href="javascript:alert(2)"><text>link</text></a><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/></div></foreignObject><image href="http://e/x.png"/><rect fill="url(http://e/x)" stroke="javascript:alert(1)"/><set attributeName="onmouseover" to="alert(1)"/><animate attributeName="href" to="javascript:alert(1)"/></g></svg>"#,
        );
        for bad in [
            "<script",
            "onload",
            "onclick",
            "onerror",
            "javascript:",
            "foreignObject",
            "<image",
            "http://e",
            "<set",
            "<animate",
            "style=",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains("<text>link</text>"), "{out}");
    }

    #[test]
    fn the_embedded_engine_needs_no_sanitising_even_with_hostile_dot() {
        let hostile = [
            "<script>alert(1)</script>",
            "\\\" onload=\\\"alert(1)",
            "' onmouseover='alert(1)",
            "]]><svg onload=alert(1)>",
            "&amp; &lt; &#x3c; &unknown;",
            "javascript:alert(1) data:text/html,x url(http://e/) \\\\",
            "\u{0}\u{1}\u{b}\u{c}\r\n\t\u{7f}\u{fffe}\u{ffff} \u{202e}rtl \u{1F600} \u{e000}\u{e001}",
            "<!-- c --><?pi x?><!DOCTYPE x>",
            "{a|<b> c|d}",
        ];
        let mut drawn = 0;
        for (i, text) in hostile.iter().enumerate() {
            let attr = |v: &str| v.replace('\\', "\\\\").replace('"', "\\\"");
            let label = attr(text);
            let sources = [
                format!(r#"digraph {{ label="{label}"; a [label="{label}"]; a -> b [label="{label}"]; b -> a }}"#),
                format!(
                    r#"digraph {{ subgraph cluster_x {{ label="{label}"; fillcolor="{label}"; style=filled; a }}
                       a [shape=record, label="{label}|{label}", fontname="{label}", color="{label}"]; a -> c }}"#
                ),
                format!(
                    r#"graph {{ rankdir=LR; a [shape=diamond, fillcolor="javascript:x", style="filled,{label}"];
                       a -- b [color="url(#x)", fontcolor="{label}", penwidth="{label}", fontsize="1e308"] }}"#
                ),
                format!(r#"digraph {{ a [label=<<b>{}</b>>] }}"#, text.replace(['<', '>', '&'], "")),
            ];
            for source in sources {
                let Ok(graph) = guidekit_model::dot::parse(&source) else { continue };
                drawn += 1;
                let svg = super::super::embedded::render(&graph).unwrap();
                let alt = format!("{text} alt {i}");
                assert_eq!(accessible(&svg, &alt), sanitize_svg(&svg, &alt, "fig-x").unwrap(), "{source}");
            }
        }
        assert!(drawn >= hostile.len() * 3, "only {drawn} graphs parsed");
    }

    #[test]
    fn rejects_what_is_not_an_svg() {
        for bad in ["", "<html></html>", "<svg>", "<svg></svg><svg></svg>", "<svg><g></svg>", "not xml"] {
            assert!(sanitize_svg(bad, "x", "p").is_err(), "{bad:?} accepted");
        }
        let doctype = r#"<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]><svg><text>&x;</text></svg>"#;
        let out = sanitize_svg(doctype, "x", "p").unwrap();
        assert!(!out.contains("script"), "{out}");
    }
}
