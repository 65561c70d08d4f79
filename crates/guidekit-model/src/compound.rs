//! The compound a guide is about.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    Action,
    primitives::{Line, Text},
};

/// The compound a guide is about and, when it differs, the one that was asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compound {
    /// The compound the guide is actually about.
    pub subject: Substance,
    /// The supplier's catalog number, e.g. "B564674".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub catalog_number: Option<Line>,
    /// The compound that was requested, when the guide is about a different one. A guide with a requested
    /// compound must also carry a `substitution` notice that explains the substitution to readers.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub requested: Option<RequestedCompound>,
    /// Calls to action next to the compound, e.g. "Get Quote".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

/// A chemical substance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Substance {
    /// The name used throughout the guide, e.g. "Aniracetam".
    pub name: Line,
    /// The class the compound belongs to, e.g. "racetam".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub class: Option<Line>,
    /// Other names for the compound.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<Line>,
    /// Registry identifiers. Leave out any that are not known for certain.
    #[serde(default, skip_serializing_if = "Identifiers::is_empty")]
    pub identifiers: Identifiers,
}

/// Registry identifiers of a substance. Their syntax (and the CAS check digit) is checked by the validator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identifiers {
    /// CAS Registry Number, e.g. `72432-10-1`.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub cas: Option<Line>,
    /// PubChem compound id (CID), digits only.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub pubchem_cid: Option<Line>,
    /// ChEMBL id, e.g. `CHEMBL1234`.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub chembl: Option<Line>,
    /// Standard InChIKey: 14 letters, a hyphen, 10 letters, a hyphen, one letter.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub inchikey: Option<Line>,
    /// SMILES string.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub smiles: Option<Line>,
}

impl Identifiers {
    /// Whether no identifier is given.
    pub fn is_empty(&self) -> bool {
        self == &Identifiers::default()
    }
}

/// The compound that was asked for, when the guide is about another one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestedCompound {
    /// The name as it was requested, e.g. "Amooracetal".
    pub name: Line,
    /// Why the guide is about another compound, in short.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}
