//! The authoring commands run for real: `new` (a skeleton whose placeholders `validate` lists and which
//! builds once they are filled), `fmt` (canonical, atomic, never on a broken file), `completions` and `man`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn guidekit(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guidekit")).args(args).current_dir(dir).env("CI", "1").output().expect("runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-authoring-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A JSON merge patch in which an object also patches an array, element by index (as in the validator's
/// rule tests), so that a patch fills values without restating the structure around them.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(map), Value::Object(patch)) => {
            for (key, value) in patch {
                merge(map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (Value::Array(items), Value::Object(patch)) => {
            for (key, value) in patch {
                let index: usize = key.parse().expect("an array index");
                merge(&mut items[index], value);
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// What an author writes into the skeleton of `new x.json --compound Testamide --requested Testamid`: a value
/// for each placeholder and nothing else. Testamide is made up for this test; nothing here is a fact.
const FILL: &str = r#"{
  "metadata": {
    "title": "The Mechanism of Action of Testamide",
    "authors": {"0": {"name": "guidekit test suite"}}
  },
  "compound": {"requested": {"reason": "No compound named Testamid is known; presumed a misspelling of Testamide."}},
  "notices": {
    "0": {"text": "The requested compound, **Testamid**, is not known. This guide is about Testamide."},
    "1": {"text": "For research use only; not for diagnostic or therapeutic use."}
  },
  "audience": {"readers": {"0": "the maintainers of guidekit"}, "summary": "A made-up guide that tests the authoring commands."},
  "hypotheses": {"items": {"0": {
    "title": "Binding to a test receptor",
    "statement": "Testamide is thought to bind a test receptor.[@reference-1]"
  }}},
  "data": {"tables": {"0": {
    "caption": "Test studies",
    "rows": {"0": {"cells": {"study": "A test study", "finding": "A test finding"}}}
  }}},
  "protocols": {"items": {"0": {"title": "A test protocol", "steps": {"0": {"label": "Preparation", "text": "Prepare the test."}}}}},
  "diagrams": {"items": {"0": {
    "caption": "Testamide and its test receptor.",
    "alt": "Flow chart: Testamide acts on a test receptor.",
    "dot": "digraph {\n  compound [label=\"Testamide\"];\n  target [label=\"Test receptor\"];\n  compound -> target;\n}\n"
  }}},
  "conclusion": {"text": "Testamide exists only in this test."},
  "references": {"0": {"title": "A test reference"}},
  "publisher": {"name": "guidekit"}
}"#;

/// The string at `pointer`, for the diagnostics' pointers.
fn string_at<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("no string at {pointer}"))
}

#[test]
fn a_new_guide_lists_its_placeholders_and_builds_once_they_are_filled() {
    let dir = temp_dir("new");
    let made = guidekit(&["new", "x.json", "--compound", "Testamide", "--requested", "Testamid"], &dir);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let skeleton: Value = serde_json::from_slice(&std::fs::read(dir.join("x.json")).expect("written")).expect("JSON");
    assert_eq!(skeleton["compound"]["requested"]["name"], "Testamid");
    assert_eq!(skeleton["notices"][0]["kind"], "substitution", "a substitution notice when --requested differs");
    for section in ["audience", "hypotheses", "data", "protocols", "diagrams", "conclusion", "references", "publisher"]
    {
        assert!(skeleton.get(section).is_some(), "the skeleton has no `{section}`");
    }

    // `validate` lists the placeholders and nothing else, one per field to fill, each naming its field.
    let checked = guidekit(&["validate", "x.json", "--format", "json"], &dir);
    assert_eq!(checked.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&checked.stdout).expect("JSON report");
    let diagnostics = report["guides"][0]["diagnostics"].as_array().expect("diagnostics");
    let pointers: Vec<&str> = diagnostics.iter().map(|d| d["pointer"].as_str().expect("pointer")).collect();
    assert!(diagnostics.iter().all(|d| d["code"] == "GK160"), "only placeholders: {diagnostics:#?}");
    let mut distinct = pointers.clone();
    distinct.dedup();
    assert_eq!(distinct, pointers, "one finding per field");
    for pointer in &pointers {
        assert!(string_at(&skeleton, pointer).contains("TODO: "), "{pointer}");
    }
    let written = text(&std::fs::read(dir.join("x.json")).expect("written"));
    assert_eq!(pointers.len(), written.matches("TODO: ").count(), "every placeholder is found");

    // Fill every placeholder, touching nothing else: the guide is valid and builds.
    let mut filled = skeleton.clone();
    merge(&mut filled, &serde_json::from_str(FILL).expect("the fill is JSON"));
    let changed = pointers.iter().filter(|p| string_at(&filled, p) != string_at(&skeleton, p)).count();
    assert_eq!(changed, pointers.len(), "the fill replaces every placeholder");
    std::fs::write(dir.join("x.json"), guidekit_model::format::canonical(&filled)).expect("write");
    let checked = guidekit(&["validate", "x.json", "--deny", "warnings"], &dir);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
    let built = guidekit(&["build", "x.json", "--out", "site"], &dir);
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let page = std::fs::read_to_string(dir.join("site/x/index.html")).expect("a page");
    assert!(page.contains("The Mechanism of Action of Testamide") && page.contains("Testamid"));
    let fmt = guidekit(&["fmt", "--check", "x.json"], &dir);
    assert_eq!(fmt.status.code(), Some(0), "what `new` writes is formatted: {}", text(&fmt.stdout));
}

#[test]
fn new_never_overwrites_and_needs_its_flags_in_a_script() {
    let dir = temp_dir("new-refusals");
    std::fs::write(dir.join("taken.json"), "mine").expect("write");
    let refused = guidekit(&["new", "taken.json", "--compound", "Testamide"], &dir);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("already exists"), "{}", text(&refused.stderr));
    assert_eq!(std::fs::read_to_string(dir.join("taken.json")).expect("kept"), "mine");
    // Tests run without a terminal, as scripts do: nothing is asked, the missing flag is named.
    let no_compound = guidekit(&["new", "y.json"], &dir);
    assert_eq!(no_compound.status.code(), Some(2));
    assert!(text(&no_compound.stderr).contains("--compound"), "{}", text(&no_compound.stderr));
    let no_file = guidekit(&["new", "--compound", "Testamide"], &dir);
    assert_eq!(no_file.status.code(), Some(2));
    assert!(!dir.join("y.json").exists() && !dir.join("testamide.json").exists());
    // Without --requested (or with the subject's own name) there is no substitution to explain.
    let same =
        guidekit(&["new", "z.json", "--compound", "Testamide", "--requested", "testamide", "--kind", "review"], &dir);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
    let z: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("z.json")).expect("written")).expect("JSON");
    assert!(z["compound"].get("requested").is_none() && z["notices"].as_array().expect("notices").len() == 1);
    assert_eq!(z["metadata"]["kind"], "review");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(leftovers.len(), 2, "no temporary file is left behind: {leftovers:?}");
}

