//! The views templates receive: serialize-only structs built for them from a guide, with citations
//! numbered, table and figure numbers resolved and text already converted to the output format.
//!
//! Two kinds of strings reach a template. Values of type [`Rich`] (objects with `inline` and `paragraphs`),
//! `svg`, and reference `formatted` entries are already safe in the output format: templates print them
//! with `| safe`. Every other string is plain text, which the template engine escapes when it is printed
//! (HTML escaping in `.html` templates, Markdown escaping in `.md` templates).

use guidekit_model::{
    Action, Author, Cell, DataTable, EvidenceKind, Guide, NoticeKind, PartialDate, Step, citation_line, walk,
};
use serde::Serialize;

use crate::inline::{Flavor, Rich, Writer, figure_anchor, table_anchor};
use crate::references::{self, ReferenceView};

/// What `guide.html` and `guide.md` receive.
#[derive(Debug, Serialize)]
pub(crate) struct GuideView {
    /// `html` or `markdown`.
    pub format: &'static str,
    pub lang: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// "Title: Subtitle", or the title alone.
    pub full_title: String,
    /// "Mechanism of action", ...
    pub kind: String,
    pub authors: Vec<AuthorView>,
    /// The authors' names joined by commas.
    pub authors_line: String,
    pub published: DateView,
    pub version: Option<String>,
    pub url: Option<String>,
    pub keywords: Vec<String>,
    pub compound: CompoundView,
    pub notices: Vec<NoticeView>,
    pub audience: Option<AudienceView>,
    pub hypotheses: Option<HypothesesView>,
    pub data: Option<DataView>,
    pub protocols: Option<ProtocolsView>,
    pub diagrams: Option<DiagramsView>,
    pub conclusion: Option<ConclusionView>,
    pub references: Vec<ReferenceView>,
    /// The "To cite this document" line.
    pub citation: String,
    pub publisher: Option<PublisherView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct AuthorView {
    pub name: String,
    /// `person` or `organization`.
    pub kind: &'static str,
    pub orcid: Option<String>,
    pub orcid_url: Option<String>,
    pub affiliation: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DateView {
    /// As written in the guide: `2025-12`.
    pub iso: String,
    /// For readers: "December 2025".
    pub display: String,
    /// Whether `iso` is a date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), fit for a `datetime` attribute.
    pub valid: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct CompoundView {
    pub name: String,
    pub class: Option<String>,
    pub synonyms: Vec<String>,
    /// Registry identifiers that are given, in a fixed order: CAS, PubChem CID, ChEMBL, InChIKey, SMILES.
    pub identifiers: Vec<LabelValue>,
    pub catalog_number: Option<String>,
    pub requested: Option<RequestedView>,
    pub actions: Vec<ActionView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct LabelValue {
    pub label: &'static str,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct RequestedView {
    pub name: String,
    pub reason: Option<Rich>,
}

/// A call to action. Without a URL it is shown as text, not as a link.
#[derive(Debug, Serialize)]
pub(crate) struct ActionView {
    pub label: String,
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct NoticeView {
    /// `substitution`, `research_use_only`, `data_validity` or `general`.
    pub kind: &'static str,
    /// Substitution and research-use-only notices are shown prominently.
    pub prominent: bool,
    pub title: Option<String>,
    pub text: Rich,
    pub actions: Vec<ActionView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct AudienceView {
    pub readers: Vec<String>,
    /// Evidence kinds for readers: "preclinical", "in vitro", ...
    pub evidence: Vec<String>,
    pub summary: Option<Rich>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HypothesesView {
    pub heading: String,
    pub introduction: Option<Rich>,
    pub items: Vec<HypothesisView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HypothesisView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub statement: Rich,
}

#[derive(Debug, Serialize)]
pub(crate) struct DataView {
    pub heading: String,
    pub introduction: Option<Rich>,
    pub tables: Vec<TableView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TableView {
    pub id: String,
    pub anchor: String,
    pub number: usize,
    /// "Table 1"
    pub label: String,
    pub caption: String,
    /// `preclinical_in_vivo`, `clinical`, ...
    pub kind: String,
    pub columns: Vec<ColumnView>,
    /// Each row's cells in column order; citation marks follow a typed value, and the row's own citations
    /// follow its last cell.
    pub rows: Vec<Vec<Rich>>,
    pub note: Option<Rich>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ColumnView {
    pub key: String,
    pub label: String,
    /// `text`, `species`, `dose`, `duration` or `population`.
    pub kind: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ProtocolsView {
    pub heading: String,
    pub introduction: Option<Rich>,
    pub items: Vec<ProtocolView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ProtocolView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct StepView {
    /// Its position among its siblings, from 1.
    pub number: usize,
    pub label: Option<String>,
    pub text: Option<Rich>,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DiagramsView {
    pub heading: String,
    pub introduction: Option<Rich>,
    pub items: Vec<DiagramView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DiagramView {
    pub id: String,
    pub anchor: String,
    pub number: usize,
    /// "Figure 1"
    pub label: String,
    pub caption: Rich,
    pub alt: String,
    /// The sanitised SVG, with `role="img"`, `aria-label` and `<title>` from `alt`.
    pub svg: String,
    /// The SVG file's path relative to the guide's folder (`figures/<id>.svg`), written with Markdown output.
    pub image: String,
    /// The DOT source file's path (`figures/<id>.dot`), written with Markdown output.
    pub source: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ConclusionView {
    pub heading: String,
    pub text: Rich,
}

#[derive(Debug, Serialize)]
pub(crate) struct PublisherView {
    pub name: String,
    pub mission: Option<Rich>,
    pub address: Option<AddressView>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
    pub offers: Vec<OfferView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct AddressView {
    pub street: String,
    pub locality: String,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
    /// "Ontario, CA 91761"
    pub locality_line: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct OfferView {
    pub heading: String,
    pub text: Option<Rich>,
    pub email: Option<String>,
    pub actions: Vec<ActionView>,
}

/// What `index.html` and `index.md` receive.
#[derive(Debug, Serialize)]
pub(crate) struct IndexView {
    pub format: &'static str,
    pub entries: Vec<IndexEntryView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct IndexEntryView {
    pub title: String,
    pub compound: String,
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

fn format_name(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::Html => "html",
        Flavor::Markdown => "markdown",
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

/// Builds the view of `guide`. `diagrams` holds the drawn diagrams, in the order of `guide.diagrams`.
pub(crate) fn guide_view(guide: &Guide, writer: &Writer<'_>, diagrams: &[DrawnDiagram]) -> GuideView {
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
                kind: "person",
                orcid: orcid.as_ref().map(ToString::to_string),
                orcid_url: orcid
                    .as_ref()
                    .filter(|o| o.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
                    .map(|o| format!("https://orcid.org/{o}")),
                affiliation: affiliation.as_ref().map(ToString::to_string),
            },
            Author::Organization { .. } => AuthorView {
                name: author.display_name(),
                kind: "organization",
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
    .filter_map(|(label, value)| value.as_ref().map(|v| LabelValue { label, value: v.to_string() }))
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
                NoticeKind::Substitution => "substitution",
                NoticeKind::ResearchUseOnly => "research_use_only",
                NoticeKind::DataValidity => "data_validity",
                NoticeKind::General => "general",
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
                }
            })
            .collect(),
    });

    let conclusion = guide.conclusion.as_ref().map(|c| ConclusionView {
        heading: c.heading.as_ref().map_or("Conclusion".into(), ToString::to_string),
        text: rich(&c.text),
    });

    let cited: Vec<&str> = walk::reference_order(guide);
    let references = writer
        .numbering
        .order
        .iter()
        .enumerate()
        .filter_map(|(i, key)| {
            let reference = guide.references.iter().find(|r| r.id.as_str() == key)?;
            Some(references::view(writer, reference, i + 1, cited.contains(&key.as_str())))
        })
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
        citation: citation_line(guide),
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
pub(crate) fn index_view(entries: &[crate::IndexEntry], flavor: Flavor) -> IndexView {
    let page = match flavor {
        Flavor::Html => "index.html",
        Flavor::Markdown => "index.md",
    };
    IndexView {
        format: format_name(flavor),
        entries: entries
            .iter()
            .map(|e| IndexEntryView {
                title: e.title.clone(),
                compound: e.compound.clone(),
                published: date_view(&e.published),
                href: format!("{}/{page}", crate::escape::percent_encode(&e.dir, crate::escape::SEGMENT_SAFE)),
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
