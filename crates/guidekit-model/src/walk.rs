//! Walks a guide in reading order.
//!
//! Reading order is the order in which the renderer lays a guide out, and so the order that decides
//! citation numbers: the first reference cited is [1]. [`reference_numbers`] is the one function that numbers
//! references; the validator and the renderer both use it, so that "never cited" and the reader's [1] agree.

use std::collections::HashMap;
use std::ops::Range;

use crate::{Cell, Guide, Reference, Step, Text, text};

/// Where a text field or a structured citation is in a guide.
///
/// Written out as a JSON Pointer only when asked ([`Place::pointer`]): a valid guide's citations are counted
/// and numbered, never shown, and formatting a pointer for each was a third of walking them. Rules that need to
/// know what a citation belongs to (a hypothesis, a table row) match on the variant instead of parsing the
/// pointer back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place<'a> {
    /// A field that occurs once, by its pointer, e.g. `/audience/summary`.
    Field(&'static str),
    /// `/notices/{0}/text`.
    Notice(usize),
    /// `/hypotheses/items/{0}/statement`.
    Hypothesis(usize),
    /// `/data/tables/{table}/rows/{row}/cells/{column}`, a text cell; with `citation`, a value cell's
    /// `.../citations/{citation}`.
    Cell {
        /// The table's index.
        table: usize,
        /// The row's index.
        row: usize,
        /// The column's key.
        column: &'a str,
        /// The index in a value cell's `citations`; `None` for a text cell.
        citation: Option<usize>,
    },
    /// `/data/tables/{table}/rows/{row}/citations/{citation}`.
    RowCitation {
        /// The table's index.
        table: usize,
        /// The row's index.
        row: usize,
        /// The index in the row's `citations`.
        citation: usize,
    },
    /// `/data/tables/{0}/note`.
    TableNote(usize),
    /// `/protocols/items/{protocol}/steps/{path[0]}/steps/{path[1]}/.../text`: the step's index at each level.
    Step {
        /// The protocol's index.
        protocol: usize,
        /// The step's index at each level, outermost first.
        path: Vec<usize>,
    },
    /// `/diagrams/items/{0}/caption`.
    Caption(usize),
    /// `/publisher/offers/{0}/text`.
    Offer(usize),
}

impl Place<'_> {
    /// The JSON Pointer (RFC 6901) of the place.
    pub fn pointer(&self) -> String {
        match self {
            Place::Field(pointer) => (*pointer).to_owned(),
            Place::Notice(i) => format!("/notices/{i}/text"),
            Place::Hypothesis(i) => format!("/hypotheses/items/{i}/statement"),
            Place::Cell { table, row, column, citation } => {
                let cell = format!("/data/tables/{table}/rows/{row}/cells/{}", escape_pointer(column));
                match citation {
                    Some(c) => format!("{cell}/citations/{c}"),
                    None => cell,
                }
            }
            Place::RowCitation { table, row, citation } => {
                format!("/data/tables/{table}/rows/{row}/citations/{citation}")
            }
            Place::TableNote(t) => format!("/data/tables/{t}/note"),
            Place::Step { protocol, path } => step_pointer(*protocol, path) + "/text",
            Place::Caption(d) => format!("/diagrams/items/{d}/caption"),
            Place::Offer(o) => format!("/publisher/offers/{o}/text"),
        }
    }

    /// The table row it is in, as `(table, row)`, if it is in one.
    pub fn table_row(&self) -> Option<(usize, usize)> {
        match *self {
            Place::Cell { table, row, .. } | Place::RowCitation { table, row, .. } => Some((table, row)),
            _ => None,
        }
    }
}

/// The JSON Pointer of a protocol step: `/protocols/items/{protocol}/steps/{path[0]}/steps/{path[1]}...`, the
/// step's index at each level, outermost first.
pub fn step_pointer(protocol: usize, path: &[usize]) -> String {
    let mut pointer = format!("/protocols/items/{protocol}");
    for step in path {
        pointer.push_str("/steps/");
        pointer.push_str(&step.to_string());
    }
    pointer
}

/// A [`Text`] field of a guide, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField<'a> {
    /// Where it is, e.g. [`Place::Hypothesis`].
    pub place: Place<'a>,
    /// The text as written.
    pub text: &'a str,
}

