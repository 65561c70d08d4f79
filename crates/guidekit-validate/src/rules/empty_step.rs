//! GK161 `empty-step`: a protocol step with nothing in it.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::Step;

pub(crate) const RULE: Rule = Rule {
    code: "GK161",
    name: "empty-step",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A protocol step has no label, no text and no sub-steps. Remove it or fill it in.",
    example: r#"{"protocols": {"items": {"0": {"steps": {"0": {"label": null, "text": null}}}}}}"#,
    check: Some(check),
};

fn check(c: &mut Checker<'_, '_>) {
    fn visit(steps: &[Step], base: &str, out: &mut Vec<String>) {
        for (i, step) in steps.iter().enumerate() {
            let pointer = format!("{base}/{i}");
            if step.label.is_none() && step.text.is_none() && step.steps.is_empty() {
                out.push(pointer.clone());
            }
            visit(&step.steps, &format!("{pointer}/steps"), out);
        }
    }
    let mut empty = Vec::new();
    for (p, protocol) in c.guide.protocols.iter().flat_map(|s| s.items.iter()).enumerate() {
        visit(&protocol.steps, &format!("/protocols/items/{p}/steps"), &mut empty);
    }
    for pointer in empty {
        c.emit(&RULE, pointer, "a protocol step with no label, text or sub-steps");
    }
}
