//! The template contract: the views templates receive, built for them from a guide, with citations
//! numbered, table and figure numbers resolved and text already converted to the output format.
//!
//! `guide.html` and `guide.md` receive a [`GuideView`]; `index.html` and `index.md` an [`IndexView`]. Their
//! JSON Schema is committed as `schemas/view.schema.json` ([`view_schema_json`]), drift-checked by a test, so
//! a theme author can read every field there. Absent optional values are `none` in a template.
//!
//! Two kinds of strings reach a template. Values of type [`Rich`] (objects with `inline` and `paragraphs`),
//! a diagram's `svg`, and reference `formatted` entries are already safe in the output format: templates
//! print them with `| safe`. Every other string is plain text, which the template engine escapes when it is
//! printed (HTML escaping in `.html` templates, Markdown escaping in `.md` templates).

use guidekit_model::{
    Action, Author, Cell, CitationStyle, DataTable, EvidenceKind, Guide, NoticeKind, PartialDate, Step, citation_line,
    walk,
};
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::Serialize;

pub use crate::inline::Rich;
use crate::inline::{Flavor, Writer, figure_anchor, table_anchor};
use crate::references;
pub use crate::references::ReferenceView;

/// The view schema's `$id`, a URN like the guide schema's.
pub const VIEW_SCHEMA_ID: &str = "urn:guidekit:schema:view:1";

/// The JSON Schema (draft 2020-12) of every view a template can receive: a [`GuideView`] or an
/// [`IndexView`], as serialized for the template engine.
pub fn view_schema() -> serde_json::Value {
    let generator = SchemaSettings::draft2020_12().for_serialize().into_generator();
    let mut schema = generator.into_root_schema_for::<TemplateView>().to_value();
    if let Some(object) = schema.as_object_mut() {
        object.insert("$id".into(), VIEW_SCHEMA_ID.into());
    }
    schema
}

/// The view schema as the text of `schemas/view.schema.json`: pretty-printed, with a final newline.
pub fn view_schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&view_schema()).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// What a template receives: the built-in templates' contract with themes.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(title = "guidekit template views")]
pub enum TemplateView {
    /// What `guide.html` and `guide.md` (and so `guide-base.html` and `guide-base.md`) receive.
    Guide(Box<GuideView>),
    /// What `index.html` and `index.md` receive.
    Index(IndexView),
}

/// The output format a template renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// `html`: a standalone HTML page.
    Html,
    /// `markdown`: GitHub-flavoured Markdown.
    Markdown,
}

/// What `guide.html` and `guide.md` receive.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GuideView {
    /// `html` or `markdown`.
    pub format: OutputFormat,
    /// The guide's language, a BCP 47 tag (`en`), for `<html lang>`.
    pub lang: String,
    /// The title.
    pub title: String,
    /// The subtitle, if any.
    pub subtitle: Option<String>,
    /// "Title: Subtitle", or the title alone.
    pub full_title: String,
    /// What kind of guide this is, for readers: "Mechanism of action", ...
    pub kind: String,
    /// The authors, in the order written.
    pub authors: Vec<AuthorView>,
    /// The authors' names joined by commas.
    pub authors_line: String,
    /// When the guide was published.
    pub published: DateView,
    /// The guide's version, if given.
    pub version: Option<String>,
    /// Where the guide is published online, if given.
    pub url: Option<String>,
    /// Keywords, in the order written.
    pub keywords: Vec<String>,
    /// The compound the guide is about.
    pub compound: CompoundView,
    /// Notices (substitution, research use only, ...), in the order written.
    pub notices: Vec<NoticeView>,
    /// Who the guide is for, and its summary.
    pub audience: Option<AudienceView>,
    /// The hypotheses section.
    pub hypotheses: Option<HypothesesView>,
    /// The quantitative data section (tables).
    pub data: Option<DataView>,
    /// The experimental protocols section.
    pub protocols: Option<ProtocolsView>,
    /// The diagrams section (figures).
    pub diagrams: Option<DiagramsView>,
    /// The conclusion.
    pub conclusion: Option<ConclusionView>,
    /// Every reference, in number order: cited ones by first citation, then uncited ones.
    pub references: Vec<ReferenceView>,
    /// The style the references are formatted in: `vancouver`, `apa`, `nature` or `chicago-author-date`.
    pub citation_style: String,
    /// The guide as schema.org JSON-LD (a `ScholarlyArticle` about a `ChemicalSubstance`, with its
    /// `citation` list), already safe inside `<script type="application/ld+json">`: print it with `| safe`.
    pub json_ld: String,
    /// The "To cite this document" line.
    pub citation: String,
    /// The same line split where the guide's URL is, so that pages can make the URL a link: the text before
    /// `[<url>]`, the URL, and the text after it. Without a URL in the line, `before` is the whole line.
    pub citation_parts: CitationParts,
    /// The publisher, if any.
    pub publisher: Option<PublisherView>,
}

