//! GK133 `invalid-cas-number`: a CAS Registry Number of the wrong form or check digit.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use super::is_digits;

pub(crate) const RULE: Rule = Rule {
    code: "GK133",
    name: "invalid-cas-number",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A CAS Registry Number must have the form `NNNNNNN-NN-N` (two to seven digits, two digits, one check digit) and its check digit must be right: the sum of each digit times its position counted from the right, modulo 10.",
    example: r#"{"compound": {"subject": {"identifiers": {"cas": "7732-18-4"}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    if let Some(cas) = &c.guide.compound.subject.identifiers.cas
        && let Err(problem) = check_cas(cas)
    {
        c.emit(
            &RULE,
            "/compound/subject/identifiers/cas",
            format!("`{cas}` is not a valid CAS Registry Number: {problem}"),
        );
    }
}

/// Checks a CAS RN's form and check digit.
fn check_cas(cas: &str) -> Result<(), String> {
    let parts: Vec<&str> = cas.split('-').collect();
    let [a, b, check] = parts.as_slice() else { return Err("expected three groups of digits separated by `-`".into()) };
    if !(2..=7).contains(&a.len()) || b.len() != 2 || check.len() != 1 || ![a, b, check].iter().all(|p| is_digits(p)) {
        return Err("expected 2 to 7 digits, `-`, 2 digits, `-`, 1 check digit".into());
    }
    let digits: Vec<u32> = format!("{a}{b}").chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits.iter().rev().enumerate().map(|(i, d)| (i as u32 + 1) * d).sum();
    let expected = sum % 10;
    let given = check.parse::<u32>().unwrap_or(99);
    if expected == given { Ok(()) } else { Err(format!("the check digit should be {expected}, not {given}")) }
}

#[cfg(test)]
mod tests {
    use super::check_cas;

    #[test]
    fn cas_check_digits() {
        assert!(check_cas("72432-10-1").is_ok()); // aniracetam's published CAS RN, used here only as a test vector
        assert!(check_cas("7732-18-5").is_ok()); // water
        assert!(check_cas("7732-18-4").unwrap_err().contains("should be 5"));
        assert!(check_cas("7732185").is_err());
    }
}
