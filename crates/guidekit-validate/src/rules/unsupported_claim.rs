//! GK104 `unsupported-claim`: a hypothesis or table row that cites nothing.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;
use guidekit_model::DataTable;
use guidekit_model::text::Target;
use guidekit_model::walk::Place;

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
    // Which hypotheses and rows cite a reference, from one pass over the citations, marked by position.
    let hypotheses = c.guide.hypotheses.as_ref().map_or(&[][..], |section| &section.items[..]);
    let tables: Vec<&DataTable> = c.guide.data.iter().flat_map(|d| d.tables.iter()).collect();
    let mut cited_hypotheses = vec![false; hypotheses.len()];
    let mut cited_rows: Vec<Vec<bool>> = tables.iter().map(|table| vec![false; table.rows.len()]).collect();
    for citation in c.citations.iter().filter(|x| x.target == Target::Reference) {
        let mark = match &citation.place {
            Place::Hypothesis(i) => cited_hypotheses.get_mut(*i),
            place => place.table_row().and_then(|(t, r)| cited_rows.get_mut(t)?.get_mut(r)),
        };
        if let Some(cited) = mark {
            *cited = true;
        }
    }
    let mut findings = Vec::new();
    for (i, (hypothesis, _)) in hypotheses.iter().zip(&cited_hypotheses).enumerate().filter(|(_, (_, cited))| !**cited) {
        findings.push((
            format!("/hypotheses/items/{i}/statement"),
            format!("hypothesis `{}` cites no reference", hypothesis.id),
        ));
    }
    for (t, (table, cited)) in tables.iter().zip(&cited_rows).enumerate() {
        for (r, _) in cited.iter().enumerate().filter(|(_, cited)| !**cited) {
            findings.push((
                format!("/data/tables/{t}/rows/{r}"),
                format!("row {} of table `{}` cites no reference", r + 1, table.id),
            ));
        }
    }
    for (pointer, message) in findings {
        c.emit(&RULE, pointer, message)
            .hints
            .push("add `[@key]` to a statement or cell, or list keys in the row's `citations`".into());
    }
}
