//! Walks a guide in reading order.
//!
//! Reading order is the order in which the renderer lays a guide out, and so the order that decides
//! citation numbers: the first reference cited is [1]. [`reference_numbers`] is the one function that numbers
//! references; the validator and the renderer both use it, so that "never cited" and the reader's [1] agree.

use std::collections::HashMap;
use std::ops::Range;

use crate::{Cell, Guide, Reference, Step, Text, text};

/// A [`Text`] field of a guide, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField<'a> {
    /// JSON Pointer to the field, e.g. `/hypotheses/items/0/statement`.
    pub pointer: String,
    /// The text as written.
    pub text: &'a str,
}

/// A citation of a reference, table or figure, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation<'a> {
    /// JSON Pointer to the text field or to the `citations` list entry.
    pub pointer: String,
    /// The key, without `@` or prefix.
    pub key: &'a str,
    /// What it points at.
    pub target: text::Target,
    /// For an inline citation, the byte range of the item inside the text at `pointer`.
    pub span_in_text: Option<Range<usize>>,
}

/// One thing met on the walk: a text field, or a structured citations list entry.
enum Visit<'a> {
    Text(&'a Text),
    Key(&'a str),
}

/// The JSON Pointer of a place on the walk, formatted only when asked for: most text fields cite nothing, and
/// formatting every pointer was a tenth of validating a valid guide.
type Pointer<'p> = &'p dyn Fn() -> String;

fn walk<'a>(guide: &'a Guide, mut visit: impl FnMut(Pointer<'_>, Visit<'a>)) {
    if let Some(reason) = guide.compound.requested.as_ref().and_then(|r| r.reason.as_ref()) {
        visit(&|| "/compound/requested/reason".into(), Visit::Text(reason));
    }
    for (i, notice) in guide.notices.iter().enumerate() {
        visit(&|| format!("/notices/{i}/text"), Visit::Text(&notice.text));
    }
    if let Some(summary) = guide.audience.as_ref().and_then(|a| a.summary.as_ref()) {
        visit(&|| "/audience/summary".into(), Visit::Text(summary));
    }
    if let Some(section) = &guide.hypotheses {
        if let Some(intro) = &section.introduction {
            visit(&|| "/hypotheses/introduction".into(), Visit::Text(intro));
        }
        for (i, item) in section.items.iter().enumerate() {
            visit(&|| format!("/hypotheses/items/{i}/statement"), Visit::Text(&item.statement));
        }
    }
    if let Some(section) = &guide.data {
        if let Some(intro) = &section.introduction {
            visit(&|| "/data/introduction".into(), Visit::Text(intro));
        }
        for (t, table) in section.tables.iter().enumerate() {
            for (r, row) in table.rows.iter().enumerate() {
                // Cells in column order, as they are read; cells for unknown columns after them.
                let known = table.columns.iter().filter_map(|c| row.cells.get_key_value(c.key.as_str()));
                let unknown =
                    row.cells.iter().filter(|(k, _)| !table.columns.iter().any(|c| c.key.as_str() == k.as_str()));
                for (key, cell) in known.chain(unknown) {
                    let pointer = || format!("/data/tables/{t}/rows/{r}/cells/{}", escape_pointer(key));
                    match cell {
                        Cell::Text(text) => visit(&pointer, Visit::Text(text)),
                        Cell::Value(value) => {
                            for (c, key) in value.citations().iter().enumerate() {
                                visit(&|| format!("{}/citations/{c}", pointer()), Visit::Key(key));
                            }
                        }
                    }
                }
                for (c, key) in row.citations.iter().enumerate() {
                    visit(&|| format!("/data/tables/{t}/rows/{r}/citations/{c}"), Visit::Key(key));
                }
            }
            if let Some(note) = &table.note {
                visit(&|| format!("/data/tables/{t}/note"), Visit::Text(note));
            }
        }
    }
    if let Some(section) = &guide.protocols {
        if let Some(intro) = &section.introduction {
            visit(&|| "/protocols/introduction".into(), Visit::Text(intro));
        }
        for (p, protocol) in section.items.iter().enumerate() {
            walk_steps(&protocol.steps, &|| format!("/protocols/items/{p}/steps"), &mut visit);
        }
    }
    if let Some(section) = &guide.diagrams {
        if let Some(intro) = &section.introduction {
            visit(&|| "/diagrams/introduction".into(), Visit::Text(intro));
        }
        for (d, diagram) in section.items.iter().enumerate() {
            visit(&|| format!("/diagrams/items/{d}/caption"), Visit::Text(&diagram.caption));
        }
    }
    if let Some(conclusion) = &guide.conclusion {
        visit(&|| "/conclusion/text".into(), Visit::Text(&conclusion.text));
    }
    if let Some(publisher) = &guide.publisher {
        for (o, offer) in publisher.offers.iter().enumerate() {
            if let Some(text) = &offer.text {
                visit(&|| format!("/publisher/offers/{o}/text"), Visit::Text(text));
            }
        }
        if let Some(mission) = &publisher.mission {
            visit(&|| "/publisher/mission".into(), Visit::Text(mission));
        }
    }
}

fn walk_steps<'a>(steps: &'a [Step], base: Pointer<'_>, visit: &mut impl FnMut(Pointer<'_>, Visit<'a>)) {
    for (s, step) in steps.iter().enumerate() {
        if let Some(text) = &step.text {
            visit(&|| format!("{}/{s}/text", base()), Visit::Text(text));
        }
        walk_steps(&step.steps, &|| format!("{}/{s}/steps", base()), visit);
    }
}

/// Every [`Text`] field, in reading order. The diagrams' DOT sources are not prose and are left out.
pub fn text_fields(guide: &Guide) -> Vec<TextField<'_>> {
    let mut out = Vec::new();
    walk(guide, |pointer, visit| {
        if let Visit::Text(text) = visit {
            out.push(TextField { pointer: pointer(), text: text.as_str() });
        }
    });
    out
}

/// Every citation, inline or structured, in reading order.
pub fn citations(guide: &Guide) -> Vec<Citation<'_>> {
    let mut out = Vec::new();
    walk(guide, |pointer, visit| match visit {
        Visit::Text(text) => {
            // The pointer is formatted once per text that cites, not once per citation.
            let mut formatted: Option<String> = None;
            for item in text::citation_items(text.as_str()) {
                out.push(Citation {
                    pointer: formatted.get_or_insert_with(pointer).clone(),
                    key: item.key,
                    target: item.target,
                    span_in_text: Some(item.span),
                });
            }
        }
        Visit::Key(key) => {
            out.push(Citation { pointer: pointer(), key, target: text::Target::Reference, span_in_text: None })
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
    let mut first_with_id: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
    for (index, reference) in guide.references.iter().enumerate() {
        first_with_id.entry(reference.id.as_str()).or_insert(index);
    }
    let mut numbered = vec![false; guide.references.len()];
    let mut order: Vec<(usize, bool)> = Vec::new();
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