/// Every object's keys in a seeded shuffled order, as a hand-edited file might have them.
fn shuffle(value: &mut Value, seed: &mut u64) {
    let mut next = || {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*seed >> 33) as usize
    };
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            for i in (1..entries.len()).rev() {
                entries.swap(i, next() % (i + 1));
            }
            for (key, mut item) in entries {
                shuffle(&mut item, seed);
                map.insert(key, item);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| shuffle(item, seed)),
        _ => {}
    }
}

fn first_difference(a: &str, b: &str) -> Option<usize> {
    a.bytes().zip(b.bytes()).position(|(x, y)| x != y).or((a.len() != b.len()).then(|| a.len().min(b.len())))
}

#[test]
fn fmt_puts_a_reshuffled_guide_back_byte_for_byte() {
    let dir = temp_dir("fmt");
    let original = std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("bundled guide");
    let mut value: Value = serde_json::from_str(&original).expect("JSON");
    shuffle(&mut value, &mut 7);
    // Four-space indentation, CRLF-free but without the final newline.
    let mut messy = Vec::new();
    let mut writer =
        serde_json::Serializer::with_formatter(&mut messy, serde_json::ser::PrettyFormatter::with_indent(b"    "));
    serde::Serialize::serialize(&value, &mut writer).expect("serializes");
    std::fs::write(dir.join("aniracetam.json"), &messy).expect("write");

    let check = guidekit(&["fmt", "--check", "."], &dir);
    assert_eq!(check.status.code(), Some(1), "--check fails on an unformatted file");
    assert_eq!(text(&check.stdout).trim(), "./aniracetam.json", "--check lists it");
    assert_eq!(std::fs::read(dir.join("aniracetam.json")).expect("kept"), messy, "--check changes nothing");

    let formatted = guidekit(&["fmt", "aniracetam.json"], &dir);
    assert_eq!(formatted.status.code(), Some(0), "{}", text(&formatted.stderr));
    let back = std::fs::read_to_string(dir.join("aniracetam.json")).expect("formatted");
    assert!(
        back == original,
        "not the original bytes; first difference at byte {:?}",
        first_difference(&back, &original)
    );
    let again = guidekit(&["fmt", "--check", "aniracetam.json"], &dir);
    assert_eq!(again.status.code(), Some(0));
    let entries = std::fs::read_dir(&dir).expect("dir").count();
    assert_eq!(entries, 1, "no temporary file is left behind");
}

