//! Rendering tests: citation numbering of the bundled guide, cross-references, escaping of hostile input,
//! Markdown tables, diagram engines, user templates and determinism.

use std::path::{Path, PathBuf};

use guidekit_model::Guide;
use guidekit_render::{DiagramEngine, Format, IndexEntry, OutputFile, RenderError, RenderOptions, Renderer};
use serde_json::{Value, json};

const ANIRACETAM: &str = include_str!("../../../guides/aniracetam.json");

fn aniracetam() -> Value {
    serde_json::from_str(ANIRACETAM).expect("the bundled guide is JSON")
}

fn guide(value: Value) -> Guide {
    serde_json::from_value(value).expect("the test guide deserializes")
}

fn renderer() -> Renderer {
    Renderer::new(RenderOptions::default()).expect("the built-in templates load")
}

fn render(guide: &Guide, format: Format) -> String {
    let files = renderer().render(guide, &[format]).unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(files[0].contents.clone()).expect("pages are UTF-8")
}

/// A fresh, empty directory under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-render-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("`{start}` not found")) + start.len();
    let to = text[from..].find(end).map_or(text.len(), |t| from + t);
    &text[from..to]
}

#[test]
fn citation_numbers_reproduce_the_seed() {
    let guide = guide(aniracetam());
    // The anchors on first citations (for the reference list's back-links) are checked in
    // tests/tests/rendering.rs; here only the numbers matter.
    let html = (1..=20).fold(render(&guide, Format::Html), |html, n| html.replace(&format!(" id=\"cite-{n}\""), ""));
    let ampa = between(&html, "Positive Allosteric Modulation of AMPA Receptors:", "</li>");
    assert!(
        ampa.contains(
            "glutamate.<sup class=\"cite\"><a href=\"#ref-1\">[1]</a><a href=\"#ref-2\">[2]</a><a href=\"#ref-3\">[3]</a></sup>"
        ),
        "{ampa}"
    );
    let cholinergic = between(&html, "Modulation of the Cholinergic System:", "</li>");
    assert!(cholinergic.contains("[2]</a><a href=\"#ref-4\">[4]</a></sup>"), "{cholinergic}");
    let rotarod = between(&html, "Accelerating Rotarod Test:", "</li>");
    assert!(rotarod.contains("<a href=\"#ref-9\">[9]</a>"), "{rotarod}");

    // The reference list in number order, as the seed numbers it.
    let references = between(&html, "<ol class=\"references\">", "</ol>");
    let expected = [
        "cereflexlabs.com. [cereflexlabs.com].",
        "What is the mechanism of Aniracetam? [synapse.patsnap.com].",
        "Excitatory amino acids and neuronal plasticity: modulation of AMPA receptors as a novel substrate for the action of nootropic drugs. PubMed [pubmed.ncbi.nlm.nih.gov].",
        "What is Aniracetam used for? [synapse.patsnap.com].",
        "Aniracetam: An Evidence-Based Model for Preventing the Accumulation of Amyloid-β Plaques in Alzheimer&#39;s Disease. PMC [pmc.ncbi.nlm.nih.gov].",
        "Aniracetam Does Not Alter Cognitive and Affective Behavior in Adult C57BL/6J Mice. PMC [pmc.ncbi.nlm.nih.gov].",
        "Aniracetam Does Not Alter Cognitive and Affective Behavior in Adult C57BL/6J Mice. PLOS One. [journals.plos.org].",
        "Clinical Efficacy of Aniracetam, Either as Monotherapy or Combined with Cholinesterase Inhibitors, in Patients with Cognitive Impairment: A Comparative Open Study. PMC [pmc.ncbi.nlm.nih.gov].",
        "Oral aniracetam treatment in C57BL/6J mice without pre-existing cognitive dysfunction reveals no changes in learning, memory, anxiety or stereotypy. PMC [pmc.ncbi.nlm.nih.gov].",
    ];
    for (i, text) in expected.iter().enumerate() {
        let n = i + 1;
        let back = format!(
            " <a class=\"backref\" href=\"#cite-{n}\" aria-label=\"Back to the first citation of reference {n}\">↩</a>"
        );
        let entry = format!("<li id=\"ref-{n}\" value=\"{n}\">{text}{back}</li>");
        assert!(references.contains(&entry), "reference {n} should be {entry}\n{references}");
    }

    // Markdown numbers them the same way.
    let md = render(&guide, Format::Markdown);
    assert!(md.contains("glutamate.[[1]](#ref-1)[[2]](#ref-2)[[3]](#ref-3)"), "{md}");
    assert!(md.contains("the latency to fall is recorded.[[9]](#ref-9)"), "{md}");
    assert!(md.contains("9. <a id=\"ref-9\"></a>Oral aniracetam treatment"), "{md}");
    // Table cells: "[6][7]" after the U-shaped dose-response row.
    assert!(md.contains("U-shaped dose-response curve.[[6]](#ref-6)[[7]](#ref-7) |"), "{md}");
}

