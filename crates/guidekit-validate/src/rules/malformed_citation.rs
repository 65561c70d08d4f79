//! GK105 `malformed-citation`: a citation group holds something that is not `@id`.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::text::Target;

pub(crate) const RULE: Rule = Rule {
    code: "GK105",
    name: "malformed-citation",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A citation group contains an item that is not `@` followed by an id, such as `[@Smith 2020]` or `[@a; b]`. Write each item as `@key`, separated by `;`. To write a literal `[@`, escape it as `\\[@`.",
    example: r#"{"conclusion": {"text": "Aniracetam modulates AMPA receptors [@Smith 2020]."}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    for citation in c.citations {
        if citation.target != Target::Malformed {
            continue;
        }
        let pointer = citation.place.pointer();
        let span = citation.span_in_text.clone().and_then(|range| c.text_span(&pointer, range));
        let key = citation.key;
        let d = c.emit(&RULE, pointer, format!("`{key}` is not a citation: expected `@` and an id"));
        d.span = span;
        d.hints.push("write citations as `[@key]` or `[@a; @b]`; escape a literal `[@` as `\\[@`".into());
    }
}
