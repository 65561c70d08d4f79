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

use std::io::{self, Write};
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
/// documented in the README; fields are only ever added within version 1. [`JsonStream`] writes the same
/// document one guide at a time.
pub fn json<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Value {
    let mut totals = Totals::default();
    let guides: Vec<Value> = reports
        .into_iter()
        .map(|report| {
            totals.add(report);
            json_guide(report)
        })
        .collect();
    json_document(guides, &totals)
}

fn json_guide(report: &Report) -> Value {
    json!({
        "file": report.name,
        "valid": !report.has_errors(),
        "errors": report.error_count(),
        "warnings": report.warning_count(),
        "diagnostics": report.diagnostics,
    })
}

fn json_document(guides: Vec<Value>, totals: &Totals) -> Value {
    json!({
        "format": "guidekit-diagnostics",
        "version": 1,
        "guides": guides,
        "summary": {
            "files": totals.files,
            "errors": totals.errors,
            "warnings": totals.warnings,
        },
    })
}

/// Counts over the reports written so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Guides.
    pub files: usize,
    /// Guides with at least one error.
    pub invalid: usize,
    /// Errors in all guides.
    pub errors: usize,
    /// Warnings in all guides.
    pub warnings: usize,
}

impl Totals {
    /// Counts one more report.
    pub fn add(&mut self, report: &Report) {
        let errors = report.error_count();
        self.files += 1;
        self.invalid += usize::from(errors > 0);
        self.errors += errors;
        self.warnings += report.warning_count();
    }
}

/// A SARIF 2.1.0 log with one run: every rule of the catalog, and one result per diagnostic. [`SarifStream`]
/// writes the same log one guide at a time.
pub fn sarif<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Value {
    sarif_document(reports.into_iter().flat_map(sarif_results).collect())
}

fn sarif_document(results: Vec<Value>) -> Value {
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

/// One SARIF result per diagnostic of `report`.
fn sarif_results(report: &Report) -> Vec<Value> {
    let mut results = Vec::new();
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
    results
}

/// Where a pretty-printed document is cut to stream the elements of one array: the array is printed holding
/// only this string, and the text around it is the document's head and tail.
const SPLIT: &str = "@@guidekit-stream-split@@";

/// The pretty-printed text of `document` before and after its one [`SPLIT`] element, and the indent of
/// that element. The head ends with the array's `[`; the tail starts with the line break before its `]`.
fn split_pretty(document: &Value) -> (String, String, String) {
    let text = serde_json::to_string_pretty(document).unwrap_or_default();
    let quoted = serde_json::to_string(SPLIT).unwrap_or_default();
    let at = text.find(&quoted).unwrap_or(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..at].to_owned();
    let head = text[..line_start.saturating_sub(1)].to_owned();
    let tail = text[(at + quoted.len()).min(text.len())..].to_owned();
    (head, tail, indent)
}

/// Writes one array of a pretty-printed document element by element, exactly as
/// `serde_json::to_writer_pretty` writes the whole document, so a report of any size never sits in memory.
struct PrettyArray<W: Write> {
    out: W,
    indent: String,
    elements: usize,
}

impl<W: Write> PrettyArray<W> {
    fn begin(mut out: W, head: &str, indent: String) -> io::Result<Self> {
        out.write_all(head.as_bytes())?;
        Ok(PrettyArray { out, indent, elements: 0 })
    }

    fn element(&mut self, value: &Value) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        self.out.write_all(if self.elements == 0 { b"\n" } else { b",\n" })?;
        // JSON strings never hold a raw line break, so every line break is the printer's own.
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(self.indent.as_bytes())?;
            self.out.write_all(line.as_bytes())?;
        }
        self.elements += 1;
        Ok(())
    }

    /// Closes the array with the document's `tail` (which starts with the line break before `]`).
    fn finish(mut self, tail: &str) -> io::Result<W> {
        // An empty array prints as `[]`, with no line break inside.
        let tail = if self.elements == 0 { tail.trim_start_matches(['\n', ' ']) } else { tail };
        self.out.write_all(tail.as_bytes())?;
        self.out.write_all(b"\n")?;
        Ok(self.out)
    }
}

