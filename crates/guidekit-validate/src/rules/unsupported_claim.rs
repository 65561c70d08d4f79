//! GK104 `unsupported-claim`: a hypothesis or table row that cites nothing.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;
use guidekit_model::text::Target;

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
    let all = c.citations;
    let cites_under = |prefix: &str| {
        all.iter().any(|x| {
            x.target == Target::Reference
                && x.pointer.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    let mut findings = Vec::new();
    if let Some(section) = &c.guide.hypotheses {
        for (i, hypothesis) in section.items.iter().enumerate() {
            let pointer = format!("/hypotheses/items/{i}");
            if !cites_under(&pointer) {
                findings.push((
                    format!("{pointer}/statement"),
                    format!("hypothesis `{}` cites no reference", hypothesis.id),
                ));
            }
        }
    }
    for (t, table) in c.guide.data.iter().flat_map(|d| d.tables.iter()).enumerate() {
        for r in 0..table.rows.len() {
            let pointer = format!("/data/tables/{t}/rows/{r}");
            if !cites_under(&pointer) {
                findings.push((pointer, format!("row {} of table `{}` cites no reference", r + 1, table.id)));
            }
        }
    }
    for (pointer, message) in findings {
        c.emit(&RULE, pointer, message)
            .hints
            .push("add `[@key]` to a statement or cell, or list keys in the row's `citations`".into());
    }
}
