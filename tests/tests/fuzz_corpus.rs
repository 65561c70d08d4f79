//! Replays the fuzz corpora on stable Rust: every committed input of each cargo-fuzz target
//! (`fuzz/corpus/<target>/`, the crash inputs kept as regressions in `fuzz/artifacts/<target>/`, and the
//! seeds the fuzzers start from) goes through the same function the fuzz target calls, from `fuzz/src/lib.rs`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use guidekit_tests::{name, root};

#[path = "../../fuzz/src/lib.rs"]
mod targets;

/// Every file under `dir` (relative to the workspace root), recursively, sorted; none when it is absent.
fn files(dir: &str, out: &mut Vec<PathBuf>) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                out.push(path);
            }
        }
    }
    let start = out.len();
    walk(&root().join(dir), out);
    out[start..].sort();
}

/// Runs `body` over the target's corpus, its kept crashes and `seeds`; fails naming every input that panics.
fn check(target: &str, body: fn(&[u8]), seeds: &[&str]) {
    let mut inputs = Vec::new();
    files(&format!("fuzz/corpus/{target}"), &mut inputs);
    let corpus = inputs.len();
    files(&format!("fuzz/artifacts/{target}"), &mut inputs);
    for dir in seeds {
        files(dir, &mut inputs);
    }
    assert!(corpus > 0, "fuzz/corpus/{target} is empty");
    let mut failures = Vec::new();
    for path in &inputs {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| body(&bytes))) {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            failures.push(format!("{}: {message}", name(path)));
        }
    }
    println!("{target}: replayed {} inputs ({corpus} from its corpus)", inputs.len());
    assert!(
        failures.is_empty(),
        "{target}: {} of {} inputs fail:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

/// The guides and fixtures the guide-reading targets are seeded with (the fuzz runs pass the same folders).
const GUIDE_SEEDS: &[&str] = &["guides", "tests/fixtures/schema", "crates/guidekit-validate/tests/fixtures"];

#[test]
fn parse_validate() {
    check("parse_validate", targets::parse_validate, GUIDE_SEEDS);
}

#[test]
fn report() {
    check("report", targets::report, GUIDE_SEEDS);
}

#[test]
fn render() {
    check("render", targets::render, GUIDE_SEEDS);
}

#[test]
fn render_text() {
    check("render_text", targets::render_text, &[]);
}

#[test]
fn dot_svg() {
    check("dot_svg", targets::dot_svg, &[]);
}
