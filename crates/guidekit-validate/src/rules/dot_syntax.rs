//! GK150 `dot-syntax`: DOT that does not parse; this file also holds the one pass over each diagram that checks GK150, GK151, GK152, GK154 and GK155.

use super::{Checker, Rule, Stage};
use guidekit_model::dot;

use crate::Severity::Error;

// The DOT rules share one parse of each diagram, so this one function checks all five.
const DOT_SYNTAX: &Rule = &RULE;
const DIAGRAM_TOO_LARGE: &Rule = &super::diagram_too_large::RULE;
const DOT_FILE_ATTRIBUTE: &Rule = &super::dot_file_attribute::RULE;
const WEAK_ALT_TEXT: &Rule = &super::weak_alt_text::RULE;
const DOT_LINK_BREAKS_SVG: &Rule = &super::dot_link_breaks_svg::RULE;

pub(crate) const RULE: Rule = Rule {
    code: "GK150",
    name: "dot-syntax",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A diagram's DOT source does not parse. The position shown is the place inside the DOT source (mapped to the guide file) where the parser stopped. DOT syntax: https://graphviz.org/doc/info/lang.html.",
    example: r#"{"diagrams": {"items": {"0": {"dot": "digraph { a -> }"}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let Some(section) = &c.guide.diagrams else { return };
    for (i, diagram) in section.items.iter().enumerate() {
        let pointer = format!("/diagrams/items/{i}");
        let dot_pointer = format!("{pointer}/dot");
        match dot::parse(&diagram.dot) {
            Err(error) => {
                let span = c.text_span(&dot_pointer, error.offset..error.offset);
                let d = c.emit(
                    DOT_SYNTAX,
                    dot_pointer.clone(),
                    format!("diagram `{}` has invalid DOT: {}", diagram.id, error.message),
                );
                d.span = span;
                if let Some((offset, cause)) = &error.cause {
                    let before = &diagram.dot[..(*offset).min(diagram.dot.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    d.hints.push(format!("{cause} (the `[` is at line {line}, column {column} of the DOT source)"));
                }
            }
            Ok(graph) => {
                // The bound the embedded engine applies before it lays a graph out.
                if let Err(too_large) = dot::limits::check(&graph) {
                    c.emit(
                        DIAGRAM_TOO_LARGE,
                        dot_pointer.clone(),
                        format!("diagram `{}` is too large to lay out: {too_large}", diagram.id),
                    )
                    .hints
                    .push("split it into smaller diagrams, or drop edges that skip over many ranks".into());
                }
                for attribute in graph.attributes.iter().filter(|a| {
                    super::dot_link_breaks_svg::LINK_ATTRIBUTES.iter().any(|name| a.name.text.eq_ignore_ascii_case(name))
                        && a.value.text.contains(['<', '&', '"'])
                }) {
                    let span = c.text_span(&dot_pointer, attribute.value.span.clone());
                    let d = c.emit(
                        DOT_LINK_BREAKS_SVG,
                        dot_pointer.clone(),
                        format!(
                            "diagram `{}` sets `{}` to a value with `<`, `&` or `\"`, which Graphviz writes into SVG unescaped",
                            diagram.id, attribute.name.text
                        ),
                    );
                    d.span = span;
                    d.hints.push("remove the link (diagrams are drawn without links), or percent-encode it".into());
                }
                for read in graph.file_reads() {
                    let span = c.text_span(&dot_pointer, read.span.clone());
                    let d = c.emit(
                        DOT_FILE_ATTRIBUTE,
                        dot_pointer.clone(),
                        format!("diagram `{}` sets `{}`, which makes Graphviz read a file", diagram.id, read.what),
                    );
                    d.span = span;
                }
            }
        }
        let alt = diagram.alt.trim();
        let caption = diagram.caption.trim().trim_end_matches('.');
        if alt.chars().count() < 20 || alt.trim_end_matches('.').eq_ignore_ascii_case(caption) {
            c.emit(
                WEAK_ALT_TEXT,
                format!("{pointer}/alt"),
                format!("the alt text of diagram `{}` does not describe it", diagram.id),
            )
            .hints
            .push("say what the diagram shows: its elements and how they connect".into());
        }
    }
}
