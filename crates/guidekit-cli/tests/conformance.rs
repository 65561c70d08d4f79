//! Conformance over public corpora, through the real binary in every output format: JSONTestSuite's
//! parsing tests and the Big List of Naughty Strings, from `../shared/corpora` (`cargo xtask conformance`
//! runs this file alone). A clone of the project does not have the corpora: then each test says it is
//! skipped. The promise checked is the one a user meets: whatever the bytes, `guidekit` exits 0, 1 or 2,
//! never panics, prints parseable JSON and SARIF, and rejects every malformed file at a line and column.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const FORMATS: [&str; 3] = ["human", "json", "sarif"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus(relative: &str) -> Option<PathBuf> {
    let path = root().join("../shared/corpora").join(relative);
    if path.exists() {
        Some(path)
    } else {
        guidekit_tests::skips::skip(format!("{} is not present", path.display()));
        None
    }
}

fn guidekit(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guidekit"))
        .args(args)
        .current_dir(dir)
        .env("CI", "1")
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-conformance-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// What is wrong with one run, if anything: an exit code outside 0/1/2, a panic, or unparseable output.
fn misbehaviour(output: &Output, format: &str) -> Option<String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0..=2) => {}
        other => return Some(format!("exit {other:?}: {stderr}")),
    }
    if stderr.contains("panicked") {
        return Some(format!("panic: {stderr}"));
    }
    if format != "human"
        && output.status.code() != Some(2)
        && let Err(error) = serde_json::from_slice::<serde_json::Value>(&output.stdout)
    {
        return Some(format!("{format} output is not JSON: {error}"));
    }
    None
}

/// Whether the run located a diagnostic: `--> file:line:column` for people, a span with a line for tools.
fn located(output: &Output, format: &str) -> bool {
    match format {
        "human" => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            stderr.lines().any(|line| {
                line.trim_start().strip_prefix("--> ").is_some_and(|place| place.rsplitn(3, ':').count() == 3)
            })
        }
        _ => {
            let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
            let text = value.to_string();
            text.contains("\"line\":") || text.contains("\"startLine\":")
        }
    }
}

/// Every JSONTestSuite parsing file, one run per file and format: exit codes only 0/1/2, every `n_` file
/// rejected with a line and column; then all files in one batch per format, which must report every file.
#[test]
fn json_test_suite_through_the_cli() {
    let Some(dir) = corpus("json-test-suite") else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("readable corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() > 300, "JSONTestSuite has 318 parsing tests, found {}", files.len());
    let failures: Vec<String> = std::thread::scope(|scope| {
        let chunks: Vec<&[PathBuf]> = files.chunks(files.len().div_ceil(2)).collect();
        let dir = &dir;
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for file in chunk {
                        let name = file.file_name().expect("name").to_string_lossy().into_owned();
                        let path = file.to_string_lossy().into_owned();
                        for format in FORMATS {
                            let output = guidekit(&["validate", "--format", format, &path], dir);
                            if let Some(problem) = misbehaviour(&output, format) {
                                failures.push(format!("{name} ({format}): {problem}"));
                            }
                            if name.starts_with("n_") {
                                if output.status.code() != Some(1) {
                                    failures
                                        .push(format!("{name} ({format}): accepted (exit {:?})", output.status.code()));
                                } else if !located(&output, format) {
                                    failures.push(format!("{name} ({format}): rejected without a line and column"));
                                }
                            }
                        }
                    }
                    failures
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("thread")).collect()
    });
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));

    // One batch: a file that breaks the reporter must not take the later files with it.
    let paths: Vec<String> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    for format in FORMATS {
        let mut args = vec!["validate", "--format", format];
        args.extend(paths.iter().map(String::as_str));
        let output = guidekit(&args, &dir);
        assert_eq!(misbehaviour(&output, format), None, "batch ({format})");
        if format == "json" {
            let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            assert_eq!(value["guides"].as_array().map(Vec::len), Some(files.len()), "every file reported");
        }
    }
}

/// The bundled guide with `payload` in free-text fields, a line, a label and a DOT label.
fn guide_with(payload: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("bundled guide");
    let mut guide: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let line: String = payload.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    let line = if line.trim().is_empty() { format!("x{line}") } else { line };
    let prose = format!("{payload} x");
    guide["metadata"]["title"] = line.clone().into();
    guide["hypotheses"]["items"][0]["statement"] = format!("{prose} [@cereflexlabs]").into();
    guide["data"]["tables"][0]["rows"][0]["cells"]["focus"] = prose.clone().into();
    guide["diagrams"]["items"][0]["caption"] = prose.clone().into();
    let label = line.replace('\\', "\\\\").replace('"', "\\\"");
    guide["diagrams"]["items"][1]["dot"] = format!("digraph {{ a [label=\"{label}\"]; a -> b }}").into();
    guide["publisher"]["offers"][0]["actions"][0]["label"] = line.into();
    guide["conclusion"]["text"] = prose.into();
    guide
}

/// Every naughty string in every format of `validate`, and the whole set through `build`: exit codes only
/// 0/1/2, no panic, every guide reported, every valid guide built.
#[test]
fn naughty_strings_through_the_cli() {
    let Some(path) = corpus("naughty-strings.json") else { return };
    let strings: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("a JSON list of strings");
    let dir = temp_dir("naughty");
    let guides = dir.join("guides");
    std::fs::create_dir_all(&guides).expect("mkdir");
    for (i, payload) in strings.iter().enumerate() {
        let bytes = serde_json::to_vec_pretty(&guide_with(payload)).expect("serializes");
        std::fs::write(guides.join(format!("n{i:04}.json")), bytes).expect("write");
    }
    for format in FORMATS {
        let output = guidekit(&["validate", "--format", format, "guides"], &dir);
        assert_eq!(misbehaviour(&output, format), None, "validate ({format})");
        if format == "json" {
            let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            assert_eq!(value["guides"].as_array().map(Vec::len), Some(strings.len()));
        }
    }
    let output = guidekit(&["build", "guides", "--out", "site"], &dir);
    assert_eq!(misbehaviour(&output, "human"), None, "build");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("cannot build"), "a guide that validates must build: {stderr}");
    assert!(dir.join("site/index.html").is_file(), "the index is written");
}