#[test]
fn every_fact_of_the_guide_appears() {
    let guide = guide(aniracetam());
    for format in [Format::Html, Format::Markdown] {
        let page = render(&guide, format);
        for fact in [
            "The Hypothesized Mechanism of Action of Aniracetam",
            "A Technical Guide",
            "BenchChem Technical Support Team",
            "December 2025",
            "Amooracetal",
            "B564674",
            "Get Quote",
            "racetam",
            "Research Use Only",
            "drug development professionals",
            "25, 50, 100 mg/kg (oral)",
            "30 and 100 mg/kg (oral)",
            "1500 mg/day",
            "12 months",
            "Not specified",
            "276 patients with cognitive disorders",
            "Odor Discrimination Test",
            "No treatment group.",
            "71 ± 8 years",
            "Figure 3",
            "To cite this document:",
            "Available at:",
            "Online PDF",
            "Our mission is to be the trusted global source",
            "3281 E Guasti Rd",
            "Ontario, CA 91761",
            "(601) 213-4426",
            "info@benchchem.com",
            "Need Custom Synthesis?",
            "Request Quote Online",
            "Need Industrial/Bulk Grade?",
            "Request Custom Synthesis Quote",
            "Contact our Ph.D. Support Team for a compatibility check",
        ] {
            assert!(page.contains(fact), "{format:?} output lacks {fact:?}");
        }
    }
}

