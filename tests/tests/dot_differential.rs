//! Differential test of guidekit's DOT parser against Graphviz: over a corpus of graphs — the bundled guides'
//! diagrams, the diagrams of every fixture, Graphviz's own example graphs (Debian's `graphviz-doc`) and
//! mutations of all of them — `guidekit_model::dot::parse` and `dot -Tsvg` must both accept or both refuse
//! each graph, and every graph we accept within the layout limits must draw with the embedded engine.
//!
//! Graphs that would make Graphviz read a file are refused by guidekit on purpose (GK154, and both engines),
//! whatever Graphviz makes of them (it only warns about a missing `image`): for them the test checks the
//! refusal instead. CI installs Graphviz; elsewhere the test says it is skipped, unless `CI` is set, where
//! it must run.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use guidekit_model::dot;

/// Where Debian's `graphviz-doc` installs the example graphs.
const EXAMPLES: &str = "/usr/share/doc/graphviz/examples/graphs";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_path_buf()
}

/// Every `"dot"` string in a JSON document.
fn diagrams_in(json: &serde_json::Value, out: &mut Vec<String>) {
    match json {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match value {
                    serde_json::Value::String(dot) if key == "dot" => out.push(dot.clone()),
                    _ => diagrams_in(value, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| diagrams_in(v, out)),
        _ => {}
    }
}

/// JSON files under `dir`, recursively, sorted.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The graphs of the guides and fixtures, named.
fn guide_graphs() -> Vec<(String, String)> {
    let root = root();
    let mut files = Vec::new();
    for dir in ["guides", "crates/guidekit-validate/tests/fixtures", "tests/fixtures"] {
        json_files(&root.join(dir), &mut files);
    }
    let mut graphs = Vec::new();
    for file in files {
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&std::fs::read(&file).expect("readable")) else {
            continue;
        };
        let mut found = Vec::new();
        diagrams_in(&json, &mut found);
        let name = file.strip_prefix(&root).unwrap_or(&file).display().to_string();
        graphs.extend(found.into_iter().enumerate().map(|(i, dot)| (format!("{name}#{i}"), dot)));
    }
    graphs
}

/// Graphviz's example graphs (UTF-8 ones: a guide is UTF-8), decompressing the `.gv.gz` ones.
fn example_graphs() -> (Vec<(String, String)>, usize) {
    let mut paths = Vec::new();
    for dir in ["directed", "undirected"] {
        if let Ok(entries) = std::fs::read_dir(Path::new(EXAMPLES).join(dir)) {
            paths.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    paths.sort();
    let mut graphs = Vec::new();
    let mut not_utf8 = 0;
    for path in paths {
        let name = path.display().to_string();
        let bytes = if name.ends_with(".gz") {
            Command::new("gzip").arg("-dc").arg(&path).output().expect("gzip runs").stdout
        } else if name.ends_with(".gv") {
            std::fs::read(&path).expect("readable example")
        } else {
            continue;
        };
        match String::from_utf8(bytes) {
            Ok(text) => graphs.push((name, text)),
            Err(_) => not_utf8 += 1,
        }
    }
    (graphs, not_utf8)
}

/// Deterministic mutations of `source`: the kinds of mistakes and tricks a guide's author could make.
fn mutations(name: &str, source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |what: &str, text: String| {
        if text != source {
            out.push((format!("{name} [{what}]"), text));
        }
    };
    // Delete the first and last of each kind of punctuation.
    for p in ['{', '}', '[', ']', '=', ';', '"', ',', '>'] {
        if let Some(i) = source.find(p) {
            add(&format!("drop first {p}"), format!("{}{}", &source[..i], &source[i + 1..]));
        }
        if let Some(i) = source.rfind(p) {
            add(&format!("drop last {p}"), format!("{}{}", &source[..i], &source[i + 1..]));
        }
    }
    // Truncations.
    for fraction in [3, 2] {
        let mut at = source.len() / fraction;
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        add(&format!("first 1/{fraction}"), source[..at].to_owned());
    }
    // The wrong edge operator, a stray character, a doubled semicolon.
    add("-> as --", source.replacen("->", "--", 1));
    add("-- as ->", source.replacen("--", "->", 1));
    add("stray @", source.replacen('{', "{ @", 1));
    add("double ;", source.replacen(';', ";;", 1));
    // Graphviz's lenient lexing: numbers run into names, node lists, a line continuation in a string.
    add("1abc", source.replacen('{', "{ 1abc -> 2.5.6; ", 1));
    add("node list", source.replacen('{', "{ xa, xb -> xc; ", 1));
    if let Some(i) = source.find("label=\"") {
        let at = i + "label=\"".len();
        if source[at..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
            add("continued string", format!("{}{}\\\n{}", &source[..at], &source[at..at + 1], &source[at + 1..]));
        }
    }
    // Letter case of keywords and attributes.
    add("DIGRAPH", source.replacen("digraph", "DiGraph", 1));
    add("LABEL", source.replacen("label", "LABEL", 1));
    // HTML labels: good ones, and the kinds Graphviz refuses.
    for (what, label) in [
        ("html ok", "label=<<b>x</b><br/>y &amp; z>"),
        ("html table", "label=<<table><tr><td>x</td><td>y</td></tr></table>>"),
        ("html style", "label=<<style>x</style>>"),
        ("html mismatched", "label=<<b>x</i>>"),
        ("html entity", "label=<x &bogus; y>"),
        ("html empty table", "label=<<table></table>>"),
        ("html text before table", "label=<x<table><tr><td>y</td></tr></table>>"),
    ] {
        if let Some(i) = source.find("label=\"") {
            let end = source[i + 7..].find('"').map(|e| i + 7 + e + 1);
            if let Some(end) = end {
                add(what, format!("{}{label}{}", &source[..i], &source[end..]));
            }
        }
    }
    // A file-reading attribute, in three letter cases, which guidekit refuses and Graphviz fails to read.
    for attribute in ["image", "IMAGE", "Image"] {
        add(attribute, source.replacen('{', &format!("{{ zz [{attribute}=\"/nonexistent/guidekit.png\"]; "), 1));
    }
    out
}

/// Whether `dot -Tsvg` accepts `source`: exit status 0 and exactly one SVG document. `None` on a timeout.
fn graphviz_accepts(dot: &Path, source: &str) -> Option<(bool, String)> {
    let mut child = Command::new(dot)
        .arg("-Tsvg")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dot runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = source.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut out);
        out
    });
    let errors = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut out);
        out
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = errors.join().unwrap_or_default();
    let first_error = err.lines().find(|l| l.starts_with("Error")).unwrap_or("").to_owned();
    Some((status.success() && out.matches("<svg").count() == 1, first_error))
}