#[test]
fn the_bundled_guides_are_formatted() {
    let check = guidekit(&["fmt", "--check", "guides"], &root());
    assert_eq!(check.status.code(), Some(0), "run `guidekit fmt guides`: {}", text(&check.stdout));
}

#[test]
fn fmt_leaves_a_file_it_cannot_read_as_a_guide_untouched() {
    let dir = temp_dir("fmt-broken");
    let original = std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("bundled guide");
    let cases = [
        ("truncated", original[..original.len() / 2].to_owned(), "GK001"),
        (
            "duplicate-key",
            original.replacen("\"language\": \"en\",", "\"language\": \"en\", \"language\": \"fr\",", 1),
            "GK002",
        ),
        ("unknown-key", original.replacen("\"statement\":", "\"statment\":", 1), "GK011"),
    ];
    for (name, broken, code) in cases {
        let file = format!("{name}.json");
        std::fs::write(dir.join(&file), &broken).expect("write");
        let output = guidekit(&["fmt", &file], &dir);
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert!(text(&output.stderr).contains(&format!("[{code}]")), "{name}: {}", text(&output.stderr));
        assert_eq!(std::fs::read_to_string(dir.join(&file)).expect("kept"), broken, "{name} was changed");
    }
    // Domain findings are work in progress, not a reason to refuse: a draft is formatted.
    let draft =
        original.replacen("\"conclusion\": {\n    \"text\": \"", "\"conclusion\": {\n    \"text\": \"TODO: ", 1);
    assert_ne!(draft, original);
    let draft = draft.replace("\n  ", "\n ");
    std::fs::write(dir.join("draft.json"), &draft).expect("write");
    assert_eq!(guidekit(&["fmt", "draft.json"], &dir).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(dir.join("draft.json")).expect("kept"), draft.replace("\n ", "\n  "));
}

#[test]
fn completions_print_for_five_shells_and_bash_parses_them() {
    let dir = temp_dir("completions");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = guidekit(&["completions", shell], &dir);
        assert_eq!(output.status.code(), Some(0), "{shell}: {}", text(&output.stderr));
        let script = text(&output.stdout);
        for word in ["guidekit", "validate", "fmt", "compound"] {
            assert!(script.contains(word), "{shell}: no `{word}` in the script");
        }
        let file = dir.join(format!("guidekit.{shell}"));
        std::fs::write(&file, &script).expect("write");
        // Each shell's own syntax check, where the shell is installed (bash always is on CI).
        let parse: Option<(&str, Vec<&str>)> = match shell {
            "bash" => Some(("bash", vec!["-n"])),
            "zsh" => Some(("zsh", vec!["-n"])),
            "fish" => Some(("fish", vec!["--no-execute"])),
            _ => None,
        };
        if let Some((program, args)) = parse {
            match Command::new(program).args(&args).arg(&file).output() {
                Ok(result) => assert!(result.status.success(), "{shell} rejects the script: {}", text(&result.stderr)),
                Err(_) if shell != "bash" => eprintln!("{program} is not installed; its script was not parsed"),
                Err(error) => panic!("bash: {error}"),
            }
        }
    }
    assert_eq!(guidekit(&["completions", "tcsh"], &dir).status.code(), Some(2), "an unknown shell is a usage error");
}