#[test]
fn html_page_is_standalone_and_accessible() {
    let html = render(&guide(aniracetam()), Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(
        html.contains(
            "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        )
    );
    assert!(html.contains("<meta name=\"viewport\""));
    assert!(html.contains("@media print"));
    assert!(html.contains("<th scope=\"col\">Species</th>"));
    assert!(html.contains("<caption id=\"tbl-preclinical-in-vivo-caption\"><span class=\"label\">Table 1:</span> Preclinical Studies - In Vivo</caption>"));
    assert_eq!(html.matches("<figure").count(), 3);
    assert_eq!(html.matches("role=\"img\" aria-label=\"Flow chart:").count(), 3);
    // No script but the JSON-LD data block, no external request.
    assert!(!guidekit_tests::without_json_ld(&html).contains("<script"));
    for attribute in ["src=\"http", "href=\"//", "url(http", "@import"] {
        assert!(!html.contains(attribute), "{attribute}");
    }
    // Headings never skip a level.
    let mut previous = 1;
    for (i, _) in html.match_indices("<h") {
        if let Some(level) = html[i + 2..].chars().next().and_then(|c| c.to_digit(10)) {
            assert!(level <= previous + 1, "h{level} follows h{previous}");
            previous = level;
        }
    }
    // An action without a URL is text, not a link.
    assert!(html.contains("<span class=\"action\">Get Quote</span>"));
}

#[test]
fn cross_references_and_unknown_keys() {
    let mut value = aniracetam();
    value["conclusion"]["text"] = json!(
        "See [@tbl:clinical-studies] and [@fig:neurotransmitter-release]; also [@smith2020], [@tbl:nope] and [@cereflexlabs; @tbl:preclinical-in-vivo]."
    );
    let guide = guide(value);
    let html = render(&guide, Format::Html);
    let conclusion = between(&html, "<h2 id=\"conclusion-heading\">", "</section>");
    assert!(conclusion.contains("See <a href=\"#tbl-clinical-studies\">Table 2</a> and <a href=\"#fig-neurotransmitter-release\">Figure 2</a>;"), "{conclusion}");
    assert!(conclusion.contains("<span class=\"cite-missing\">[?smith2020]</span>"), "{conclusion}");
    assert!(conclusion.contains("<span class=\"cite-missing\">[?tbl:nope]</span>"), "{conclusion}");
    assert!(
        conclusion.contains(
            "<sup class=\"cite\"><a href=\"#ref-1\">[1]</a></sup><a href=\"#tbl-preclinical-in-vivo\">Table 1</a>"
        ),
        "{conclusion}"
    );
    // The anchors they link to exist.
    assert!(html.contains("id=\"tbl-clinical-studies\""));
    assert!(html.contains("<figure id=\"fig-neurotransmitter-release\""));

    let md = render(&guide, Format::Markdown);
    assert!(md.contains("See [Table 2](#tbl-clinical-studies) and [Figure 2](#fig-neurotransmitter-release); also \\[?smith2020\\], \\[?tbl:nope\\]"), "{md}");
}

#[test]
fn uncited_references_are_listed_after_the_cited_ones() {
    let mut value = aniracetam();
    value["references"].as_array_mut().unwrap().insert(
        0,
        json!({"id": "uncited", "type": "book", "title": "Never Cited", "publisher": "Press", "issued": {"date-parts": [[2001]]}}),
    );
    let html = render(&guide(value), Format::Html);
    assert!(html.contains("<li id=\"ref-1\" value=\"1\">cereflexlabs.com."), "{html}");
    assert!(html.contains("<li id=\"ref-10\" value=\"10\">Never Cited. Press; 2001.</li>"), "{html}");
}

#[test]
fn markdown_tables_escape_pipes() {
    let mut value = aniracetam();
    value["data"]["tables"][0]["rows"][0]["cells"]["observation"] = json!("a | b `c|d` [@cereflexlabs]");
    value["data"]["tables"][0]["columns"][3]["label"] = json!("Focus | Aim");
    value["data"]["tables"][0]["rows"][0]["citations"] = json!(["pmc-oral-aniracetam-c57bl6j"]);
    let md = render(&guide(value), Format::Markdown);
    assert!(md.contains("| Species | Dosage | Observation | Focus \\| Aim |"), "{md}");
    // Row-level citations follow the last cell.
    assert!(
        md.contains("| Mice | 50 mg/kg (oral) | a \\| b `c\\|d` [[1]](#ref-1) | Cognitive and behavioral effects in healthy animals[[6]](#ref-6) |"),
        "{md}"
    );
    // Every table line has as many unescaped pipes as the header.
    let start = md.find("| Species").unwrap();
    let table = &md[start..start + md[start..].find("\n\n").unwrap()];
    assert_eq!(table.lines().count(), 5);
    for line in table.lines() {
        let pipes = line.replace("\\|", "").matches('|').count();
        assert_eq!(pipes, 5, "{line}");
    }
}

/// A guide whose every kind of field holds `payload`, with hostile diagrams.
fn hostile_guide(payload: &str) -> Guide {
    let mut value = aniracetam();
    let text = format!("{payload} [x](javascript:alert(1)) <img src=x onerror=alert(1)> [@cereflexlabs]");
    value["metadata"]["title"] = json!(payload);
    value["metadata"]["subtitle"] = json!(payload);
    value["metadata"]["keywords"] = json!([payload]);
    value["compound"]["subject"]["name"] = json!(payload);
    value["compound"]["catalog_number"] = json!(payload);
    value["compound"]["requested"]["reason"] = json!(text);
    value["compound"]["actions"] = json!([{"label": payload}]);
    value["notices"][0]["text"] = json!(text);
    value["notices"][0]["title"] = json!(payload);
    value["audience"]["summary"] = json!(text);
    value["audience"]["readers"] = json!([payload]);
    value["hypotheses"]["heading"] = json!(payload);
    value["hypotheses"]["items"][0]["title"] = json!(payload);
    value["hypotheses"]["items"][0]["statement"] = json!(text);
    value["data"]["tables"][0]["caption"] = json!(payload);
    value["data"]["tables"][0]["columns"][0]["label"] = json!(payload);
    value["data"]["tables"][0]["rows"][0]["cells"]["observation"] = json!(text);
    value["data"]["tables"][0]["note"] = json!(text);
    value["protocols"]["items"][0]["title"] = json!(payload);
    value["protocols"]["items"][0]["steps"][0]["label"] = json!(payload);
    value["protocols"]["items"][0]["steps"][0]["text"] = json!(text);
    value["diagrams"]["items"][0]["caption"] = json!(text);
    value["diagrams"]["items"][0]["alt"] = json!(payload);
    let label = payload.replace('\\', "\\\\").replace('"', "\\\"");
    value["diagrams"]["items"][0]["dot"] = json!(format!(
        "digraph {{ a [label=\"{label}\", URL=\"javascript:alert(1)\"]; b [label=<<b>{}</b>>]; a -> b [label=\"<script>alert(1)</script>\"] }}",
        // A valid HTML label: Graphviz and guidekit refuse a stray `&` or an unknown entity.
        payload.replace(['<', '>'], "").replace('&', "&amp;")
    ));
    value["conclusion"]["text"] = json!(text);
    value["references"][0]["title"] = json!(payload);
    value["references"][0]["source"] = json!(payload);
    value["publisher"]["name"] = json!(payload);
    value["publisher"]["mission"] = json!(text);
    value["publisher"]["phone"] = json!(payload);
    value["publisher"]["offers"][0]["heading"] = json!(payload);
    value["publisher"]["offers"][0]["text"] = json!(text);
    value["publisher"]["offers"][0]["actions"] = json!([{"label": payload}]);
    guide(value)
}

/// Asserts that no file of `files` could run script: no `<script` anywhere (text `<` is always escaped), and
/// in every tag, no event handler attribute, no `javascript:` URL and no element that embeds or runs content.
/// Markdown is first turned into HTML by pulldown-cmark with raw HTML passed through, as the most
/// permissive viewer would.
fn assert_inert(files: &[OutputFile], payload: &str) {
    // The DOT sources are the guide's data, written as they are: text files that nothing renders.
    for file in files.iter().filter(|f| f.path.extension().is_none_or(|e| e != "dot")) {
        let text = String::from_utf8_lossy(&file.contents).into_owned();
        let name = file.path.display().to_string();
        let text = guidekit_tests::without_json_ld(&text);
        assert!(!text.to_ascii_lowercase().contains("<script"), "`<script` in {name} for payload {payload:?}");
        let html = if name.ends_with(".md") {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
            html
        } else {
            text
        };
        for (tag, attributes) in tags(&html) {
            let context = format!("<{tag}> in {name} for payload {payload:?}");
            assert!(
                !["script", "iframe", "object", "embed", "image", "foreignobject", "base", "link", "frame", "applet"]
                    .contains(&tag.as_str()),
                "{context}"
            );
            for (key, value) in attributes {
                assert!(!key.starts_with("on"), "`{key}` attribute on {context}");
                let url_attribute =
                    ["href", "src", "xlink:href", "action", "formaction", "data", "srcset", "poster", "style"];
                let squeezed: String =
                    value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
                for bad in ["javascript:", "vbscript:", "data:text"] {
                    assert!(
                        !(url_attribute.contains(&key.as_str()) && squeezed.contains(bad)),
                        "`{key}={value}` on {context}"
                    );
                }
            }
        }
    }
}

/// The start tags of `html`, lowercased, with their attributes (values with `&quot;`-style entities left as
/// written). Comments and doctypes are skipped; `<` in text is assumed escaped, as it must be.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset + 1;
        i = start;
        if html[start..].starts_with("!--") {
            i = html[start..].find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        if html[start..].starts_with('!') || html[start..].starts_with('/') || html[start..].starts_with('?') {
            continue;
        }
        let name_len = html[start..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(0);
        let name = html[start..start + name_len].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut j = start + name_len;
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let key_len = html[j..]
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .unwrap_or(html.len() - j);
            let key = html[j..j + key_len].to_ascii_lowercase();
            j += key_len.max(1);
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let quote = bytes[j] as char;
                    let end = html[j + 1..].find(quote).map_or(html.len(), |e| j + 1 + e);
                    value = html[j + 1..end].to_owned();
                    j = end + 1;
                } else {
                    let end = html[j..].find(|c: char| c.is_whitespace() || c == '>').map_or(html.len(), |e| j + e);
                    value = html[j..end].to_owned();
                    j = end;
                }
            }
            attributes.push((key, value));
        }
        out.push((name, attributes));
        i = j.min(html.len());
    }
    out
}

