//! GK155 `dot-link-breaks-svg`: a DOT link attribute whose value Graphviz writes into SVG unescaped. Checked in `dot_syntax.rs`, in the same pass over each diagram as GK150.

use super::{Rule, Stage};
use crate::Severity::Error;

/// The attributes Graphviz writes into SVG as `href` without escaping them (measured with Graphviz 2.42:
/// a `<`, `&` or `"` in them makes the SVG ill-formed XML).
pub(crate) const LINK_ATTRIBUTES: &[&str] =
    &["url", "href", "edgeurl", "edgehref", "headurl", "headhref", "tailurl", "tailhref", "labelurl", "labelhref"];

pub(crate) const RULE: Rule = Rule {
    code: "GK155",
    name: "dot-link-breaks-svg",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A diagram sets a link attribute (`URL`, `href`, `edgeURL`, `headURL`, `tailURL`, `labelURL` and their `href` forms, in any letter case) whose value holds `<`, `&` or `\"`. Graphviz writes these values into its SVG without escaping them, so the SVG is not well-formed and `guidekit build --diagrams graphviz` must refuse the diagram. guidekit draws no links in diagrams (the SVG is rebuilt without them), so the attribute can simply be removed; otherwise percent-encode the characters (`%3C`, `%26`, `%22`).",
    example: r#"{"diagrams": {"items": {"0": {"dot": "digraph { a [URL=\"https://example.org/?a=1&b=2\"] }"}}}}"#,
    check: None,
};
