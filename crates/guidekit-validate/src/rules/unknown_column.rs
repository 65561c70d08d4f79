//! GK112 `unknown-column`: a cell for a column the table does not declare.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::{Cell, DataTable, Guide, walk};

use crate::schema::closest;

pub(crate) const RULE: Rule = Rule {
    code: "GK112",
    name: "unknown-column",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A table row has a cell for a column key the table does not declare. The cell would never be shown. Correct the key or declare the column.",
    example: r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"dosge": "50 mg/kg"}}}}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let mut findings = Vec::new();
    for (pointer, table, key, _) in cells(c.guide) {
        let keys: Vec<String> = table.columns.iter().map(|col| col.key.to_string()).collect();
        if !keys.iter().any(|k| k == key) {
            let hint = closest(key, &keys).map(|s| format!("did you mean `{s}`?"));
            findings.push((pointer, format!("cell `{key}` names no column of table `{}`", table.id), hint));
        }
    }
    for (pointer, message, hint) in findings {
        c.emit(&RULE, pointer, message).hints.extend(hint);
    }
}

/// Every cell of every table: its pointer, its table, its column key and the cell.
pub(crate) fn cells(guide: &Guide) -> Vec<(String, &DataTable, &str, &Cell)> {
    let mut found = Vec::new();
    for (t, table) in guide.data.iter().flat_map(|s| s.tables.iter()).enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            for (key, cell) in &row.cells {
                let pointer = format!("/data/tables/{t}/rows/{r}/cells/{}", walk::escape_pointer(key));
                found.push((pointer, table, key.as_str(), cell));
            }
        }
    }
    found
}
