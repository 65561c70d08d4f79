//! The `guidekit` binary, run for real: exit codes, output formats, and `build` on batches.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn guidekit(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guidekit")).args(args).current_dir(dir).env("CI", "1").output().expect("runs")
}

fn aniracetam() -> String {
    std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("bundled guide")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-cli-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Each broken guide exits 1 and its first diagnostic names the code and the line and column.
#[test]
fn broken_guides_exit_1_and_point_at_the_problem() {
    let dir = temp_dir("broken");
    let guide = aniracetam();
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "misspelled-key",
            guide.replacen("\"statement\": \"Aniracetam appears", "\"statment\": \"Aniracetam appears", 1),
            "GK011",
            ":85:9",
        ),
        ("wrong-type", guide.replacen("\"count\": 276", "\"count\": \"276\"", 1), "GK013", ":220:26"),
        (
            "duplicate-key",
            guide.replacen(
                "\"catalog_number\": \"B564674\",",
                "\"catalog_number\": \"B564674\",\n    \"catalog_number\": \"B5\",",
                1,
            ),
            "GK002",
            ":24:5",
        ),
        ("truncated", guide[..guide.len() / 2].to_owned(), "GK001", ":292:"),
        (
            "unknown-citation",
            guide.replacen("@patsnap-aniracetam-uses]", "@patsnap-aniracetam-use]", 1),
            "GK101",
            ":85:115",
        ),
    ];
    for (name, text, code, position) in cases {
        let file = dir.join(format!("{name}.json"));
        std::fs::write(&file, text).expect("write");
        let output = guidekit(&["validate", file.to_str().expect("utf-8 path")], &dir);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {err}");
        let first = err
            .lines()
            .position(|l| l.contains(&format!("[{code}]")))
            .unwrap_or_else(|| panic!("{name}: no {code} in {err}"));
        assert!(
            err.lines().nth(first + 1).is_some_and(|l| l.contains(position)),
            "{name}: expected {position} after {code}:\n{err}"
        );
    }
}

#[test]
fn exit_codes_are_as_documented() {
    let dir = root();
    assert_eq!(guidekit(&["validate", "guides"], &dir).status.code(), Some(0), "valid guides, warnings allowed");
    let denied = guidekit(&["validate", "guides", "--deny", "warnings"], &dir);
    assert_eq!(denied.status.code(), Some(1), "GK103 is a warning");
    // The summary agrees with the exit code: the guide with a denied warning is not counted valid.
    assert!(
        stderr(&denied).contains("1 guide checked: 0 valid, 1 invalid (warnings are denied); 0 errors, 1 warning"),
        "{}",
        stderr(&denied)
    );
    assert_eq!(guidekit(&["validate", "no/such/file.json"], &dir).status.code(), Some(2));
    assert_eq!(guidekit(&["validate", "--format", "xml", "guides"], &dir).status.code(), Some(2));
    assert_eq!(guidekit(&["explain", "GK101"], &dir).status.code(), Some(0));
    assert_eq!(guidekit(&["explain", "GK999"], &dir).status.code(), Some(2));
}

