//! `guidekit cite`, run for real: its BibTeX, RIS and CSL-JSON read by independent parsers (bibtexparser 1.x
//! and rispy from PyPI, the official CSL-JSON schema with Python's `jsonschema`, through
//! `tests/independent/check_cite.py`), its text in the four citation styles (snapshots), and `build --style`.
//! CI installs the Python packages; elsewhere the parser test says it is skipped, unless `CI` is set.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn guidekit(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guidekit")).args(args).current_dir(dir).output().expect("runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-cite-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn aniracetam() -> String {
    std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("bundled guide")
}

/// The Aniracetam guide with one more reference that has every field the writers handle and BibTeX's and
/// RIS's special characters in its values.
fn hostile() -> String {
    let extra = r#"{
      "id": "hostile_1.x",
      "type": "article-journal",
      "title": "{Braces} \\ back #1 $2 50% R&D x_y ^ ~ @misc{ } ER  - TY  - \"q\" <b>β</b>",
      "author": [{"family": "O'Brien", "given": "Ann-Marie", "non-dropping-particle": "de"},
                 {"literal": "R&D {Team} % #"}],
      "container-title": "J. {Odd} & Co_",
      "issued": {"date-parts": [[2020, 2, 3]]},
      "volume": "1", "issue": "2", "page": "10-20",
      "DOI": "10.1000/a_b%c#d{e}", "PMID": "123", "PMCID": "PMC456",
      "URL": "https://example.org/a?b=1&c=%20#x"
    },"#;
    let guide = aniracetam();
    let at = guide.find("\"references\": [").expect("references") + "\"references\": [".len();
    format!("{}{extra}{}", &guide[..at], &guide[at..])
}

fn cite(guide: &Path, args: &[&str]) -> String {
    let mut all = vec!["cite", guide.to_str().expect("utf-8")];
    all.extend(args);
    let output = guidekit(&all, &root());
    assert!(output.status.success(), "cite {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8")
}

/// BibTeX, RIS and CSL-JSON of the Aniracetam guide, and of a guide with hostile values, parse in
/// bibtexparser and rispy and validate against the CSL-JSON schema, holding the same items, titles and DOIs.
#[test]
fn exports_parse_in_independent_parsers() {
    let required = std::env::var_os("CI").is_some();
    let dir = temp_dir("parsers");
    std::fs::write(dir.join("aniracetam.json"), aniracetam()).expect("write");
    std::fs::write(dir.join("hostile.json"), hostile()).expect("write");
    for name in ["aniracetam", "hostile"] {
        let guide = dir.join(format!("{name}.json"));
        let files = [("csl-json", "csl.json"), ("bibtex", "bib"), ("ris", "ris")].map(|(format, ext)| {
            let path = dir.join(format!("{name}.{ext}"));
            std::fs::write(&path, cite(&guide, &["--format", format])).expect("write");
            path
        });
        let output = Command::new("python3")
            .arg(root().join("tests/independent/check_cite.py"))
            .arg(root().join("tests/fixtures/csl/csl-data.json"))
            .args(&files)
            .output()
            .expect("python3 runs");
        let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        match output.status.code() {
            Some(3) => {
                assert!(!required, "CI must have the parsers: {said}");
                guidekit_tests::skips::skip(said.trim());
                return;
            }
            _ => assert!(output.status.success(), "{name}: {said}"),
        }
        eprintln!("{name}: {}", said.trim());
    }
}

/// The identifiers are carried into every format; the guide's own citation comes first.
#[test]
fn exports_carry_identifiers_and_the_guide_itself() {
    let dir = temp_dir("ids");
    let guide = dir.join("hostile.json");
    std::fs::write(&guide, hostile()).expect("write");
    let csl: serde_json::Value = serde_json::from_str(&cite(&guide, &["--format", "csl-json"])).expect("JSON");
    assert_eq!(csl[0]["id"], "benchchem2025");
    assert_eq!(csl[0]["type"], "report");
    assert_eq!(csl[0]["title"], "The Hypothesized Mechanism of Action of Aniracetam: A Technical Guide");
    assert_eq!(csl[0]["author"][0]["literal"], "BenchChem Technical Support Team");
    assert_eq!(csl[0]["issued"]["date-parts"][0], serde_json::json!([2025, 12]));
    let hostile = csl.as_array().expect("array").iter().find(|i| i["id"] == "hostile_1.x").expect("item");
    assert_eq!(hostile["PMID"], "123");
    let bib = cite(&guide, &["--format", "bibtex"]);
    assert!(bib.contains("pmid = {123}") && bib.contains("pmcid = {PMC456}"), "{bib}");
    let ris = cite(&guide, &["--format", "ris"]);
    assert!(ris.contains("AN  - PMID: 123\r\n") && ris.contains("C2  - PMC456\r\n"), "{ris}");
    let text = cite(&guide, &[]);
    assert!(text.contains("PMID: 123. PMCID: PMC456."), "{text}");
}

/// The text output in each of the four styles, for review: a change shows up as a snapshot change.
#[test]
fn four_styles_render_the_aniracetam_references() {
    let guide = root().join("guides/aniracetam.json");
    for style in ["vancouver", "apa", "nature", "chicago-author-date"] {
        let text = cite(&guide, &["--style", style]);
        assert!(text.starts_with(&format!("Cite this guide ({style}):\n")), "{text}");
        // Nine references, each numbered and each with its title.
        assert!(text.contains("\n9. ") && !text.contains("\n10. "), "{style}: {text}");
        assert!(text.to_lowercase().contains("what is the mechanism of aniracetam?"), "{style}: {text}");
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("cite-{style}"), text);
        });
    }
}

/// `build --style` changes the reference list of both pages; the guide's `citation_style` is the default.
#[test]
fn build_style_changes_the_reference_list() {
    let dir = temp_dir("build");
    let mut guide: serde_json::Value = serde_json::from_str(&aniracetam()).expect("JSON");
    guide["citation_style"] = "nature".into();
    std::fs::write(dir.join("nature.json"), serde_json::to_string_pretty(&guide).expect("JSON")).expect("write");
    std::fs::write(dir.join("aniracetam.json"), aniracetam()).expect("write");
    let page = |out: &str, name: &str, file: &str| {
        std::fs::read_to_string(dir.join(out).join(name).join(file)).expect("built page")
    };
    let output = guidekit(&["build", "--out", "site", "aniracetam.json", "nature.json"], &dir);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // Vancouver: "Title. Container." ; Nature: the container in italics.
    assert!(page("site", "aniracetam", "index.html").contains("Mice. PLOS One."));
    assert!(page("site", "nature", "index.html").contains("<i>PLOS One</i>"));
    assert!(page("site", "nature", "index.md").contains("*PLOS One*"));
    let output = guidekit(&["build", "--style", "apa", "--out", "site", "aniracetam.json"], &dir);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let html = page("site", "aniracetam", "index.html");
    assert!(html.contains("<i>PLOS One</i>"), "the settings changed, so the guide was rebuilt in APA");
}
