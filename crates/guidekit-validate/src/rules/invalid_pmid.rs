//! GK131 `invalid-pmid`: a PMID that is not digits only.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use super::is_digits;

pub(crate) const RULE: Rule = Rule {
    code: "GK131",
    name: "invalid-pmid",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A PubMed id (PMID) must be digits only, e.g. `25101904`, without a `PMID:` prefix. The renderer links it to PubMed, so a malformed PMID would give readers a broken link.",
    example: r#"{"references": {"2": {"PMID": "PMID:25101904"}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let mut findings = Vec::new();
    for (i, reference) in c.guide.references.iter().enumerate() {
        if let Some(value) = &reference.pmid
            && !is_digits(value)
        {
            findings.push((format!("/references/{i}/PMID"), format!("`{value}` is not a PMID: expected digits only")));
        }
    }
    for (pointer, message) in findings {
        c.emit(&RULE, pointer, message);
    }
}