#[test]
fn json_and_sarif_outputs_parse_and_carry_locations() {
    let dir = temp_dir("formats");
    let file = dir.join("bad.json");
    std::fs::write(&file, aniracetam().replacen("@patsnap-aniracetam-uses]", "@nope]", 1)).expect("write");
    let path = file.to_str().expect("utf-8");
    let json: serde_json::Value =
        serde_json::from_slice(&guidekit(&["validate", "--format", "json", path], &dir).stdout).expect("JSON");
    assert_eq!(json["version"], 1);
    let diagnostic = &json["guides"][0]["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "GK101")
        .cloned()
        .expect("GK101");
    assert_eq!(diagnostic["span"]["line"], 85);
    assert_eq!(diagnostic["pointer"], "/hypotheses/items/1/statement");
    let sarif: serde_json::Value =
        serde_json::from_slice(&guidekit(&["validate", "--format", "sarif", path], &dir).stdout).expect("SARIF");
    assert_eq!(sarif["version"], "2.1.0");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "GK101")
        .cloned()
        .expect("GK101");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 85);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules[result["ruleIndex"].as_u64().expect("index") as usize]["id"], "GK101");
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.strip_prefix(dir).expect("inside").to_path_buf(), std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_batch_with_broken_guides_builds_the_rest_and_exits_1() {
    let dir = temp_dir("batch");
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    std::fs::write(inputs.join("good.json"), aniracetam()).expect("write");
    std::fs::write(inputs.join("Bad Guide!.json"), "{ \"schema_version\": ").expect("write");
    std::fs::write(inputs.join("also-bad.json"), aniracetam().replacen("@patsnap-aniracetam-uses]", "@nope]", 1))
        .expect("write");
    let before = tree(&inputs);
    let output = guidekit(&["build", "in", "--out", "site"], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let built: Vec<PathBuf> = tree(&dir.join("site")).into_iter().map(|(p, _)| p).collect();
    assert!(
        built.contains(&PathBuf::from("good/index.html")) && built.contains(&PathBuf::from("good/index.md")),
        "{built:?}"
    );
    assert!(built.contains(&PathBuf::from("index.html")) && built.contains(&PathBuf::from("index.md")));
    assert!(
        !built.iter().any(|p| p.starts_with("also-bad") || p.starts_with("bad-guide")),
        "invalid guides are not built: {built:?}"
    );
    assert!(!built.iter().any(|p| p.to_string_lossy().contains(".tmp")), "no temporary files left: {built:?}");
    // Nothing was written outside --out, and the inputs are untouched.
    let mut top: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["in", "site"]);
    assert_eq!(tree(&inputs), before, "build never modifies its inputs");
}

#[test]
fn builds_are_identical_at_every_job_count() {
    let dir = temp_dir("jobs");
    let guides = root().join("guides");
    let guides = guides.to_str().expect("utf-8");
    assert!(guidekit(&["build", guides, "--out", "one", "-j", "1"], &dir).status.success());
    assert!(guidekit(&["build", guides, "--out", "many"], &dir).status.success());
    assert_eq!(tree(&dir.join("one")), tree(&dir.join("many")));
    let files = tree(&dir.join("one"));
    assert!(files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "svg")).count() == 3);
    assert!(
        files
            .iter()
            .all(|(_, bytes)| !guidekit_tests::without_json_ld(&String::from_utf8_lossy(bytes)).contains("<script")),
        "no <script> in any output but the JSON-LD data"
    );
}

#[test]
fn build_refuses_an_out_dir_that_holds_its_inputs() {
    let dir = temp_dir("refuse");
    std::fs::create_dir_all(dir.join("guides")).expect("mkdir");
    std::fs::write(dir.join("guides/a.json"), aniracetam()).expect("write");
    for out in ["guides", ".", "./guides/.."] {
        let output = guidekit(&["build", "guides", "--out", out], &dir);
        assert_eq!(output.status.code(), Some(2), "--out {out}: {}", stderr(&output));
        assert!(stderr(&output).contains("input directory"));
    }
    assert_eq!(tree(&dir.join("guides")).len(), 1, "nothing written");
}

