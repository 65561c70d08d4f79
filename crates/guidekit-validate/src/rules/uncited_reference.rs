//! GK102 `uncited-reference`: a reference no text cites.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;
use guidekit_model::walk;
use std::collections::HashSet;

pub(crate) const RULE: Rule = Rule {
    code: "GK102",
    name: "uncited-reference",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "A reference is never cited. References are numbered by first citation; an uncited reference is still listed, numbered after all the cited ones, so the list holds an entry that no statement relies on. Cite it where it supports a claim, or remove it.",
    example: r#"{"references": {"-": {"id": "uncited", "type": "webpage", "title": "A page nobody cites"}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    // By id rather than position: a reference that repeats a cited one's id is cited with it.
    let cited: HashSet<&str, foldhash::fast::RandomState> =
        walk::reference_numbers_from(c.guide, c.citations).into_iter().filter(|n| n.cited).map(|n| n.reference.id.as_str()).collect();
    for (i, reference) in c.guide.references.iter().enumerate() {
        if !cited.contains(&reference.id.as_str()) {
            c.emit(&RULE, format!("/references/{i}"), format!("reference `{}` is never cited", reference.id))
                .hints
                .push("cite it with `[@id]` where it supports a claim, or remove it".into());
        }
    }
}