/// What guidekit makes of a graph.
#[derive(Debug, PartialEq)]
enum Ours {
    /// Accepted, within the layout limits or not.
    Accepted { within_limits: bool },
    /// Refused by the parser, with the reason.
    Refused(String),
    /// Parsed, but refused because it would make Graphviz read a file.
    ReadsFiles,
}

fn ours(source: &str) -> Ours {
    match dot::parse(source) {
        Err(e) => Ours::Refused(format!("offset {}: {}", e.offset, e.message)),
        Ok(graph) if !graph.file_reads().is_empty() => Ours::ReadsFiles,
        Ok(graph) => Ours::Accepted { within_limits: dot::limits::check(&graph).is_ok() },
    }
}

#[test]
fn our_parser_and_graphviz_agree() {
    let required = std::env::var_os("CI").is_some();
    let dot = std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).map(|d| d.join("dot")).find(|p| p.is_file()));
    let Some(dot) = dot else {
        assert!(!required, "CI must have Graphviz: apt-get install graphviz graphviz-doc");
        guidekit_tests::skips::skip("Graphviz is not installed (apt-get install graphviz graphviz-doc)");
        return;
    };
    let (examples, not_utf8) = example_graphs();
    assert!(
        !required || examples.len() >= 50,
        "CI must have Graphviz's example graphs: apt-get install graphviz-doc ({} found)",
        examples.len()
    );
    let mut corpus = guide_graphs();
    corpus.extend(examples.iter().cloned());
    let bases = corpus.clone();
    for (name, source) in &bases {
        if source.len() <= 4096 {
            corpus.extend(mutations(name, source));
        }
    }

    let disagreements = Mutex::new(Vec::new());
    let undrawable = Mutex::new(Vec::new());
    // Compared, accepted and drawn, accepted beyond the limits, refused by both, refused as reading files,
    // Graphviz timeouts.
    let counts = Mutex::new((0usize, 0usize, 0usize, 0usize, 0usize, 0usize));
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut next = next.lock().expect("lock");
                        *next += 1;
                        *next - 1
                    };
                    let Some((name, source)) = corpus.get(i) else { break };
                    let ours = ours(source);
                    if ours == Ours::ReadsFiles {
                        counts.lock().expect("lock").4 += 1;
                        continue;
                    }
                    let Some((theirs, their_error)) = graphviz_accepts(&dot, source) else {
                        counts.lock().expect("lock").5 += 1;
                        continue;
                    };
                    {
                        let mut c = counts.lock().expect("lock");
                        c.0 += 1;
                        match &ours {
                            Ours::Accepted { within_limits: true } => c.1 += 1,
                            Ours::Accepted { within_limits: false } => c.2 += 1,
                            _ => c.3 += 1,
                        }
                    }
                    match (&ours, theirs) {
                        (Ours::Accepted { .. }, false) => disagreements
                            .lock()
                            .expect("lock")
                            .push(format!("{name}: we accept, Graphviz refuses: {their_error}")),
                        (Ours::Refused(why), true) => disagreements
                            .lock()
                            .expect("lock")
                            .push(format!("{name}: we refuse ({why}), Graphviz accepts")),
                        _ => {}
                    }
                    if ours == (Ours::Accepted { within_limits: true }) {
                        let graph = dot::parse(source).expect("accepted above");
                        if let Err(error) = guidekit_render::draw_embedded(&graph) {
                            undrawable.lock().expect("lock").push(format!("{name}: {error}"));
                        }
                    }
                }
            });
        }
    });
    let (total, drawn, over_limit, refused, reads_files, timeouts) = *counts.lock().expect("lock");
    eprintln!(
        "{total} graphs compared ({} Graphviz examples, {not_utf8} skipped as not UTF-8, {timeouts} Graphviz \
         timeouts): {drawn} accepted and drawn, {over_limit} accepted but beyond the layout limits, {refused} \
         refused by both; {reads_files} more refused as reading files",
        examples.len()
    );
    assert!(reads_files >= 3, "the file-reading mutations were all refused: {reads_files}");
    let disagreements = disagreements.into_inner().expect("lock");
    let undrawable = undrawable.into_inner().expect("lock");
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
    assert!(undrawable.is_empty(), "accepted but not drawn by the embedded engine:\n{}", undrawable.join("\n"));
    assert!(total >= 200, "only {total} graphs compared");
}
