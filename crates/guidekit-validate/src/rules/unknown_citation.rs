//! GK101 `unknown-citation`: a citation names no reference.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use crate::schema::closest;
use guidekit_model::text::Target;
use std::collections::HashSet;

pub(crate) const RULE: Rule = Rule {
    code: "GK101",
    name: "unknown-citation",
    severity: Error,
    stage: Stage::Domain,
    explanation: "Text cites a reference (`[@key]`) or a `citations` list names a key that no entry in `references` has. A reader would see a citation number that points nowhere. Add the reference, or correct the key; the hint suggests the closest existing key.",
    example: r#"{"hypotheses": {"items": {"1": {"statement": "Aniracetam increases acetylcholine release.[@no-such-reference]"}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    // Looked up once per citation; the ids as strings, for suggestions, only when a citation names none.
    let ids: HashSet<&str, foldhash::fast::RandomState> = c.guide.references.iter().map(|r| r.id.as_str()).collect();
    let mut known: Option<Vec<String>> = None;
    for citation in c.citations {
        if citation.target != Target::Reference || ids.contains(citation.key) {
            continue;
        }
        let known = known.get_or_insert_with(|| c.guide.references.iter().map(|r| r.id.to_string()).collect());
        let pointer = citation.place.pointer();
        let span = citation.span_in_text.clone().and_then(|range| c.text_span(&pointer, range));
        let key = citation.key;
        let d = c.emit(&RULE, pointer, format!("citation `{key}` names no reference"));
        d.span = span;
        if let Some(suggestion) = closest(key, known) {
            d.hints.push(format!("did you mean `{suggestion}`?"));
        } else if known.is_empty() {
            d.hints.push("the guide has no references".into());
        } else {
            d.hints.push(format!("add a reference with id `{key}`"));
        }
    }
}
