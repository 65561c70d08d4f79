//! Shared helpers for guidekit's end-to-end tests.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace root").to_path_buf()
}

/// The `*.json` files directly in `dir` (relative to the workspace root), sorted.
pub fn json_files(dir: &str) -> Vec<PathBuf> {
    let dir = root().join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// Reads a file as JSON.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The file name, for messages.
pub fn name(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

/// Skipped checks, made visible. `cargo test` shows a test that returned early for lack of a tool as "ok";
/// every such test calls [`skips::skip`], which also appends a line to [`skips::log`], and `cargo xtask ci`
/// clears that file before the tests and lists it at the end.
pub mod skips {
    use std::io::Write;
    use std::path::PathBuf;

    /// `target/skipped-tests.txt` (or beneath `CARGO_TARGET_DIR`): one line per skip, `binary test: reason`.
    pub fn log() -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|dir| if dir.is_absolute() { dir } else { super::root().join(dir) })
            .unwrap_or_else(|| super::root().join("target"))
            .join("skipped-tests.txt")
    }

    /// Says on stderr that the running test skips its check and why, and records it in [`log`].
    pub fn skip(reason: impl std::fmt::Display) {
        eprintln!("skipped: {reason}");
        // The test binary's name without cargo's hash suffix, and libtest's name for the test's thread.
        let binary = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .map(|stem| stem.rsplit_once('-').map_or(stem.clone(), |(name, _)| name.to_owned()))
            .unwrap_or_default();
        record(&format!("{binary} {}", std::thread::current().name().unwrap_or("?")), reason);
    }

    /// Records in [`log`] that `what` (a test, or a step of `cargo xtask`) skipped a check, and why.
    pub fn record(what: &str, reason: impl std::fmt::Display) {
        let line = format!("{what}: {reason}\n");
        let path = log();
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(&path));
        // One short write with O_APPEND: lines from concurrent test binaries do not interleave.
        if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(&path) {
            let _ = file.write_all(line.as_bytes());
        }
    }

    /// Empties [`log`] (before a run).
    pub fn clear() {
        let _ = std::fs::remove_file(log());
    }

    /// What [`log`] holds, one skip per line, sorted and without repeats.
    pub fn recorded() -> Vec<String> {
        let text = std::fs::read_to_string(log()).unwrap_or_default();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines.sort();
        lines.dedup();
        lines
    }
}
/// Sentences of the seed (the Aniracetam guide) that must reach the reader unchanged in every format: the
/// Markdown and HTML pages (`tests/rendering.rs`) and the PDF (`guidekit-pdf`'s `tests/pdf.rs`). Written as
/// they appear in HTML; `&#x27;` stands for `'`.
pub const SEED_FACTS: &[&str] = &[
    "The Hypothesized Mechanism of Action of Aniracetam",
    "A Technical Guide",
    "BenchChem Technical Support Team",
    "December 2025",
    "Amooracetal",
    "B564674",
    "does not correspond to any known therapeutic agent in scientific literature",
    "tailored for researchers, scientists, and drug development professionals",
    "Positive Allosteric Modulation of AMPA Receptors",
    "Modulation of the Cholinergic System",
    "Influence on Dopaminergic and Serotonergic Systems",
    "Neuroprotection and Enhancement of Brain-Derived Neurotrophic Factor (BDNF)",
    "Preclinical Studies - In Vivo",
    "25, 50, 100 mg/kg (oral)",
    "30 and 100 mg/kg (oral)",
    "276 patients with cognitive disorders",
    "1500 mg/day",
    "12 months",
    "Not specified",
    "Murine Model of Cognitive and Behavioral Assessment",
    "Accelerating Rotarod Test",
    "Odor Discrimination Test",
    "Clinical Trial in Patients with Cognitive Impairment",
    "Cholinesterase inhibitors (ChEIs) monotherapy.",
    "71 ± 8 years",
    "Aniracetam&#x27;s positive allosteric modulation of the AMPA receptor.",
    "Hypothesized neuroprotective and BDNF-related pathways of Aniracetam.",
    "further rigorous clinical trials are necessary",
    "Research Use Only (RUO)",
    "we make no warranties, express or implied",
    "Need Custom Synthesis?",
    "rare earth carbides and specific isotopic labeling",
    "Need Industrial/Bulk Grade?",
    "3281 E Guasti Rd",
    "(601) 213-4426",
    "info@benchchem.com",
    "Our mission is to be the trusted global source of essential and advanced chemicals",
];

/// The one `<script>` element a guide page may carry: its schema.org JSON-LD, data that never runs.
pub const JSON_LD_OPEN: &str = "<script type=\"application/ld+json\">";

/// `html` without its JSON-LD block, after checking the block: at most one, its text is JSON and holds no
/// `<`, `>` or `&` (so no guide text can close the element or open a comment), and it is a schema.org
/// `ScholarlyArticle`. What is left must carry no script at all, which the caller checks.
pub fn without_json_ld(html: &str) -> String {
    let Some(start) = html.find(JSON_LD_OPEN) else { return html.to_owned() };
    let body_start = start + JSON_LD_OPEN.len();
    let end = body_start + html[body_start..].find("</script>").expect("the JSON-LD element is closed");
    let json = &html[body_start..end];
    assert!(!json.contains(['<', '>', '&']), "raw `<`, `>` or `&` in the JSON-LD: {json}");
    let value: serde_json::Value = serde_json::from_str(json).expect("the JSON-LD parses");
    assert_eq!(value["@type"], "ScholarlyArticle", "{json}");
    let rest = format!("{}{}", &html[..start], &html[end + "</script>".len()..]);
    assert!(!rest.contains(JSON_LD_OPEN), "one JSON-LD block per page");
    rest
}
