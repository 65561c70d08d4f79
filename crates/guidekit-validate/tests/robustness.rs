//! Deterministic fuzz-like robustness checks: broken copies of a real guide (truncated, or with single
//! bytes replaced) and, when present on the machine, the JSONTestSuite corpus must never make the
//! validator panic, and every file that is not JSON must yield an error with a line and column.

use std::path::Path;

use guidekit_validate::{Report, Severity, validate};

const GUIDE: &[u8] = include_bytes!("../../../guides/aniracetam.json");

/// Whether `bytes` is JSON, judged independently of the validator.
fn is_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes).is_ok()
}

fn describe(report: &Report) -> String {
    report.diagnostics.iter().map(|d| format!("{} {:?} {}\n", d.code, d.span, d.message)).collect()
}

/// Validates a broken copy: no panic (the test would fail), an error when it is not JSON, and a span on
/// every diagnostic (the copy is below the size limit, so every finding can be located).
fn check(bytes: &[u8], what: &str) {
    let report = validate(bytes, what);
    if !is_json(bytes) {
        assert!(
            report.diagnostics.iter().any(|d| d.severity == Severity::Error && d.span.is_some()),
            "{what}: not JSON, but no located error:\n{}",
            describe(&report)
        );
    }
    for diagnostic in &report.diagnostics {
        assert!(diagnostic.span.is_some(), "{what}: diagnostic without a span: {diagnostic:?}");
    }
}

#[test]
fn the_guide_itself_is_valid() {
    let report = validate(GUIDE, "aniracetam.json");
    assert!(!report.has_errors(), "{}", describe(&report));
}

#[test]
fn truncated_copies() {
    let cuts = 200;
    for i in 0..cuts {
        let cut = GUIDE.len() * i / cuts;
        let prefix = &GUIDE[..cut];
        check(prefix, &format!("cut at {cut}"));
    }
}

#[test]
fn copies_with_one_byte_replaced() {
    let positions = 100;
    for i in 0..positions {
        // Evenly spaced from the first byte to the last.
        let at = (GUIDE.len() - 1) * i / (positions - 1);
        for byte in [b'"', b'{', b']', b'\\', b',', 0xFF] {
            let mut copy = GUIDE.to_vec();
            copy[at] = byte;
            check(&copy, &format!("byte {byte:#04x} at {at}"));
        }
    }
}

/// <https://github.com/nst/JSONTestSuite> `test_parsing` files, if a copy is on this machine.
#[test]
fn json_test_suite() {
    let dir = Path::new("/work/shared/corpora/json-test-suite");
    let Ok(entries) = std::fs::read_dir(dir) else {
        guidekit_tests::skips::skip(format!("{} is not present", dir.display()));
        return;
    };
    let mut checked = 0;
    for entry in entries {
        let path = entry.expect("readable corpus directory").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
        if !name.ends_with(".json") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("readable corpus file");
        let report = validate(&bytes, &name);
        if name.starts_with("n_") {
            assert!(report.has_errors(), "{name}: not JSON, but no error");
        } else if name.starts_with("y_") {
            let syntax: Vec<_> = report.diagnostics.iter().filter(|d| matches!(d.code, "GK001" | "GK003")).collect();
            assert!(syntax.is_empty(), "{name}: valid JSON reported as invalid: {syntax:?}");
        }
        checked += 1;
    }
    assert!(checked > 0, "no .json files in {}", dir.display());
}
