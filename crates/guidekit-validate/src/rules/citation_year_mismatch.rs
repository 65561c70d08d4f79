//! GK172 `citation-year-mismatch`: a citation text whose year is not the publication year.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;

pub(crate) const RULE: Rule = Rule {
    code: "GK172",
    name: "citation-year-mismatch",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "The explicit citation text (`citation.text`) gives a year that differs from the publication date. Readers would cite the guide with the wrong year; correct one of the two, or drop `citation.text` to derive the line from the metadata.",
    example: r#"{"citation": {"text": "BenchChem (2019). The Hypothesized Mechanism of Action of Aniracetam."}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let Some(text) = c.guide.citation.as_ref().and_then(|x| x.text.as_ref()) else { return };
    let year = c.guide.metadata.published.parts().year.to_string();
    let years: Vec<&str> = text
        .split(|ch: char| !ch.is_ascii_digit())
        .filter(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
        .collect();
    if !years.is_empty() && !years.contains(&year.as_str()) {
        c.emit(
            &RULE,
            "/citation/text",
            format!("the citation text gives the year `{}`, but the guide was published in {year}", years[0]),
        );
    }
}