/// The "To cite this document" line around the guide's URL.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CitationParts {
    /// The text before `[<url>]` (the whole line when it holds no URL).
    pub before: String,
    /// The guide's URL, when the line holds it.
    pub url: Option<String>,
    /// The text after `[<url>]`.
    pub after: String,
}

impl CitationParts {
    fn of(line: &str, url: Option<String>) -> CitationParts {
        if let Some(url) = url {
            let bracketed = format!("[{url}]");
            if let Some(at) = line.rfind(&bracketed) {
                return CitationParts {
                    before: line[..at].to_owned(),
                    url: Some(url),
                    after: line[at + bracketed.len()..].to_owned(),
                };
            }
        }
        CitationParts { before: line.to_owned(), url: None, after: String::new() }
    }
}

/// Whether an author is a person or an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuthorKind {
    /// `person`.
    Person,
    /// `organization`.
    Organization,
}

/// An author.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AuthorView {
    /// The name as shown: "Given Family" for a person, the name of an organization.
    pub name: String,
    /// `person` or `organization`.
    pub kind: AuthorKind,
    /// A person's ORCID iD (`0000-0002-1825-0097`), if given.
    pub orcid: Option<String>,
    /// The ORCID iD as a link, when it is well formed.
    pub orcid_url: Option<String>,
    /// A person's affiliation, if given.
    pub affiliation: Option<String>,
}

/// A date.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DateView {
    /// As written in the guide: `2025-12`.
    pub iso: String,
    /// For readers: "December 2025".
    pub display: String,
    /// Whether `iso` is a date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), fit for a `datetime` attribute.
    pub valid: bool,
}

/// The compound the guide is about.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CompoundView {
    /// Its name.
    pub name: String,
    /// Its chemical or pharmacological class, if given.
    pub class: Option<String>,
    /// Other names, in the order written.
    pub synonyms: Vec<String>,
    /// Registry identifiers that are given, in a fixed order: CAS, PubChem CID, ChEMBL, InChIKey, SMILES.
    pub identifiers: Vec<LabelValue>,
    /// The publisher's catalog number, if given.
    pub catalog_number: Option<String>,
    /// The compound that was asked for, when the guide is about another one.
    pub requested: Option<RequestedView>,
    /// Calls to action about the compound.
    pub actions: Vec<ActionView>,
}

/// A labelled value, such as an identifier.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LabelValue {
    /// What the value is: "CAS", "PubChem CID", ...
    pub label: String,
    /// The value as written.
    pub value: String,
}

/// The compound that was asked for, when the guide is about another one.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RequestedView {
    /// The name that was asked for.
    pub name: String,
    /// Why the guide is about another compound, if given.
    pub reason: Option<Rich>,
}

/// A call to action. Without a URL it is shown as text, not as a link.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ActionView {
    /// What it says.
    pub label: String,
    /// Where it leads, if anywhere (print it through the `safe_url` filter).
    pub url: Option<String>,
}

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKindView {
    /// `substitution`: the guide is about another compound than the one asked for.
    Substitution,
    /// `research_use_only`: not for human or veterinary use.
    ResearchUseOnly,
    /// `data_validity`: how far the data can be trusted.
    DataValidity,
    /// `general`: anything else.
    General,
}

