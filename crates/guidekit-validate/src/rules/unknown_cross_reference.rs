//! GK111 `unknown-cross-reference`: a table or figure reference names nothing.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use crate::schema::closest;
use guidekit_model::text::Target;

pub(crate) const RULE: Rule = Rule {
    code: "GK111",
    name: "unknown-cross-reference",
    severity: Error,
    stage: Stage::Domain,
    explanation: "Text refers to a table (`[@tbl:id]`) or figure (`[@fig:id]`) that does not exist. Correct the id; the hint suggests the closest existing one.",
    example: r#"{"conclusion": {"text": "The doses are summarised in [@tbl:doses]."}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    let guide = c.guide;
    let tables: Vec<String> = guide.data.iter().flat_map(|d| d.tables.iter()).map(|t| t.id.to_string()).collect();
    let figures: Vec<String> = guide.diagrams.iter().flat_map(|d| d.items.iter()).map(|t| t.id.to_string()).collect();
    for citation in c.citations {
        let (known, what) = match citation.target {
            Target::Table => (&tables, "table"),
            Target::Figure => (&figures, "figure"),
            Target::Reference | Target::Malformed => continue,
        };
        let key = citation.key;
        if known.iter().any(|k| k == key) {
            continue;
        }
        let pointer = citation.place.pointer();
        let span = citation.span_in_text.clone().and_then(|range| c.text_span(&pointer, range));
        let d = c.emit(&RULE, pointer, format!("cross-reference `{key}` names no {what}"));
        d.span = span;
        if let Some(suggestion) = closest(key, known) {
            d.hints.push(format!("did you mean `{suggestion}`?"));
        } else if known.is_empty() {
            d.hints.push(format!("the guide has no {what}s"));
        } else {
            d.hints.push(format!("add a {what} with id `{key}`"));
        }
    }
}
