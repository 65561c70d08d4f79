//! The publisher of a guide: contact details, mission and service offers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    Action,
    primitives::{Email, Line, Text, Url},
};

/// Who publishes the guide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    /// The publisher's name, e.g. "BenchChem". It is also the name used in the citation line.
    pub name: Line,
    /// The publisher's mission statement.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub mission: Option<Text>,
    /// Postal address.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub address: Option<PostalAddress>,
    /// Telephone number as written, e.g. "(601) 213-4426".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub phone: Option<Line>,
    /// Contact e-mail address.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    /// Web site.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    /// Services offered to readers, e.g. "Need Custom Synthesis?".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<Offer>,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    /// Street address, e.g. "3281 E Guasti Rd".
    pub street: Line,
    /// Town or city, e.g. "Ontario".
    pub locality: Line,
    /// State or region, e.g. "CA".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub region: Option<Line>,
    /// Postal code, e.g. "91761".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<Line>,
    /// Country, e.g. "United States".
    pub country: Line,
}

/// A service the publisher offers to readers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// The offer's heading, e.g. "Need Custom Synthesis?".
    pub heading: Line,
    /// What is offered.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
    /// Where to ask, if not the publisher's general address.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    /// Calls to action, e.g. "Request Quote Online".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}
