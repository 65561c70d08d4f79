//! GK132 `invalid-pmcid`: a PMCID that is not `PMC` and digits.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use super::is_digits;

pub(crate) const RULE: Rule = Rule {
    code: "GK132",
    name: "invalid-pmcid",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A PubMed Central id (PMCID) must be `PMC` followed by digits, e.g. `PMC4125160`. The renderer links it to PubMed Central, so a malformed PMCID would give readers a broken link.",
    example: r#"{"references": {"4": {"PMCID": "4125160"}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let mut findings = Vec::new();
    for (i, reference) in c.guide.references.iter().enumerate() {
        if let Some(value) = &reference.pmcid
            && !value.strip_prefix("PMC").is_some_and(is_digits)
        {
            findings.push((format!("/references/{i}/PMCID"), format!("`{value}` is not a PMCID: expected `PMC` and digits")));
        }
    }
    for (pointer, message) in findings {
        c.emit(&RULE, pointer, message);
    }
}
