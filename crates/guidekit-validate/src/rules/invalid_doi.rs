//! GK130 `invalid-doi`: a DOI that is not `10.NNNN/suffix`.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use super::is_digits;

pub(crate) const RULE: Rule = Rule {
    code: "GK130",
    name: "invalid-doi",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A DOI is not of the form `10.NNNN/suffix`. Write the bare DOI (`10.1371/journal.pone.0104443`), not a `https://doi.org/` URL or a `doi:` prefix.",
    example: r#"{"references": {"2": {"DOI": "https://doi.org/10.1371/journal.pone.0104443"}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let mut findings = Vec::new();
    for (i, reference) in c.guide.references.iter().enumerate() {
        if let Some(doi) = &reference.doi
            && !is_doi(doi)
        {
            let hint = if doi.contains("doi.org/") || doi.to_lowercase().starts_with("doi:") {
                " (write the bare DOI, without a URL or `doi:` prefix)"
            } else {
                ""
            };
            findings.push((format!("/references/{i}/DOI"), format!("`{doi}` is not a DOI: expected `10.NNNN/suffix`{hint}")));
        }
    }
    for (pointer, message) in findings {
        c.emit(&RULE, pointer, message);
    }
}

fn is_doi(doi: &str) -> bool {
    let Some((prefix, suffix)) = doi.split_once('/') else { return false };
    let Some(registrant) = prefix.strip_prefix("10.") else { return false };
    registrant.split('.').all(is_digits)
        && registrant.len() >= 4
        && !suffix.trim().is_empty()
        && !doi.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    #[test]
    fn doi_shapes() {
        assert!(super::is_doi("10.1371/journal.pone.0104443"));
        assert!(!super::is_doi("https://doi.org/10.1371/x"));
        assert!(!super::is_doi("10.12/x"));
    }
}
