//! The guide document and its front and back matter.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    Compound, DataSection, DiagramSection, ProtocolSection, Publisher, Reference,
    primitives::{Id, LanguageTag, Line, NonEmptyVec, PartialDate, Text, Url},
};

/// A research guide about one compound: what it is, how it is hypothesised to act, the quantitative
/// evidence, the experimental protocols, mechanism diagrams and the references behind every claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "guidekit research guide")]
#[schemars(extend("$id" = crate::SCHEMA_ID))]
pub struct Guide {
    /// The JSON Schema this file follows, for editors that complete and check as you type
    /// (e.g. `"../schemas/guide.schema.json"`). Ignored by guidekit.
    #[serde(
        rename = "$schema",
        default,
        deserialize_with = "crate::primitives::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub schema: Option<String>,
    /// The version of the guide format this file is written in.
    pub schema_version: SchemaVersion,
    /// Title, authors, date and other facts about the guide itself.
    pub metadata: Metadata,
    /// The compound the guide is about, and the compound that was asked for when it differs.
    pub compound: Compound,
    /// Notices shown prominently: substitution, research-use-only, data validity, general.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
    /// Who the guide is written for and what evidence it rests on.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// The hypotheses on how the compound acts.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub hypotheses: Option<HypothesisSection>,
    /// Quantitative data tables.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub data: Option<DataSection>,
    /// Experimental protocols.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub protocols: Option<ProtocolSection>,
    /// Mechanism diagrams, as Graphviz DOT source.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub diagrams: Option<DiagramSection>,
    /// The guide's conclusion.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<Conclusion>,
    /// The works cited, as CSL-JSON items. Their order here does not matter: the renderer numbers them by
    /// first citation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// The style the reference list is written in; Vancouver when absent. `guidekit build --style` overrides it.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub citation_style: Option<CitationStyle>,
    /// How to cite this guide. Derived from the metadata and publisher unless `text` overrides it.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub citation: Option<HowToCite>,
    /// Who publishes the guide, how to reach them, and what they offer.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Publisher>,
    /// Data that the guide format does not know, kept as it is. Keys should be namespaced
    /// (e.g. `"acme:internal-id"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

/// The version of the guide format. Only `"1.0"` exists so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SchemaVersion {
    /// The first version of the format.
    #[serde(rename = "1.0")]
    V1_0,
}

/// Facts about the guide itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// The guide's title, e.g. "The Hypothesized Mechanism of Action of Aniracetam".
    pub title: Line,
    /// The subtitle, e.g. "A Technical Guide".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<Line>,
    /// What kind of guide this is.
    pub kind: GuideKind,
    /// Who wrote the guide: people, organisations or both, in credit order.
    pub authors: NonEmptyVec<Author>,
    /// When the guide was published: `YYYY`, `YYYY-MM` ("December 2025" is `2025-12`) or `YYYY-MM-DD`.
    pub published: PartialDate,
    /// The guide's own version, if it has one (e.g. "1.2").
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub version: Option<Line>,
    /// The language the guide is written in, as a BCP 47 tag (`en`, `en-GB`).
    pub language: LanguageTag,
    /// Where the guide is published, if it has a canonical address.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    /// Subject keywords.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<Line>,
}

/// The kind of guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GuideKind {
    /// How the compound is hypothesised to act.
    MechanismOfAction,
    /// How to handle, prepare or use the compound in experiments.
    Protocol,
    /// A worked application of the compound.
    ApplicationNote,
    /// A review of the literature on the compound.
    Review,
    /// Safety and handling information.
    Safety,
}

impl GuideKind {
    /// A label for readers ("Mechanism of action").
    pub fn label(self) -> &'static str {
        match self {
            GuideKind::MechanismOfAction => "Mechanism of action",
            GuideKind::Protocol => "Protocol",
            GuideKind::ApplicationNote => "Application note",
            GuideKind::Review => "Review",
            GuideKind::Safety => "Safety",
        }
    }
}

/// An author: a person or an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Author {
    /// A person.
    Person {
        /// Family name.
        family: Line,
        /// Given names.
        #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
        given: Option<Line>,
        /// ORCID iD as `0000-0000-0000-0000`.
        #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
        orcid: Option<Line>,
        /// Affiliation.
        #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
        affiliation: Option<Line>,
    },
    /// An organisation or team, e.g. "BenchChem Technical Support Team".
    Organization {
        /// The organisation's name.
        name: Line,
    },
}

impl Author {
    /// The name as it is printed in a by-line ("Jane Smith", "BenchChem Technical Support Team").
    pub fn display_name(&self) -> String {
        match self {
            Author::Person { family, given: Some(given), .. } => format!("{given} {family}"),
            Author::Person { family, given: None, .. } => family.to_string(),
            Author::Organization { name } => name.to_string(),
        }
    }
}

/// A notice shown prominently to every reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// What the notice is about.
    pub kind: NoticeKind,
    /// A heading, e.g. "Disclaimer" or "Technical Support".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub title: Option<Line>,
    /// What the notice says.
    pub text: Text,
    /// Links or calls to action that go with the notice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

