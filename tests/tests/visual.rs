//! Visual regression: the Aniracetam page in headless Chromium at 1280 and 390 px wide (the first screen of
//! each) against baseline images in `tests/fixtures/visual/`, within the tolerance that
//! `tests/independent/visual_check.py` documents. A layout change that is meant is accepted by rewriting the
//! baselines: `GUIDEKIT_UPDATE_BASELINES=1 cargo test -p guidekit-tests --test visual` (and, for the PDF's
//! first page, `cargo test -p guidekit-pdf --features pdf`), then looking at the new images before committing.
//! Without Chromium the test says it is skipped, unless `CI` is set, where it must run.

use std::process::Command;

use guidekit_render::{Format, RenderOptions, Renderer};
use guidekit_tests::root;

#[test]
fn aniracetam_page_looks_as_it_did() {
    if Command::new("chromium").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have Chromium: apt-get install chromium");
        guidekit_tests::skips::skip("Chromium is not installed (apt-get install chromium)");
        return;
    }
    let bytes = std::fs::read(root().join("guides/aniracetam.json")).expect("bundled guide");
    let guide = serde_json::from_slice(&bytes).expect("a guide");
    let files =
        Renderer::new(RenderOptions::default()).expect("templates").render(&guide, &[Format::Html]).expect("renders");
    let dir = std::env::temp_dir().join(format!("guidekit-visual-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let page = dir.join("index.html");
    std::fs::write(&page, &files[0].contents).expect("write page");
    let script = root().join("tests/independent/visual_check.py");
    let shoot = Command::new("python3")
        .arg(&script)
        .args(["shoot", "chromium"])
        .arg(&page)
        .arg(&dir)
        .args(["1280x900", "390x844"])
        .output()
        .expect("python3 runs");
    assert!(shoot.status.success(), "{}", String::from_utf8_lossy(&shoot.stderr));
    let compare = Command::new("python3")
        .arg(&script)
        .arg("compare")
        .arg(root().join("tests/fixtures/visual"))
        .arg(&dir)
        .args(["page-1280.png", "page-390.png"])
        .output()
        .expect("python3 runs");
    assert!(compare.status.success(), "{}", String::from_utf8_lossy(&compare.stderr));
    let report = String::from_utf8_lossy(&compare.stdout);
    eprintln!("{report}");
    assert_eq!(report.matches("\"ok\": true").count(), 2, "the page differs from its baselines: {report}");
    let _ = std::fs::remove_dir_all(&dir);
}
