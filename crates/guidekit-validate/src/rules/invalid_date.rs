//! GK170 `invalid-date`: a date that does not exist.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;

pub(crate) const RULE: Rule = Rule {
    code: "GK170",
    name: "invalid-date",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A date does not exist, e.g. `2025-02-30`, or a CSL date has a month outside 1-12 or a day outside the month.",
    example: r#"{"metadata": {"published": "2025-02-30"}}"#,
    check: Some(check),
};

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn check(c: &mut Checker<'_, '_>) {
    let published = c.guide.metadata.published.parts();
    if let (Some(month), Some(day)) = (published.month, published.day)
        && u32::from(day) > days_in_month(i32::from(published.year), u32::from(month))
    {
        c.emit(
            &RULE,
            "/metadata/published",
            format!("`{}` is not a date: the month has no day {day}", c.guide.metadata.published),
        );
    }
    for (i, reference) in c.guide.references.iter().enumerate() {
        for (field, date) in [("issued", &reference.issued), ("accessed", &reference.accessed)] {
            let Some(parts) = date.as_ref().and_then(|d| d.date_parts.as_ref()) else { continue };
            if parts.len() > 2 {
                c.emit(
                    &RULE,
                    format!("/references/{i}/{field}/date-parts"),
                    format!("invalid date: {} dates given, but a CSL date is one date or a range of two", parts.len()),
                );
            }
            for (k, part) in parts.iter().enumerate() {
                let problem = match part.as_slice() {
                    [_, month, ..] if !(1..=12).contains(month) => Some(format!("month {month} does not exist")),
                    [year, month, day, ..] if *day < 1 || *day as u32 > days_in_month(*year, *month as u32) => {
                        Some(format!("day {day} does not exist in month {month}"))
                    }
                    parts if parts.len() > 3 => Some("a date has at most year, month and day".to_owned()),
                    _ => None,
                };
                if let Some(problem) = problem {
                    c.emit(&RULE, format!("/references/{i}/{field}/date-parts/{k}"), format!("invalid date: {problem}"));
                }
            }
        }
    }
}