#[test]
fn man_writes_pages_that_man_renders() {
    let dir = temp_dir("man");
    let page = guidekit(&["man"], &dir);
    assert_eq!(page.status.code(), Some(0));
    assert!(text(&page.stdout).starts_with(".ie \\n(.g") || text(&page.stdout).contains(".TH guidekit 1"));
    let written = guidekit(&["man", "--out", "man"], &dir);
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    for name in ["guidekit.1", "guidekit-new.1", "guidekit-fmt.1", "guidekit-validate.1", "guidekit-completions.1"] {
        assert!(dir.join("man").join(name).is_file(), "no {name}");
    }
    // `man -l` renders the page, where man is installed.
    match Command::new("man")
        .arg("-l")
        .arg(dir.join("man/guidekit-new.1"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
    {
        Ok(rendered) => {
            assert!(rendered.status.success(), "man -l: {}", text(&rendered.stderr));
            let shown = text(&rendered.stdout);
            assert!(shown.contains("--compound") && shown.contains("--requested"), "{shown}");
        }
        Err(_) => eprintln!("man is not installed; the page was not rendered"),
    }
}

/// The commands of the README's "Write your first guide", in order, as written there.
fn readme_walkthrough() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let section = readme.split("## Write your first guide").nth(1).expect("the walkthrough section");
    let block = section.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).expect("its commands");
    block
        .lines()
        .map(|line| line.split(" #").next().unwrap_or(line).split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[test]
fn walkthrough_in_the_readme_works() {
    let steps = readme_walkthrough();
    let verbs: Vec<&str> = steps.iter().map(|s| s.get(1).map_or("", String::as_str)).collect();
    assert_eq!(verbs, ["new", "serve", "validate", "build"], "{steps:?}");
    assert!(steps.iter().all(|s| s[0] == "guidekit"), "{steps:?}");
    let args = |i: usize| steps[i][1..].iter().map(String::as_str).collect::<Vec<_>>();
    let dir = temp_dir("walkthrough");

    let made = guidekit(&args(0), &dir);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let file = dir.join(&steps[0][2]);
    let skeleton: Value = serde_json::from_slice(&std::fs::read(&file).expect("new wrote it")).expect("JSON");

    // `serve`, on a free port instead of 8000: the printed address serves the new guide's page.
    let mut serve = Command::new(env!("CARGO_BIN_EXE_guidekit"))
        .args(args(1))
        .args(["--port", "0"])
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut out = std::io::BufReader::new(serve.stdout.take().expect("stdout"));
    let mut line = String::new();
    std::io::BufRead::read_line(&mut out, &mut line).expect("serve prints its address");
    let address = line.split("http://").nth(1).expect("an http address").trim().trim_end_matches('/').to_owned();
    let page = http_get(&address, "/testamide/index.html");
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("Testamide"), "{page}");
    let _ = Command::new("kill").args(["-INT", &serve.id().to_string()]).status();
    assert!(serve.wait().expect("serve stops").success(), "serve exits 0 on Ctrl-C");

    let checked = guidekit(&args(2), &dir);
    assert_eq!(checked.status.code(), Some(1), "placeholders are left");
    let said = text(&checked.stderr);
    let codes: Vec<&str> = said.match_indices("[GK").map(|(at, _)| &said[at + 1..at + 6]).collect();
    assert!(!codes.is_empty() && codes.iter().all(|c| *c == "GK160"), "only placeholders: {said}");

    let mut filled = skeleton.clone();
    merge(&mut filled, &serde_json::from_str(FILL).expect("the fill is JSON"));
    std::fs::write(&file, guidekit_model::format::canonical(&filled)).expect("write");
    let checked = guidekit(&args(2), &dir);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
    let built = guidekit(&args(3), &dir);
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let site = dir.join(&steps[3][4]);
    assert!(std::fs::read_to_string(site.join("testamide/index.html")).expect("the page").contains("Testamide"));
}

/// A GET over plain TCP: the status line, headers and body as text.
fn http_get(address: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("serve listens");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").expect("request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response");
    String::from_utf8_lossy(&response).into_owned()
}
