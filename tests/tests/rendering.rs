//! End-to-end snapshots of the Aniracetam guide as Markdown and HTML, and what a reader must find in them.

use guidekit_render::{Format, OutputFile, RenderOptions, Renderer};
use guidekit_tests::{SEED_FACTS, root};

fn rendered() -> Vec<OutputFile> {
    let bytes = std::fs::read(root().join("guides/aniracetam.json")).expect("bundled guide");
    let report = guidekit_validate::validate(&bytes, "guides/aniracetam.json");
    assert_eq!(report.error_count(), 0, "{:#?}", report.diagnostics);
    let guide = report.guide.expect("valid guide");
    Renderer::new(RenderOptions::default())
        .expect("built-in templates")
        .render(&guide, &[Format::Html, Format::Markdown])
        .expect("renders")
}

fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path.to_str() == Some(path)).unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(&file.contents).expect("UTF-8")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn aniracetam_markdown_snapshot() {
    snapshot("aniracetam.md", file(&rendered(), "index.md"));
}

#[test]
fn aniracetam_html_snapshot() {
    snapshot("aniracetam.html", file(&rendered(), "index.html"));
}

#[test]
fn every_fact_of_the_seed_reaches_the_reader() {
    let files = rendered();
    let html = file(&files, "index.html");
    let markdown = file(&files, "index.md");
    for fact in SEED_FACTS {
        let plain = fact.replace("&#x27;", "'");
        assert!(html.contains(fact) || html.contains(&plain), "HTML lacks {fact:?}");
        assert!(markdown.contains(&plain), "Markdown lacks {plain:?}");
    }
    for n in 1..=9 {
        assert!(html.contains(&format!("id=\"ref-{n}\"")), "HTML lacks reference {n}");
    }
    let figures: Vec<_> = files.iter().filter(|f| f.path.extension().is_some_and(|e| e == "svg")).collect();
    assert_eq!(figures.len(), 3, "three diagrams as SVG beside the Markdown");
    assert_eq!(html.matches("<svg").count(), 3, "three diagrams inline in the HTML");
    assert!(!guidekit_tests::without_json_ld(html).contains("<script"), "no script in a page but the JSON-LD data");
}

