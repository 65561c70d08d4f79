//! GK136 `invalid-chembl-id`: a ChEMBL id that is not `CHEMBL` and digits.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use super::is_digits;

pub(crate) const RULE: Rule = Rule {
    code: "GK136",
    name: "invalid-chembl-id",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A ChEMBL id must be `CHEMBL` followed by digits, e.g. `CHEMBL25`, in capitals. Leave the field out when the id is not known for certain.",
    example: r#"{"compound": {"subject": {"identifiers": {"chembl": "chembl25"}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let base = "/compound/subject/identifiers";
    if let Some(value) = &c.guide.compound.subject.identifiers.chembl
        && !value.strip_prefix("CHEMBL").is_some_and(is_digits)
    {
        c.emit(&RULE, format!("{base}/chembl"), format!("`{value}` is not a ChEMBL id: expected `CHEMBL` and digits"));
    }
}