/// A notice to readers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NoticeView {
    /// `substitution`, `research_use_only`, `data_validity` or `general`.
    pub kind: NoticeKindView,
    /// Substitution and research-use-only notices are shown prominently.
    pub prominent: bool,
    /// Its title, if any.
    pub title: Option<String>,
    /// What it says.
    pub text: Rich,
    /// Calls to action.
    pub actions: Vec<ActionView>,
}

/// Who the guide is for.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AudienceView {
    /// The intended readers, in the order written.
    pub readers: Vec<String>,
    /// Evidence kinds for readers: "preclinical", "in vitro", ...
    pub evidence: Vec<String>,
    /// The summary (abstract), if given.
    pub summary: Option<Rich>,
}

/// The hypotheses section.
#[derive(Debug, Serialize, JsonSchema)]
pub struct HypothesesView {
    /// The section heading ("Hypotheses" unless the guide says otherwise).
    pub heading: String,
    /// The introduction, if any.
    pub introduction: Option<Rich>,
    /// The hypotheses, in the order written.
    pub items: Vec<HypothesisView>,
}

/// A hypothesis.
#[derive(Debug, Serialize, JsonSchema)]
pub struct HypothesisView {
    /// Its id in the guide.
    pub id: String,
    /// Its HTML anchor (`hyp-<id>`).
    pub anchor: String,
    /// Its title.
    pub title: String,
    /// What it states.
    pub statement: Rich,
}

/// The quantitative data section.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DataView {
    /// The section heading ("Quantitative Data" unless the guide says otherwise).
    pub heading: String,
    /// The introduction, if any.
    pub introduction: Option<Rich>,
    /// The tables, in the order written.
    pub tables: Vec<TableView>,
}

/// A data table.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TableView {
    /// Its id in the guide.
    pub id: String,
    /// Its HTML anchor (`tbl-<id>`), which cross-references link to.
    pub anchor: String,
    /// Its number, from 1, in the order tables appear.
    pub number: usize,
    /// "Table 1"
    pub label: String,
    /// Its caption.
    pub caption: String,
    /// What kind of study its rows come from: `preclinical_in_vivo`, `clinical`, ...
    pub kind: String,
    /// Its columns, in order.
    pub columns: Vec<ColumnView>,
    /// Each row's cells in column order; citation marks follow a typed value, and the row's own citations
    /// follow its last cell.
    pub rows: Vec<Vec<Rich>>,
    /// A note under the table, if any.
    pub note: Option<Rich>,
}

/// A table column.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ColumnView {
    /// The key its cells are filed under.
    pub key: String,
    /// Its heading.
    pub label: String,
    /// `text`, `species`, `dose`, `duration` or `population`.
    pub kind: String,
}

/// The experimental protocols section.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProtocolsView {
    /// The section heading ("Experimental Protocols" unless the guide says otherwise).
    pub heading: String,
    /// The introduction, if any.
    pub introduction: Option<Rich>,
    /// The protocols, in the order written.
    pub items: Vec<ProtocolView>,
}

/// A protocol.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProtocolView {
    /// Its id in the guide.
    pub id: String,
    /// Its HTML anchor (`protocol-<id>`).
    pub anchor: String,
    /// Its title.
    pub title: String,
    /// Its steps, in order.
    pub steps: Vec<StepView>,
}

/// A protocol step, maybe with sub-steps.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StepView {
    /// Its position among its siblings, from 1.
    pub number: usize,
    /// A short label ("Animals"), if given.
    pub label: Option<String>,
    /// What to do, if given.
    pub text: Option<Rich>,
    /// Its sub-steps.
    pub steps: Vec<StepView>,
}

/// The diagrams section.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DiagramsView {
    /// The section heading ("Diagrams" unless the guide says otherwise).
    pub heading: String,
    /// The introduction, if any.
    pub introduction: Option<Rich>,
    /// The figures, in the order written.
    pub items: Vec<DiagramView>,
}

/// A figure: a diagram drawn from DOT.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DiagramView {
    /// Its id in the guide.
    pub id: String,
    /// Its HTML anchor (`fig-<id>`), which cross-references link to.
    pub anchor: String,
    /// Its number, from 1, in the order figures appear.
    pub number: usize,
    /// "Figure 1"
    pub label: String,
    /// Its caption.
    pub caption: Rich,
    /// Its text alternative.
    pub alt: String,
    /// The sanitised SVG, with `role="img"`, `aria-label` and `<title>` from `alt`.
    pub svg: String,
    /// The SVG file's path relative to the guide's folder (`figures/<id>.svg`), written with Markdown output.
    pub image: String,
    /// The DOT source file's path (`figures/<id>.dot`), written with Markdown output.
    pub source: String,
    /// The DOT source itself, which HTML pages carry with each figure.
    pub dot: String,
}

