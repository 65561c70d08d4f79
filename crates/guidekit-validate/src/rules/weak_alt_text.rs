//! GK151 `weak-alt-text`: alt text that does not describe its diagram. Checked in `dot_syntax.rs`, in the same pass over each diagram as GK150.

use super::{Rule, Stage};
use crate::Severity::Warning;

pub(crate) const RULE: Rule = Rule {
    code: "GK151",
    name: "weak-alt-text",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "A diagram's alt text only repeats its caption or is too short to describe the diagram (under 20 characters). Readers who cannot see the diagram rely on the alt text: say what the diagram shows, e.g. which steps lead to which.",
    example: r#"{"diagrams": {"items": {"0": {"alt": "A diagram."}}}}"#,
    check: None,
};
