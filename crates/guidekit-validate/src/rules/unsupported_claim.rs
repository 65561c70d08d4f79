//! GK104 `unsupported-claim`: a hypothesis or table row that cites nothing.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;
use guidekit_model::text::Target;
use std::collections::HashSet;

pub(crate) const RULE: Rule = Rule {
    code: "GK104",
    name: "unsupported-claim",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "A hypothesis or a table row cites nothing. Every claim in a guide should be traceable to a reference: add a citation to the statement, to a cell, or to the row's `citations`.",
    example: r#"{"hypotheses": {"items": {"1": {"statement": "Aniracetam increases acetylcholine release."}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    // Which hypotheses and rows cite a reference, from one pass over the citations' pointers.
    let mut cited_hypotheses = HashSet::new();
    let mut cited_rows = HashSet::new();
    for citation in c.citations.iter().filter(|x| x.target == Target::Reference) {
        if let Some(i) = citation.pointer.strip_prefix("/hypotheses/items/").and_then(index_then_end) {
            cited_hypotheses.insert(i);
        } else if let Some((t, rest)) = citation.pointer.strip_prefix("/data/tables/").and_then(index)
            && let Some(r) = rest.strip_prefix("/rows/").and_then(index_then_end)
        {
            cited_rows.insert((t, r));
        }
    }
    let mut findings = Vec::new();
    if let Some(section) = &c.guide.hypotheses {
        for (i, hypothesis) in section.items.iter().enumerate() {
            if !cited_hypotheses.contains(&i) {
                findings.push((
                    format!("/hypotheses/items/{i}/statement"),
                    format!("hypothesis `{}` cites no reference", hypothesis.id),
                ));
            }
        }
    }
    for (t, table) in c.guide.data.iter().flat_map(|d| d.tables.iter()).enumerate() {
        for r in 0..table.rows.len() {
            if !cited_rows.contains(&(t, r)) {
                findings.push((
                    format!("/data/tables/{t}/rows/{r}"),
                    format!("row {} of table `{}` cites no reference", r + 1, table.id),
                ));
            }
        }
    }
    for (pointer, message) in findings {
        c.emit(&RULE, pointer, message)
            .hints
            .push("add `[@key]` to a statement or cell, or list keys in the row's `citations`".into());
    }
}

/// The array index at the start of `text`, as pointers write one (decimal, no leading zero), and the rest.
fn index(text: &str) -> Option<(usize, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = text.split_at(digits);
    if number.is_empty() || (number.len() > 1 && number.starts_with('0')) {
        return None;
    }
    Some((number.parse().ok()?, rest))
}

/// An index that ends `text` or a segment of it (`3` or `3/...`).
fn index_then_end(text: &str) -> Option<usize> {
    index(text).filter(|(_, rest)| rest.is_empty() || rest.starts_with('/')).map(|(i, _)| i)
}
