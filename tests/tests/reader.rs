//! What a reader gets, checked in headless Chromium (`tests/independent/reader_check.py`): at a phone's width
//! (390 px) nothing but a scroll container is wider than the screen and every figure is fully visible; printed
//! to PDF on Letter and A4, the guide takes fewer pages than the 10 it took before its print stylesheet, and no
//! page ends with a heading whose section starts on the next page.
//!
//! axe-core finds no WCAG 2.1 A or AA violation in the guide page or the index page.
//!
//! CI installs Chromium, poppler-utils (`pdftotext`) and axe-core (npm); elsewhere the test says it is
//! skipped, unless `CI` is set, where it must run.

use std::path::Path;
use std::process::Command;

use guidekit_render::{Format, IndexEntry, RenderOptions, Renderer};
use guidekit_tests::root;

fn tool(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success())
}

/// axe-core's script, from the global npm packages.
fn axe() -> Option<std::path::PathBuf> {
    let root = Command::new("npm").args(["root", "-g"]).output().ok()?;
    let path = Path::new(String::from_utf8_lossy(&root.stdout).trim()).join("axe-core/axe.min.js");
    path.is_file().then_some(path)
}

/// Runs `reader_check.py` on `page`, writing into `dir`; returns its facts.
fn check(page: &Path, dir: &Path, axe: &Path) -> serde_json::Value {
    let output = Command::new("python3")
        .arg(root().join("tests/independent/reader_check.py"))
        .arg("chromium")
        .arg(page)
        .arg(dir)
        .arg(axe)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "reader_check failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON facts")
}

#[test]
fn the_page_fits_a_phone_and_prints_well() {
    let required = std::env::var_os("CI").is_some();
    let axe = axe();
    let Some(axe) = axe.filter(|_| tool("chromium", "--version") && tool("pdftotext", "-v")) else {
        assert!(
            !required,
            "CI must have Chromium, poppler-utils and axe-core: apt-get install chromium poppler-utils; npm install -g axe-core"
        );
        guidekit_tests::skips::skip(
            "Chromium, pdftotext or axe-core is not installed (apt-get install chromium poppler-utils; npm install -g axe-core)",
        );
        return;
    };
    let bytes = std::fs::read(root().join("guides/aniracetam.json")).expect("bundled guide");
    let guide = guidekit_validate::validate(&bytes, "aniracetam.json").guide.expect("valid guide");
    let files =
        Renderer::new(RenderOptions::default()).expect("templates").render(&guide, &[Format::Html]).expect("renders");
    let dir = std::env::temp_dir().join(format!("guidekit-reader-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let page = dir.join("index.html");
    std::fs::write(&page, &files.iter().find(|f| f.path == Path::new("index.html")).expect("page").contents)
        .expect("write page");

    let facts = check(&page, &dir, &axe);
    assert_eq!(facts["axe"], serde_json::json!([]), "axe-core finds WCAG 2.1 AA violations in the guide page");

    // The phone.
    assert_eq!(facts["viewport"], 390, "{facts}");
    assert_eq!(facts["scroll_width"], 390, "no horizontal page scroll: {facts}");
    assert_eq!(facts["wide"], serde_json::json!([]), "nothing wider than the screen: {facts}");
    let figures = facts["figures"].as_array().expect("figures");
    assert_eq!(figures.len(), 3, "{facts}");
    for figure in figures {
        assert_eq!(figure["visible"], true, "every figure fully visible: {figure}");
        // Scaled to the width, a diagram must stay big enough to read: at least 80% of the screen wide.
        assert!(figure["width"].as_f64().unwrap_or(0.0) >= 300.0, "{figure}");
    }

    // Paper.
    let headings = [
        "Core Hypotheses of Aniracetam's Mechanism of Action",
        "Quantitative Data from Preclinical and Clinical Studies",
        "Experimental Protocols",
        "Visualizing the Hypothesized Mechanisms of Action",
        "Conclusion",
        "References",
        "How to cite",
        "Murine Model of Cognitive and Behavioral Assessment",
        "Clinical Trial in Patients with Cognitive Impairment",
    ];
    for paper in ["letter", "a4"] {
        let pdf = dir.join(format!("{paper}.pdf"));
        let text = Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-").output().expect("pdftotext runs");
        let text = String::from_utf8_lossy(&text.stdout);
        let pages: Vec<Vec<&str>> = text
            .split('\u{c}')
            .map(|page| page.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>())
            .filter(|lines| !lines.is_empty())
            .collect();
        assert!((2..10).contains(&pages.len()), "{paper}: {} pages (10 before the print stylesheet)", pages.len());
        for (number, lines) in pages.iter().enumerate() {
            let last = lines.last().copied().unwrap_or_default();
            assert!(
                !headings.contains(&last),
                "{paper}: page {} ends with the heading `{last}`, its section starts on the next page",
                number + 1
            );
            assert!(
                !lines.iter().all(|l| headings.contains(l)),
                "{paper}: page {} holds only headings: {lines:?}",
                number + 1
            );
        }
        // The notices reach paper too.
        assert!(text.contains("Amooracetal") && text.contains("Research Use Only"), "{paper}: {text}");
    }

    // The index page, and a control page with known violations (the check must be able to fail).
    let renderer = Renderer::new(RenderOptions::default()).expect("templates");
    let entry = IndexEntry {
        dir: "aniracetam".into(),
        title: guide.metadata.title.to_string(),
        compound: guide.compound.subject.name.to_string(),
        published: guide.metadata.published.to_string(),
    };
    let index = renderer.render_index(&[entry], &[Format::Html]).expect("index");
    let index_page = dir.join("site-index.html");
    std::fs::write(&index_page, &index[0].contents).expect("write index");
    let facts = check(&index_page, &dir.join("index"), &axe);
    assert_eq!(facts["axe"], serde_json::json!([]), "axe-core finds WCAG 2.1 AA violations in the index page");
    let control = dir.join("control.html");
    std::fs::write(
        &control,
        r#"<!DOCTYPE html><html><head><title>x</title></head><body><img src="data:,"></body></html>"#,
    )
    .expect("write control");
    let facts = check(&control, &dir.join("control"), &axe);
    let found: Vec<&str> = facts["axe"].as_array().into_iter().flatten().filter_map(|v| v["id"].as_str()).collect();
    assert!(found.contains(&"image-alt") && found.contains(&"html-has-lang"), "the control trips axe-core: {found:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
