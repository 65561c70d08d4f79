//! Hostile inputs and a hostile output folder, through the real binary: inputs that are not files, files
//! too large to read, numbers that cannot be kept exactly, links planted in `--out`, and what a killed build
//! leaves behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn aniracetam() -> String {
    std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("bundled guide")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-hardening-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs guidekit, failing the test (instead of hanging it) when the run takes more than five minutes.
fn guidekit(args: &[&str], dir: &Path) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_guidekit"))
        .args(args)
        .current_dir(dir)
        .env("CI", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let pid = child.id();
    let (sender, receiver) = std::sync::mpsc::channel();
    // The output is read while the child runs, so that a full pipe cannot stall it.
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    match receiver.recv_timeout(Duration::from_secs(300)) {
        Ok(output) => output.expect("output"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("`guidekit {}` still running after 300 s", args.join(" "));
        }
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success());
}

/// A FIFO, a link to `/dev/zero` and a directory named as guides are reported as unreadable (GK006) in
/// every format, without blocking and without reading them; the other guides of the batch are still checked.
#[cfg(unix)]
#[test]
fn inputs_that_are_not_files_are_reported_without_reading_them() {
    let dir = temp_dir("not-files");
    mkfifo(&dir.join("fifo.json"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.json")).expect("symlink");
    std::fs::write(dir.join("good.json"), aniracetam()).expect("write");
    for format in ["human", "json", "sarif"] {
        let output = guidekit(&["validate", "--format", format, "fifo.json", "zero.json", "good.json"], &dir);
        assert_eq!(output.status.code(), Some(1), "{format}: {}", stderr(&output));
        let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
        assert!(all.contains("GK006"), "{format}: {all}");
        assert!(all.contains("FIFO") && all.contains("character device"), "{format}: {all}");
        assert!(all.contains("good.json"), "{format}: the readable guide is still reported");
    }
}

/// A file over the size limit is refused from its size, before it is read, and the message gives the size.
#[test]
fn a_file_over_the_size_limit_is_refused_with_its_size() {
    let dir = temp_dir("large");
    let size = 9 * 1024 * 1024;
    std::fs::write(dir.join("large.json"), vec![b' '; size]).expect("write");
    let output = guidekit(&["validate", "large.json"], &dir);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("GK004") && text.contains(&format!("{size} bytes")), "{text}");
}

/// In directory mode, links, FIFOs and hidden files are named as skipped, not silently dropped.
#[cfg(unix)]
#[test]
fn skipped_directory_entries_are_reported() {
    let dir = temp_dir("skipped");
    let guides = dir.join("guides");
    std::fs::create_dir_all(guides.join(".drafts")).expect("mkdir");
    std::fs::write(guides.join("a.json"), aniracetam()).expect("write");
    std::fs::write(guides.join(".hidden.json"), aniracetam()).expect("write");
    std::os::unix::fs::symlink("a.json", guides.join("link.json")).expect("symlink");
    mkfifo(&guides.join("pipe.json"));
    let output = guidekit(&["validate", "guides"], &dir);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    for skipped in [".hidden.json", "link.json", "pipe.json", ".drafts"] {
        assert!(text.contains(&format!("skipped `guides/{skipped}`")), "{skipped} not reported: {text}");
    }
    assert!(text.contains("1 guide checked"), "{text}");
}

fn with_count(value: &str) -> String {
    aniracetam().replacen("\"count\": 276", &format!("\"count\": {value}"), 1)
}

/// Numbers that a JSON reader would change are refused with what they would become; NaN and UTF-32 are
/// named for what they are.
#[test]
fn numbers_and_encodings_are_named_for_what_they_are() {
    let dir = temp_dir("numbers");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("big", with_count("18446744073709551616").into_bytes(), "holds it as `18446744073709552000`"),
        ("beyond-2-53", with_count("9007199254740993").into_bytes(), "holds it as `9007199254740992`"),
        ("tiny", with_count("1e-400").into_bytes(), "a 64-bit float holds it as 0"),
        ("huge", with_count("1e400").into_bytes(), "too large for a 64-bit float"),
        ("nan", with_count("NaN").into_bytes(), "`NaN` is not a JSON number"),
        ("minus-infinity", with_count("-Infinity").into_bytes(), "`-Infinity` is not a JSON number"),
        ("utf32", utf32le("{\"a\": 1}"), "UTF-32 (little-endian)"),
        ("utf16", utf16le("{\"a\": 1}"), "UTF-16 (little-endian)"),
    ];
    for (name, bytes, expected) in cases {
        std::fs::write(dir.join(format!("{name}.json")), bytes).expect("write");
        let output = guidekit(&["validate", &format!("{name}.json")], &dir);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {text}");
        assert!(text.contains(expected), "{name}: expected {expected:?} in {text}");
        assert!(!text.contains("panicked"), "{name}: {text}");
    }
    // The located ones point at the number itself.
    let output = guidekit(&["validate", "big.json"], &dir);
    assert!(stderr(&output).contains("GK007"), "{}", stderr(&output));
    // Exact numbers, however written, are fine.
    std::fs::write(dir.join("exact.json"), with_count("2.76e2")).expect("write");
    let output = guidekit(&["validate", "exact.json"], &dir);
    assert!(!stderr(&output).contains("GK007"), "{}", stderr(&output));
}

