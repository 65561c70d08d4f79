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

fn check(c: &mut Checker<'_, '_>) {
    let guide = c.guide;
    let mut groups: Vec<(&str, Vec<(String, String)>)> = Vec::new();
    let hypotheses = guide.hypotheses.iter().flat_map(|s| s.items.iter().enumerate());
    groups.push((
        "hypothesis",
        hypotheses.map(|(i, h)| (h.id.to_string(), format!("/hypotheses/items/{i}/id"))).collect(),
    ));
    let tables = guide.data.iter().flat_map(|s| s.tables.iter().enumerate());
    groups.push(("table", tables.map(|(i, t)| (t.id.to_string(), format!("/data/tables/{i}/id"))).collect()));
    let protocols = guide.protocols.iter().flat_map(|s| s.items.iter().enumerate());
    groups.push(("protocol", protocols.map(|(i, p)| (p.id.to_string(), format!("/protocols/items/{i}/id"))).collect()));
    let diagrams = guide.diagrams.iter().flat_map(|s| s.items.iter().enumerate());
    groups.push(("diagram", diagrams.map(|(i, d)| (d.id.to_string(), format!("/diagrams/items/{i}/id"))).collect()));
    groups.push((
        "reference",
        guide.references.iter().enumerate().map(|(i, r)| (r.id.to_string(), format!("/references/{i}/id"))).collect(),
    ));
    for (t, table) in guide.data.iter().flat_map(|s| s.tables.iter()).enumerate() {
        groups.push((
            "column",
            table
                .columns
                .iter()
                .enumerate()
                .map(|(i, col)| (col.key.to_string(), format!("/data/tables/{t}/columns/{i}/key")))
                .collect(),
        ));
    }
    for (what, entries) in groups {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for (id, pointer) in &entries {
            match first.get(id.as_str()) {
                Some(first_pointer) => {
                    let related =
                        Related { message: "first used here".into(), pointer: (*first_pointer).to_owned(), span: None };
                    let d = c.emit(&RULE, pointer.clone(), format!("duplicate {what} id `{id}`"));
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
