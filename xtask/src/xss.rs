//! `cargo xtask xss`: the real-browser XSS gate. Guides carrying XSS payloads in every free-text field, every
//! DOT label and every URL and e-mail field are built by the real `guidekit` binary and opened in headless
//! Chromium under a DevTools oracle (`tests/independent/xss_gate.py`), once as built (with the page's
//! Content-Security-Policy) and once with the policy removed, so that the sanitizer alone must hold.
//!
//! The payloads are `tests/fixtures/xss/payloads.txt` (always) and, when present beside the clone, the shared
//! corpora in `../shared/corpora`. A guide holds `PER_FIELD` payloads in each text field and each DOT label
//! kind, and the fields rotate through the groups of payloads, so that over all guides every payload lands in
//! every field. Positive control pages (not from guidekit) must trip the oracle, and every page must report,
//! so the gate cannot pass vacuously. Without `chromium` or `python3` the gate says it is skipped, unless `CI`
//! is set, where it fails.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};

/// Payloads per text field and per DOT label kind in one guide: fewer pages, each holding more.
const PER_FIELD: usize = 32;

/// One guide in this many is also built with `--diagrams graphviz` (when `dot` is installed).
const GRAPHVIZ_EVERY: usize = 6;

/// Rules a payload trips by design (an unknown citation, a bad identifier, a placeholder word). A user may
/// allow them in `guidekit.toml`, so the renderer must stay safe with them allowed. GK150 (DOT syntax) and
/// GK154 (DOT file attributes) stay errors: the generated DOT is valid by construction. GK155 (a DOT link
/// Graphviz would write unescaped) is allowed so that such links still reach the embedded engine and the
/// sanitiser; the Graphviz subset gets them with those characters stripped.
const ALLOWED_RULES: &[&str] = &[
    "GK101", "GK105", "GK111", "GK130", "GK131", "GK132", "GK133", "GK134", "GK135", "GK136", "GK155", "GK160",
    "GK161", "GK170",
];

/// How a field takes a payload.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// One line of plain text: the group, newlines removed, joined by spaces.
    Line,
    /// Prose with inline Markdown: the group, one paragraph each.
    Text,
    /// A URL: one payload, made into a URL that the schema accepts.
    Url,
    /// An e-mail address: one payload, made into an address that the schema accepts.
    Email,
    /// One kind of label in the DOT source of the first diagram: one node, edge or line per payload.
    Dot(DotKind),
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum DotKind {
    Node,
    Edge,
    HeadLabel,
    XLabel,
    Tooltip,
    Url,
    Graph,
    Html,
}

const DOT_KINDS: [DotKind; 8] = [
    DotKind::Node,
    DotKind::Edge,
    DotKind::HeadLabel,
    DotKind::XLabel,
    DotKind::Tooltip,
    DotKind::Url,
    DotKind::Graph,
    DotKind::Html,
];

/// A place in the template guide that receives payloads.
#[derive(Clone, Debug)]
struct Slot {
    pointer: String,
    kind: Kind,
    /// For one-payload fields repeated `PER_FIELD` times (actions, references), which copy this is.
    copy: usize,
    /// Which rotation this field follows: fields of one kind share it so their copies cover a whole group.
    family: usize,
}

