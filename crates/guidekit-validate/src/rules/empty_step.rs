//! GK161 `empty-step`: a protocol step with nothing in it.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::{Step, walk};

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
    /// The index path of every empty step under `steps`; the pointer is written only for those (formatting one
    /// per step was most of this rule's time on a valid guide).
    fn visit(steps: &[Step], path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        for (i, step) in steps.iter().enumerate() {
            path.push(i);
            if step.label.is_none() && step.text.is_none() && step.steps.is_empty() {
                out.push(path.clone());
            }
            visit(&step.steps, path, out);
            path.pop();
        }
    }
    let mut empty = Vec::new();
    for (p, protocol) in c.guide.protocols.iter().flat_map(|s| s.items.iter()).enumerate() {
        let mut path = vec![p];
        visit(&protocol.steps, &mut path, &mut empty);
    }
    for path in empty {
        let (&protocol, steps) = path.split_first().expect("a path starts with its protocol");
        c.emit(&RULE, walk::step_pointer(protocol, steps), "a protocol step with no label, text or sub-steps");
    }
}
