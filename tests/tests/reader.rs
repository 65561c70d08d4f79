//! What a reader gets, checked in headless Chromium (`tests/independent/reader_check.py`): at a phone's width
//! (390 px) nothing but a scroll container is wider than the screen and every figure is fully visible; printed
//! to PDF on Letter and A4, the guide takes fewer pages than the 10 it took before its print stylesheet, and no
//! page ends with a heading whose section starts on the next page.
//!
//! CI installs Chromium and poppler-utils (`pdftotext`); elsewhere the test says it is skipped, unless `CI` is
//! set, where it must run.

use std::path::Path;
use std::process::Command;

use guidekit_render::{Format, RenderOptions, Renderer};
use guidekit_tests::root;

fn tool(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success())
}

#[test]
fn the_page_fits_a_phone_and_prints_well() {
    let required = std::env::var_os("CI").is_some();
    if !tool("chromium", "--version") || !tool("pdftotext", "-v") {
        assert!(!required, "CI must have Chromium and poppler-utils: apt-get install chromium poppler-utils");
        eprintln!("skipped: Chromium or pdftotext is not installed (apt-get install chromium poppler-utils)");
        return;
    }
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

    let output = Command::new("python3")
        .arg(root().join("tests/independent/reader_check.py"))
        .arg("chromium")
        .arg(&page)
        .arg(&dir)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "reader_check failed: {}", String::from_utf8_lossy(&output.stderr));
    let facts: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON facts");

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
    let _ = std::fs::remove_dir_all(&dir);
}