/// The conclusion.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ConclusionView {
    /// The section heading ("Conclusion" unless the guide says otherwise).
    pub heading: String,
    /// What it says.
    pub text: Rich,
}

/// The publisher.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PublisherView {
    /// Its name.
    pub name: String,
    /// Its mission statement, if given.
    pub mission: Option<Rich>,
    /// Its postal address, if given.
    pub address: Option<AddressView>,
    /// Its phone number, if given.
    pub phone: Option<String>,
    /// Its e-mail address, if given.
    pub email: Option<String>,
    /// Its website, if given.
    pub url: Option<String>,
    /// What it offers readers, in the order written.
    pub offers: Vec<OfferView>,
}

/// A postal address.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AddressView {
    /// Street and number.
    pub street: String,
    /// City or town.
    pub locality: String,
    /// State or province, if given.
    pub region: Option<String>,
    /// Postal code, if given.
    pub postal_code: Option<String>,
    /// Country.
    pub country: String,
    /// "Ontario, CA 91761"
    pub locality_line: String,
}

/// Something the publisher offers readers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct OfferView {
    /// Its heading.
    pub heading: String,
    /// What it says, if anything.
    pub text: Option<Rich>,
    /// Where to write about it, if given.
    pub email: Option<String>,
    /// Calls to action.
    pub actions: Vec<ActionView>,
}

/// What `index.html` and `index.md` receive.
#[derive(Debug, Serialize, JsonSchema)]
pub struct IndexView {
    /// `html` or `markdown`.
    pub format: OutputFormat,
    /// The guides listed, in the order given.
    pub entries: Vec<IndexEntryView>,
    /// Where this page sits among the index's pages, when a catalog needs more than one; absent otherwise.
    pub pages: Option<PagesView>,
}

/// The index of a large catalog is split into pages (`index.html`, `index-2.html`, ...).
#[derive(Debug, Serialize, JsonSchema)]
pub struct PagesView {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages there are.
    pub count: usize,
    /// The page before, relative to this one (`index.html`), or absent on the first.
    pub previous: Option<String>,
    /// The page after (`index-3.html`), or absent on the last.
    pub next: Option<String>,
}

/// A guide in the index.
#[derive(Debug, Serialize, JsonSchema)]
pub struct IndexEntryView {
    /// The guide's title.
    pub title: String,
    /// The compound it is about.
    pub compound: String,
    /// When it was published.
    pub published: DateView,
    /// The guide's page relative to the index (`aniracetam/index.html`), percent-encoded.
    pub href: String,
}

/// A diagram drawn and sanitised, ready for the view.
pub(crate) struct DrawnDiagram {
    pub svg: String,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "December 2025" for `2025-12`, "1 December 2025" for `2025-12-01`, "2025" for `2025`; anything that is
/// not such a date is shown as written.
pub(crate) fn date_view(iso: &str) -> DateView {
    let valid = PartialDate::new(iso).is_ok();
    let display = match PartialDate::new(iso) {
        Ok(date) => {
            let parts = date.parts();
            match (parts.month, parts.day) {
                (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[usize::from(m) - 1], parts.year),
                (Some(m), None) => format!("{} {}", MONTHS[usize::from(m) - 1], parts.year),
                _ => parts.year.to_string(),
            }
        }
        Err(_) => iso.to_owned(),
    };
    DateView { iso: iso.to_owned(), display, valid }
}

fn format_name(flavor: Flavor) -> OutputFormat {
    match flavor {
        Flavor::Html => OutputFormat::Html,
        Flavor::Markdown => OutputFormat::Markdown,
    }
}

fn actions(actions: &[Action]) -> Vec<ActionView> {
    actions
        .iter()
        .map(|a| ActionView { label: a.label.to_string(), url: a.url.as_ref().map(ToString::to_string) })
        .collect()
}

/// A serde enum's name (`preclinical_in_vivo`).
fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// What the views of one guide share whatever the output format, worked out once per guide: the numbered
/// references, their entries in a CSL style, and the JSON-LD.
pub(crate) struct Shared<'g> {
    style: CitationStyle,
    numbered: Vec<walk::ReferenceNumber<'g>>,
    csl: std::collections::HashMap<String, crate::csl::Entry>,
    json_ld: String,
}

