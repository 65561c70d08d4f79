//! GK110 `duplicate-id`: two items of one kind share an id.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use std::collections::HashMap;

use crate::Related;

pub(crate) const RULE: Rule = Rule {
    code: "GK110",
    name: "duplicate-id",
    severity: Error,
    stage: Stage::Domain,
    explanation: "Two items of the same kind (hypotheses, tables, protocols, diagrams, references, or the columns of one table) share an id. Ids must be unique so that citations and cross-references are unambiguous.",
    example: r#"{"protocols": {"items": {"1": {"id": "murine-cognitive-behavioral-assessment"}}}}"#,
    check: Some(check),
};

/// Where an id is: `{base}/{index}/{leaf}`, written out only for a duplicate.
struct Place<'b> {
    base: &'b str,
    index: usize,
    leaf: &'static str,
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.base, self.index, self.leaf)
    }
}

fn check(c: &mut Checker<'_, '_>) {
    let guide = c.guide;
    let place = |base, index, leaf| Place { base, index, leaf };
    let table_columns: Vec<String> = guide
        .data
        .iter()
        .flat_map(|s| s.tables.iter())
        .enumerate()
        .map(|(t, _)| format!("/data/tables/{t}/columns"))
        .collect();
    let mut groups: Vec<(&str, Vec<(&str, Place<'_>)>)> = Vec::new();
    let hypotheses = guide.hypotheses.iter().flat_map(|s| s.items.iter().enumerate());
    groups.push(("hypothesis", hypotheses.map(|(i, h)| (h.id.as_str(), place("/hypotheses/items", i, "id"))).collect()));
    let tables = guide.data.iter().flat_map(|s| s.tables.iter().enumerate());
    groups.push(("table", tables.map(|(i, t)| (t.id.as_str(), place("/data/tables", i, "id"))).collect()));
    let protocols = guide.protocols.iter().flat_map(|s| s.items.iter().enumerate());
    groups.push(("protocol", protocols.map(|(i, p)| (p.id.as_str(), place("/protocols/items", i, "id"))).collect()));
    let diagrams = guide.diagrams.iter().flat_map(|s| s.items.iter().enumerate());
    groups.push(("diagram", diagrams.map(|(i, d)| (d.id.as_str(), place("/diagrams/items", i, "id"))).collect()));
    let references = guide.references.iter().enumerate();
    groups.push(("reference", references.map(|(i, r)| (r.id.as_str(), place("/references", i, "id"))).collect()));
    for (table, base) in guide.data.iter().flat_map(|s| s.tables.iter()).zip(&table_columns) {
        let columns = table.columns.iter().enumerate();
        groups.push(("column", columns.map(|(i, col)| (col.key.as_str(), place(base, i, "key"))).collect()));
    }
    for (what, entries) in groups {
        let mut first: HashMap<&str, &Place<'_>, foldhash::fast::RandomState> = HashMap::default();
        for (id, pointer) in &entries {
            match first.get(id) {
                Some(first_pointer) => {
                    let related =
                        Related { message: "first used here".into(), pointer: first_pointer.to_string(), span: None };
                    let d = c.emit(&RULE, pointer.to_string(), format!("duplicate {what} id `{id}`"));
                    d.related.push(related);
                    d.hints.push("ids must be unique among the guide's items of one kind".into());
                }
                None => {
                    first.insert(id, pointer);
                }
            }
        }
    }
}
