//! GK141 `time-unit-as-dose`: a dose measured in units of time.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::{Cell, CellValue};

use super::unknown_column::cells;

pub(crate) const RULE: Rule = Rule {
    code: "GK141",
    name: "time-unit-as-dose",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A dose's unit is a unit of time (`days`, `months`, `h`, ...). A duration has been put where a dose belongs; use a `duration` cell in a `duration` column.",
    example: r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"dosage": {"unit": "days"}}}}}}}}"#,
    check: Some(check),
};

const TIME_UNITS: &[&str] = &[
    "s", "sec", "min", "h", "hr", "hrs", "hour", "hours", "d", "day", "days", "week", "weeks", "month", "months",
    "year", "years", "yr",
];

/// Whether `unit` is a unit of time, in any case.
pub(crate) fn is_time_unit(unit: &str) -> bool {
    TIME_UNITS.iter().any(|u| u.eq_ignore_ascii_case(unit))
}

fn check(c: &mut Checker<'_, '_>) {
    let mut findings = Vec::new();
    for (pointer, _, _, cell) in cells(c.guide) {
        if let Cell::Value(CellValue::Dose { unit, .. }) = cell
            && is_time_unit(unit.trim())
        {
            findings.push((format!("{pointer}/unit"), format!("dose unit `{}` is a unit of time", unit.trim())));
        }
    }
    for (pointer, message) in findings {
        c.emit(&RULE, pointer, message).hints.push("a length of time belongs in a `duration` cell".into());
    }
}