impl<'g> Shared<'g> {
    pub(crate) fn new(guide: &'g Guide, style: CitationStyle) -> Shared<'g> {
        let numbered = walk::reference_numbers(guide);
        let csl = crate::csl::bibliography(style, &numbered.iter().map(|n| n.reference).collect::<Vec<_>>());
        Shared { style, numbered, csl, json_ld: crate::json_ld::json_ld(guide) }
    }

    /// The guide's references as numbered.
    pub(crate) fn numbered(&self) -> &[walk::ReferenceNumber<'g>] {
        &self.numbered
    }
}

/// Builds the view of `guide`. `diagrams` holds the drawn diagrams, in the order of `guide.diagrams`.
pub(crate) fn guide_view(
    guide: &Guide,
    writer: &Writer<'_>,
    diagrams: &[DrawnDiagram],
    shared: &Shared<'_>,
) -> GuideView {
    let style = shared.style;
    let meta = &guide.metadata;
    let rich = |t: &guidekit_model::Text| writer.rich(t.as_str());
    let full_title = match &meta.subtitle {
        Some(subtitle) => format!("{}: {subtitle}", meta.title),
        None => meta.title.to_string(),
    };
    let authors: Vec<AuthorView> = meta
        .authors
        .iter()
        .map(|author| match author {
            Author::Person { orcid, affiliation, .. } => AuthorView {
                name: author.display_name(),
                kind: AuthorKind::Person,
                orcid: orcid.as_ref().map(ToString::to_string),
                orcid_url: orcid
                    .as_ref()
                    .filter(|o| o.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
                    .map(|o| format!("https://orcid.org/{o}")),
                affiliation: affiliation.as_ref().map(ToString::to_string),
            },
            Author::Organization { .. } => AuthorView {
                name: author.display_name(),
                kind: AuthorKind::Organization,
                orcid: None,
                orcid_url: None,
                affiliation: None,
            },
        })
        .collect();
    let authors_line = authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ");

    let compound = &guide.compound;
    let ids = &compound.subject.identifiers;
    let identifiers = [
        ("CAS", &ids.cas),
        ("PubChem CID", &ids.pubchem_cid),
        ("ChEMBL", &ids.chembl),
        ("InChIKey", &ids.inchikey),
        ("SMILES", &ids.smiles),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.as_ref().map(|v| LabelValue { label: label.to_owned(), value: v.to_string() }))
    .collect();
    let compound = CompoundView {
        name: compound.subject.name.to_string(),
        class: compound.subject.class.as_ref().map(ToString::to_string),
        synonyms: compound.subject.synonyms.iter().map(ToString::to_string).collect(),
        identifiers,
        catalog_number: compound.catalog_number.as_ref().map(ToString::to_string),
        requested: compound
            .requested
            .as_ref()
            .map(|r| RequestedView { name: r.name.to_string(), reason: r.reason.as_ref().map(rich) }),
        actions: actions(&compound.actions),
    };

    let notices = guide
        .notices
        .iter()
        .map(|notice| NoticeView {
            kind: match notice.kind {
                NoticeKind::Substitution => NoticeKindView::Substitution,
                NoticeKind::ResearchUseOnly => NoticeKindView::ResearchUseOnly,
                NoticeKind::DataValidity => NoticeKindView::DataValidity,
                NoticeKind::General => NoticeKindView::General,
            },
            prominent: matches!(notice.kind, NoticeKind::Substitution | NoticeKind::ResearchUseOnly),
            title: notice.title.as_ref().map(ToString::to_string),
            text: rich(&notice.text),
            actions: actions(&notice.actions),
        })
        .collect();

    let audience = guide.audience.as_ref().map(|a| AudienceView {
        readers: a.readers.iter().map(ToString::to_string).collect(),
        evidence: a
            .evidence
            .iter()
            .map(|e| {
                match e {
                    EvidenceKind::InVitro => "in vitro",
                    EvidenceKind::Preclinical => "preclinical",
                    EvidenceKind::Clinical => "clinical",
                    EvidenceKind::InSilico => "in silico",
                    EvidenceKind::Review => "review",
                }
                .to_owned()
            })
            .collect(),
        summary: a.summary.as_ref().map(rich),
    });

    let hypotheses = guide.hypotheses.as_ref().map(|section| HypothesesView {
        heading: section.heading.as_ref().map_or("Hypotheses".into(), ToString::to_string),
        introduction: section.introduction.as_ref().map(rich),
        items: section
            .items
            .iter()
            .map(|h| HypothesisView {
                id: h.id.to_string(),
                anchor: format!("hyp-{}", h.id),
                title: h.title.to_string(),
                statement: rich(&h.statement),
            })
            .collect(),
    });

    let data = guide.data.as_ref().map(|section| DataView {
        heading: section.heading.as_ref().map_or("Quantitative Data".into(), ToString::to_string),
        introduction: section.introduction.as_ref().map(rich),
        tables: section.tables.iter().map(|table| table_view(table, writer)).collect(),
    });

    let protocols = guide.protocols.as_ref().map(|section| ProtocolsView {
        heading: section.heading.as_ref().map_or("Experimental Protocols".into(), ToString::to_string),
        introduction: section.introduction.as_ref().map(rich),
        items: section
            .items
            .iter()
            .map(|p| ProtocolView {
                id: p.id.to_string(),
                anchor: format!("protocol-{}", p.id),
                title: p.title.to_string(),
                steps: steps(&p.steps, writer),
            })
            .collect(),
    });

    let diagram_views = guide.diagrams.as_ref().map(|section| DiagramsView {
        heading: section.heading.as_ref().map_or("Diagrams".into(), ToString::to_string),
        introduction: section.introduction.as_ref().map(rich),
        items: section
            .items
            .iter()
            .zip(diagrams)
            .map(|(d, drawn)| {
                let number = writer.numbering.figure(&d.id).unwrap_or(0);
                DiagramView {
                    id: d.id.to_string(),
                    anchor: figure_anchor(&d.id),
                    number,
                    label: format!("Figure {number}"),
                    caption: rich(&d.caption),
                    alt: d.alt.to_string(),
                    svg: drawn.svg.clone(),
                    image: format!("figures/{}.svg", d.id),
                    source: format!("figures/{}.dot", d.id),
                    dot: d.dot.to_string(),
                }
            })
            .collect(),
    });

    let conclusion = guide.conclusion.as_ref().map(|c| ConclusionView {
        heading: c.heading.as_ref().map_or("Conclusion".into(), ToString::to_string),
        text: rich(&c.text),
    });

    let references = shared
        .numbered
        .iter()
        .map(|n| references::view(writer, n.reference, n.number, n.cited, shared.csl.get(n.reference.id.as_str())))
        .collect();

    let publisher = guide.publisher.as_ref().map(|p| PublisherView {
        name: p.name.to_string(),
        mission: p.mission.as_ref().map(rich),
        address: p.address.as_ref().map(|a| {
            let mut locality_line = a.locality.to_string();
            if let Some(region) = &a.region {
                locality_line.push_str(&format!(", {region}"));
            }
            if let Some(code) = &a.postal_code {
                locality_line.push_str(&format!(" {code}"));
            }
            AddressView {
                street: a.street.to_string(),
                locality: a.locality.to_string(),
                region: a.region.as_ref().map(ToString::to_string),
                postal_code: a.postal_code.as_ref().map(ToString::to_string),
                country: a.country.to_string(),
                locality_line,
            }
        }),
        phone: p.phone.as_ref().map(ToString::to_string),
        email: p.email.as_ref().map(ToString::to_string),
        url: p.url.as_ref().map(ToString::to_string),
        offers: p
            .offers
            .iter()
            .map(|o| OfferView {
                heading: o.heading.to_string(),
                text: o.text.as_ref().map(rich),
                email: o.email.as_ref().map(ToString::to_string),
                actions: actions(&o.actions),
            })
            .collect(),
    });

    let citation = citation_line(guide);
    GuideView {
        format: format_name(writer.flavor),
        lang: meta.language.to_string(),
        title: meta.title.to_string(),
        subtitle: meta.subtitle.as_ref().map(ToString::to_string),
        full_title,
        kind: meta.kind.label().to_owned(),
        authors,
        authors_line,
        published: date_view(meta.published.as_str()),
        version: meta.version.as_ref().map(ToString::to_string),
        url: meta.url.as_ref().map(ToString::to_string),
        keywords: meta.keywords.iter().map(ToString::to_string).collect(),
        compound,
        notices,
        audience,
        hypotheses,
        data,
        protocols,
        diagrams: diagram_views,
        conclusion,
        references,
        citation_style: style.name().to_owned(),
        json_ld: shared.json_ld.clone(),
        citation_parts: CitationParts::of(&citation, guide.metadata.url.as_ref().map(|u| u.to_string())),
        citation,
        publisher,
    }
}

fn table_view(table: &DataTable, writer: &Writer<'_>) -> TableView {
    let number = writer.numbering.table(&table.id).unwrap_or(0);
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut cells: Vec<String> = table
                .columns
                .iter()
                .map(|column| match row.cells.get(column.key.as_str()) {
                    Some(Cell::Text(text)) => writer.rich_cell(text.as_str()).inline,
                    Some(Cell::Value(value)) => {
                        format!("{}{}", writer.plain(&value.display()), writer.marks(value.citations()))
                    }
                    None => String::new(),
                })
                .collect();
            if let Some(last) = cells.last_mut() {
                last.push_str(&writer.marks(&row.citations));
            }
            cells.into_iter().map(Rich::raw).collect()
        })
        .collect();
    TableView {
        id: table.id.to_string(),
        anchor: table_anchor(&table.id),
        number,
        label: format!("Table {number}"),
        caption: table.caption.to_string(),
        kind: serde_name(&table.kind),
        columns: table
            .columns
            .iter()
            .map(|c| ColumnView { key: c.key.to_string(), label: c.label.to_string(), kind: serde_name(&c.kind) })
            .collect(),
        rows,
        note: table.note.as_ref().map(|n| writer.rich(n.as_str())),
    }
}

