//! The guidekit data model: a research guide as typed data.
//!
//! ```
//! let guide: guidekit_model::Guide = serde_json::from_str(include_str!("../../../guides/aniracetam.json"))?;
//! assert_eq!(guide.compound.subject.name.as_str(), "Aniracetam");
//! // Citation numbers are never stored: they follow the reading order.
//! let numbers = guidekit_model::walk::reference_numbers(&guide);
//! assert_eq!(numbers.len(), guide.references.len());
//! assert_eq!(numbers.iter().filter(|n| n.cited).count(), guide.references.len());
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! A guide is one JSON document ([`Guide`]). These types are its definition: serde reads and writes them,
//! and [`schema()`] derives the published JSON Schema from them, so the two cannot disagree. The crate does
//! no I/O and pulls in no validator or template engine: depend on it alone to read, build or write guides.
//!
//! Conventions of the format:
//! - keys are `snake_case`, except inside references, which are CSL-JSON items and keep CSL's names;
//! - unknown keys are rejected everywhere (to catch typos) except inside `extensions`;
//! - optional fields are left out when empty; `null` is rejected for them (by serde and by the schema alike),
//!   so write nothing rather than `null`;
//! - [`Line`] is plain text, [`Text`] is prose with inline markup and citations (see [`text`]).

mod compound;
mod diagram;
pub mod dot;
pub mod format;
mod guide;
mod primitives;
mod protocol;
mod publisher;
mod reference;
mod schema;
mod table;
pub mod text;
pub mod walk;

pub use compound::{Compound, Identifiers, RequestedCompound, Substance};
pub use diagram::{Diagram, DiagramSection};
pub use guide::{
    Action, Audience, Author, CitationStyle, Conclusion, EvidenceKind, Guide, GuideKind, HowToCite, Hypothesis,
    HypothesisSection, Metadata, Notice, NoticeKind, SchemaVersion, citation_line,
};
pub use primitives::{
    Count, DateParts, DotSource, Email, ID_PATTERN, Id, InvalidValue, LINK_SCHEMES, LanguageTag, Line, LinkTarget,
    NonEmptyVec, PartialDate, Positive, Text, Url, link_target,
};
pub use protocol::{Protocol, ProtocolSection, Step};
pub use publisher::{Offer, PostalAddress, Publisher};
pub use reference::{CslDate, CslName, CslType, Reference};
pub use schema::{SCHEMA_ID, schema, schema_json};
pub use table::{Cell, CellValue, Column, ColumnKind, DataSection, DataTable, Route, Row, StudyKind, TimeUnit};
