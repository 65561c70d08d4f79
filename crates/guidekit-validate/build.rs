//! Lists the rules from the files of `src/rules/`, so that adding a domain rule is adding one file.
//!
//! Writes `$OUT_DIR/rules.rs`: a `mod` for each rule file (every `.rs` file there but `mod.rs` and
//! `stages.rs`, each defining `pub(crate) const RULE: Rule`), and `CATALOG`, every code in code order: the
//! parse and schema codes declared in `stages.rs`, then the domain rules. A file whose rule has no code, or
//! two rules with one code, stop the build with a message.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("src/rules");
    println!("cargo::rerun-if-changed=src/rules");
    let mut entries: Vec<(String, String)> = Vec::new(); // (code, path expression)
    let mut modules = String::new();

    let stages = std::fs::read_to_string(dir.join("stages.rs")).expect("src/rules/stages.rs");
    let mut rest = stages.as_str();
    while let Some(at) = rest.find("pub(crate) const ") {
        rest = &rest[at + "pub(crate) const ".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let code = code_after(rest).unwrap_or_else(|| panic!("stages.rs: `{name}` has no `code: \"GK...\"`"));
        entries.push((code, format!("stages::{name}")));
    }

    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("src/rules")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .filter(|path| !matches!(path.file_stem().and_then(|s| s.to_str()), Some("mod" | "stages")))
        .collect();
    files.sort();
    for path in files {
        let module = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name").to_owned();
        let text = std::fs::read_to_string(&path).expect("a readable rule file");
        let definition = text
            .find("const RULE: Rule")
            .unwrap_or_else(|| panic!("src/rules/{module}.rs defines no `pub(crate) const RULE: Rule`"));
        let code = code_after(&text[definition..])
            .unwrap_or_else(|| panic!("src/rules/{module}.rs: its RULE has no `code: \"GK...\"`"));
        let _ = writeln!(modules, "#[path = {:?}]\nmod {module};", path.display().to_string());
        entries.push((code, format!("{module}::RULE")));
    }
    entries.sort();
    for pair in entries.windows(2) {
        assert!(pair[0].0 != pair[1].0, "{} and {} both have the code {}", pair[0].1, pair[1].1, pair[0].0);
    }

    let mut out = modules;
    out.push_str("\n/// Every code guidekit reports, in code order.\npub const CATALOG: &[&Rule] = &[\n");
    for (_, path) in &entries {
        let _ = writeln!(out, "    &{path},");
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("set by cargo")).join("rules.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}

/// The code in the first `code: "GK..."` of `text`.
fn code_after(text: &str) -> Option<String> {
    let at = text.find("code: \"")? + "code: \"".len();
    let code: String = text[at..].chars().take_while(|c| *c != '"').collect();
    code.starts_with("GK").then_some(code)
}
