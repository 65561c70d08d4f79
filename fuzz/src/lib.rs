//! The bodies of guidekit's fuzz targets, one function per target. The cargo-fuzz binaries in
//! `fuzz_targets/` call them, and the replay test `tests/tests/fuzz_corpus.rs` (plain `#[test]`, stable Rust)
//! includes this file and runs every committed corpus and crash input through them, so both run the same code.
//!
//! Each body asserts more than "does not panic": the invariants a caller relies on (spans inside the file,
//! an error for every file that is not JSON, rendered HTML without scripts, SVG that is an `<svg>` element).

use std::sync::OnceLock;

use guidekit_model::Guide;
use guidekit_render::{Format, RenderOptions, Renderer};
use guidekit_tests::without_json_ld;

/// The CLI's human reporter, private to the `guidekit` binary, compiled in here as it is; the JSON and SARIF
/// writers are the library's (`guidekit_validate::output`).
#[path = "../../crates/guidekit-cli/src/report.rs"]
pub mod report;

/// The name the fuzzed file goes by in reports; it contains characters a SARIF URI must percent-encode.
const NAME: &str = "fuzz dir/guide #1.json";

/// One renderer for every input: loading the templates is the slow part of [`Renderer::new`].
fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new(RenderOptions::default()).expect("the built-in templates load"))
}

/// Target `parse_validate`: validates `data` as a guide file. Never panics; every span lies inside the file
/// (on character boundaries when the file is UTF-8); a file that is not JSON gets at least one error.
pub fn parse_validate(data: &[u8]) {
    let report = guidekit_validate::validate(data, NAME);
    let text = std::str::from_utf8(data).ok();
    let spans =
        report.diagnostics.iter().flat_map(|d| d.span.iter().chain(d.related.iter().filter_map(|r| r.span.as_ref())));
    for span in spans {
        assert!(
            span.start <= span.end && span.end <= data.len(),
            "span {span:?} outside a file of {} bytes",
            data.len()
        );
        assert!(span.line >= 1 && span.column >= 1 && span.end_line >= span.line, "span {span:?} has impossible lines");
        if let Some(text) = text {
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "span {span:?} splits a character"
            );
        }
    }
    // The validator accepts a leading byte order mark, serde_json does not.
    let json = data.strip_prefix("\u{feff}".as_bytes()).unwrap_or(data);
    if serde_json::from_slice::<serde_json::Value>(json).is_err() {
        assert!(report.has_errors(), "not JSON, yet no error: {:?}", report.diagnostics);
    }
}

/// Target `report`: validates `data` and prints the report the three ways the CLI can, into memory. Never
/// panics, and the JSON and SARIF documents serialize and parse back.
pub fn report(data: &[u8]) {
    // As the CLI does: the snippet text keeps the file's byte offsets, whatever the bytes.
    let checked = [report::Checked::new(guidekit_validate::validate(data, NAME), data)];
    // Finding R1 (fuzz/README.md) was a panic here on any file that is not UTF-8; the kept input
    // `fuzz/artifacts/report/crash-human-invalid-utf8` replays it.
    let mut human = Vec::new();
    report::Human::plain().write(&checked[0], &mut human).expect("writing to memory succeeds");
    let mut totals = guidekit_validate::output::Totals::default();
    totals.add(&checked[0].report);
    let _ = report::summary(&totals, 0);
    let reports = checked.iter().map(|c| &c.report);
    // The streams write what the whole documents serialize to.
    let mut json = guidekit_validate::output::JsonStream::begin(Vec::new()).expect("memory");
    json.report(&checked[0].report).expect("memory");
    let streamed: serde_json::Value =
        serde_json::from_slice(&json.finish().expect("memory").1).expect("streamed JSON parses");
    assert_eq!(streamed, guidekit_validate::output::json(reports.clone()));
    for document in [guidekit_validate::output::json(reports.clone()), guidekit_validate::output::sarif(reports)] {
        let written = serde_json::to_string_pretty(&document).expect("a report serializes");
        let read: serde_json::Value = serde_json::from_str(&written).expect("a written report parses");
        assert_eq!(read, document, "a report does not survive a round trip through its text");
    }
}

/// Target `render`: reads `data` as a guide (serde, as the validator does after its schema stage) and renders
/// it to HTML and Markdown with the embedded diagram engine. Any guide that deserializes renders without
/// panicking (an error is allowed, e.g. for DOT the engine cannot draw); the HTML has no `<script`.
pub fn render(data: &[u8]) {
    let Ok(guide) = serde_json::from_slice::<Guide>(data) else { return };
    let Ok(files) = renderer().render(&guide, &[Format::Html, Format::Markdown]) else { return };
    for file in &files {
        let text = std::str::from_utf8(&file.contents).expect("rendered files are UTF-8");
        if file.path.extension().is_some_and(|e| e == "html" || e == "svg") {
            let text = without_json_ld(text);
            assert!(!text.to_ascii_lowercase().contains("<script"), "{} has a script element", file.path.display());
        }
    }
}