/// A citation of a reference, table or figure, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation<'a> {
    /// The text field, or the `citations` list entry, it is in.
    pub place: Place<'a>,
    /// The key, without `@` or prefix.
    pub key: &'a str,
    /// What it points at.
    pub target: text::Target,
    /// For an inline citation, the byte range of the item inside the text at `place`.
    pub span_in_text: Option<Range<usize>>,
}

/// One thing met on the walk: a text field, or a structured citations list entry.
enum Visit<'a> {
    Text(&'a Text),
    Key(&'a str),
}

/// A place on the walk, made only when asked for: most text fields cite nothing, and a step's place allocates.
type Lazy<'p, 'a> = &'p dyn Fn() -> Place<'a>;

fn walk<'a>(guide: &'a Guide, mut visit: impl FnMut(Lazy<'_, 'a>, Visit<'a>)) {
    if let Some(reason) = guide.compound.requested.as_ref().and_then(|r| r.reason.as_ref()) {
        visit(&|| Place::Field("/compound/requested/reason"), Visit::Text(reason));
    }
    for (i, notice) in guide.notices.iter().enumerate() {
        visit(&|| Place::Notice(i), Visit::Text(&notice.text));
    }
    if let Some(summary) = guide.audience.as_ref().and_then(|a| a.summary.as_ref()) {
        visit(&|| Place::Field("/audience/summary"), Visit::Text(summary));
    }
    if let Some(section) = &guide.hypotheses {
        if let Some(intro) = &section.introduction {
            visit(&|| Place::Field("/hypotheses/introduction"), Visit::Text(intro));
        }
        for (i, item) in section.items.iter().enumerate() {
            visit(&|| Place::Hypothesis(i), Visit::Text(&item.statement));
        }
    }
    if let Some(section) = &guide.data {
        if let Some(intro) = &section.introduction {
            visit(&|| Place::Field("/data/introduction"), Visit::Text(intro));
        }
        for (table, data) in section.tables.iter().enumerate() {
            for (row, cells) in data.rows.iter().enumerate() {
                // Cells in column order, as they are read; cells for unknown columns after them.
                let known = data.columns.iter().filter_map(|c| cells.cells.get_key_value(c.key.as_str()));
                let unknown =
                    cells.cells.iter().filter(|(k, _)| !data.columns.iter().any(|c| c.key.as_str() == k.as_str()));
                for (column, cell) in known.chain(unknown) {
                    let column = column.as_str();
                    match cell {
                        Cell::Text(text) => {
                            visit(&|| Place::Cell { table, row, column, citation: None }, Visit::Text(text))
                        }
                        Cell::Value(value) => {
                            for (c, key) in value.citations().iter().enumerate() {
                                visit(&|| Place::Cell { table, row, column, citation: Some(c) }, Visit::Key(key));
                            }
                        }
                    }
                }
                for (citation, key) in cells.citations.iter().enumerate() {
                    visit(&|| Place::RowCitation { table, row, citation }, Visit::Key(key));
                }
            }
            if let Some(note) = &data.note {
                visit(&|| Place::TableNote(table), Visit::Text(note));
            }
        }
    }
    if let Some(section) = &guide.protocols {
        if let Some(intro) = &section.introduction {
            visit(&|| Place::Field("/protocols/introduction"), Visit::Text(intro));
        }
        for (protocol, item) in section.items.iter().enumerate() {
            walk_steps(&item.steps, protocol, &mut Vec::new(), &mut visit);
        }
    }
    if let Some(section) = &guide.diagrams {
        if let Some(intro) = &section.introduction {
            visit(&|| Place::Field("/diagrams/introduction"), Visit::Text(intro));
        }
        for (d, diagram) in section.items.iter().enumerate() {
            visit(&|| Place::Caption(d), Visit::Text(&diagram.caption));
        }
    }
    if let Some(conclusion) = &guide.conclusion {
        visit(&|| Place::Field("/conclusion/text"), Visit::Text(&conclusion.text));
    }
    if let Some(publisher) = &guide.publisher {
        for (o, offer) in publisher.offers.iter().enumerate() {
            if let Some(text) = &offer.text {
                visit(&|| Place::Offer(o), Visit::Text(text));
            }
        }
        if let Some(mission) = &publisher.mission {
            visit(&|| Place::Field("/publisher/mission"), Visit::Text(mission));
        }
    }
}

/// The steps under `path` (each level's index) of protocol `protocol`, depth first.
fn walk_steps<'a>(
    steps: &'a [Step],
    protocol: usize,
    path: &mut Vec<usize>,
    visit: &mut impl FnMut(Lazy<'_, 'a>, Visit<'a>),
) {
    for (s, step) in steps.iter().enumerate() {
        path.push(s);
        if let Some(text) = &step.text {
            visit(&|| Place::Step { protocol, path: path.clone() }, Visit::Text(text));
        }
        walk_steps(&step.steps, protocol, path, visit);
        path.pop();
    }
}

/// Every [`Text`] field, in reading order. The diagrams' DOT sources are not prose and are left out.
pub fn text_fields(guide: &Guide) -> Vec<TextField<'_>> {
    let mut out = Vec::new();
    walk(guide, |place, visit| {
        if let Visit::Text(text) = visit {
            out.push(TextField { place: place(), text: text.as_str() });
        }
    });
    out
}

