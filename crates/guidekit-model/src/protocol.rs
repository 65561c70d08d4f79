//! Experimental protocols with nested steps.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::primitives::{Id, Line, NonEmptyVec, Text};

/// The section of experimental protocols.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtocolSection {
    /// The section heading; "Experimental Protocols" when absent.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub heading: Option<Line>,
    /// Text before the protocols.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub introduction: Option<Text>,
    /// The protocols, in the order they are presented.
    pub items: NonEmptyVec<Protocol>,
}

/// An experimental protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// The protocol's id.
    pub id: Id,
    /// The title, e.g. "Murine Model of Cognitive and Behavioral Assessment".
    pub title: Line,
    /// The steps, in order.
    pub steps: NonEmptyVec<Step>,
}

/// A protocol step. It has a label, text, sub-steps, or any of them (the validator flags a step with none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A short label, e.g. "Animals", "Drug Administration", "Open Field Test".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub label: Option<Line>,
    /// What is done, with citations.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
    /// Sub-steps, e.g. the individual behavioural tests or treatment groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}
