//! GK103 `duplicate-reference`: two references to the same work.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;
use crate::Related;
use guidekit_model::Line;

pub(crate) const RULE: Rule = Rule {
    code: "GK103",
    name: "duplicate-reference",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "Two references appear to be the same work: they share a DOI, PMID or PMCID, or have the same title once case and punctuation are ignored. Sources sometimes cite one article in two places (as the Aniracetam seed does with its references 6 and 7); usually one entry should go. Allow the rule in `guidekit.toml` if the duplication is deliberate.",
    example: r#"{"references": {"0": {"DOI": "10.1371/journal.pone.0104443"}, "1": {"DOI": "10.1371/journal.pone.0104443"}}}"#,
    check: Some(check),
};

fn normalised_title(title: &str) -> String {
    title.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn check(c: &mut Checker<'_, '_>) {
    let references = &c.guide.references;
    let same = |a: &Option<Line>, b: &Option<Line>| matches!((a, b), (Some(a), Some(b)) if a.trim().eq_ignore_ascii_case(b.trim()));
    for (j, later) in references.iter().enumerate() {
        for (i, earlier) in references.iter().enumerate().take(j) {
            let reason = if same(&earlier.doi, &later.doi) {
                "the same DOI"
            } else if same(&earlier.pmid, &later.pmid) {
                "the same PMID"
            } else if same(&earlier.pmcid, &later.pmcid) {
                "the same PMCID"
            } else if normalised_title(&earlier.title) == normalised_title(&later.title) {
                "the same title"
            } else {
                continue;
            };
            let d = c.emit(
                &RULE,
                format!("/references/{j}"),
                format!("references `{}` and `{}` look like the same work: they have {reason}", earlier.id, later.id),
            );
            d.related.push(Related {
                message: format!("`{}` is here", earlier.id),
                pointer: format!("/references/{i}"),
                span: None,
            });
            d.hints.push("keep one and cite it everywhere, or allow GK103 if both entries are deliberate".into());
            break;
        }
    }
}