pub fn run() -> Result<()> {
    let required = std::env::var_os("CI").is_some();
    let (Some(chromium), Some(python)) = (tool("chromium", "--version"), tool("python3", "--version")) else {
        ensure!(!required, "CI must have chromium and python3 for the XSS gate (apt-get install chromium)");
        guidekit_tests::skips::record("xtask xss", "chromium or python3 is not installed (apt-get install chromium)");
        return Ok(());
    };
    let started = Instant::now();
    let root = crate::root();
    let work = root.join("target/xss");
    if work.exists() {
        std::fs::remove_dir_all(&work).with_context(|| format!("cannot clear {}", work.display()))?;
    }
    let guidekit = crate::guidekit_debug()?;

    let payloads = payloads(&root)?;
    let (template, slots) = template(&root)?;
    let groups: Vec<&[String]> = payloads.chunks(PER_FIELD).collect();
    let guides = work.join("guides");
    let graphviz_guides = work.join("guides-graphviz");
    let with_graphviz = tool("dot", "-V").is_some();
    let toml: String = ALLOWED_RULES.iter().fold("[rules]\n".into(), |t, c| t + &format!("{c} = \"allow\"\n"));
    for dir in [&guides, &graphviz_guides] {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("guidekit.toml"), &toml)?;
    }
    for page in 0..groups.len() {
        let name = format!("xss-{page:04}.json");
        let guide = plant(&template, &slots, &groups, page, false);
        std::fs::write(guides.join(&name), serde_json::to_string_pretty(&guide)?)?;
        if with_graphviz && page.is_multiple_of(GRAPHVIZ_EVERY) {
            let guide = plant(&template, &slots, &groups, page, true);
            std::fs::write(graphviz_guides.join(&name), serde_json::to_string_pretty(&guide)?)?;
        }
    }
    let instances = slots_coverage(&slots, &groups);
    eprintln!(
        "xtask xss: {} payloads, {} fields, {} guides ({instances} planted payloads)",
        payloads.len(),
        slots.len(),
        groups.len()
    );

    let mut built = vec![build(&guidekit, &guides, &work.join("embedded"), "embedded")?];
    if with_graphviz {
        built.push(build(&guidekit, &graphviz_guides, &work.join("graphviz"), "graphviz")?);
    } else {
        ensure!(!required, "CI must have Graphviz for the XSS gate (apt-get install graphviz)");
        guidekit_tests::skips::record("xtask xss", "Graphviz is not installed: only embedded diagrams are checked");
    }
    let pages: Vec<PathBuf> = built.into_iter().flatten().collect();
    let stripped = strip_csp(&pages, &work.join("no-csp"))?;
    let controls = controls(&work.join("controls"), &pages[0])?;
    eprintln!("xtask xss: {} pages built in {:.0?}", pages.len(), started.elapsed());

    let mut list = String::new();
    for control in &controls {
        writeln!(list, "control\t{}", control.display())?;
    }
    for page in pages.iter().chain(&stripped) {
        writeln!(list, "page\t{}", page.display())?;
    }
    for control in &controls {
        writeln!(list, "control\t{}", control.display())?;
    }
    let list_path = work.join("pages.txt");
    let report_path = work.join("report.json");
    std::fs::write(&list_path, list)?;
    let status = Command::new(&python)
        .arg(root.join("tests/independent/xss_gate.py"))
        .arg(&chromium)
        .arg(&report_path)
        .arg(&list_path)
        .status()
        .context("cannot run tests/independent/xss_gate.py")?;
    ensure!(status.success(), "the XSS oracle could not drive Chromium");
    let report: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&report_path)?)?;
    judge(&report, pages.len(), &stripped)?;
    eprintln!(
        "xtask xss: 0 hits on {} pages with the CSP and {} without it; positive controls tripped; {:.0?} in all",
        pages.len(),
        stripped.len(),
        started.elapsed()
    );
    Ok(())
}

/// The program's name if it runs with `arg`, else `None`.
fn tool(name: &str, arg: &str) -> Option<String> {
    let output = Command::new(name).arg(arg).output().ok()?;
    output.status.success().then(|| name.to_string())
}

/// The bundled payloads, then the shared corpora when present; without duplicates or blank lines.
fn payloads(root: &Path) -> Result<Vec<String>> {
    let bundled = root.join("tests/fixtures/xss/payloads.txt");
    let mut texts = vec![std::fs::read_to_string(&bundled).with_context(|| format!("{}", bundled.display()))?];
    let shared = root.join("../shared/corpora");
    for file in ["xss-payloads.txt", "xss-extra/dompurify-payloads.txt", "xss-extra/h5sc-vectors.txt"] {
        if let Ok(text) = std::fs::read_to_string(shared.join(file)) {
            texts.push(text);
        }
    }
    if let Ok(text) = std::fs::read_to_string(shared.join("xss-extra/owasp-xss-vectors.txt")) {
        texts.push(text);
    }
    let mut all: Vec<String> = texts.iter().flat_map(|t| t.lines()).map(str::to_string).collect();
    if let Ok(text) = std::fs::read_to_string(shared.join("naughty-strings.json")) {
        let strings: Vec<String> = serde_json::from_str(&text).context("naughty-strings.json")?;
        all.extend(strings);
    }
    if texts.len() == 1 {
        eprintln!("xtask xss: {} is not present: only the bundled payloads are used", shared.display());
    }
    let mut seen = BTreeSet::new();
    Ok(all.into_iter().filter(|p| !p.trim().is_empty() && seen.insert(p.clone())).collect())
}

