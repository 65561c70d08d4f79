//! GK120 `substitution-without-notice`: another compound than the one requested, and no notice says so.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::NoticeKind;

pub(crate) const RULE: Rule = Rule {
    code: "GK120",
    name: "substitution-without-notice",
    severity: Error,
    stage: Stage::Domain,
    explanation: "The guide is about another compound than the one requested (`compound.requested` is set and differs from the subject), but there is no `substitution` notice. Readers must be told, prominently, that the compound they asked for is not the one described. Add a notice of kind `substitution` that says why.",
    example: r#"{"notices": {"0": {"kind": "general"}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let compound = &c.guide.compound;
    let has_notice = c.guide.notices.iter().any(|n| n.kind == NoticeKind::Substitution);
    if let Some(requested) = &compound.requested
        && !has_notice
        && !requested.name.trim().eq_ignore_ascii_case(compound.subject.name.trim())
    {
        let message = format!(
            "the guide is about `{}` but `{}` was requested, and no notice tells the reader",
            compound.subject.name, requested.name
        );
        c.emit(&RULE, "/compound/requested", message)
            .hints
            .push("add a notice of kind `substitution` that explains the substitution".into());
    }
}
