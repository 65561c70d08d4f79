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
    assert!(!html.contains("<script"), "no script in a page");
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