fn utf32le(text: &str) -> Vec<u8> {
    text.chars().flat_map(|c| (c as u32).to_le_bytes()).collect()
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// An id long enough to break a file name is refused by `validate`, so `build` never meets it.
#[test]
fn an_id_too_long_for_a_file_name_is_a_validation_error() {
    let dir = temp_dir("long-id");
    let long = "d".repeat(243);
    let guide = aniracetam().replace("\"ampa-modulation\"", &format!("\"{long}\""));
    assert_ne!(guide, aniracetam(), "the fixture edit applies");
    std::fs::write(dir.join("long.json"), guide).expect("write");
    let output = guidekit(&["validate", "long.json"], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("at most 64"), "{}", stderr(&output));
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("readable") {
            let path = entry.expect("entry").path();
            let kind = std::fs::symlink_metadata(&path).expect("metadata").file_type();
            if kind.is_dir() {
                stack.push(path);
            } else {
                let contents = if kind.is_symlink() { Vec::new() } else { std::fs::read(&path).expect("read") };
                out.push((path.strip_prefix(dir).expect("inside").to_path_buf(), contents));
            }
        }
    }
    out.sort();
    out
}

/// Links planted in `--out` — as a guide's folder, as its `figures` folder, as the index, or under the
/// names of temporary files — never lead a write outside it.
#[cfg(unix)]
#[test]
fn links_planted_in_the_output_folder_are_never_written_through() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir("planted");
    std::fs::create_dir_all(dir.join("guides")).expect("mkdir");
    std::fs::write(dir.join("guides/aniracetam.json"), aniracetam()).expect("write");
    let victim = dir.join("victim");
    std::fs::create_dir_all(&victim).expect("mkdir");
    std::fs::write(victim.join("keep.txt"), "precious").expect("write");
    let before = tree(&victim);
    let out = dir.join("out");
    // `--force`: the guide is unchanged, and an incremental build would rightly not write it again; these
    // cases are about what happens when it is written.
    let build = || {
        let output = guidekit(&["build", "guides", "--out", "out", "--force"], &dir);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    };

    // 1. The guide's folder is a link to the victim.
    std::fs::create_dir_all(&out).expect("mkdir");
    symlink("../victim", out.join("aniracetam")).expect("symlink");
    build();
    assert!(!std::fs::symlink_metadata(out.join("aniracetam")).expect("exists").file_type().is_symlink());
    assert!(out.join("aniracetam/index.html").is_file());
    assert_eq!(tree(&victim), before, "nothing written into the victim");

    // 2. Its figures folder is a link (planted after a build, as an attacker racing the next one would).
    std::fs::remove_dir_all(out.join("aniracetam/figures")).expect("rm");
    symlink("../../victim", out.join("aniracetam/figures")).expect("symlink");
    build();
    assert!(out.join("aniracetam/figures").is_dir());
    assert!(!std::fs::symlink_metadata(out.join("aniracetam/figures")).expect("exists").file_type().is_symlink());
    assert_eq!(tree(&victim), before);

    // 3. The index files are links to the victim's file.
    std::fs::remove_file(out.join("index.html")).expect("rm");
    symlink("../victim/keep.txt", out.join("index.html")).expect("symlink");
    // 4. Temporary names are planted: stale entries, links among them.
    symlink("../victim", out.join(".guidekit-tmp-1-0-00000000")).expect("symlink");
    std::fs::create_dir_all(out.join(".guidekit-tmp-2-0-00000000/figures")).expect("mkdir");
    build();
    assert_eq!(tree(&victim), before);
    assert!(!std::fs::symlink_metadata(out.join("index.html")).expect("exists").file_type().is_symlink());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".guidekit-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "stale temporaries removed: {leftovers:?}");
}