/// The W3C Nu HTML Checker (the `vnu-jar` npm package, on Java) finds no error in the Aniracetam page.
/// CI installs it; elsewhere the test says it is skipped, unless `CI` is set, where it must run.
#[test]
fn html_passes_the_nu_html_checker() {
    let required = std::env::var_os("CI").is_some();
    let npm_root = std::process::Command::new("npm").args(["root", "-g"]).output();
    let jar = npm_root
        .ok()
        .map(|o| std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()).join("vnu-jar/build/dist/vnu.jar"))
        .filter(|jar| jar.is_file());
    let Some(jar) = jar else {
        assert!(!required, "CI must have the Nu HTML Checker: npm install -g vnu-jar");
        guidekit_tests::skips::skip("the Nu HTML Checker is not installed (npm install -g vnu-jar)");
        return;
    };
    let page = std::env::temp_dir().join(format!("guidekit-nu-{}.html", std::process::id()));
    std::fs::write(&page, file(&rendered(), "index.html")).expect("write page");
    let output = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "text"])
        .arg(&page)
        .output()
        .expect("java runs");
    let _ = std::fs::remove_file(&page);
    assert!(
        output.status.success(),
        "the Nu HTML Checker reports errors:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The Highwire Press tags that Zotero's connector and Google Scholar read, and their Dublin Core twins.
#[test]
fn the_page_carries_citation_metadata() {
    let files = rendered();
    let html = file(&files, "index.html");
    let head = &html[..html.find("</head>").expect("a head")];
    for tag in [
        r#"<meta name="citation_title" content="The Hypothesized Mechanism of Action of Aniracetam: A Technical Guide">"#,
        r#"<meta name="citation_author" content="BenchChem Technical Support Team">"#,
        r#"<meta name="citation_publication_date" content="2025/12">"#,
        r#"<meta name="citation_publisher" content="BenchChem">"#,
        r#"<meta name="dcterms.date" content="2025-12">"#,
    ] {
        assert!(head.contains(tag), "missing {tag}");
    }
}

/// Each cited reference links back to its first citation: every `#cite-N` link has exactly one target, and
/// every cited reference has such a link.
#[test]
fn references_link_back_to_their_first_citation() {
    let files = rendered();
    let html = file(&files, "index.html");
    for n in 1..=9 {
        let back = format!("href=\"#cite-{n}\"");
        let target = format!("id=\"cite-{n}\"");
        assert_eq!(html.matches(&back).count(), 1, "reference {n} links back once");
        assert_eq!(html.matches(&target).count(), 1, "reference {n}'s first citation is anchored once");
        let anchor = html.find(&target).expect("anchored");
        let first_mark = html.find(&format!("href=\"#ref-{n}\"")).expect("cited");
        assert!(anchor < first_mark, "the anchor is on the first mark of reference {n}");
    }
    assert!(!html.contains("href=\"#cite-10\""));
}

/// The page's schema.org JSON-LD from `guide` (a JSON value), parsed.
fn json_ld_of(guide: &serde_json::Value) -> serde_json::Value {
    let bytes = serde_json::to_vec(guide).expect("JSON");
    let report = guidekit_validate::validate(&bytes, "guide.json");
    let guide = report.guide.unwrap_or_else(|| panic!("valid: {:#?}", report.diagnostics));
    let files =
        Renderer::new(RenderOptions::default()).expect("templates").render(&guide, &[Format::Html]).expect("renders");
    let html = file(&files, "index.html");
    let start = html.find(guidekit_tests::JSON_LD_OPEN).expect("a JSON-LD block") + guidekit_tests::JSON_LD_OPEN.len();
    let json = &html[start..start + html[start..].find("</script>").expect("closed")];
    assert!(!guidekit_tests::without_json_ld(html).contains("<script"), "no other script");
    serde_json::from_str(json).expect("the JSON-LD parses")
}

/// The bundled guide with every field the JSON-LD can carry, and text that tries to leave the script element.
fn rich_guide() -> serde_json::Value {
    let mut guide = guidekit_tests::read_json(&root().join("guides/aniracetam.json"));
    guide["metadata"]["keywords"] = serde_json::json!(["nootropics", "</script><script>alert(1)</script>"]);
    guide["metadata"]["version"] = "2 <!-- & -->".into();
    guide["compound"]["subject"]["synonyms"] = serde_json::json!(["Test synonym"]);
    let reference = &mut guide["references"][0];
    reference["author"] = serde_json::json!([{"family": "Doe", "given": "Jane"}, {"literal": "A Study Group"}]);
    reference["container-title"] = "A Journal".into();
    reference["DOI"] = "10.1000/test".into();
    reference["PMID"] = "123".into();
    guide
}

#[test]
fn the_page_carries_schema_org_json_ld() {
    let ld = json_ld_of(&guidekit_tests::read_json(&root().join("guides/aniracetam.json")));
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "ScholarlyArticle");
    assert_eq!(ld["headline"], "The Hypothesized Mechanism of Action of Aniracetam");
    assert_eq!(ld["about"]["@type"], "ChemicalSubstance");
    assert_eq!(ld["about"]["name"], "Aniracetam");
    assert_eq!(ld["publisher"]["name"], "BenchChem");
    assert_eq!(ld["datePublished"], "2025-12");
    assert_eq!(ld["citation"].as_array().map(Vec::len), Some(9), "the nine references, in citation order");

    let ld = json_ld_of(&rich_guide());
    assert_eq!(ld["keywords"][1], "</script><script>alert(1)</script>", "hostile text comes back as text");
    let cited = &ld["citation"].as_array().expect("citations").iter().find(|c| c["isPartOf"].is_object());
    let cited = cited.expect("the reference with a journal");
    assert_eq!(cited["author"][0]["familyName"], "Doe");
    assert_eq!(cited["author"][1]["@type"], "Organization");
    assert_eq!(
        cited["sameAs"],
        serde_json::json!(["https://doi.org/10.1000/test", "https://pubmed.ncbi.nlm.nih.gov/123/"])
    );
}

/// Every type and property of the JSON-LD exists in schema.org's vocabulary, as `schema-dts` (npm, generated from
/// schema.org's data) defines it; checked by `tests/independent/check_schema_org.py`.
#[test]
fn the_json_ld_uses_only_schema_org_vocabulary() {
    let required = std::env::var_os("CI").is_some();
    let vocabulary = std::process::Command::new("npm")
        .args(["root", "-g"])
        .output()
        .ok()
        .map(|o| {
            std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()).join("schema-dts/dist/schema.d.ts")
        })
        .filter(|path| path.is_file());
    let Some(vocabulary) = vocabulary else {
        assert!(!required, "CI must have schema-dts: npm install -g schema-dts@2");
        guidekit_tests::skips::skip("schema-dts is not installed (npm install -g schema-dts@2)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("guidekit-json-ld-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut documents = Vec::new();
    for (name, guide) in
        [("aniracetam", guidekit_tests::read_json(&root().join("guides/aniracetam.json"))), ("rich", rich_guide())]
    {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, json_ld_of(&guide).to_string()).expect("write");
        documents.push(path);
    }
    let output = std::process::Command::new("python3")
        .arg(root().join("tests/independent/check_schema_org.py"))
        .arg(&vocabulary)
        .args(&documents)
        .output()
        .expect("python3 runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
