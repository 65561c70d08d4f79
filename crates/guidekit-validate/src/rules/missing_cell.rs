//! GK114 `missing-cell`: a table row without a cell for one of the table's columns.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::Guide;

pub(crate) const RULE: Rule = Rule {
    code: "GK114",
    name: "missing-cell",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A table row has no cell for a column the table declares, so the rendered table shows an empty cell that a reader cannot tell from a value lost in editing. Write what the study reports; when it reports nothing for that column, say so explicitly: `{\"kind\": \"not_specified\"}` fits a column of any kind (it is shown as \"Not specified\").",
    example: r#"{"data": {"tables": {"0": {"rows": {"0": {"cells": {"focus": null}}}}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    for (pointer, message, hint) in findings(c.guide) {
        c.emit(&RULE, pointer, message).hints.push(hint);
    }
}

fn findings(guide: &Guide) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for (t, table) in guide.data.iter().flat_map(|s| s.tables.iter()).enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            // Most rows are complete: nothing is formatted for them.
            for column in table.columns.iter().filter(|col| !row.cells.contains_key(col.key.as_str())) {
                found.push((
                    format!("/data/tables/{t}/rows/{r}/cells"),
                    format!(
                        "row {} of table `{}` has no cell for the column `{}` ({})",
                        r + 1,
                        table.id,
                        column.key,
                        column.label
                    ),
                    format!("write what the study reports, or `\"{}\": {{\"kind\": \"not_specified\"}}`", column.key),
                ));
            }
        }
    }
    found
}