/// `--format sarif` output validates against the official SARIF 2.1.0 schema, as shipped in the npm package
/// `@microsoft/jest-sarif`, checked with Python's `jsonschema`. CI installs both; elsewhere the test says it
/// is skipped, unless `CI` is set, where it must run.
#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let required = std::env::var_os("CI").is_some();
    let npm_root = Command::new("npm").args(["root", "-g"]).output();
    let schema = npm_root
        .ok()
        .map(|o| {
            PathBuf::from(String::from_utf8_lossy(&o.stdout).trim())
                .join("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")
        })
        .filter(|schema| schema.is_file());
    let Some(schema) = schema else {
        assert!(!required, "CI must have the SARIF schema: npm install -g @microsoft/jest-sarif");
        guidekit_tests::skips::skip("the SARIF 2.1.0 schema is not installed (npm install -g @microsoft/jest-sarif)");
        return;
    };
    let dir = temp_dir("sarif");
    // A guide with errors and warnings of several kinds, and a clean one: both kinds of log must be valid.
    let broken = aniracetam().replacen("@patsnap-aniracetam-uses]", "@nope]", 1).replacen(
        "\"statement\": \"Aniracetam appears",
        "\"statment\": \"Aniracetam appears",
        1,
    );
    std::fs::write(dir.join("broken guide.json"), broken).expect("write");
    std::fs::write(dir.join("truncated.json"), "{\n  \"schema_version\": ").expect("write");
    let mut logs = Vec::new();
    for (name, args) in [
        ("all.sarif", vec!["validate", "--format", "sarif", "."]),
        ("clean.sarif", vec!["validate", "--format", "sarif"]),
    ] {
        let mut args = args;
        let guides = root().join("guides");
        if name == "clean.sarif" {
            args.push(guides.to_str().expect("utf-8"));
        }
        let output = guidekit(&args, &dir);
        let log = dir.join(name);
        std::fs::write(&log, &output.stdout).expect("write log");
        logs.push(log);
    }
    let output = Command::new("python3")
        .arg(root().join("tests/independent/check_sarif.py"))
        .arg(&schema)
        .args(&logs)
        .output()
        .expect("python3 runs");
    match output.status.code() {
        Some(3) if !required => guidekit_tests::skips::skip(String::from_utf8_lossy(&output.stderr).trim()),
        _ => assert!(
            output.status.success(),
            "invalid SARIF:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// `--help` is the command's documentation: a change to it shows up in review as a snapshot change.
#[test]
fn help_text_snapshots() {
    for args in [vec!["--help"], vec!["validate", "--help"], vec!["build", "--help"]] {
        let output = guidekit(&args, &root());
        assert!(output.status.success());
        let name = format!("help-{}", args[0].trim_start_matches('-'));
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, String::from_utf8_lossy(&output.stdout));
        });
    }
}

/// Files that are not UTF-8 are reported in every format, alone and in a batch, and never stop the run:
/// the spans of the raw bytes must not break the printer (it once panicked, exit 101, on `printf '\xe9'`).
#[test]
fn files_that_are_not_utf8_are_reported_in_every_format() {
    let dir = temp_dir("encodings");
    std::fs::create_dir_all(dir.join("in")).expect("mkdir");
    let guide = aniracetam();
    let latin1: Vec<u8> = guide.replacen("Aniracetam", "Aniracétam", 1).chars().map(|c| c as u32 as u8).collect();
    let utf16_without_bom: Vec<u8> = guide.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16_big_endian: Vec<u8> = guide.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let mut cut_in_a_character = "{\"schema_version\": \"é".as_bytes().to_vec();
    cut_in_a_character.pop();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("e9", b"\xe9".to_vec()),
        ("latin1", latin1),
        ("utf16-le", utf16_without_bom),
        ("utf16-be", utf16_big_endian),
        ("overlong", b"{\"a\": \"\xc0\xaf\"}".to_vec()),
        ("cesu8", b"{\"a\": \"\xed\xa0\xbd\xed\xb8\x80\"}".to_vec()),
        ("cut-in-a-character", cut_in_a_character),
    ];
    for (name, bytes) in &cases {
        let file = dir.join("in").join(format!("{name}.json"));
        std::fs::write(&file, bytes).expect("write");
        let path = file.to_str().expect("utf-8 path");
        for format in ["human", "json", "sarif"] {
            let output = guidekit(&["validate", "--format", format, path], &dir);
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(1), "{name} as {format}: {err}");
            assert!(!err.contains("panicked"), "{name} as {format}: {err}");
            if format == "human" {
                assert!(err.contains("error[GK003]"), "{name}: {err}");
            } else {
                let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON document");
                assert!(parsed.to_string().contains("GK003"), "{name} as {format}: {parsed}");
            }
        }
    }
    // In a batch, a valid guide after them still gets validated and built, with its index.
    std::fs::write(dir.join("in/zz-good.json"), &guide).expect("write");
    let output = guidekit(&["validate", "in"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(&format!("{} guides checked: 1 valid", cases.len() + 1)), "{}", stderr(&output));
    let output = guidekit(&["build", "in", "--out", "site"], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let site = dir.join("site");
    assert!(site.join("index.html").is_file() && site.join("zz-good/index.html").is_file(), "{}", stderr(&output));
}

/// Random bytes, many files in one run, in all three formats: no panic, and exit codes only 0, 1 or 2.
#[test]
fn random_bytes_never_crash_the_command() {
    let dir = temp_dir("random");
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b"\"",
        b":",
        b",",
        b"\n",
        b"\r",
        b"\t",
        b" ",
        b"\\",
        b"null",
        b"1",
        b"\"schema_version\"",
        "é".as_bytes(),
        "😀".as_bytes(),
        "\u{feff}".as_bytes(),
        b"\xe9",
        b"\xff",
        b"\x80",
        b"\xc3",
        b"\xed\xa0\x80",
        b"\x00",
        b"\xfe\xff",
        b"\xff\xfe",
    ];
    for i in 0..200 {
        let len = (next() % 60) as usize;
        let bytes: Vec<u8> = (0..len).flat_map(|_| pieces[(next() % pieces.len() as u64) as usize].to_vec()).collect();
        std::fs::write(dir.join(format!("case-{i:03}.json")), bytes).expect("write");
    }
    for format in ["human", "json", "sarif"] {
        let output = guidekit(&["validate", "--format", format, "."], &dir);
        let err = stderr(&output);
        assert!(matches!(output.status.code(), Some(0..=2)), "{format}: {:?} {err}", output.status);
        assert!(!err.contains("panicked"), "{format}: {err}");
        if format == "human" {
            assert!(err.contains("200 guides checked"), "{err}");
        } else {
            serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("a JSON document");
        }
    }
}

