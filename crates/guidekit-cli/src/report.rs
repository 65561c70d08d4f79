//! Printing validation reports: rustc-style for people, JSON and SARIF for tools.

use std::io::{IsTerminal, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use guidekit_validate::{Diagnostic, Report, Severity, rules::CATALOG};
use serde_json::json;

/// A report and the text it was made from.
pub struct Checked {
    /// The report.
    pub report: Report,
    /// The file's text for snippets, with the same byte offsets as the file (see [`snippet_source`]).
    pub source: String,
}

/// The file's bytes as text with every byte at the same offset, so that a diagnostic's byte span points at
/// the same place in both: each byte of an invalid UTF-8 sequence becomes one `?` (a lossy conversion would
/// write U+FFFD, three bytes, and shift every later span off its character boundaries).
pub fn snippet_source(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    text
}

/// `range` moved onto character boundaries of `text` and inside it, so that any span can be shown.
fn clamp(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let floor = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = floor(range.start);
    start..floor(range.end.max(range.start)).max(start)
}

/// Prints diagnostics like rustc to stderr, with colour only on a terminal.
pub fn human(checked: &[Checked], mut err: impl Write) -> std::io::Result<()> {
    let renderer = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for Checked { report, source } in checked {
        for diagnostic in &report.diagnostics {
            writeln!(err, "{}\n", renderer.render(&render_one(diagnostic, &report.name, source)))?;
        }
    }
    Ok(())
}

fn render_one<'a>(d: &'a Diagnostic, path: &'a str, source: &'a str) -> Vec<Group<'a>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(d.message.as_str()).id(d.code));
    match d.span {
        Some(span) => {
            let mut snippet = Snippet::source(source).path(path).fold(true);
            let mut label = String::new();
            if !d.pointer.is_empty() {
                label = format!("at {}", d.pointer);
            }
            snippet =
                snippet.annotation(AnnotationKind::Primary.span(clamp(source, span.start..span.end)).label(label));
            for related in &d.related {
                if let Some(rs) = related.span {
                    snippet = snippet.annotation(
                        AnnotationKind::Context.span(clamp(source, rs.start..rs.end)).label(related.message.as_str()),
                    );
                }
            }
            group = group.element(snippet);
        }
        _ => {
            group = group.element(Level::NOTE.message(format!("in `{path}`{}", pointer_suffix(&d.pointer))));
        }
    }
    for hint in &d.hints {
        group = group.element(Level::HELP.with_name("hint").message(hint.as_str()));
    }
    vec![group]
}

fn pointer_suffix(pointer: &str) -> String {
    if pointer.is_empty() { String::new() } else { format!(" at {pointer}") }
}

/// The closing summary line of human output.
pub fn summary(checked: &[Checked]) -> String {
    let files = checked.len();
    let errors: usize = checked.iter().map(|c| c.report.error_count()).sum();
    let warnings: usize = checked.iter().map(|c| c.report.warning_count()).sum();
    let invalid = checked.iter().filter(|c| c.report.has_errors()).count();
    format!(
        "{} guide{} checked: {} valid, {invalid} invalid; {errors} error{}, {warnings} warning{}",
        files,
        plural(files),
        files - invalid,
        plural(errors),
        plural(warnings)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The `--format json` document. Its shape is documented in the README and kept stable.
pub fn json(checked: &[Checked]) -> serde_json::Value {
    let guides: Vec<serde_json::Value> = checked
        .iter()
        .map(|c| {
            json!({
                "file": c.report.name,
                "valid": !c.report.has_errors(),
                "errors": c.report.error_count(),
                "warnings": c.report.warning_count(),
                "diagnostics": c.report.diagnostics,
            })
        })
        .collect();
    json!({
        "format": "guidekit-diagnostics",
        "version": 1,
        "guides": guides,
        "summary": {
            "files": checked.len(),
            "errors": checked.iter().map(|c| c.report.error_count()).sum::<usize>(),
            "warnings": checked.iter().map(|c| c.report.warning_count()).sum::<usize>(),
        },
    })
}

/// The `--format sarif` document (SARIF 2.1.0).
pub fn sarif(checked: &[Checked]) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = CATALOG
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.name.replace('-', " ") },
                "fullDescription": { "text": rule.explanation },
                "defaultConfiguration": { "level": sarif_level(rule.severity) },
            })
        })
        .collect();
    let mut results = Vec::new();
    for c in checked {
        for d in &c.report.diagnostics {
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&c.report.name) },
                },
            });
            if let Some(span) = d.span {
                location["physicalLocation"]["region"] = json!({
                    "startLine": span.line,
                    "startColumn": span.column,
                    "endLine": span.end_line,
                    "endColumn": span.end_column.max(if span.end_line == span.line { span.column } else { 1 }),
                });
            }
            if !d.pointer.is_empty() {
                location["logicalLocations"] = json!([{ "fullyQualifiedName": d.pointer, "kind": "member" }]);
            }
            let mut text = d.message.clone();
            for hint in &d.hints {
                text.push_str(&format!("\nhint: {hint}"));
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": sarif_level(d.severity),
                "message": { "text": text },
                "locations": [location],
            });
            if let Some(index) = CATALOG.iter().position(|r| r.code == d.code) {
                result["ruleIndex"] = json!(index);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "guidekit",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative URI reference for a path: forward slashes, percent-encoding where a URI needs it.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
