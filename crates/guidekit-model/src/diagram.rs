//! Mechanism diagrams, kept as Graphviz DOT source.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::primitives::{DotSource, Id, Line, NonEmptyVec, Text};

/// The section of diagrams.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiagramSection {
    /// The section heading; "Diagrams" when absent.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub heading: Option<Line>,
    /// Text before the diagrams.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub introduction: Option<Text>,
    /// The diagrams, in the order they are presented; they are numbered "Figure 1", "Figure 2", ...
    pub items: NonEmptyVec<Diagram>,
}

/// A diagram. The guide carries its source, so it can always be drawn again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagram {
    /// The diagram's id; text refers to it as `[@fig:id]`.
    pub id: Id,
    /// The caption, without the "Figure N:" prefix.
    pub caption: Text,
    /// A text alternative that tells a reader who cannot see the diagram what it shows.
    pub alt: Line,
    /// The diagram as Graphviz DOT source (`digraph { ... }`).
    pub dot: DotSource,
}
