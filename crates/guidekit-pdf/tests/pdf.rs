//! The `pdf` feature: Typst escaping round-trips arbitrary text when compiled, and the Aniracetam PDF holds
//! every fact of the seed, numbered references, embedded fonts, the paper asked for, its metadata, and a
//! first page that looks as it did (a baseline image, within a tolerance).
//!
//! Needs poppler-utils (`pdftotext`, `pdffonts`, `pdfinfo`, `pdftoppm`); without them the PDF checks say they
//! are skipped, unless `CI` is set, where they must run. Run with `cargo test -p guidekit-pdf --features pdf`.
#![cfg(feature = "pdf")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use guidekit_model::Guide;
use guidekit_pdf::{Paper, escape, pdf, typst};
use guidekit_render::{RenderOptions, Renderer};
use guidekit_tests::{SEED_FACTS, root};

fn guide() -> Guide {
    let text = std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("the guide is bundled");
    serde_json::from_str(&text).expect("the guide reads into the model")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-pdf-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn poppler() -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    assert!(found || std::env::var_os("CI").is_none(), "CI must have poppler-utils: apt-get install poppler-utils");
    if !found {
        guidekit_tests::skips::skip("poppler-utils is not installed (apt-get install poppler-utils)");
    }
    found
}

fn run(program: &str, args: &[&str], file: &Path) -> String {
    let output = Command::new(program).args(args).arg(file).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(output.status.success(), "{program}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn pdftotext(file: &Path) -> String {
    let output = Command::new("pdftotext").arg(file).arg("-").output().expect("pdftotext runs");
    assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Text with every Typst special character, shorthands, digits before dots, quotes, control characters and
/// non-ASCII, in deterministic pseudo-random strings: each, escaped into markup, reads back as the same text
/// when compiled (a Typst function collects the content's plain text and compares it with a string literal).
#[test]
fn escaped_text_round_trips_through_typst() {
    const POOL: &[&str] = &[
        "#", "$", "*", "_", "@", "<", ">", "[", "]", "\\", "`", "~", "'", "\"", "-", "--", "---", "-?", "/", "//",
        "/*", "*/", "=", "+", ":", ".", "...", "1.", "(", ")", "{", "}", "%", "&", "a", "Z", "é", "β", "±", "😀",
        "\u{7}", "http://x", "u{41}", "\\u{41}", ";", ",", "0", "9", "#let", "#import", "@preview", "<l>", "x", "a b",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut cases = Vec::new();
    for _ in 0..400 {
        let len = 1 + next() % 12;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(POOL[(next() % POOL.len() as u64) as usize]);
        }
        cases.push(text);
    }
    cases.extend(POOL.iter().map(|s| (*s).to_owned()));
    let mut source = String::from(
        "#set document(title: \"escaping\", date: datetime(year: 2025, month: 1, day: 1))\n\
         #let plain(c) = if c.has(\"text\") { c.text } else if c.has(\"children\") { \
         c.children.map(plain).join() } else if c == [ ] { \" \" } else { \"\" }\n",
    );
    for text in &cases {
        source.push_str(&format!(
            "#assert.eq(plain[{}], {}, message: {})\n",
            escape::markup(text),
            escape::string(text),
            escape::string(&format!("{text:?}"))
        ));
    }
    pdf(&source).unwrap_or_else(|e| panic!("{e}"));
}

/// Guide text that is Typst code (a file read, a package import) compiles as text: no file is read, no
/// package is fetched, and the text is in the PDF.
#[test]
fn guide_text_is_never_run() {
    let attack = "#read(\"/etc/passwd\") #import \"@preview/x:0.1.0\": * $x$";
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("guide"))
            .expect("JSON");
    json["metadata"]["title"] = attack.into();
    json["conclusion"]["text"] = format!("*{attack}* `{attack}`").into();
    let guide: Guide = serde_json::from_value(json).expect("still a guide");
    let renderer = Renderer::new(RenderOptions::default()).expect("templates");
    let bytes = pdf(&typst(&renderer, &guide, Paper::A4).expect("source")).unwrap_or_else(|e| panic!("{e}"));
    if !poppler() {
        return;
    }
    let dir = temp_dir("attack");
    let file = dir.join("guide.pdf");
    std::fs::write(&file, bytes).expect("write");
    let text = pdftotext(&file);
    assert!(text.contains("#read"), "{text}");
    assert!(!text.contains("root:"), "a file was read: {text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The PDF holds every fact the Markdown and HTML pages hold, references [1]–[9], every font embedded, the
/// paper asked for, title, author and language, tagged structure, and PDF/A.
#[test]
fn aniracetam_pdf_holds_the_seed() {
    let guide = guide();
    let renderer = Renderer::new(RenderOptions::default()).expect("templates");
    let mut timings = Vec::new();
    let mut files = Vec::new();
    let dir = temp_dir("aniracetam");
    for (paper, name) in [(Paper::A4, "a4"), (Paper::Letter, "letter")] {
        let started = Instant::now();
        let source = typst(&renderer, &guide, paper).expect("source");
        let bytes = pdf(&source).unwrap_or_else(|e| panic!("{e}"));
        timings.push(started.elapsed());
        assert!(bytes.starts_with(b"%PDF-"));
        let again = pdf(&source).expect("compiles again");
        assert_eq!(bytes, again, "the same guide gives the same bytes");
        let file = dir.join(format!("{name}.pdf"));
        std::fs::write(&file, &bytes).expect("write");
        files.push((name, file));
    }
    eprintln!("typst source + PDF per guide: {timings:?} (this build's profile)");
    if !poppler() {
        return;
    }
    for (name, file) in &files {
        let text = pdftotext(file).split_whitespace().collect::<Vec<_>>().join(" ");
        for fact in SEED_FACTS {
            let fact = fact.replace("&#x27;", "'");
            assert!(text.contains(&fact), "{name}: the PDF lacks {fact:?}");
        }
        let references = &text[text.rfind("References").expect("a reference list")..];
        let mut at = 0;
        for n in 1..=9 {
            let mark = format!("[{n}]");
            at += references[at..].find(&mark).unwrap_or_else(|| panic!("{name}: no reference {mark}"));
        }
        assert!(!references.contains("[10]"));

        let fonts = run("pdffonts", &[], file);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{fonts}");
        for row in &rows {
            let columns: Vec<&str> = row.split_whitespace().collect();
            // name type [encoding] emb sub uni object ID: `emb` is the fifth column from the end.
            assert_eq!(columns[columns.len() - 5], "yes", "{name}: a font is not embedded: {row}");
        }

        let info = run("pdfinfo", &[], file);
        let size = if *name == "a4" { "595.276 x 841.89 pts (A4)" } else { "612 x 792 pts (letter)" };
        assert!(info.contains(size), "{name}: {info}");
        assert!(info.contains("Title:           The Hypothesized Mechanism of Action of Aniracetam"), "{info}");
        assert!(info.contains("Author:          BenchChem Technical Support Team"), "{info}");
        assert!(info.contains("Tagged:          yes"), "{name}: no tagged structure: {info}");
        let meta = run("pdfinfo", &["-meta"], file);
        assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{name}: not PDF/A-2: {meta}");
        assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{name}: not PDF/UA-1: {meta}");
        assert!(meta.contains("xml:lang=\"en\"") || meta.contains(">en<"), "{name}: no language: {meta}");
    }

    // Page 1 against its baseline (tests/fixtures/visual/pdf-page-1.png; GUIDEKIT_UPDATE_BASELINES=1
    // rewrites it), within the tolerance documented in tests/independent/visual_check.py.
    let a4 = &files[0].1;
    let out = dir.join("shots");
    std::fs::create_dir_all(&out).expect("dir");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(a4)
        .arg(out.join("pdf-page-1"))
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    let compare = Command::new("python3")
        .arg(root().join("tests/independent/visual_check.py"))
        .arg("compare")
        .arg(root().join("tests/fixtures/visual"))
        .arg(&out)
        .arg("pdf-page-1.png")
        .output()
        .expect("python3 runs");
    let report = String::from_utf8_lossy(&compare.stdout);
    assert!(compare.status.success(), "{}", String::from_utf8_lossy(&compare.stderr));
    assert!(report.contains("\"ok\": true"), "PDF page 1 differs from its baseline: {report}");
    let _ = std::fs::remove_dir_all(&dir);
}
