//! Catalog-scale behaviour of the binary: output identical at every `-j`, incremental builds from the
//! manifest, and shards merged by `guidekit index` into the very bytes of a single build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn guidekit(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guidekit")).args(args).current_dir(dir).env("CI", "1").output().expect("runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-catalog-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `n` guides in `dir/guides`: the bundled guide under other names and titles; every fifth one has a
/// warning or an error, so that reports are interleaved with clean guides.
fn catalog(dir: &Path, n: usize) -> PathBuf {
    let guides = dir.join("guides");
    std::fs::create_dir_all(&guides).expect("guides dir");
    let text = std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("bundled guide");
    for i in 0..n {
        let mut guide = text.replacen("\"The Hypothesized", &format!("\"Guide {i}: The Hypothesized"), 1);
        match i % 10 {
            3 => guide = guide.replacen("@patsnap-aniracetam-uses]", "@no-such-reference]", 1),
            8 => guide = guide.replacen("\"count\": 276", "\"count\": \"276\"", 1),
            _ => {}
        }
        std::fs::write(guides.join(format!("guide-{i:03}.json")), guide).expect("write guide");
    }
    guides
}

/// Every file beneath `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if !path.ends_with(".guidekit-lock") {
                out.insert(
                    path.strip_prefix(base).expect("beneath").to_path_buf(),
                    std::fs::read(&path).expect("file"),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn validate_writes_the_same_bytes_at_every_job_count() {
    let dir = temp_dir("jobs");
    catalog(&dir, 40);
    for format in ["human", "json", "sarif"] {
        let one = guidekit(&["validate", "guides", "--format", format, "-j", "1"], &dir);
        assert_eq!(one.status.code(), Some(1), "{format}: some guides are invalid");
        for jobs in ["2", "7"] {
            let many = guidekit(&["validate", "guides", "--format", format, "-j", jobs], &dir);
            assert_eq!(many.status.code(), Some(1));
            assert_eq!(stderr(&many), stderr(&one), "{format} at -j {jobs}");
            assert_eq!(many.stdout, one.stdout, "{format} at -j {jobs}");
        }
    }
    let human = stderr(&guidekit(&["validate", "guides", "-j", "3"], &dir));
    // Reports come in input order: guide-003's before guide-008's before guide-013's.
    let at = |name: &str| human.find(name).unwrap_or_else(|| panic!("{name} reported: {human}"));
    assert!(at("guide-003.json") < at("guide-008.json") && at("guide-008.json") < at("guide-013.json"));
    assert!(human.contains("40 guides checked: 32 valid, 8 invalid"), "{human}");
}

#[test]
fn an_unchanged_guide_is_not_rebuilt_and_a_removed_one_is_removed() {
    let dir = temp_dir("incremental");
    let guides = catalog(&dir, 12);
    let first = guidekit(&["build", "guides", "--out", "site", "-j", "2"], &dir);
    assert_eq!(first.status.code(), Some(1), "two guides are invalid: {}", stderr(&first));
    assert!(stderr(&first).contains("10 of 12 guides built into site"), "{}", stderr(&first));
    let built = tree(&dir.join("site"));
    assert!(built.keys().any(|p| p.ends_with(".guidekit-manifest.json")));

    let again = guidekit(&["build", "guides", "--out", "site", "-j", "2"], &dir);
    let text = stderr(&again);
    // Nothing is rebuilt; the warnings every guide has (the bundled guide's GK103) are printed again.
    assert!(text.contains("(10 unchanged since the last build)"), "{text}");
    assert!(!text.contains("built guides/guide-000.json"), "{text}");
    assert_eq!(text.matches("warning[GK103]").count(), stderr(&first).matches("warning[GK103]").count(), "{text}");
    assert_eq!(tree(&dir.join("site")), built, "a no-op build changes no byte");

    let changed = guides.join("guide-005.json");
    let text = std::fs::read_to_string(&changed).expect("guide");
    std::fs::write(&changed, text.replacen("Guide 5:", "Guide five:", 1)).expect("write");
    std::fs::remove_file(guides.join("guide-007.json")).expect("remove");
    let third = stderr(&guidekit(&["build", "guides", "--out", "site"], &dir));
    assert!(third.contains("built guides/guide-005.json") && third.contains("(8 unchanged"), "{third}");
    assert!(!third.contains("built guides/guide-004.json"), "{third}");
    assert!(std::fs::read_to_string(dir.join("site/guide-005/index.html")).expect("page").contains("Guide five:"));
    assert!(!dir.join("site/guide-007").exists(), "the removed guide's folder is removed");
    let index = std::fs::read_to_string(dir.join("site/index.html")).expect("index");
    assert!(index.contains("Guide five:") && !index.contains("Guide 7:"), "the index follows");

    let forced = stderr(&guidekit(&["build", "guides", "--out", "site", "--force"], &dir));
    assert!(forced.contains("9 of 11 guides built") && !forced.contains("unchanged"), "{forced}");
    // Another format is another build: nothing is reused.
    let md = stderr(&guidekit(&["build", "guides", "--out", "site", "--format", "md"], &dir));
    assert!(!md.contains("unchanged"), "{md}");
}

#[test]
fn shards_merge_into_the_bytes_of_a_single_build() {
    let dir = temp_dir("shards");
    catalog(&dir, 15);
    guidekit(&["build", "guides", "--out", "single"], &dir);
    let mut shard_dirs = Vec::new();
    let mut total = 0;
    for k in 1..=3 {
        let out = format!("shard-{k}");
        let output = guidekit(&["build", "guides", "--out", &out, "--shard", &format!("{k}/3")], &dir);
        let text = stderr(&output);
        assert!(text.contains(&format!("(shard {k}/3)")), "{text}");
        total +=
            tree(&dir.join(&out)).keys().filter(|p| p.ends_with("index.html") && p.components().count() == 2).count();
        shard_dirs.push(out);
    }
    assert_eq!(total, 12, "each valid guide is built by exactly one shard");
    let mut args = vec!["index", "--out", "merged"];
    args.extend(shard_dirs.iter().map(String::as_str));
    let merged = guidekit(&args, &dir);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    assert_eq!(tree(&dir.join("merged")), tree(&dir.join("single")), "merged shards equal a single build");

    // Two shards that hold one folder, or were built differently, are refused.
    let twice = guidekit(&["index", "--out", "bad", "shard-1", "shard-1"], &dir);
    assert_eq!(twice.status.code(), Some(2));
    assert!(stderr(&twice).contains("is in both"), "{}", stderr(&twice));
    guidekit(&["build", "guides", "--out", "md-shard", "--shard", "2/3", "--format", "md"], &dir);
    let mixed = guidekit(&["index", "--out", "bad", "shard-1", "md-shard"], &dir);
    assert!(stderr(&mixed).contains("different settings"), "{}", stderr(&mixed));
    let bad = guidekit(&["build", "guides", "--out", "x", "--shard", "4/3"], &dir);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

#[test]
fn a_large_index_is_split_into_pages_that_follow_the_catalog() {
    let dir = temp_dir("pages");
    let guides = catalog(&dir, 12);
    // 10 valid guides, 4 a page: index.html, index-2.html, index-3.html.
    let first = guidekit(&["build", "guides", "--out", "site", "--index-page", "4"], &dir);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    let page = |name: &str| std::fs::read_to_string(dir.join("site").join(name)).ok();
    let one = page("index.html").expect("page 1");
    assert!(one.contains("Page 1 of 3") && one.contains("href=\"index-2.html\"") && !one.contains("rel=\"prev\""));
    assert_eq!(one.matches("<li>").count(), 4, "{one}");
    let two = page("index-2.html").expect("page 2");
    assert!(two.contains("href=\"index.html\"") && two.contains("href=\"index-3.html\""), "{two}");
    let three = page("index-3.html").expect("page 3");
    assert_eq!(three.matches("<li>").count(), 2, "{three}");
    assert!(three.contains("Guide 11:") && !three.contains("rel=\"next\""), "input order: {three}");
    let md = page("index-2.md").expect("Markdown page 2");
    assert!(md.contains("Page 2 of 3") && md.contains("[Next](index-3.md)"), "{md}");

    // The manifest is JSON Lines: a header, then one line per guide built, in input order.
    let manifest = page(".guidekit-manifest.json").expect("manifest");
    let lines: Vec<serde_json::Value> =
        manifest.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines[0]["settings"]["index_page"], 4);
    let positions: Vec<u64> = lines[1..].iter().map(|l| l["position"].as_u64().expect("position")).collect();
    assert_eq!(positions, [0, 1, 2, 4, 5, 6, 7, 9, 10, 11]);

    // A catalog that shrinks loses its last pages.
    for i in 0..6 {
        std::fs::remove_file(guides.join(format!("guide-{i:03}.json"))).expect("remove");
    }
    let second = guidekit(&["build", "guides", "--out", "site", "--index-page", "4"], &dir);
    assert!(stderr(&second).contains("5 of 6 guides built"), "{}", stderr(&second));
    assert!(page("index-2.html").expect("page 2").contains("Page 2 of 2"));
    assert!(page("index-3.html").is_none() && page("index-3.md").is_none(), "the third page is gone");
    // A catalog that fits one page has no page links.
    guidekit(&["build", "guides", "--out", "site"], &dir);
    assert!(!page("index.html").expect("index").contains("Page 1 of"));
    assert!(page("index-2.html").is_none());
}
