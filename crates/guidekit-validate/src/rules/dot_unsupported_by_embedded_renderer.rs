//! GK153 `dot-unsupported-by-embedded-renderer`: DOT the built-in renderer cannot draw. Checked in `dot_syntax.rs`, in the same pass over each diagram as GK150.

use super::{Rule, Stage};
use crate::Severity::Warning;

pub(crate) const RULE: Rule = Rule {
    code: "GK153",
    name: "dot-unsupported-by-embedded-renderer",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "A diagram uses DOT features the built-in (pure Rust) renderer cannot draw: clusters, HTML-like labels, or edges to a group of nodes (`a -> {b c}`). It renders with Graphviz (`--diagrams graphviz`), but not with the default renderer.",
    example: r#"{"diagrams": {"items": {"0": {"dot": "digraph { subgraph cluster_a { a -> b } }"}}}}"#,
    check: None,
};
