//! `build --format typst` and `--format pdf`, run for real: Typst source in every build; PDF from typst
//! (feature `pdf`) or from Chromium (`--pdf-engine chromium`); without either, an error naming both ways.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn guidekit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guidekit")).args(args).current_dir(root()).output().expect("runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-cli-pdf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

fn check_built(output: &Output) {
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn typst_source_needs_no_feature() {
    let out = temp_dir("typst");
    let output =
        guidekit(&["build", "guides", "--format", "typst,html", "--paper", "letter", "--out", out.to_str().unwrap()]);
    check_built(&output);
    let source = std::fs::read_to_string(out.join("aniracetam/guide.typ")).expect("guide.typ");
    assert!(source.starts_with("#set document(title: "), "{}", &source[..200]);
    assert!(source.contains("#set page(paper: \"us-letter\""));
    assert!(out.join("aniracetam/index.html").is_file());
    let _ = std::fs::remove_dir_all(&out);
}

/// Without the feature, `--format pdf` fails before building anything and says how to get PDF.
#[cfg(not(feature = "pdf"))]
#[test]
fn pdf_without_the_feature_says_how_to_get_it() {
    let out = temp_dir("no-feature");
    let output = guidekit(&["build", "guides", "--format", "pdf", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cargo install guidekit-cli --features pdf"), "{stderr}");
    assert!(stderr.contains("--pdf-engine chromium"), "{stderr}");
    assert!(!out.join("aniracetam").exists(), "nothing is built");
    let _ = std::fs::remove_dir_all(&out);
}

/// With the feature, `guidekit build guides --format pdf` writes `aniracetam/guide.pdf` on the paper asked.
#[cfg(feature = "pdf")]
#[test]
fn pdf_with_typst() {
    for (paper, size) in [("a4", "(A4)"), ("letter", "(letter)")] {
        let out = temp_dir(&format!("typst-{paper}"));
        let started = std::time::Instant::now();
        let output =
            guidekit(&["build", "guides", "--format", "pdf", "--paper", paper, "--out", out.to_str().unwrap()]);
        eprintln!("guidekit build guides --format pdf --paper {paper}: {:?}", started.elapsed());
        check_built(&output);
        let pdf = out.join("aniracetam/guide.pdf");
        let bytes = std::fs::read(&pdf).expect("guide.pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        if tool("pdfinfo") {
            let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
            let info = String::from_utf8_lossy(&info.stdout);
            assert!(info.contains(size), "{info}");
        }
        let _ = std::fs::remove_dir_all(&out);
    }
}

/// `--pdf-engine chromium` prints the HTML page with the Chromium on PATH, on the paper asked; without
/// Chromium the test says it is skipped, unless `CI` is set.
#[test]
fn pdf_with_chromium() {
    let chromium = Command::new("chromium").arg("--version").output().is_ok();
    if !chromium || !tool("pdftotext") {
        assert!(std::env::var_os("CI").is_none(), "CI must have Chromium and poppler-utils");
        guidekit_tests::skips::skip("Chromium or poppler-utils is not installed");
        return;
    }
    let out = temp_dir("chromium");
    let output = guidekit(&[
        "build",
        "guides",
        "--format",
        "pdf",
        "--pdf-engine",
        "chromium",
        "--paper",
        "a4",
        "--out",
        out.to_str().unwrap(),
    ]);
    check_built(&output);
    let pdf = out.join("aniracetam/guide.pdf");
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext");
    assert!(String::from_utf8_lossy(&text.stdout).contains("Amooracetal"));
    let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
    assert!(String::from_utf8_lossy(&info.stdout).contains("(A4)"), "{}", String::from_utf8_lossy(&info.stdout));
    assert!(!out.join("aniracetam/index.html").exists(), "only the formats asked for are written");
    let _ = std::fs::remove_dir_all(&out);
}