/// Two guides whose names map to one folder are both built, and the clash is named.
#[test]
fn guides_that_map_to_one_folder_are_named() {
    let dir = temp_dir("clash");
    for sub in ["a", "b"] {
        std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
        std::fs::write(dir.join(sub).join("x.json"), aniracetam()).expect("write");
    }
    let output = guidekit(&["build", "a", "b", "--out", "out"], &dir);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("`a/x.json` and `b/x.json` both map to the folder `x`"), "{text}");
    assert!(dir.join("out/x/index.html").is_file() && dir.join("out/x-2/index.html").is_file());
}

/// A second build into a folder that another build holds is refused, not interleaved.
#[cfg(unix)]
#[test]
fn two_builds_never_write_one_folder_at_once() {
    let dir = temp_dir("lock");
    std::fs::create_dir_all(dir.join("out")).expect("mkdir");
    std::fs::write(dir.join("g.json"), aniracetam()).expect("write");
    // Hold the lock as another build would: `flock` from util-linux, when installed.
    let holder = Command::new("flock")
        .args(["out/.guidekit-lock", "sleep", "30"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut holder) = holder else {
        guidekit_tests::skips::skip("`flock` is not installed");
        return;
    };
    let started = Instant::now();
    while !dir.join("out/.guidekit-lock").exists() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let output = guidekit(&["build", "g.json", "--out", "out"], &dir);
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("another guidekit build is writing"), "{}", stderr(&output));
}

