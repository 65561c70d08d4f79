//! The parse and schema stages, where the broken bytes are the point: one folder per code,
//! `tests/fixtures/<CODE>-<rule-name>/` holds `fail.json` (or `fail.bin` for encoding cases), a small guide
//! that triggers exactly that code, and `pass.json`, the same guide with the problem fixed. (Domain rules are
//! tested in `rules.rs`, as patches of the bundled guide.) Each `fail` file's diagnostics are snapshotted
//! compactly (code, severity, line:column, pointer, message, hints) so that a change in wording or
//! position shows up in review.

use std::{
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
};

use guidekit_validate::{
    Config, Diagnostic, Limits,
    rules::{CATALOG, Stage},
    validate_with,
};

/// Codes no file can trigger, with the reason. Every other parse and schema code must have a fixture.
const UNTRIGGERABLE: &[(&str, &str)] = &[
    // Concerns the path, not the bytes (a FIFO, a device, a refused read): the CLI's tests trigger it.
    ("GK006", "reported by the caller that reads files; see crates/guidekit-cli/tests/hardening.rs"),
    // The catch-all for schema constraints without a more specific code; the generated schema uses no
    // constraint that falls through to it.
    ("GK019", "every constraint of the schema maps to a more specific code"),
    // Means the schema and the model disagree, a bug in guidekit that a well-formed schema rules out.
    ("GK020", "the schema is generated from the model, so a guide cannot pass one and fail the other"),
];

/// Codes whose findings concern the file as a whole and are reported before its bytes are read as text,
/// so there is no line and column to give.
const DOCUMENT_LEVEL: &[&str] = &["GK004"];

/// The configuration every fixture is validated with: a fixed "today" so that GK171 (future date) can be
/// triggered, and a 16 KiB size limit so that GK004 (file too large) needs no 8 MiB fixture.
fn config() -> Config {
    let mut config = Config::default();
    config.today = Some((2026, 1, 1));
    config.limits = Limits { max_bytes: 16 * 1024, ..Limits::default() };
    config
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture folder, sorted, with the code its name starts with.
fn folders() -> Vec<(String, String, PathBuf)> {
    let mut found: Vec<(String, String, PathBuf)> = fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("readable fixtures directory").path())
        .filter(|path| path.is_dir())
        .map(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 folder name").to_owned();
            let code = name.split('-').next().unwrap_or_default().to_owned();
            (name, code, path)
        })
        .collect();
    found.sort();
    found
}

fn fail_file(folder: &Path) -> PathBuf {
    let json = folder.join("fail.json");
    if json.exists() { json } else { folder.join("fail.bin") }
}

fn show(diagnostic: &Diagnostic) -> String {
    let position = diagnostic.span.map_or_else(|| "-:-".to_owned(), |s| format!("{}:{}", s.line, s.column));
    let pointer = if diagnostic.pointer.is_empty() { "(root)" } else { diagnostic.pointer.as_str() };
    let mut text =
        format!("{} {} {position} {pointer}: {}\n", diagnostic.code, diagnostic.severity.as_str(), diagnostic.message);
    for hint in &diagnostic.hints {
        let _ = writeln!(text, "  hint: {hint}");
    }
    for related in &diagnostic.related {
        let position = related.span.map_or_else(|| "-:-".to_owned(), |s| format!("{}:{}", s.line, s.column));
        let _ = writeln!(text, "  related: {position} {}: {}", related.pointer, related.message);
    }
    text
}

#[test]
fn every_fixture_triggers_its_code_and_only_there() {
    let folders = folders();
    assert!(!folders.is_empty(), "no fixture folders found");
    let config = config();
    for (name, code, folder) in &folders {
        let rule = CATALOG
            .iter()
            .find(|r| r.code == code && r.stage != Stage::Domain)
            .unwrap_or_else(|| panic!("{name}: unknown code {code}"));
        assert_eq!(*name, format!("{}-{}", rule.code, rule.name), "folder is named `<CODE>-<rule-name>`");

        let fail_path = fail_file(folder);
        let bytes = fs::read(&fail_path).unwrap_or_else(|e| panic!("{}: {e}", fail_path.display()));
        let report = validate_with(&bytes, name, &config);
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&code.as_str()), "{name}: fail file should trigger {code}, got {codes:?}");
        assert!(codes.iter().all(|c| c == code), "{name}: fail file should trigger only {code}, got {codes:?}");
        for diagnostic in &report.diagnostics {
            assert!(
                diagnostic.span.is_some() || DOCUMENT_LEVEL.contains(&diagnostic.code),
                "{name}: diagnostic has no span: {diagnostic:?}"
            );
            assert_eq!(diagnostic.severity, rule.severity, "{name}: default severity");
        }

        let rendered: String = report.diagnostics.iter().map(show).collect();
        insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name.as_str(), rendered);
        });

        let pass_path = folder.join("pass.json");
        let bytes = fs::read(&pass_path).unwrap_or_else(|e| panic!("{}: {e}", pass_path.display()));
        let report = validate_with(&bytes, name, &config);
        let rendered: String = report.diagnostics.iter().map(show).collect();
        assert!(report.diagnostics.is_empty(), "{name}: pass.json should be clean, got:\n{rendered}");
    }
}

#[test]
fn every_triggerable_code_has_a_fixture() {
    let folders = folders();
    let missing: Vec<&str> = CATALOG
        .iter()
        .filter(|r| r.stage != Stage::Domain)
        .map(|r| r.code)
        .filter(|code| !UNTRIGGERABLE.iter().any(|(c, _)| c == code))
        .filter(|code| !folders.iter().any(|(_, c, _)| c == code))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture folder in tests/fixtures: {missing:?}");
    for (code, why) in UNTRIGGERABLE {
        assert!(CATALOG.iter().any(|r| r.code == *code), "{code} is listed as untriggerable but is not in CATALOG");
        assert!(!folders.iter().any(|(_, c, _)| c == code), "{code} has a fixture, so it is not untriggerable ({why})");
    }
}

/// The positions the issue asks for explicitly, pinned independently of the snapshots.
#[test]
fn required_cases_point_at_the_right_place() {
    let config = config();
    let cases: &[(&str, &str, usize, usize)] = &[
        // a misspelled key: the key `"subtitel"` itself
        ("GK011-unknown-key", "GK011", 14, 5),
        // a wrong type: the number `2024` where a date string belongs
        ("GK013-wrong-type", "GK013", 12, 18),
        // a duplicate key: the second `"kind"`
        ("GK002-duplicate-key", "GK002", 6, 5),
        // a truncated file: the end of the file
        ("GK001-invalid-json", "GK001", 12, 20),
    ];
    for (folder, code, line, column) in cases {
        let path = fixtures_dir().join(folder).join("fail.json");
        let report = validate_with(&fs::read(&path).expect("fixture exists"), folder, &config);
        let diagnostic = report.diagnostics.iter().find(|d| d.code == *code).expect("the code is reported");
        let span = diagnostic.span.expect("a span");
        assert_eq!((span.line, span.column), (*line, *column), "{folder}: {}", show(diagnostic));
    }
}

/// A UTF-16 file is refused as a whole; the finding has no line (the text cannot be read as UTF-8).
#[test]
fn utf16_is_refused() {
    let pass = fs::read(fixtures_dir().join("GK003-invalid-encoding/pass.json")).expect("fixture exists");
    let text = String::from_utf8(pass).expect("UTF-8 fixture");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let report = validate_with(&utf16, "utf16.json", &config());
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["GK003"]);
}