/// The guidekit diagnostics document written one report at a time: the same bytes as
/// `serde_json::to_writer_pretty(out, &json(reports))` followed by a line break.
pub struct JsonStream<W: Write> {
    array: PrettyArray<W>,
    totals: Totals,
}

impl<W: Write> JsonStream<W> {
    /// Writes the document's head.
    pub fn begin(out: W) -> io::Result<Self> {
        let (head, _, indent) = split_pretty(&json_document(vec![json!(SPLIT)], &Totals::default()));
        Ok(JsonStream { array: PrettyArray::begin(out, &head, indent)?, totals: Totals::default() })
    }

    /// Writes one guide's report.
    pub fn report(&mut self, report: &Report) -> io::Result<()> {
        self.totals.add(report);
        self.array.element(&json_guide(report))
    }

    /// Writes the summary and the end of the document; returns the counts and the writer.
    pub fn finish(self) -> io::Result<(Totals, W)> {
        let (_, tail, _) = split_pretty(&json_document(vec![json!(SPLIT)], &self.totals));
        Ok((self.totals, self.array.finish(&tail)?))
    }
}

/// The SARIF log written one report at a time: the same bytes as
/// `serde_json::to_writer_pretty(out, &sarif(reports))` followed by a line break.
pub struct SarifStream<W: Write> {
    array: PrettyArray<W>,
    tail: String,
    totals: Totals,
}

impl<W: Write> SarifStream<W> {
    /// Writes the log's head, with the rule catalog.
    pub fn begin(out: W) -> io::Result<Self> {
        let (head, tail, indent) = split_pretty(&sarif_document(vec![json!(SPLIT)]));
        Ok(SarifStream { array: PrettyArray::begin(out, &head, indent)?, tail, totals: Totals::default() })
    }

    /// Writes one result per diagnostic of `report`.
    pub fn report(&mut self, report: &Report) -> io::Result<()> {
        self.totals.add(report);
        for result in sarif_results(report) {
            self.array.element(&result)?;
        }
        Ok(())
    }

    /// Writes the end of the log; returns the counts and the writer.
    pub fn finish(self) -> io::Result<(Totals, W)> {
        Ok((self.totals, self.array.finish(&self.tail)?))
    }
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

    /// The streams write the very bytes of the whole-document functions, for no guide, one, and several.
    #[test]
    fn streams_equal_the_whole_documents() {
        let reports = [
            crate::validate(b"{\"schema_version\": ", "cut.json"),
            crate::validate(b"[]", "dir/array \u{e9}.json"),
            crate::validate(b"{\"a\": 1, \"a\": 2}", "twice.json"),
        ];
        for n in 0..=reports.len() {
            let reports = &reports[..n];
            let mut whole = serde_json::to_vec_pretty(&json(reports)).expect("JSON");
            whole.push(b'\n');
            let mut stream = JsonStream::begin(Vec::new()).expect("write");
            reports.iter().try_for_each(|r| stream.report(r)).expect("write");
            let (totals, streamed) = stream.finish().expect("write");
            assert_eq!(String::from_utf8_lossy(&streamed), String::from_utf8_lossy(&whole), "JSON, {n} reports");
            assert_eq!(totals.files, n);

            let mut whole = serde_json::to_vec_pretty(&sarif(reports)).expect("SARIF");
            whole.push(b'\n');
            let mut stream = SarifStream::begin(Vec::new()).expect("write");
            reports.iter().try_for_each(|r| stream.report(r)).expect("write");
            let (_, streamed) = stream.finish().expect("write");
            assert_eq!(String::from_utf8_lossy(&streamed), String::from_utf8_lossy(&whole), "SARIF, {n} reports");
        }
    }

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
