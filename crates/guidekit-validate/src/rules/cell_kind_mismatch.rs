//! GK113 `cell-kind-mismatch`: a cell whose kind is not its column's.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::{Cell, ColumnKind};

use super::unknown_column::cells;

pub(crate) const RULE: Rule = Rule {
    code: "GK113",
    name: "cell-kind-mismatch",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A cell's kind does not match its column's kind: a duration in a dose column, a dose in a text column, and so on. `not_specified` fits any column.",
    example: r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"dosage": "fifty mg/kg"}}}}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let mut findings = Vec::new();
    for (pointer, table, key, cell) in cells(c.guide) {
        let Some(kind) = table.columns.iter().find(|col| col.key.as_str() == key).map(|col| col.kind) else { continue };
        let cell_kind = match cell {
            Cell::Text(_) => Some(ColumnKind::Text),
            Cell::Value(value) => value.column_kind(),
        };
        if let Some(cell_kind) = cell_kind
            && cell_kind != kind
        {
            findings.push((
                pointer.to_string(),
                format!("a {} in column `{key}`, which holds {}", kind_name(cell_kind), kind_plural(kind)),
                format!("give a `{}` cell, or `{{\"kind\": \"not_specified\"}}`", kind_name(kind)),
            ));
        }
    }
    for (pointer, message, hint) in findings {
        c.emit(&RULE, pointer, message).hints.push(hint);
    }
}

fn kind_name(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Text => "text",
        ColumnKind::Species => "species",
        ColumnKind::Dose => "dose",
        ColumnKind::Duration => "duration",
        ColumnKind::Population => "population",
    }
}

fn kind_plural(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Text => "text",
        ColumnKind::Species => "species",
        ColumnKind::Dose => "doses",
        ColumnKind::Duration => "durations",
        ColumnKind::Population => "populations",
    }
}
