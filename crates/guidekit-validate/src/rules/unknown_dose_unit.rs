//! GK140 `unknown-dose-unit`: a dose unit guidekit does not know.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;
use guidekit_model::{Cell, CellValue};

use super::{time_unit_as_dose::is_time_unit, unknown_column::cells};
use crate::schema::closest;

pub(crate) const RULE: Rule = Rule {
    code: "GK140",
    name: "unknown-dose-unit",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "A dose unit is not one guidekit knows (mg/kg, mg/day, mg/kg/day, mg, g, µg, µg/kg, ng/kg, g/kg, mL/kg, mg/mL, µM, nM, mM, IU/kg, ...). Check it for typos, e.g. `mg/kq`, `mgkg`, or `ug` for `µg`; allow the rule if the unit is right.",
    example: r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"dosage": {"unit": "mg/kq"}}}}}}}}"#,
    check: Some(check),
};

/// Known dose units. Compared case-sensitively, `µ` also written `u` or `μ` (Greek mu).
const DOSE_UNITS: &[&str] = &[
    "mg/kg",
    "mg/kg/day",
    "mg/kg/d",
    "mg/day",
    "mg/d",
    "mg",
    "g",
    "g/kg",
    "g/day",
    "µg",
    "µg/kg",
    "µg/kg/day",
    "µg/day",
    "mcg",
    "mcg/kg",
    "ng",
    "ng/kg",
    "ng/mL",
    "mL/kg",
    "mL",
    "µL",
    "mg/mL",
    "µg/mL",
    "mg/L",
    "M",
    "mM",
    "µM",
    "nM",
    "pM",
    "mmol/kg",
    "µmol/kg",
    "IU",
    "IU/kg",
    "IU/day",
    "U/kg",
    "%",
    "mg/m²",
    "mg/m2",
];

/// Whether `written` is `known` with its `µ` (micro sign) written `u` or `μ` (Greek mu).
fn same_but_micro(known: &str, written: &str) -> bool {
    if !known.contains('µ') {
        return false;
    }
    let rest = |alt: char| {
        let mut chars = written.chars();
        known.chars().all(|k| chars.next() == Some(if k == 'µ' { alt } else { k })) && chars.next().is_none()
    };
    rest('u') || rest('μ')
}

fn check(c: &mut Checker<'_, '_>) {
    let mut findings = Vec::new();
    for (pointer, _, _, cell) in cells(c.guide) {
        let Cell::Value(CellValue::Dose { unit, .. }) = cell else { continue };
        let unit = unit.trim();
        // A unit of time is GK141's finding.
        if is_time_unit(unit)
            || DOSE_UNITS.iter().any(|u| *u == unit || same_but_micro(u, unit))
        {
            continue;
        }
        let known: Vec<String> = DOSE_UNITS.iter().map(|u| (*u).to_owned()).collect();
        let hint = closest(unit, &known).map(|s| format!("did you mean `{s}`?"));
        findings.push((format!("{pointer}/unit"), format!("unknown dose unit `{unit}`"), hint));
    }
    for (pointer, message, hint) in findings {
        c.emit(&RULE, pointer, message).hints.extend(hint);
    }
}
