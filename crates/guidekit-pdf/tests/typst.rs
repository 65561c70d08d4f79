//! `--format typst` without the typst crates: the Aniracetam guide's Typst source carries its metadata,
//! every fact of the seed, its numbered references and its diagrams, and guide text never becomes Typst code.

use guidekit_model::Guide;
use guidekit_pdf::{Paper, escape, typst};
use guidekit_render::{RenderOptions, Renderer};
use guidekit_tests::{SEED_FACTS, root};

fn guide() -> Guide {
    let text = std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("the guide is bundled");
    serde_json::from_str(&text).expect("the guide reads into the model")
}

fn source(guide: &Guide, paper: Paper) -> String {
    typst(&Renderer::new(RenderOptions::default()).expect("templates"), guide, paper).expect("typesets")
}

#[test]
fn aniracetam_source_holds_the_seed() {
    let source = source(&guide(), Paper::A4);
    assert!(source.starts_with(
        "#set document(title: \"The Hypothesized Mechanism of Action of Aniracetam: A Technical Guide\", \
         author: (\"BenchChem Technical Support Team\",)"
    ));
    assert!(source.contains("#set text(lang: \"en\")"));
    assert!(source.contains("#set page(paper: \"a4\""));
    for fact in SEED_FACTS {
        let fact = escape::markup(&fact.replace("&#x27;", "'"));
        assert!(source.contains(&fact), "the Typst source lacks {fact:?}");
    }
    for n in 1..=9 {
        assert_eq!(source.matches(&format!("enum.item({n})[#metadata(none)<ref-{n}>")).count(), 1, "reference {n}");
        assert!(source.contains(&format!("#link(<ref-{n}>)[\\[{n}\\]]")), "a citation mark links to reference {n}");
    }
    assert_eq!(source.matches("format: \"svg\"").count(), 3, "three diagrams, as SVG");
    assert_eq!(source.matches("table.header(repeat: true").count(), 2, "two tables, headers repeated");
    assert!(!source.contains("@preview"), "no package import");
}

#[test]
fn paper_sizes() {
    assert!(source(&guide(), Paper::Letter).contains("#set page(paper: \"us-letter\""));
}

/// Typst syntax in every kind of field stays text: each `#` of the guide is escaped in the source.
#[test]
fn guide_text_never_becomes_typst_code() {
    let attack = "#read(\"/etc/passwd\") #import \"@preview/x:0.1.0\": * $x$ <l> @r [c] `r` \\ // c";
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("guide"))
            .expect("JSON");
    json["metadata"]["title"] = attack.into();
    json["metadata"]["authors"][0]["name"] = attack.into();
    json["conclusion"]["text"] = format!("*{attack}* `{attack}` [{attack}](https://e.org/\"#x)").into();
    json["compound"]["subject"]["name"] = attack.into();
    let guide: Guide = serde_json::from_value(json).expect("still a guide");
    let source = source(&guide, Paper::A4);
    // In markup every `#` is escaped; in a string literal (the document title, code spans) it is text.
    for code in ["#read", "#import"] {
        for (at, _) in source.match_indices(code) {
            let line = &source[source[..at].rfind('\n').map_or(0, |n| n + 1)..at];
            assert!(line.ends_with('\\') || in_string(line), "`{code}` reached the source as code: {line}");
        }
    }
    assert!(source.contains("\\#read(\\\"\\/etc\\/passwd\\\")"), "the title is escaped as text");
}

/// Whether the end of `line` is inside a Typst string literal: quotes toggle, `\` escapes the next character
/// (in markup and in strings alike).
fn in_string(line: &str) -> bool {
    let (mut inside, mut escaped) = (false, false);
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => inside = !inside,
            _ => {}
        }
    }
    inside
}
