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
        if !table.columns.iter().any(|col| col.key.as_str() == key) {
            let keys: Vec<String> = table.columns.iter().map(|col| col.key.to_string()).collect();
            let hint = closest(key, &keys).map(|s| format!("did you mean `{s}`?"));
            findings.push((pointer.to_string(), format!("cell `{key}` names no column of table `{}`", table.id), hint));
        }
    }
    for (pointer, message, hint) in findings {
        c.emit(&RULE, pointer, message).hints.extend(hint);
    }
}

/// Every cell of every table: where it is, its table, its column key and the cell.
pub(crate) fn cells(guide: &Guide) -> impl Iterator<Item = (CellPlace<'_>, &DataTable, &str, &Cell)> {
    guide.data.iter().flat_map(|s| s.tables.iter()).enumerate().flat_map(|(t, table)| {
        table.rows.iter().enumerate().flat_map(move |(r, row)| {
            row.cells.iter().map(move |(key, cell)| (CellPlace { table: t, row: r, key }, table, key.as_str(), cell))
        })
    })
}

/// Where a cell is; it displays as the cell's JSON Pointer, written out only for a finding.
#[derive(Clone, Copy)]
pub(crate) struct CellPlace<'a> {
    table: usize,
    row: usize,
    key: &'a str,
}

impl std::fmt::Display for CellPlace<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = walk::escape_pointer(self.key);
        write!(f, "/data/tables/{}/rows/{}/cells/{key}", self.table, self.row)
    }
}
