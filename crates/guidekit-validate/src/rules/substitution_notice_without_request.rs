//! GK121 `substitution-notice-without-request`: a substitution notice but no requested compound.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;
use guidekit_model::NoticeKind;

pub(crate) const RULE: Rule = Rule {
    code: "GK121",
    name: "substitution-notice-without-request",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "There is a `substitution` notice but no `compound.requested`. Record the requested name so that tools and readers can see what was substituted.",
    example: r#"{"compound": {"requested": null}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    if c.guide.compound.requested.is_some() {
        return;
    }
    if let Some(index) = c.guide.notices.iter().position(|n| n.kind == NoticeKind::Substitution) {
        c.emit(&RULE, format!("/notices/{index}/kind"), "a substitution notice, but no requested compound is recorded")
            .hints
            .push("set `compound.requested.name` to the name that was asked for".into());
    }
}