/// A catalog-sized batch with ten broken guides of ten kinds, one of them not UTF-8: exactly the 990 others
/// are built, the index is written and lists them, and every broken guide is named with a line and column
/// by `validate` in all three formats and by `build`; both exit 1.
#[test]
fn a_thousand_guide_batch_with_ten_broken_builds_the_rest() {
    let dir = temp_dir("batch-1000");
    let guides = dir.join("guides");
    std::fs::create_dir_all(&guides).expect("mkdir");
    let guide = aniracetam();
    let mut latin1 = guide.replacen("Aniracetam appears", "Aniracetam appe\u{e9}rs", 1).into_bytes();
    // The two UTF-8 bytes of `é` become the one Latin-1 byte 0xE9.
    let at = latin1.windows(2).position(|w| w == [0xC3, 0xA9]).expect("é is there");
    latin1.splice(at..at + 2, [0xE9]);
    let broken: Vec<(&str, Vec<u8>)> = vec![
        ("latin1", latin1),
        ("truncated", guide.as_bytes()[..guide.len() / 3].to_vec()),
        (
            "misspelt-key",
            guide.replacen("\"statement\": \"Aniracetam appears", "\"statment\": \"Aniracetam appears", 1).into_bytes(),
        ),
        ("wrong-type", guide.replacen("\"count\": 276", "\"count\": \"276\"", 1).into_bytes()),
        ("unknown-citation", guide.replacen("@patsnap-aniracetam-uses]", "@nope]", 1).into_bytes()),
        (
            "duplicate-key",
            guide
                .replacen(
                    "\"catalog_number\": \"B564674\",",
                    "\"catalog_number\": \"B564674\",\n    \"catalog_number\": \"B5\",",
                    1,
                )
                .into_bytes(),
        ),
        ("inexact-number", guide.replacen("\"count\": 276", "\"count\": 18446744073709551616", 1).into_bytes()),
        ("nan", guide.replacen("\"count\": 276", "\"count\": NaN", 1).into_bytes()),
        ("bad-dot", guide.replacen("digraph", "digraph {{", 1).into_bytes()),
        ("bad-id", guide.replacen("\"id\": \"ampa-modulation\"", "\"id\": \"AMPA modulation\"", 1).into_bytes()),
    ];
    for (name, bytes) in &broken {
        assert_ne!(bytes.as_slice(), guide.as_bytes(), "{name}: the edit applies");
    }
    let mut broken_at = Vec::new();
    let mut k = 0;
    for i in 0..1000 {
        let name = format!("g{i:04}.json");
        if i % 100 == 37 {
            let (kind, bytes) = &broken[k];
            k += 1;
            std::fs::write(guides.join(&name), bytes).expect("write");
            broken_at.push((name, *kind));
        } else {
            std::fs::write(guides.join(&name), &guide).expect("write");
        }
    }
    assert_eq!(broken_at.len(), 10);
    for format in ["human", "json", "sarif"] {
        let output = guidekit(&["validate", "--format", format, "guides"], &dir);
        assert_eq!(output.status.code(), Some(1), "{format}: {}", stderr(&output));
        let text =
            if format == "human" { stderr(&output) } else { String::from_utf8_lossy(&output.stdout).into_owned() };
        for (name, kind) in &broken_at {
            let located = match format {
                "human" => text.contains(&format!("--> guides/{name}:")),
                _ => {
                    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                    let found = value.to_string();
                    found.contains(&format!("guides/{name}"))
                        && (found.contains("\"line\":") || found.contains("\"startLine\":"))
                }
            };
            assert!(located, "{format}: {name} ({kind}) is not named with a location");
        }
        if format == "json" {
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let invalid: Vec<&str> = value["guides"]
                .as_array()
                .expect("guides")
                .iter()
                .filter(|g| g["valid"] == false)
                .map(|g| g["file"].as_str().unwrap_or_default())
                .collect();
            assert_eq!(invalid.len(), 10, "{invalid:?}");
        }
    }
    let output = guidekit(&["build", "guides", "--out", "site"], &dir);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    for (name, kind) in &broken_at {
        assert!(text.contains(&format!("--> guides/{name}:")), "build: {name} ({kind}) not located");
        let folder = name.trim_end_matches(".json");
        assert!(!dir.join("site").join(folder).exists(), "{name} must not be built");
    }
    let built = std::fs::read_dir(dir.join("site"))
        .expect("site")
        .filter(|e| e.as_ref().expect("entry").path().join("index.html").is_file())
        .count();
    assert_eq!(built, 990);
    let index = std::fs::read_to_string(dir.join("site/index.html")).expect("the index is written");
    assert_eq!(index.matches("/index.html\"").count(), 990, "the index lists every built guide");
    assert!(text.contains("990 of 1000 guides built"), "{text}");
}

/// A link in a diagram that Graphviz would write into SVG unescaped is refused by `validate` (GK155), and
/// the same link percent-encoded builds with Graphviz: what `validate` accepts, both engines build.
#[test]
fn diagram_links_that_break_graphviz_svg_are_refused_first() {
    let dir = temp_dir("dot-links");
    let guide = aniracetam();
    let first_dot = guide.find("\"dot\": \"digraph").expect("a diagram") + "\"dot\": \"digraph".len();
    let brace = first_dot + guide[first_dot..].find('{').expect("its body");
    let with_link = |url: &str| {
        let mut text = guide.clone();
        text.insert_str(brace + 1, &format!(" linked [URL=\\\"{url}\\\"]; "));
        text
    };
    std::fs::write(dir.join("raw.json"), with_link("https://example.org/?a=1&b=2")).expect("write");
    std::fs::write(dir.join("encoded.json"), with_link("https://example.org/?a=1%26b=2")).expect("write");
    let output = guidekit(&["validate", "raw.json"], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("GK155"), "{}", stderr(&output));
    let output = guidekit(&["validate", "encoded.json"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let has_dot = Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success());
    if !has_dot && std::env::var_os("CI").is_none() {
        guidekit_tests::skips::skip("Graphviz `dot` is not installed");
        return;
    }
    let output = guidekit(&["build", "encoded.json", "--out", "site", "--diagrams", "graphviz"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