/// The kind of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// The guide is about another compound than the one requested, and says why.
    Substitution,
    /// The material is for research use only, not for diagnostic or therapeutic use.
    ResearchUseOnly,
    /// How far the data and protocols can be relied upon.
    DataValidity,
    /// Anything else a reader should see, e.g. where to get technical support.
    General,
}

/// A link or call to action ("Request Quote Online"). Without a URL it is shown as text only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The words shown to the reader.
    pub label: Line,
    /// Where the action leads, when known.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
}

/// Who the guide is written for, and the evidence it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// The intended readers, e.g. "researchers", "scientists", "drug development professionals".
    pub readers: NonEmptyVec<Line>,
    /// The kinds of evidence the guide synthesises.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceKind>,
    /// The guide's own statement of its scope and audience.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
}

/// A kind of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Studies in cells or tissue.
    InVitro,
    /// Animal studies.
    Preclinical,
    /// Studies in people.
    Clinical,
    /// Computational studies.
    InSilico,
    /// Reviews of other studies.
    Review,
}

/// The guide's conclusion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conclusion {
    /// The section heading; "Conclusion" when absent.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub heading: Option<Line>,
    /// The conclusion itself.
    pub text: Text,
}

/// A citation style for the reference list. The names are those of the CSL styles repository.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CitationStyle {
    /// Vancouver (NLM, *Citing Medicine*), numbered by first citation: "Smith JA, Doe J. Title. Journal.
    /// 2017;12(4):e1."
    #[default]
    Vancouver,
    /// APA, 7th edition: "Smith, J. A., & Doe, J. (2017). Title. *Journal*, *12*(4), e1."
    Apa,
    /// Nature: "Smith, J. A. & Doe, J. Title. *Journal* **12**, e1 (2017)."
    Nature,
    /// Chicago Manual of Style, 17th edition, author-date: "Smith, Jane A., and John Doe. 2017. "Title."
    /// *Journal* 12 (4): e1."
    ChicagoAuthorDate,
}

impl CitationStyle {
    /// Every style, in the order documented.
    pub const ALL: [CitationStyle; 4] =
        [CitationStyle::Vancouver, CitationStyle::Apa, CitationStyle::Nature, CitationStyle::ChicagoAuthorDate];

    /// The style's name in guides and on the command line (`chicago-author-date`).
    pub fn name(self) -> &'static str {
        match self {
            CitationStyle::Vancouver => "vancouver",
            CitationStyle::Apa => "apa",
            CitationStyle::Nature => "nature",
            CitationStyle::ChicagoAuthorDate => "chicago-author-date",
        }
    }
}

/// How to cite the guide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HowToCite {
    /// The medium the guide is published in, e.g. "Online PDF".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub medium: Option<Line>,
    /// The exact citation text, when it must differ from the one derived from metadata and publisher.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub text: Option<Line>,
}

/// Builds the citation line for a guide from its metadata and publisher, in the form
/// `Publisher. [Title: Subtitle]. Publisher, [Year]. [Medium]. Available at: [URL]`.
/// An explicit `citation.text` wins.
pub fn citation_line(guide: &Guide) -> String {
    if let Some(text) = guide.citation.as_ref().and_then(|c| c.text.as_ref()) {
        return text.to_string();
    }
    let meta = &guide.metadata;
    let authors = || meta.authors.iter().map(Author::display_name).collect::<Vec<_>>().join(", ");
    let title = match &meta.subtitle {
        Some(subtitle) => format!("{}: {}", meta.title, subtitle),
        None => meta.title.to_string(),
    };
    let year = meta.published.parts().year;
    // A publisher is named twice, as the seed does ("BenchChem. [...]. BenchChem, [2025]."); authors who are
    // their own publishers are named once ("Jane Doe. [...]. [2026].").
    let mut line = match &guide.publisher {
        Some(publisher) => format!("{0}. [{title}]. {0}, [{year}].", publisher.name),
        None => format!("{}. [{title}]. [{year}].", authors()),
    };
    if let Some(medium) = guide.citation.as_ref().and_then(|c| c.medium.as_ref()) {
        line.push_str(&format!(" [{medium}]."));
    }
    if let Some(url) = &meta.url {
        line.push_str(&format!(" Available at: [{url}]"));
    }
    line
}

/// The section of hypotheses on how the compound acts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HypothesisSection {
    /// The section heading; "Hypotheses" when absent.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub heading: Option<Line>,
    /// Text before the hypotheses.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub introduction: Option<Text>,
    /// The hypotheses, in the order they are presented.
    pub items: NonEmptyVec<Hypothesis>,
}

/// A hypothesis on how the compound acts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hypothesis {
    /// The hypothesis' id.
    pub id: Id,
    /// A short title, e.g. "Positive Allosteric Modulation of AMPA Receptors".
    pub title: Line,
    /// The hypothesis, with citations of the evidence for it.
    pub statement: Text,
}
