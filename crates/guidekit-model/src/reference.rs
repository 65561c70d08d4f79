//! References as CSL-JSON items, so that they move to and from Zotero, Pandoc and CSL processors unchanged.
//!
//! Field names follow CSL-JSON (`container-title`, `URL`, `DOI`, ...) rather than the snake_case used
//! elsewhere in the format: a reference exported from a reference manager can be pasted in as it is.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::primitives::{Id, Line, NonEmptyVec, Url};

/// A work cited by the guide, as a CSL-JSON item (a subset of CSL 1.0.2's variables).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Reference {
    /// The key that text cites as `[@id]`.
    pub id: Id,
    /// The CSL item type.
    #[serde(rename = "type")]
    pub kind: CslType,
    /// The work's title.
    pub title: Line,
    /// A short form of the title.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub title_short: Option<Line>,
    /// The authors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<CslName>,
    /// The editors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editor: Vec<CslName>,
    /// The journal, book or website the work appears in, e.g. "PLOS One".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub container_title: Option<Line>,
    /// The short (e.g. NLM) form of the container title, e.g. "PLoS One".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub container_title_short: Option<Line>,
    /// The title of a series or collection.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub collection_title: Option<Line>,
    /// When the work was issued.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub issued: Option<CslDate>,
    /// When an online work was accessed.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub accessed: Option<CslDate>,
    /// Volume.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub volume: Option<Line>,
    /// Issue.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub issue: Option<Line>,
    /// Page range or article number, e.g. "e0104443".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub page: Option<Line>,
    /// Edition.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub edition: Option<Line>,
    /// Report or other number.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub number: Option<Line>,
    /// Genre, e.g. "Technical report".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub genre: Option<Line>,
    /// Publisher.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Line>,
    /// Where the publisher is.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub publisher_place: Option<Line>,
    /// Archive or database the work was found in, e.g. "PubMed" or "PMC".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub archive: Option<Line>,
    /// Where the item's data came from, e.g. the site it was found on ("pmc.ncbi.nlm.nih.gov").
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub source: Option<Line>,
    /// Medium, e.g. "Online".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub medium: Option<Line>,
    /// Language of the work, as a BCP 47 tag.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub language: Option<Line>,
    /// Web address.
    #[serde(
        rename = "URL",
        default,
        deserialize_with = "crate::primitives::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    /// Digital Object Identifier, bare (`10.1371/journal.pone.0104443`), not as a URL.
    #[serde(
        rename = "DOI",
        default,
        deserialize_with = "crate::primitives::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub doi: Option<Line>,
    /// PubMed id: digits only.
    #[serde(
        rename = "PMID",
        default,
        deserialize_with = "crate::primitives::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub pmid: Option<Line>,
    /// PubMed Central id: `PMC` followed by digits.
    #[serde(
        rename = "PMCID",
        default,
        deserialize_with = "crate::primitives::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub pmcid: Option<Line>,
    /// ISBN.
    #[serde(
        rename = "ISBN",
        default,
        deserialize_with = "crate::primitives::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub isbn: Option<Line>,
    /// ISSN.
    #[serde(
        rename = "ISSN",
        default,
        deserialize_with = "crate::primitives::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub issn: Option<Line>,
    /// A note printed with the reference.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub note: Option<Line>,
}

/// A CSL name: a person as family and given names, or an institution as a literal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CslName {
    /// Family name.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub family: Option<Line>,
    /// Given names.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub given: Option<Line>,
    /// A particle kept with the family name for sorting ("van" in "van Gogh").
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub non_dropping_particle: Option<Line>,
    /// A particle dropped for sorting ("de" in "Jean de La Fontaine").
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub dropping_particle: Option<Line>,
    /// A suffix such as "Jr.".
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub suffix: Option<Line>,
    /// The whole name as one string, for institutions ("World Health Organization").
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub literal: Option<Line>,
}

/// A CSL date: `date-parts` (`[[2014, 8, 12]]`, a second part for a range), or a literal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CslDate {
    /// One date (`[[year, month, day]]`, month and day optional) or a range of two (start and end).
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub date_parts: Option<NonEmptyVec<NonEmptyVec<i32>>>,
    /// A date that cannot be given as parts, as written ("Spring 2020").
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub literal: Option<Line>,
    /// The date is approximate.
    #[serde(default, deserialize_with = "crate::primitives::not_null", skip_serializing_if = "Option::is_none")]
    pub circa: Option<bool>,
}

impl CslDate {
    /// The year of the (first) date, if given as parts.
    pub fn year(&self) -> Option<i32> {
        self.date_parts.as_ref().map(|parts| parts[0][0])
    }
}

/// The CSL 1.0.2 item types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum CslType {
    Article,
    ArticleJournal,
    ArticleMagazine,
    ArticleNewspaper,
    Bill,
    Book,
    Broadcast,
    Chapter,
    Classic,
    Collection,
    Dataset,
    Document,
    Entry,
    EntryDictionary,
    EntryEncyclopedia,
    Event,
    Figure,
    Graphic,
    Hearing,
    Interview,
    #[serde(rename = "legal_case")]
    LegalCase,
    Legislation,
    Manuscript,
    Map,
    #[serde(rename = "motion_picture")]
    MotionPicture,
    #[serde(rename = "musical_score")]
    MusicalScore,
    Pamphlet,
    PaperConference,
    Patent,
    Performance,
    Periodical,
    #[serde(rename = "personal_communication")]
    PersonalCommunication,
    Post,
    PostWeblog,
    Regulation,
    Report,
    Review,
    ReviewBook,
    Software,
    Song,
    Speech,
    Standard,
    Thesis,
    Treaty,
    Webpage,
}
