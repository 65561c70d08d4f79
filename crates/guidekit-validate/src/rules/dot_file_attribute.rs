//! GK154 `dot-file-attribute`: a DOT attribute that makes Graphviz read a file. Checked in `dot_syntax.rs`, in the same pass over each diagram as GK150.

use super::{Rule, Stage};
use crate::Severity::Error;

pub(crate) const RULE: Rule = Rule {
    code: "GK154",
    name: "dot-file-attribute",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A diagram sets an attribute with which Graphviz reads files from the disk (`image`, `imagepath`, `shapefile`, `fontpath`, `fontnames`, `stylesheet`, in any letter case) or has an HTML-like label with an `<IMG>`. Guides are portable and rendering them must not read local files: remove it. Both renderers refuse such diagrams too.",
    example: r#"{"diagrams": {"items": {"0": {"dot": "digraph { a [image=\"/etc/passwd\"] }"}}}}"#,
    check: None,
};
