//! The `sarif` example, run for real: the ten-line program that depends only on the facade prints the same
//! SARIF log as the library's writer (and so as `guidekit validate --format sarif`).

use std::path::Path;
use std::process::Command;

#[test]
fn the_sarif_example_prints_a_sarif_log() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // `cargo test` builds the examples beside the test binaries: target/<profile>/examples.
    let exe = std::env::current_exe().expect("test binary path");
    let example = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .join("examples")
        .join(format!("sarif{}", std::env::consts::EXE_SUFFIX));
    assert!(example.is_file(), "{} is not built: run `cargo test -p guidekit` (it builds examples)", example.display());
    let output = Command::new(&example).arg("guides/aniracetam.json").current_dir(&root).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "GK103"), "the bundled guide's one warning: {results:?}");
    let bytes = std::fs::read(root.join("guides/aniracetam.json")).expect("bundled guide");
    let report = guidekit::validate::validate(&bytes, "guides/aniracetam.json");
    assert_eq!(log, guidekit::validate::output::sarif([&report]));

    let broken = std::env::temp_dir().join(format!("guidekit-example-{}.json", std::process::id()));
    std::fs::write(&broken, b"\xe9").expect("write");
    let output = Command::new(&example).arg(&broken).output().expect("runs");
    assert_eq!(output.status.code(), Some(1), "an invalid guide fails");
    let _ = std::fs::remove_file(&broken);
}