/// The Aniracetam guide with every optional free-text field filled in, and the fields that receive payloads:
/// the first occurrence of each field of the schema, each DOT label kind, and `PER_FIELD` copies of each kind
/// of URL and e-mail field.
fn template(root: &Path) -> Result<(Value, Vec<Slot>)> {
    let text = std::fs::read_to_string(root.join("guides/aniracetam.json"))?;
    let mut guide: Value = serde_json::from_str(&text)?;
    let x = || Value::from("x");
    guide["metadata"]["version"] = x();
    guide["metadata"]["keywords"] = json!(["x"]);
    let person = json!({"kind": "person", "family": "x", "given": "x", "orcid": "x", "affiliation": "x"});
    push(&mut guide["metadata"]["authors"], person);
    guide["compound"]["subject"]["synonyms"] = json!(["x"]);
    guide["compound"]["subject"]["identifiers"] =
        json!({"cas": "x", "pubchem_cid": "x", "chembl": "x", "inchikey": "x", "smiles": "x"});
    guide["data"]["tables"][0]["note"] = x();
    guide["data"]["tables"][0]["rows"][0]["cells"]["species"]["strain"] = x();
    guide["citation"]["text"] = x();
    let reference = &mut guide["references"][0];
    for key in [
        "title-short",
        "container-title",
        "container-title-short",
        "collection-title",
        "volume",
        "issue",
        "page",
        "edition",
        "number",
        "genre",
        "publisher",
        "publisher-place",
        "archive",
        "medium",
        "language",
        "DOI",
        "PMID",
        "PMCID",
        "ISBN",
        "ISSN",
        "note",
    ] {
        reference[key] = x();
    }
    let name = json!({"family": "x", "given": "x", "non-dropping-particle": "x", "dropping-particle": "x",
        "suffix": "x"});
    reference["author"] = json!([name, {"literal": "x"}]);
    reference["editor"] = json!([{"family": "x"}]);
    reference["issued"] = json!({"literal": "x"});
    reference["accessed"] = json!({"literal": "x"});
    reference["URL"] = "https://example.org/".into();

    let mut slots = Vec::new();
    let mut seen = BTreeSet::new();
    walk(&guide, "", &mut seen, &mut slots);
    for (family, slot) in slots.iter_mut().enumerate() {
        slot.family = family;
    }
    for kind in DOT_KINDS {
        let family = slots.len();
        slots.push(Slot { pointer: "/diagrams/items/0/dot".into(), kind: Kind::Dot(kind), copy: 0, family });
    }
    // Repeated one-payload fields: PER_FIELD actions in each list of actions, PER_FIELD references with a
    // URL, PER_FIELD offers with an e-mail address, so that each kind of URL field takes a whole group.
    let lists = [
        ("/compound/actions", Kind::Url),
        ("/notices/3/actions", Kind::Url),
        ("/publisher/offers/0/actions", Kind::Url),
        ("/references", Kind::Url),
        ("/publisher/offers", Kind::Email),
    ];
    for (list, kind) in lists {
        let family = slots.len();
        let items = guide.pointer_mut(list).and_then(Value::as_array_mut).context(list)?;
        let start = items.len();
        for copy in 0..PER_FIELD {
            let (item, field) = match (list, kind) {
                ("/references", _) => (
                    json!({"id": format!("xss-{copy}"), "type": "webpage", "title": "x", "URL": "https://a.org"}),
                    "URL",
                ),
                (_, Kind::Email) => (json!({"heading": "x", "email": "a@b.org"}), "email"),
                _ => (json!({"label": "x", "url": "https://a.org"}), "url"),
            };
            items.push(item);
            slots.push(Slot { pointer: format!("{list}/{}/{field}", start + copy), kind, copy, family });
        }
    }
    Ok((guide, slots))
}

fn push(list: &mut Value, item: Value) {
    if let Some(items) = list.as_array_mut() {
        items.push(item);
    }
}

/// Collects a slot for the first occurrence of each field (array indices and table cell keys ignored).
fn walk(value: &Value, pointer: &str, seen: &mut BTreeSet<String>, slots: &mut Vec<Slot>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                let enumeration = SKIPPED_KEYS.contains(&key.as_str())
                    || (key == "language" && pointer == "/metadata")
                    || (key == "unit" && map.get("kind") == Some(&Value::from("duration")));
                if !enumeration {
                    walk(item, &child, seen, slots);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{index}"), seen, slots);
            }
        }
        Value::String(_) => {
            let general = general(pointer);
            if seen.insert(general) {
                slots.push(Slot { pointer: pointer.into(), kind: kind_of(pointer), copy: 0, family: 0 });
            }
        }
        _ => {}
    }
}