/// Every citation, inline or structured, in reading order.
pub fn citations(guide: &Guide) -> Vec<Citation<'_>> {
    let mut out = Vec::new();
    walk(guide, |place, visit| match visit {
        Visit::Text(text) => {
            for item in text::citation_items(text.as_str()) {
                out.push(Citation {
                    place: place(),
                    key: item.key,
                    target: item.target,
                    span_in_text: Some(item.span),
                });
            }
        }
        Visit::Key(key) => {
            out.push(Citation { place: place(), key, target: text::Target::Reference, span_in_text: None })
        }
    });
    out
}

/// A reference's place in the numbered reference list.
#[derive(Debug, Clone, Copy)]
pub struct ReferenceNumber<'a> {
    /// The reference.
    pub reference: &'a Reference,
    /// Its position in the guide's `references`, for pointers (`/references/3`).
    pub index: usize,
    /// Its number, from 1: what citation marks show (`[1]`) and the list is ordered by.
    pub number: usize,
    /// Whether any text, table row or table value cites it.
    pub cited: bool,
}

/// Numbers the guide's references, the one place that does: cited references by first citation in reading
/// order (the first cited is [1]), then the references nothing cites, in the order written. The renderer
/// prints these numbers and the validator reports the uncited ones from the same list, so they cannot
/// disagree. A citation key that names no reference gets no number (the validator reports it); a reference
/// whose id repeats an earlier one's is left out, as citations of that id go to the first.
pub fn reference_numbers(guide: &Guide) -> Vec<ReferenceNumber<'_>> {
    reference_numbers_from(guide, &citations(guide))
}

