//! GK150 `dot-syntax`: DOT that does not parse; this file also holds the one pass over each diagram that checks GK150 to GK154.

use super::{Checker, Rule, Stage};
use guidekit_model::dot;

use crate::Severity::Error;

// The DOT rules share one parse of each diagram, so this one function checks all five.
const DOT_SYNTAX: &Rule = &RULE;
const DIAGRAM_TOO_LARGE: &Rule = &super::diagram_too_large::RULE;
const DOT_UNSUPPORTED: &Rule = &super::dot_unsupported_by_embedded_renderer::RULE;
const DOT_FILE_ATTRIBUTE: &Rule = &super::dot_file_attribute::RULE;
const WEAK_ALT_TEXT: &Rule = &super::weak_alt_text::RULE;

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
            }
            Ok(summary) => {
                if summary.nodes.len() > 60 || summary.edges > 120 {
                    c.emit(
                        DIAGRAM_TOO_LARGE,
                        dot_pointer.clone(),
                        format!(
                            "diagram `{}` has {} nodes and {} edges (limits: 60 and 120)",
                            diagram.id,
                            summary.nodes.len(),
                            summary.edges
                        ),
                    );
                }
                let mut unsupported = Vec::new();
                if !summary.clusters.is_empty() {
                    unsupported.push("clusters");
                }
                if summary.html_strings {
                    unsupported.push("HTML-like labels");
                }
                if summary.edge_groups {
                    unsupported.push("edges to node groups");
                }
                if !unsupported.is_empty() {
                    c.emit(
                        DOT_UNSUPPORTED,
                        dot_pointer.clone(),
                        format!(
                            "diagram `{}` uses {} , which the built-in renderer cannot draw",
                            diagram.id,
                            unsupported.join(", ")
                        )
                        .replace(" ,", ","),
                    )
                    .hints
                    .push("render with `--diagrams graphviz`, or simplify the diagram".into());
                }
                for attribute in
                    summary.attributes.iter().filter(|a| dot::FILE_READING_ATTRIBUTES.contains(&a.name.as_str()))
                {
                    let span = c.text_span(&dot_pointer, attribute.offset..attribute.offset + attribute.name.len());
                    let d = c.emit(
                        DOT_FILE_ATTRIBUTE,
                        dot_pointer.clone(),
                        format!("diagram `{}` sets `{}`, which makes Graphviz read a file", diagram.id, attribute.name),
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