/// Keys whose values are enumerations, identifiers or dates, not free text.
const SKIPPED_KEYS: &[&str] =
    &["$schema", "schema_version", "kind", "id", "key", "type", "route", "published", "evidence", "citations", "dot"];

/// A pointer with array indices and table cell keys replaced by `*`: one field of the schema.
fn general(pointer: &str) -> String {
    let parts: Vec<&str> = pointer.split('/').collect();
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let cell = i > 0 && parts[i - 1] == "cells";
        out.push(if cell || part.parse::<usize>().is_ok() { "*" } else { part });
    }
    out.join("/")
}

/// What a string field at `pointer` holds, from its key (the schema's `Line`, `Text`, `Url` or `Email`).
fn kind_of(pointer: &str) -> Kind {
    let key = pointer.rsplit('/').next().unwrap_or_default();
    let parent = general(pointer);
    let in_cells = parent.ends_with("/cells/*");
    match key {
        "url" | "URL" => Kind::Url,
        "email" => Kind::Email,
        "reason" | "summary" | "introduction" | "statement" | "mission" => Kind::Text,
        "text" if !pointer.starts_with("/citation") => Kind::Text,
        "note" if pointer.starts_with("/data") => Kind::Text,
        "caption" if pointer.starts_with("/diagrams") => Kind::Text,
        _ if in_cells => Kind::Text,
        _ => Kind::Line,
    }
}

/// The template with the payloads of page `page` planted: slot family `f` takes group `(page + f) % groups`;
/// a multi-payload field takes the whole group, copy `c` of a one-payload field takes its `c`-th payload.
fn plant(template: &Value, slots: &[Slot], groups: &[&[String]], page: usize, graphviz: bool) -> Value {
    let mut guide = template.clone();
    let group = |slot: &Slot| groups[(page + slot.family) % groups.len()];
    let mut dot = Dot { graphviz, ..Dot::default() };
    for slot in slots {
        let payloads = group(slot);
        let one = |c: usize| payloads[c % payloads.len()].as_str();
        let value = match slot.kind {
            Kind::Line => payloads.iter().map(|p| line(p)).collect::<Vec<_>>().join(" "),
            Kind::Text => payloads.iter().map(|p| format!("{p} x")).collect::<Vec<_>>().join("\n\n"),
            Kind::Url => url(one(slot.copy + page), slot.copy + page),
            Kind::Email => email(one(slot.copy + page), slot.copy + page),
            Kind::Dot(kind) => {
                dot.labels.push((kind, payloads));
                continue;
            }
        };
        *guide.pointer_mut(&slot.pointer).expect("slot pointer exists") = value.into();
    }
    guide["diagrams"]["items"][0]["dot"] = dot.source().into();
    guide
}

/// A payload as one line: line breaks become spaces, and a blank payload gets a visible character.
fn line(payload: &str) -> String {
    let line: String = payload.chars().map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }).collect();
    if line.trim().is_empty() { format!("x{line}") } else { line }
}

/// A payload without what the schema never allows in a URL or e-mail address (whitespace, controls, `"<>\^`{|}`,
/// and `@`, which would end a mailbox), and with other non-ASCII characters percent-encoded, as in a real URL.
fn url_safe(payload: &str) -> String {
    let mut out = String::new();
    for c in payload.chars() {
        if !c.is_ascii() {
            for byte in c.to_string().bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        } else if c.is_ascii_graphic() && !"\"<>\\^`{|}@".contains(c) {
            out.push(c);
        }
    }
    out
}

/// A payload made into an `http`, `https` or `mailto` URL that validates; the payload's own URL if it is one.
fn url(payload: &str, variant: usize) -> String {
    let safe = url_safe(payload);
    match variant % 3 {
        _ if payload.starts_with("http") && safe.len() == payload.len() && payload.contains("://") => safe,
        0 => format!("https://xss.invalid/{safe}"),
        1 => format!("http://xss.invalid/?q={safe}"),
        _ => format!("mailto:a@xss.invalid?subject={safe}"),
    }
}