/// A guide with every optional field, whose text the `render_text` target replaces.
const RICH_GUIDE: &str = include_str!("../../tests/fixtures/schema/valid/every-field.json");

/// Keys whose values are prose (`Text`, which may span paragraphs) in [`RICH_GUIDE`].
const TEXT_KEYS: &[&str] = &["text", "statement", "introduction", "summary", "reason", "note", "mission"];
/// Keys whose values are one line of plain text (`Line`).
const LINE_KEYS: &[&str] = &["title", "subtitle", "heading", "caption", "alt", "label", "name", "affiliation"];

/// Replaces every string under one of `keys` in `value` with `with`.
fn replace_strings(value: &mut serde_json::Value, keys: &[&str], with: &str) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if item.is_string() && keys.contains(&key.as_str()) {
                    *item = with.into();
                } else {
                    replace_strings(item, keys, with);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|item| replace_strings(item, keys, with)),
        _ => {}
    }
}

/// Target `render_text`: puts `data` (as UTF-8) in every prose field of a guide that has every field (and in
/// every one-line field too, when it is one line), and renders HTML and Markdown. The guide-reading `render`
/// target mostly exercises serde's errors; this one reaches inline Markdown, citations, escaping and the
/// sanitiser with every input. Rendering never panics; the HTML has no `<script` and no `javascript:` link.
pub fn render_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let rich: serde_json::Value = serde_json::from_str(RICH_GUIDE).expect("the rich guide is JSON");
    let mut everywhere = rich.clone();
    replace_strings(&mut everywhere, &[TEXT_KEYS, LINE_KEYS].concat(), text);
    let guide = serde_json::from_value::<Guide>(everywhere).or_else(|_| {
        let mut prose = rich;
        replace_strings(&mut prose, TEXT_KEYS, text);
        serde_json::from_value::<Guide>(prose)
    });
    // Text without a visible character is not a guide's text; the model rejects it.
    let Ok(guide) = guide else { return };
    let files =
        renderer().render(&guide, &[Format::Html, Format::Markdown]).expect("a guide with valid diagrams renders");
    for file in files.iter().filter(|f| f.path.extension().is_some_and(|e| e == "html")) {
        let html = without_json_ld(std::str::from_utf8(&file.contents).expect("HTML is UTF-8")).to_ascii_lowercase();
        assert!(!html.contains("<script"), "a script element");
        assert!(!has_javascript_url(&html), "a javascript: link");
    }
}

/// Whether lowercased `html` has an `href` or `src` attribute whose value is a `javascript:` URL. Escaped text
/// may say `src="javascript:` (only `<` and `&` need escaping there), so only a match inside a tag counts:
/// after the last `<` before it, not after a `>`. Attribute values are quoted with `"`, which they escape.
fn has_javascript_url(html: &str) -> bool {
    html.match_indices("javascript:").any(|(at, _)| {
        let before = html[..at].trim_end_matches(|c: char| c.is_ascii_whitespace());
        let in_tag = before.rfind('<').is_some_and(|open| before.rfind('>').is_none_or(|close| open > close));
        in_tag && (before.ends_with(" href=\"") || before.ends_with(" src=\""))
    })
}

/// A minimal valid guide with one diagram, whose DOT the `dot_svg` target replaces.
const DOT_GUIDE: &str = r#"{
  "schema_version": "1.0",
  "metadata": {
    "title": "Minimal guide",
    "kind": "review",
    "authors": [{ "kind": "person", "family": "Doe" }],
    "published": "2024",
    "language": "en"
  },
  "compound": { "subject": { "name": "Examplamine" } },
  "diagrams": {
    "items": [
      { "id": "f1", "caption": "A path.", "alt": "Examplamine binds its receptor, which then signals.", "dot": "digraph { a -> b }" }
    ]
  }
}"#;

/// Target `dot_svg`: draws `data` (as DOT) with the embedded engine, through the public render API only (a
/// guide whose one diagram is `data`, rendered to Markdown, which writes `figures/f1.svg`), so that the target
/// survives changes to the DOT parser behind it. DOT that cannot be drawn is an error, never a panic; a
/// drawing is one `<svg>` element with no script.
pub fn dot_svg(data: &[u8]) {
    let Ok(dot) = std::str::from_utf8(data) else { return };
    let mut value: serde_json::Value = serde_json::from_str(DOT_GUIDE).expect("the DOT guide is JSON");
    value["diagrams"]["items"][0]["dot"] = dot.into();
    // DOT without a visible character is not a guide's diagram; the model rejects it.
    let Ok(guide) = serde_json::from_value::<Guide>(value) else { return };
    let Ok(files) = renderer().render(&guide, &[Format::Markdown]) else { return };
    let svg = files.iter().find(|f| f.path.ends_with("f1.svg")).expect("the Markdown output has the figure");
    let svg = std::str::from_utf8(&svg.contents).expect("SVG is UTF-8");
    let svg = svg.trim_end().strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").expect("an XML declaration");
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "not one svg element: {svg}");
    assert!(!svg.to_ascii_lowercase().contains("<script"), "a script element: {svg}");
}
