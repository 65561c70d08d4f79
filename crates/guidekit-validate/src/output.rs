//! The stable machine-readable outputs — the guidekit diagnostics JSON (version 1) and SARIF 2.1.0 — and the
//! pass/fail decision, so that a program using this crate reports exactly as the `guidekit` command does.
//!
//! Both writers accept any [`Report`], including ones whose spans do not fit the file (they only copy
//! numbers). [`SourceText`] is for writers that quote the file: it shows any bytes as text with the same
//! byte offsets and clamps any span into it, so quoting never panics.
//!
//! ```
//! use guidekit_validate::{FailOn, output, validate};
//!
//! let report = validate(b"{\"schema_version\": ", "cut.json");
//! let sarif = output::sarif([&report]);
//! assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "GK001");
//! assert!(report.fails(FailOn::Errors));
//! ```

use std::ops::Range;

use serde_json::{Value, json};

use crate::{Report, Severity, rules::CATALOG};

/// What makes a validation run fail (the `guidekit` command then exits 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Errors only: warnings are reported but allowed.
    #[default]
    Errors,
    /// Errors and warnings (`--deny warnings`).
    Warnings,
}

impl FailOn {
    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        severity == Severity::Error || (self == FailOn::Warnings && severity == Severity::Warning)
    }
}

impl Report {
    /// Whether this guide fails under `fail_on`. A failing guide is not built.
    pub fn fails(&self, fail_on: FailOn) -> bool {
        self.diagnostics.iter().any(|d| fail_on.fails(d.severity))
    }
}

/// Whether any of `reports` fails under `fail_on`.
pub fn fails<'a>(reports: impl IntoIterator<Item = &'a Report>, fail_on: FailOn) -> bool {
    reports.into_iter().any(|r| r.fails(fail_on))
}

/// The guidekit diagnostics document, `"format": "guidekit-diagnostics", "version": 1`. Its shape is
/// documented in the README; fields are only ever added within version 1.
pub fn json<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Value {
    let reports: Vec<&Report> = reports.into_iter().collect();
    let guides: Vec<Value> = reports
        .iter()
        .map(|report| {
            json!({
                "file": report.name,
                "valid": !report.has_errors(),
                "errors": report.error_count(),
                "warnings": report.warning_count(),
                "diagnostics": report.diagnostics,
            })
        })
        .collect();
    json!({
        "format": "guidekit-diagnostics",
        "version": 1,
        "guides": guides,
        "summary": {
            "files": reports.len(),
            "errors": reports.iter().map(|r| r.error_count()).sum::<usize>(),
            "warnings": reports.iter().map(|r| r.warning_count()).sum::<usize>(),
        },
    })
}

/// A SARIF 2.1.0 log with one run: every rule of the catalog, and one result per diagnostic.
pub fn sarif<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Value {
    let rules: Vec<Value> = CATALOG
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
    for report in reports {
        for d in &report.diagnostics {
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&report.name) },
                },
            });
            if let Some(span) = d.span {
                // SARIF needs lines and columns from 1 and an end not before the start.
                let line = span.line.max(1);
                let column = span.column.max(1);
                let end_line = span.end_line.max(line);
                let end_column = span.end_column.max(if end_line == line { column } else { 1 });
                location["physicalLocation"]["region"] = json!({
                    "startLine": line,
                    "startColumn": column,
                    "endLine": end_line,
                    "endColumn": end_column,
                });
            }
            if !d.pointer.is_empty() {
                location["logicalLocations"] = json!([{ "fullyQualifiedName": d.pointer, "kind": "member" }]);
            }
            let mut text = d.message.clone();
            for hint in &d.hints {
                text.push_str("\nhint: ");
                text.push_str(hint);
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

/// A file's bytes as text for quoting, with the same byte offsets as the file: valid UTF-8 is kept and every
/// byte that is not part of valid UTF-8 becomes one `?`. (A lossy conversion would put a 3-byte U+FFFD in
/// place of each bad byte, so that the file's byte spans would no longer fall on the text's characters.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    text: String,
}

/// What stands for a byte that is not valid UTF-8: one ASCII byte, so offsets stay those of the file.
pub const INVALID_BYTE: char = '?';

impl SourceText {
    /// The text of `bytes`, byte for byte.
    pub fn new(bytes: &[u8]) -> Self {
        let mut text = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            text.extend(std::iter::repeat_n(INVALID_BYTE, chunk.invalid().len()));
        }
        SourceText { text }
    }

    /// The text; as long as the bytes it was made from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `range` made safe to slice the text with: inside it, on character boundaries, start not after end.
    /// A range that is already safe is returned unchanged.
    pub fn clamp(&self, range: Range<usize>) -> Range<usize> {
        let text = &self.text;
        let mut start = range.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = range.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_keep_their_offsets() {
        let bytes = b"{\"a\": \"\xe9t\xc3\xa9\"}\xff";
        let text = SourceText::new(bytes);
        assert_eq!(text.as_str().len(), bytes.len());
        assert_eq!(text.as_str(), "{\"a\": \"?t\u{e9}\"}?");
    }

    #[test]
    fn any_range_is_clamped_to_the_text_and_its_characters() {
        let text = SourceText::new("aé€😀".as_bytes());
        let len = text.as_str().len();
        for start in 0..len + 3 {
            for end in 0..len + 3 {
                let range = text.clamp(start..end);
                assert!(range.start <= range.end && range.end <= len, "{start}..{end} -> {range:?}");
                let _ = &text.as_str()[range];
            }
        }
        assert_eq!(text.clamp(1..3), 1..3);
        assert_eq!(text.clamp(2..4), 1..6);
        let (past_the_end, before_it) = (usize::MAX, 0);
        assert_eq!(text.clamp(past_the_end..before_it), len..len);
    }
}