/// A `guidekit.toml` names rules by code or by name; a parse or schema code is refused with the reason.
#[test]
fn configuration_accepts_names_and_codes_and_refuses_schema_codes() {
    let dir = temp_dir("config");
    std::fs::write(dir.join("guide.json"), aniracetam()).expect("write");
    for key in ["duplicate-reference", "GK103"] {
        std::fs::write(dir.join("guidekit.toml"), format!("[rules]\n{key} = \"allow\"\n")).expect("write");
        let output = guidekit(&["validate", "guide.json", "--deny", "warnings"], &dir);
        assert_eq!(output.status.code(), Some(0), "`{key} = \"allow\"` silences GK103: {}", stderr(&output));
        assert!(stderr(&output).contains("0 errors, 0 warnings"), "{}", stderr(&output));
    }
    std::fs::write(dir.join("guidekit.toml"), "[rules]\nGK011 = \"allow\"\n").expect("write");
    let output = guidekit(&["validate", "guide.json"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`GK011` (GK011) cannot be configured: it is a schema check"),
        "{}",
        stderr(&output)
    );
}

/// <https://github.com/nst/JSONTestSuite>'s 318 files in one run, when a copy is on this machine: 24 of them
/// (invalid UTF-8, UTF-16 without BOM, ...) once made the human output panic and stopped the batch.
#[test]
fn json_test_suite_in_every_format() {
    let dir = Path::new("/work/shared/corpora/json-test-suite");
    if !dir.is_dir() {
        guidekit_tests::skips::skip(format!("{} is not present", dir.display()));
        return;
    }
    let files = std::fs::read_dir(dir).expect("readable corpus").count();
    for format in ["human", "json", "sarif"] {
        let output = guidekit(&["validate", "--format", format, dir.to_str().expect("utf-8")], dir);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{format}: {err}");
        assert!(!err.contains("panicked"), "{format}: {err}");
        if format == "human" {
            assert!(err.contains(&format!("{files} guides checked")), "{err}");
        } else {
            let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON document");
            assert!(log.to_string().contains("GK003"), "{format}");
        }
    }
}
