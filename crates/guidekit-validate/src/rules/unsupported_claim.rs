//! GK104 `unsupported-claim`: a hypothesis or table row that cites nothing.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;
use guidekit_model::text::Target;
use guidekit_model::walk::Place;
use std::collections::HashSet;

pub(crate) const RULE: Rule = Rule {
    code: "GK104",
    name: "unsupported-claim",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "A hypothesis or a table row cites nothing. Every claim in a guide should be traceable to a reference: add a citation to the statement, to a cell, or to the row's `citations`.",
    example: r#"{"hypotheses": {"items": {"1": {"statement": "Aniracetam increases acetylcholine release."}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    // Which hypotheses and rows cite a reference, from one pass over the citations.
    let mut cited_hypotheses = HashSet::new();
    let mut cited_rows = HashSet::new();
    for citation in c.citations.iter().filter(|x| x.target == Target::Reference) {
        if let Place::Hypothesis(i) = citation.place {
            cited_hypotheses.insert(i);
        } else if let Some(row) = citation.place.table_row() {
            cited_rows.insert(row);
        }
    }
    let mut findings = Vec::new();
    if let Some(section) = &c.guide.hypotheses {
        for (i, hypothesis) in section.items.iter().enumerate() {
            if !cited_hypotheses.contains(&i) {
                findings.push((
                    format!("/hypotheses/items/{i}/statement"),
                    format!("hypothesis `{}` cites no reference", hypothesis.id),
                ));
            }
        }
    }
    for (t, table) in c.guide.data.iter().flat_map(|d| d.tables.iter()).enumerate() {
        for r in 0..table.rows.len() {
            if !cited_rows.contains(&(t, r)) {
                findings.push((
                    format!("/data/tables/{t}/rows/{r}"),
                    format!("row {} of table `{}` cites no reference", r + 1, table.id),
                ));
            }
        }
    }
    for (pointer, message) in findings {
        c.emit(&RULE, pointer, message)
            .hints
            .push("add `[@key]` to a statement or cell, or list keys in the row's `citations`".into());
    }
}