/// A payload made into an e-mail address that validates, in the mailbox or in the domain.
fn email(payload: &str, variant: usize) -> String {
    let safe = url_safe(payload);
    let safe = if safe.is_empty() { "x".to_string() } else { safe };
    // The model reads the host up to its first dot, which must not be empty: hence the `x`.
    if variant.is_multiple_of(2) { format!("{safe}@xss.invalid") } else { format!("a@x{safe}.invalid") }
}

/// The DOT source of the planted diagram: one node, edge or line per payload of each label kind.
#[derive(Default)]
struct Dot<'a> {
    labels: Vec<(DotKind, &'a [String])>,
    /// Graphviz 2.42 writes a node's `URL` into the SVG without escaping `<`, and guidekit then refuses the
    /// ill-formed SVG (it fails closed): for Graphviz, `URL` payloads lose what no URL may hold.
    graphviz: bool,
}

impl Dot<'_> {
    fn source(&self) -> String {
        let of = |kind: DotKind| self.labels.iter().find(|(k, _)| *k == kind).map_or(&[][..], |(_, p)| p);
        let mut dot = String::from("digraph xss {\n  node [shape=box];\n");
        let graph: Vec<&str> = of(DotKind::Graph).iter().map(String::as_str).collect();
        let _ = writeln!(dot, "  graph [label=\"{}\"];", quoted(&graph.join("\n")));
        let nodes = of(DotKind::Node);
        for (i, label) in nodes.iter().enumerate() {
            let extra = |kind| of(kind).get(i).map_or(String::new(), |p: &String| quoted(p));
            let _ = writeln!(
                dot,
                "  n{i} [label=\"{}\", xlabel=\"{}\", tooltip=\"{}\", URL=\"{}\"];",
                quoted(label),
                extra(DotKind::XLabel),
                extra(DotKind::Tooltip),
                if self.graphviz { url_safe(&extra(DotKind::Url)) } else { extra(DotKind::Url) }
            );
        }
        for (i, label) in of(DotKind::Edge).iter().enumerate() {
            let head = of(DotKind::HeadLabel).get(i).map_or(String::new(), |p| quoted(p));
            let next = (i + 1) % nodes.len().max(1);
            let _ = writeln!(dot, "  n{i} -> n{next} [label=\"{}\", headlabel=\"{head}\"];", quoted(label));
        }
        for (i, label) in of(DotKind::Html).iter().enumerate() {
            let _ = writeln!(dot, "  h{i} [label=<<B>{}</B>>];", html_text(label));
        }
        dot.push_str("}\n");
        dot
    }
}

/// A payload inside a DOT double-quoted string.
fn quoted(payload: &str) -> String {
    let mut out = String::new();
    for c in payload.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    // Graphviz (and guidekit's DOT check) read `\"` as an escaped quote, so a string never ends in `\`.
    if out.ends_with('\\') {
        out.push(' ');
    }
    out
}

/// A payload as the text of a DOT HTML-like label: markup escaped, so that the text Graphviz decodes is the
/// payload itself (which the SVG writer must escape again).
fn html_text(payload: &str) -> String {
    let mut out = String::new();
    for c in payload.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Expat, Graphviz's XML reader, rejects controls and the non-characters U+FFFE and U+FFFF.
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => out.push(' '),
            c => out.push(c),
        }
    }
    if out.trim().is_empty() { "x".into() } else { out }
}

/// How many payloads are planted in all guides.
fn slots_coverage(slots: &[Slot], groups: &[&[String]]) -> usize {
    let per_group: usize = groups.iter().map(|g| g.len()).sum();
    slots.iter().map(|s| if matches!(s.kind, Kind::Url | Kind::Email) { groups.len() } else { per_group }).sum()
}

/// Validates the guides (no errors allowed beyond `ALLOWED_RULES`) and builds them; returns the HTML pages.
fn build(guidekit: &Path, guides: &Path, out: &Path, diagrams: &str) -> Result<Vec<PathBuf>> {
    let output = Command::new(guidekit)
        .args(["build", "--format", "html", "--diagrams", diagrams, "--out"])
        .arg(out)
        .arg(guides)
        .output()
        .context("cannot run guidekit build")?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let head: String = stderr.lines().take(60).collect::<Vec<_>>().join("\n");
        bail!("guidekit build --diagrams {diagrams} failed:\n{head}");
    }
    let mut pages = vec![out.join("index.html")];
    for entry in std::fs::read_dir(guides)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let stem = path.file_stem().context("file stem")?;
            pages.push(out.join(stem).join("index.html"));
        }
    }
    pages.sort();
    for page in &pages {
        ensure!(page.is_file(), "guidekit build did not write {}", page.display());
    }
    Ok(pages)
}