fn steps(steps: &[Step], writer: &Writer<'_>) -> Vec<StepView> {
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| StepView {
            number: i + 1,
            label: step.label.as_ref().map(ToString::to_string),
            text: step.text.as_ref().map(|t| writer.rich(t.as_str())),
            steps: self::steps(&step.steps, writer),
        })
        .collect()
}

/// Builds the view of the index page.
pub(crate) fn index_view(entries: &[crate::IndexEntry], page: crate::IndexPage, flavor: Flavor) -> IndexView {
    let extension = match flavor {
        Flavor::Html => "html",
        Flavor::Markdown => "md",
    };
    let page_name = |number: usize| crate::IndexPage { number, count: page.count }.file_name(extension);
    IndexView {
        format: format_name(flavor),
        pages: (page.count > 1).then(|| PagesView {
            number: page.number,
            count: page.count,
            previous: (page.number > 1).then(|| page_name(page.number - 1)),
            next: (page.number < page.count).then(|| page_name(page.number + 1)),
        }),
        entries: entries
            .iter()
            .map(|e| IndexEntryView {
                title: e.title.clone(),
                compound: e.compound.clone(),
                published: date_view(&e.published),
                href: format!(
                    "{}/index.{extension}",
                    crate::escape::percent_encode(&e.dir, crate::escape::SEGMENT_SAFE)
                ),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_for_readers() {
        assert_eq!(date_view("2025-12").display, "December 2025");
        assert_eq!(date_view("2025-12-01").display, "1 December 2025");
        assert_eq!(date_view("2025").display, "2025");
        assert_eq!(date_view("soon").display, "soon");
    }

    #[test]
    fn index_links_are_encoded() {
        assert_eq!(crate::escape::percent_encode("a b/c", crate::escape::SEGMENT_SAFE), "a%20b%2Fc");
    }
}
