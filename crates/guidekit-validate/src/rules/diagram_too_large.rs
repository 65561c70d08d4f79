//! GK152 `diagram-too-large`: a diagram with too many nodes or edges. Checked in `dot_syntax.rs`, in the same pass over each diagram as GK150.

use super::{Rule, Stage};
use crate::Severity::Warning;

pub(crate) const RULE: Rule = Rule {
    code: "GK152",
    name: "diagram-too-large",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "A diagram has more than 60 nodes or 120 edges. Large diagrams are unreadable on a page and slow to lay out; split it into several.",
    example: r#"{"diagrams": {"items": {"0": {"dot": "digraph { n0 -> n1; n1 -> n2; n2 -> n3; n3 -> n4; n4 -> n5; n5 -> n6; n6 -> n7; n7 -> n8; n8 -> n9; n9 -> n10; n10 -> n11; n11 -> n12; n12 -> n13; n13 -> n14; n14 -> n15; n15 -> n16; n16 -> n17; n17 -> n18; n18 -> n19; n19 -> n20; n20 -> n21; n21 -> n22; n22 -> n23; n23 -> n24; n24 -> n25; n25 -> n26; n26 -> n27; n27 -> n28; n28 -> n29; n29 -> n30; n30 -> n31; n31 -> n32; n32 -> n33; n33 -> n34; n34 -> n35; n35 -> n36; n36 -> n37; n37 -> n38; n38 -> n39; n39 -> n40; n40 -> n41; n41 -> n42; n42 -> n43; n43 -> n44; n44 -> n45; n45 -> n46; n46 -> n47; n47 -> n48; n48 -> n49; n49 -> n50; n50 -> n51; n51 -> n52; n52 -> n53; n53 -> n54; n54 -> n55; n55 -> n56; n56 -> n57; n57 -> n58; n58 -> n59; n59 -> n60; n60 -> n61; }"}}}}"#,
    check: None,
};
