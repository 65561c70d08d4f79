//! The validator's DOT rules on the cases the issues name: what `validate` accepts, both diagram engines
//! draw; what they refuse (files read in any letter case, HTML labels Graphviz rejects, graphs too large to
//! lay out), `validate` refuses first.

use guidekit_validate::validate;

/// The codes `validate` reports for a small guide whose only diagram is `dot`.
fn codes(dot: &str) -> Vec<&'static str> {
    let base = include_str!("fixtures/small-guide-with-a-diagram.json");
    let mut guide: serde_json::Value = serde_json::from_str(base).expect("fixture is JSON");
    guide["diagrams"]["items"][0]["dot"] = dot.into();
    let bytes = serde_json::to_vec(&guide).expect("serialises");
    validate(&bytes, "diagram.json").diagnostics.iter().map(|d| d.code).collect()
}

fn check(dot: &str, expect: &[&str]) {
    assert_eq!(codes(dot), expect, "{dot}");
}

fn complete(n: usize) -> String {
    let pairs = (0..n).flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| format!("n{a} -> n{b};")));
    format!("digraph {{ {} }}", pairs.collect::<Vec<_>>().join(" "))
}

#[test]
fn file_reading_attributes_are_refused_in_any_case() {
    check("digraph { a [image=\"x.png\"] }", &["GK154"]);
    check("digraph { a [IMAGE=\"x.png\"] }", &["GK154"]);
    check("digraph { a [Image=\"x.png\"] }", &["GK154"]);
    check("digraph { a [\"ima\\\nge\"=\"x.png\"] }", &["GK154"]);
    check("digraph { a [label=<<table><tr><td><IMG SRC=\"x.png\"/></td></tr></table>>] }", &["GK154"]);
    check("digraph { a [label=\"image\"]; image -> b }", &[]);
}

#[test]
fn html_labels_graphviz_rejects_are_syntax_errors() {
    check("digraph { a [label=<<style>x</style>>] }", &["GK150"]);
    check("digraph { a [label=<<b>x</i>>] }", &["GK150"]);
    check("digraph { a [label=<x &bogus; y>] }", &["GK150"]);
    check("digraph { a [label=<<b>x</b><br/>y &amp; z>] }", &[]);
}

#[test]
fn clusters_html_labels_and_edges_to_groups_are_fine() {
    // The embedded engine draws them all; GK153, which said it could not, is gone.
    check("digraph { subgraph cluster_a { a } a -> {b c}; b [label=<<i>b</i>>] }", &[]);
}

#[test]
fn k20_is_too_large_to_lay_out() {
    check(&complete(20), &["GK152"]);
    check(&complete(12), &["GK152"]);
    check(&complete(11), &[]);
}
