//! GK134 `invalid-inchikey`: an InChIKey of the wrong shape.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;

pub(crate) const RULE: Rule = Rule {
    code: "GK134",
    name: "invalid-inchikey",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A standard InChIKey is 27 characters: 14 uppercase letters, a hyphen, 10 uppercase letters, a hyphen, one uppercase letter.",
    example: r#"{"compound": {"subject": {"identifiers": {"inchikey": "ZXNRTKGTQJPIJK-UHFFFAOYSA"}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    if let Some(key) = &c.guide.compound.subject.identifiers.inchikey
        && !is_inchikey(key)
    {
        c.emit(
            &RULE,
            "/compound/subject/identifiers/inchikey",
            format!("`{key}` is not a standard InChIKey: expected 14 letters, `-`, 10 letters, `-`, 1 letter"),
        );
    }
}

fn is_inchikey(key: &str) -> bool {
    let parts: Vec<&str> = key.split('-').collect();
    matches!(parts.as_slice(), [a, b, c] if a.len() == 14 && b.len() == 10 && c.len() == 1
        && key.bytes().filter(|&b| b != b'-').all(|b| b.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn inchikey_shapes() {
        assert!(super::is_inchikey("ZXNRTKGTQJPIJK-UHFFFAOYSA-N"));
        assert!(!super::is_inchikey("ZXNRTKGTQJPIJK-UHFFFAOYSA"));
    }
}