#[test]
fn hostile_input_is_inert() {
    let renderer = renderer();
    for payload in [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>",
        "' onmouseover='alert(1)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "{{ 7*7 }} {% raw %}",
    ] {
        let files = renderer.render(&hostile_guide(payload), &[Format::Html, Format::Markdown]).unwrap();
        assert_inert(&files, payload);
    }
}

/// The XSS corpus shared beside the project, when it is there (it is not part of the project).
#[test]
fn xss_corpus_is_inert() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/xss-payloads.txt");
    let Ok(text) = std::fs::read_to_string(&corpus) else {
        guidekit_tests::skips::skip(format!("{} is not there", corpus.display()));
        return;
    };
    let renderer = renderer();
    let payloads: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // Every payload in a small guide's plain and marked-up fields; every 100th in every field of the full
    // guide, diagrams included (laying out a diagram is the slow part).
    for (i, payload) in payloads.iter().enumerate() {
        let guide = if i % 100 == 0 { hostile_guide(payload) } else { small_guide(payload) };
        let files = renderer.render(&guide, &[Format::Html, Format::Markdown]).unwrap();
        assert_inert(&files, payload);
    }
}

fn small_guide(payload: &str) -> Guide {
    let text = format!("{payload} [@r]");
    guide(json!({
        "schema_version": "1.0",
        "metadata": {"title": payload, "kind": "review", "authors": [{"kind": "organization", "name": payload}],
                     "published": "2024", "language": "en"},
        "compound": {"subject": {"name": payload}, "actions": [{"label": payload}]},
        "notices": [{"kind": "general", "title": payload, "text": text}],
        "data": {"tables": [{"id": "t", "caption": payload, "kind": "other",
            "columns": [{"key": "a", "label": payload, "kind": "text"}], "rows": [{"cells": {"a": text}}]}]},
        "conclusion": {"text": text},
        "references": [{"id": "r", "type": "webpage", "title": payload, "source": payload}]
    }))
}