/// [`reference_numbers`] from the guide's [`citations`], for a caller that has them already.
pub fn reference_numbers_from<'a>(guide: &'a Guide, citations: &[Citation<'_>]) -> Vec<ReferenceNumber<'a>> {
    let mut first_with_id: HashMap<&str, usize, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(guide.references.len(), foldhash::fast::RandomState::default());
    for (index, reference) in guide.references.iter().enumerate() {
        first_with_id.entry(reference.id.as_str()).or_insert(index);
    }
    let mut numbered = vec![false; guide.references.len()];
    let mut order: Vec<(usize, bool)> = Vec::with_capacity(guide.references.len());
    let cited = citations.iter().filter(|c| c.target == text::Target::Reference).map(|c| c.key);
    for index in cited.filter_map(|key| first_with_id.get(key).copied()) {
        if !std::mem::replace(&mut numbered[index], true) {
            order.push((index, true));
        }
    }
    for (index, reference) in guide.references.iter().enumerate() {
        if first_with_id.get(reference.id.as_str()) == Some(&index) && !numbered[index] {
            order.push((index, false));
        }
    }
    order
        .into_iter()
        .enumerate()
        .map(|(n, (index, cited))| ReferenceNumber { reference: &guide.references[index], index, number: n + 1, cited })
        .collect()
}

/// Escapes a JSON object key for use in a JSON Pointer (RFC 6901): `~` → `~0`, `/` → `~1`.
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers the references (`ids`, in the order written) of a guide whose hypotheses state `statements`,
    /// and compares `(id, number, cited)` with `expect`.
    fn check(ids: &[&str], statements: &[&str], expect: &[(&str, usize, bool)]) {
        let references: Vec<_> = ids
            .iter()
            .map(|id| serde_json::json!({"id": id, "type": "article", "title": format!("On {id}")}))
            .collect();
        let items: Vec<_> = statements
            .iter()
            .enumerate()
            .map(|(i, s)| serde_json::json!({"id": format!("h{i}"), "title": "T", "statement": s}))
            .collect();
        let guide: Guide = serde_json::from_value(serde_json::json!({
            "schema_version": "1.0",
            "metadata": {"title": "T", "kind": "review", "authors": [{"kind": "person", "family": "Doe"}],
                         "published": "2024", "language": "en"},
            "compound": {"subject": {"name": "X"}},
            "hypotheses": {"items": items},
            "references": references,
        }))
        .expect("a guide");
        let numbers: Vec<_> =
            reference_numbers(&guide).iter().map(|n| (n.reference.id.as_str(), n.number, n.cited)).collect();
        assert_eq!(numbers, expect);
    }

    /// Every citation's place, written as a pointer, leads in the guide's JSON to the text that holds it (at the
    /// byte range given) or to the structured key itself: in every kind of place a citation can be.
    #[test]
    fn every_citation_place_points_at_what_cites() {
        let mut value: serde_json::Value =
            serde_json::from_str(include_str!("../../../guides/aniracetam.json")).expect("the bundled guide");
        let key = value["references"][0]["id"].clone();
        let key = key.as_str().expect("an id");
        let cite = format!("As shown [@{key}].");
        // A notice, a caption, the conclusion, a sub-step, a table note, a value cell's and a row's `citations`, a cell under a key that is no column's
        // and needs escaping in a pointer.
        value["protocols"]["items"][1]["steps"][0]["steps"] =
            serde_json::json!([{"text": "First."}, {"steps": [{"text": cite}]}]);
        for pointer in ["/notices/0/text", "/diagrams/items/0/caption", "/conclusion/text"] {
            let text = value.pointer_mut(pointer).expect("a text");
            *text = format!("{} {cite}", text.as_str().expect("a text")).into();
        }
        let table = &mut value["data"]["tables"][0];
        table["note"] = cite.clone().into();
        table["rows"][0]["cells"]["a/b~c"] = cite.clone().into();
        table["rows"][0]["cells"]["dosage"]["citations"] = serde_json::json!([key]);
        table["rows"][1]["citations"] = serde_json::json!([key]);
        let guide: Guide = serde_json::from_value(value.clone()).expect("still a guide");
        let citations = citations(&guide);
        let mut kinds = std::collections::HashSet::new();
        for citation in &citations {
            let pointer = citation.place.pointer();
            let found = value.pointer(&pointer).and_then(serde_json::Value::as_str);
            let found = found.unwrap_or_else(|| panic!("{pointer} is no string in the guide"));
            match &citation.span_in_text {
                Some(span) => assert!(found[span.clone()].ends_with(citation.key), "{pointer}"),
                None => assert_eq!(found, citation.key, "{pointer}"),
            }
            kinds.insert(std::mem::discriminant(&citation.place));
        }
        let expected = [
            Place::Notice(0),
            Place::Hypothesis(0),
            Place::Cell { table: 0, row: 0, column: "", citation: None },
            Place::RowCitation { table: 0, row: 0, citation: 0 },
            Place::TableNote(0),
            Place::Step { protocol: 0, path: Vec::new() },
            Place::Caption(0),
            Place::Field(""),
        ];
        for place in expected {
            assert!(kinds.contains(&std::mem::discriminant(&place)), "no citation in a {place:?}");
        }
        let places: Vec<_> = citations.iter().map(|c| c.place.pointer()).collect();
        assert!(places.contains(&"/protocols/items/1/steps/0/steps/1/steps/0/text".to_owned()), "{places:?}");
        assert!(places.contains(&"/data/tables/0/rows/0/cells/a~1b~0c".to_owned()), "{places:?}");
        assert!(places.contains(&"/data/tables/0/rows/0/cells/dosage/citations/0".to_owned()), "{places:?}");
    }

    #[test]
    fn first_citation_numbers_then_uncited_in_order_written() {
        check(&["a", "b", "c"], &["[@c] then [@a; @c]"], &[("c", 1, true), ("a", 2, true), ("b", 3, false)]);
    }

    #[test]
    fn unknown_keys_and_cross_references_get_no_number() {
        check(&["a"], &["[@nope] [@tbl:a] [@fig:a]"], &[("a", 1, false)]);
    }

    #[test]
    fn a_repeated_id_is_numbered_once() {
        check(&["a", "a", "b"], &["[@b; @a]"], &[("b", 1, true), ("a", 2, true)]);
    }
}
