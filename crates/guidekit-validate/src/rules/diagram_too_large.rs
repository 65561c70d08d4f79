//! GK152 `diagram-too-large`: a diagram too large to lay out in about a second. Checked in `dot_syntax.rs`, in the same pass over each diagram as GK150.

use super::{Rule, Stage};
use crate::Severity::Error;

pub(crate) const RULE: Rule = Rule {
    code: "GK152",
    name: "diagram-too-large",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A diagram is too large for the built-in renderer to lay out in about a second: more than 500 nodes, more than 1,000 edges, or a layout estimated at more than 300,000 units of work (about 0.9 s at most). The work grows with the cube of the width of the diagram's ranks once every edge that skips over ranks is counted in each rank it crosses: a complete digraph on 11 nodes is within the limit, one on 12 nodes is not; chains, fan-outs and layers of a few nodes are cheap. Such diagrams are unreadable on a page anyway; split it into several, or drop edges that skip over many ranks.",
    example: r#"{"diagrams": {"items": {"0": {"dot": "digraph { n0 -> n1; n0 -> n2; n0 -> n3; n0 -> n4; n0 -> n5; n0 -> n6; n0 -> n7; n0 -> n8; n0 -> n9; n0 -> n10; n0 -> n11; n1 -> n0; n1 -> n2; n1 -> n3; n1 -> n4; n1 -> n5; n1 -> n6; n1 -> n7; n1 -> n8; n1 -> n9; n1 -> n10; n1 -> n11; n2 -> n0; n2 -> n1; n2 -> n3; n2 -> n4; n2 -> n5; n2 -> n6; n2 -> n7; n2 -> n8; n2 -> n9; n2 -> n10; n2 -> n11; n3 -> n0; n3 -> n1; n3 -> n2; n3 -> n4; n3 -> n5; n3 -> n6; n3 -> n7; n3 -> n8; n3 -> n9; n3 -> n10; n3 -> n11; n4 -> n0; n4 -> n1; n4 -> n2; n4 -> n3; n4 -> n5; n4 -> n6; n4 -> n7; n4 -> n8; n4 -> n9; n4 -> n10; n4 -> n11; n5 -> n0; n5 -> n1; n5 -> n2; n5 -> n3; n5 -> n4; n5 -> n6; n5 -> n7; n5 -> n8; n5 -> n9; n5 -> n10; n5 -> n11; n6 -> n0; n6 -> n1; n6 -> n2; n6 -> n3; n6 -> n4; n6 -> n5; n6 -> n7; n6 -> n8; n6 -> n9; n6 -> n10; n6 -> n11; n7 -> n0; n7 -> n1; n7 -> n2; n7 -> n3; n7 -> n4; n7 -> n5; n7 -> n6; n7 -> n8; n7 -> n9; n7 -> n10; n7 -> n11; n8 -> n0; n8 -> n1; n8 -> n2; n8 -> n3; n8 -> n4; n8 -> n5; n8 -> n6; n8 -> n7; n8 -> n9; n8 -> n10; n8 -> n11; n9 -> n0; n9 -> n1; n9 -> n2; n9 -> n3; n9 -> n4; n9 -> n5; n9 -> n6; n9 -> n7; n9 -> n8; n9 -> n10; n9 -> n11; n10 -> n0; n10 -> n1; n10 -> n2; n10 -> n3; n10 -> n4; n10 -> n5; n10 -> n6; n10 -> n7; n10 -> n8; n10 -> n9; n10 -> n11; n11 -> n0; n11 -> n1; n11 -> n2; n11 -> n3; n11 -> n4; n11 -> n5; n11 -> n6; n11 -> n7; n11 -> n8; n11 -> n9; n11 -> n10; }"}}}}"#,
    check: None,
};
