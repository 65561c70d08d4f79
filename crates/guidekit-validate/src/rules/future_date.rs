//! GK171 `future-date`: a publication date after today.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;

pub(crate) const RULE: Rule = Rule {
    code: "GK171",
    name: "future-date",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "The publication date is after today. Check the year; a guide is dated when it is published.",
    example: r#"{"metadata": {"published": "2999-01"}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let Some(today) = c.config.today else { return };
    let published = c.guide.metadata.published.parts();
    let date = (published.year, published.month.unwrap_or(1), published.day.unwrap_or(1));
    if date > today {
        c.emit(
            &RULE,
            "/metadata/published",
            format!("the publication date `{}` is in the future", c.guide.metadata.published),
        );
    }
}