#[test]
fn markdown_links_diagrams_and_writes_them_beside() {
    let files = renderer().render(&guide(aniracetam()), &[Format::Markdown, Format::Html, Format::Markdown]).unwrap();
    let paths: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "index.md",
            "figures/ampa-receptor-modulation.svg",
            "figures/ampa-receptor-modulation.dot",
            "figures/neurotransmitter-release.svg",
            "figures/neurotransmitter-release.dot",
            "figures/neuroprotection-bdnf-pathways.svg",
            "figures/neuroprotection-bdnf-pathways.dot",
            "index.html",
        ]
    );
    let md = String::from_utf8_lossy(&files[0].contents);
    assert!(md.contains("![Flow chart: Aniracetam positively modulates the AMPA glutamate receptor,"));
    assert!(md.contains("](figures/ampa-receptor-modulation.svg)"));
    let svg = String::from_utf8_lossy(&files[1].contents);
    assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""));
    for label in ["Aniracetam", "AMPA glutamate receptor", "positive allosteric modulation", "Learning and memory"] {
        assert!(svg.contains(&format!(">{label}</tspan>")), "{label} missing from {svg}");
    }
    assert!(svg.contains("fill=\"#fde9c8\""), "fill colours are kept");
    assert!(String::from_utf8_lossy(&files[2].contents).starts_with("digraph ampa_modulation {"));
}

