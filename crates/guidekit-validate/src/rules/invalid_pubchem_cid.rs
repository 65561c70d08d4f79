//! GK135 `invalid-pubchem-cid`: a PubChem CID that is not digits only.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use super::is_digits;

pub(crate) const RULE: Rule = Rule {
    code: "GK135",
    name: "invalid-pubchem-cid",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A PubChem compound id (CID) must be digits only, without a `CID` prefix.",
    example: r#"{"compound": {"subject": {"identifiers": {"pubchem_cid": "CID2196"}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let base = "/compound/subject/identifiers";
    if let Some(value) = &c.guide.compound.subject.identifiers.pubchem_cid
        && !is_digits(value)
    {
        c.emit(&RULE, format!("{base}/pubchem_cid"), format!("`{value}` is not a PubChem CID: expected digits only"));
    }
}
