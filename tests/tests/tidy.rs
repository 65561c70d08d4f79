//! House rules, checked over the whole source tree: every Rust file opens with a `//!` comment that says what
//! it is for, and no debugging leftovers (the `dbg`, `todo` and `unimplemented` macros, ignored tests) are committed.

use std::path::{Path, PathBuf};

use guidekit_tests::root;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source tree") {
        let path = entry.expect("entry").path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_dir() && !matches!(name.as_str(), "target" | "fixtures" | "snapshots") && !name.starts_with('.') {
            rust_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_follows_the_house_rules() {
    let mut files = Vec::new();
    for dir in ["crates", "xtask", "tests", "fuzz"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 20, "found only {} Rust files", files.len());
    // Written in pieces so that this file does not trip its own check.
    let banned = [concat!("dbg", "!("), concat!("todo", "!("), concat!("unimplemented", "!("), concat!("#[", "ignore")];
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("UTF-8 source");
        let name = file.strip_prefix(root()).unwrap_or(file).display().to_string();
        if !text.starts_with("//!") {
            problems.push(format!("{name}: does not start with a `//!` comment"));
        }
        for word in banned {
            if text.contains(word) {
                problems.push(format!("{name}: contains `{word}`"));
            }
        }
        // A test that skips says so through `guidekit_tests::skips::skip`, so that `cargo xtask ci` lists it.
        let skipped_by_hand = concat!("eprintln!(\"", "skipped");
        if name != "tests/src/lib.rs" && text.contains(skipped_by_hand) {
            problems.push(format!("{name}: reports a skip with eprintln! instead of guidekit_tests::skips::skip"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