#[test]
fn user_templates_override_built_ins_by_name() {
    let dir = temp_dir("override");
    std::fs::write(
        dir.join("guide.md"),
        "{% include \"part.md\" %} {{ title }} has {{ references | length }} references\n",
    )
    .unwrap();
    std::fs::write(dir.join("part.md"), "Custom:").unwrap();
    std::fs::write(dir.join(".editor-backup"), "ignored").unwrap();
    let renderer = Renderer::new(RenderOptions { templates: Some(dir.clone()), ..RenderOptions::default() }).unwrap();
    let files = renderer.render(&guide(aniracetam()), &[Format::Markdown, Format::Html]).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&files[0].contents),
        "Custom: The Hypothesized Mechanism of Action of Aniracetam has 9 references\n"
    );
    // The templates not overridden are the built-in ones.
    assert!(String::from_utf8_lossy(&files.last().unwrap().contents).starts_with("<!DOCTYPE html>"));

    std::fs::write(dir.join("notes.txt"), "not a template").unwrap();
    let error = Renderer::new(RenderOptions { templates: Some(dir.clone()), ..RenderOptions::default() }).unwrap_err();
    assert!(matches!(error, RenderError::TemplateDir { .. }), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn template_errors_name_the_template_and_line() {
    let dir = temp_dir("broken");
    let template = dir.join("guide.html");
    std::fs::write(&template, "<p>\n{{ title }}\n{{ title | no_such_filter }}\n</p>\n").unwrap();
    let error = Renderer::new(RenderOptions { templates: Some(dir.clone()), ..RenderOptions::default() }).unwrap_err();
    match &error {
        RenderError::Template { template: name, path, line, .. } => {
            assert_eq!(name, "guide.html");
            assert_eq!(path.as_deref(), Some(template.as_path()));
            assert_eq!(*line, Some(3));
        }
        other => panic!("unexpected error {other}"),
    }
    let message = error.to_string();
    assert!(message.starts_with("template `guide.html` (from `"), "{message}");
    assert!(message.contains(", line 3: "), "{message}");

    // An error while rendering names the line too.
    std::fs::write(&template, "<p>\n\n{{ compound.no_such_field }}</p>\n").unwrap();
    let renderer = Renderer::new(RenderOptions { templates: Some(dir.clone()), ..RenderOptions::default() }).unwrap();
    match renderer.render(&guide(aniracetam()), &[Format::Html]).unwrap_err() {
        RenderError::Template { template, line, .. } => assert_eq!((template.as_str(), line), ("guide.html", Some(3))),
        other => panic!("unexpected error {other}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn templates_get_no_environment() {
    let dir = temp_dir("env");
    std::fs::write(dir.join("guide.md"), "{{ get_env(name=\"HOME\") }}").unwrap();
    let error = Renderer::new(RenderOptions { templates: Some(dir.clone()), ..RenderOptions::default() }).unwrap_err();
    assert!(error.to_string().contains("Unknown function `get_env`"), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_is_deterministic_across_runs_and_threads() {
    let guide = guide(aniracetam());
    let formats = [Format::Html, Format::Markdown];
    let first = renderer().render(&guide, &formats).unwrap();
    let shared = renderer();
    let again = shared.render(&guide, &formats).unwrap();
    let cached = shared.render(&guide, &formats).unwrap();
    assert_eq!(first, again);
    assert_eq!(first, cached);
    let from_threads: Vec<Vec<OutputFile>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4).map(|_| scope.spawn(|| shared.render(&guide, &formats).unwrap())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for files in from_threads {
        assert_eq!(first, files);
    }
}

#[test]
fn index_pages_list_guides() {
    let entries = [IndexEntry {
        dir: "aniracetam".into(),
        title: "The <Hypothesized> Mechanism".into(),
        compound: "Aniracetam".into(),
        published: "2025-12".into(),
    }];
    let files = renderer().render_index(&entries, &[Format::Html, Format::Markdown]).unwrap();
    let html = String::from_utf8_lossy(&files[0].contents);
    assert!(html.contains("<a href=\"aniracetam/index.html\">The &lt;Hypothesized&gt; Mechanism</a>"), "{html}");
    assert!(html.contains("<time datetime=\"2025-12\">December 2025</time>"), "{html}");
    let md = String::from_utf8_lossy(&files[1].contents);
    assert_eq!(
        md,
        "# Research guides\n\n- [The &lt;Hypothesized> Mechanism](aniracetam/index.md) — Aniracetam, December 2025\n"
    );
}

/// Graphviz must be installed for these; the default engine needs nothing, so they skip without it.
fn graphviz() -> Option<Renderer> {
    match Renderer::new(RenderOptions { diagrams: DiagramEngine::Graphviz, ..RenderOptions::default() }) {
        Ok(renderer) => Some(renderer),
        Err(RenderError::GraphvizMissing) => {
            guidekit_tests::skips::skip("Graphviz's `dot` is not on PATH");
            None
        }
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn graphviz_engine_draws_sanitised_svg() {
    let Some(renderer) = graphviz() else { return };
    let files =
        renderer.render(&hostile_guide("<script>alert(1)</script>"), &[Format::Html, Format::Markdown]).unwrap();
    assert_inert(&files, "graphviz");
    let files = renderer.render(&guide(aniracetam()), &[Format::Markdown]).unwrap();
    let svg = String::from_utf8_lossy(&files[1].contents);
    assert!(svg.contains("role=\"img\""), "{svg}");
    assert!(svg.contains(">Aniracetam</text>"), "{svg}");
    assert!(svg.contains("id=\"fig-ampa-receptor-modulation-"), "ids are prefixed: {svg}");
}

/// Both engines refuse what the validator's GK154 refuses, whatever the letter case: the same check.
#[test]
fn both_engines_refuse_file_reading_attributes() {
    let renderers: Vec<(&str, Renderer)> =
        std::iter::once(("embedded", renderer())).chain(graphviz().map(|r| ("graphviz", r))).collect();
    for (engine, renderer) in &renderers {
        for dot in [
            "digraph { a [image=\"/etc/passwd\"] }",
            "digraph { a [IMAGE=\"/etc/passwd\"] }",
            "digraph { a [Image=\"/etc/passwd\"] }",
            "digraph { a [\"ima\\\nge\"=\"/etc/passwd\"] }",
            "digraph { a [shapefile=\"/etc/passwd\"] }",
            "digraph { imagepath=\"/etc\"; a }",
            "digraph { a [label=<<table><tr><td><IMG src=\"/etc/passwd\"/></td></tr></table>>] }",
        ] {
            let mut value = aniracetam();
            value["diagrams"]["items"][0]["dot"] = json!(dot);
            match renderer.render(&guide(value), &[Format::Html]) {
                Err(RenderError::Diagram { id, message }) => {
                    assert_eq!(id, "ampa-receptor-modulation");
                    assert!(message.contains("not allowed"), "{engine}: {message}");
                }
                other => panic!("{engine}: {dot} was not refused: {other:?}"),
            }
        }
    }
}

/// The embedded engine refuses, rather than hangs on, a graph beyond the layout limits (the validator's
/// GK152 refuses it first).
#[test]
fn embedded_engine_refuses_graphs_too_large_to_lay_out() {
    let mut dot = String::from("digraph {");
    for i in 0..20 {
        for j in (0..20).filter(|&j| j != i) {
            dot.push_str(&format!(" n{i} -> n{j};"));
        }
    }
    dot.push_str(" }");
    let mut value = aniracetam();
    value["diagrams"]["items"][0]["dot"] = json!(dot);
    match renderer().render(&guide(value), &[Format::Html]) {
        Err(RenderError::Diagram { message, .. }) => assert!(message.contains("too large"), "{message}"),
        other => panic!("K20 was not refused: {other:?}"),
    }
}

#[test]
fn broken_diagrams_are_errors_not_panics() {
    let mut value = aniracetam();
    value["diagrams"]["items"][1]["dot"] = json!("digraph { a -> ");
    match renderer().render(&guide(value), &[Format::Html]) {
        Err(RenderError::Diagram { id, .. }) => assert_eq!(id, "neurotransmitter-release"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_minimal_guide_renders() {
    let value = json!({
        "schema_version": "1.0",
        "metadata": {"title": "T", "kind": "review", "authors": [{"kind": "person", "family": "Doe", "given": "Jane"}],
                     "published": "2024", "language": "de"},
        "compound": {"subject": {"name": "X"}}
    });
    let guide = guide(value);
    let html = render(&guide, Format::Html);
    assert!(html.contains("<html lang=\"de\">"));
    assert!(html.contains("Jane Doe"));
    insta::assert_snapshot!("minimal_guide_md", render(&guide, Format::Markdown));
}