/// Copies of `pages` without their Content-Security-Policy `<meta>`, checked to be gone.
fn strip_csp(pages: &[PathBuf], out: &Path) -> Result<Vec<PathBuf>> {
    let mut stripped = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let html = std::fs::read_to_string(page)?;
        let start = html.find("<meta http-equiv=\"Content-Security-Policy\"").context("a page without a CSP")?;
        let end = start + html[start..].find('>').context("an unclosed meta")? + 1;
        let without = format!("{}{}", &html[..start], &html[end..]);
        ensure!(!without.to_ascii_lowercase().contains("http-equiv=\"content-security-policy\""), "CSP left");
        let path = out.join(format!("{i:04}")).join("index.html");
        std::fs::create_dir_all(path.parent().context("parent")?)?;
        std::fs::write(&path, without)?;
        stripped.push(path);
    }
    Ok(stripped)
}

/// Pages that must trip the oracle: script, an error handler, a request, a handler needing an event, a
/// `javascript:` link, and an inline handler under guidekit's own CSP (taken from `page`).
fn controls(dir: &Path, page: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let html = std::fs::read_to_string(page)?;
    let start = html.find("<meta http-equiv=\"Content-Security-Policy\"").context("a page without a CSP")?;
    let csp = &html[start..start + html[start..].find('>').context("an unclosed meta")? + 1];
    let script = "<!doctype html><html><head><title>control</title></head><body>\
        <script>alert(1)</script><img src=x onerror=\"console.log('img')\">\
        <script>fetch('http://127.0.0.1:9/')</script><b onmouseover=\"confirm(2)\">hover</b>\
        <a href=\"javascript:prompt(3)\">link</a></body></html>";
    let with_csp = format!(
        "<!doctype html><html><head>{csp}<title>control</title></head><body>\
        <img src=x onerror=\"alert(1)\"><b onclick=\"alert(2)\">x</b></body></html>"
    );
    let paths = [dir.join("script.html"), dir.join("csp.html")];
    std::fs::write(&paths[0], script)?;
    std::fs::write(&paths[1], with_csp)?;
    Ok(paths.to_vec())
}

/// Fails unless every page reported with no hit and the CSP it should have, and every control tripped.
fn judge(report: &[Value], with_csp: usize, without: &[PathBuf]) -> Result<()> {
    let without: BTreeSet<String> = without.iter().map(|p| p.display().to_string()).collect();
    let mut problems = Vec::new();
    let mut pages = 0;
    for record in report {
        let path = record["path"].as_str().unwrap_or_default();
        let hits = record["hits"].as_array().map_or(0, Vec::len);
        if record["reported"] != Value::Bool(true) {
            problems.push(format!("{path}: did not report ({})", record["error"]));
            continue;
        }
        let kinds: BTreeSet<&str> =
            record["hits"].as_array().into_iter().flatten().filter_map(|h| h["kind"].as_str()).collect();
        if record["role"] == "control" {
            let expected: &[&str] = if path.ends_with("csp.html") {
                &["csp", "markup"]
            } else {
                &["dialog", "script", "console", "request", "markup"]
            };
            for kind in expected {
                if !kinds.contains(kind) {
                    problems.push(format!("control {path}: the oracle saw no `{kind}` hit: {}", record["hits"]));
                }
            }
            continue;
        }
        pages += 1;
        let csp_expected = !without.contains(path);
        if record["csp"] != Value::Bool(csp_expected) {
            problems.push(format!("{path}: CSP meta present is {}, expected {csp_expected}", record["csp"]));
        }
        if hits > 0 {
            problems.push(format!("{path}: {hits} hit(s): {}", record["hits"]));
        }
    }
    if pages != with_csp + without.len() {
        problems.push(format!("{pages} pages reported, {} expected", with_csp + without.len()));
    }
    if !problems.is_empty() {
        let shown: Vec<&str> = problems.iter().take(40).map(String::as_str).collect();
        bail!("the XSS gate failed ({} problems):\n{}", problems.len(), shown.join("\n"));
    }
    Ok(())
}
