//! GK122 `requested-equals-subject`: the requested compound is the subject itself.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;

pub(crate) const RULE: Rule = Rule {
    code: "GK122",
    name: "requested-equals-subject",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "`compound.requested` names the same compound as the subject. There was no substitution: remove `requested`.",
    example: r#"{"compound": {"requested": {"name": "aniracetam"}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let compound = &c.guide.compound;
    if let Some(requested) = &compound.requested
        && requested.name.trim().eq_ignore_ascii_case(compound.subject.name.trim())
    {
        c.emit(
            &RULE,
            "/compound/requested/name",
            format!("the requested compound `{}` is the subject itself", requested.name),
        )
        .hints
        .push("remove `compound.requested`".into());
    }
}
