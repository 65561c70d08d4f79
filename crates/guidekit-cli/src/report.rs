//! Printing validation reports rustc-style for people. The JSON and SARIF writers are the library's
//! (`guidekit_validate::output`), so that programs using it report exactly as this command does.

use std::io::{IsTerminal, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use guidekit_validate::output::{SourceText, Totals};
use guidekit_validate::{Diagnostic, Report, Severity};

/// A report and the text it was made from.
pub struct Checked {
    /// The report. Its typed guide is dropped as soon as the guide is built (or found invalid), so that a
    /// finished guide costs nothing while later ones are checked.
    pub report: Report,
    /// The file's text, byte for byte (invalid UTF-8 shown as `?`), for snippets; empty when the report has
    /// no diagnostic to quote it.
    pub source: SourceText,
}

impl Checked {
    /// A report and its source, which is kept only when a diagnostic will quote it.
    pub fn new(report: Report, bytes: &[u8]) -> Checked {
        let source = SourceText::new(if report.diagnostics.is_empty() { &[] } else { bytes });
        Checked { report, source }
    }
}

/// Prints diagnostics like rustc, with colour only on a terminal.
pub struct Human {
    renderer: Renderer,
}

impl Human {
    /// A printer for stderr.
    pub fn for_stderr() -> Human {
        let renderer = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Human { renderer }
    }

    /// A printer without colour, whatever stderr is.
    pub fn plain() -> Human {
        Human { renderer: Renderer::plain() }
    }

    /// Prints every diagnostic of one guide.
    pub fn write(&self, checked: &Checked, mut err: impl Write) -> std::io::Result<()> {
        let Checked { report, source } = checked;
        for diagnostic in &report.diagnostics {
            writeln!(err, "{}\n", self.renderer.render(&render_one(diagnostic, &report.name, source)))?;
        }
        Ok(())
    }
}

/// One diagnostic as snippets. Spans come from the validator but are clamped to the text and its character
/// boundaries here, so that no span (however wrong) on no bytes (however broken) can make the printer panic.
fn render_one<'a>(d: &'a Diagnostic, path: &'a str, source: &'a SourceText) -> Vec<Group<'a>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(d.message.as_str()).id(d.code));
    match d.span {
        Some(span) => {
            let mut snippet = Snippet::source(source.as_str()).path(path).fold(true);
            let mut label = String::new();
            if !d.pointer.is_empty() {
                label = format!("at {}", d.pointer);
            }
            snippet = snippet.annotation(AnnotationKind::Primary.span(source.clamp(span.start..span.end)).label(label));
            for related in &d.related {
                if let Some(rs) = related.span {
                    snippet = snippet.annotation(
                        AnnotationKind::Context.span(source.clamp(rs.start..rs.end)).label(related.message.as_str()),
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

/// The closing summary line of human output. `failing` is the number of guides that fail the run: those with
/// errors, and under `--deny warnings` those with warnings too, which then count as invalid.
pub fn summary(totals: &Totals, failing: usize) -> String {
    let Totals { files, errors, warnings, .. } = *totals;
    let invalid = failing.max(totals.invalid);
    let denied = if invalid > totals.invalid { " (warnings are denied)" } else { "" };
    format!(
        "{} guide{} checked: {} valid, {invalid} invalid{denied}; {errors} error{}, {warnings} warning{}",
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

#[cfg(test)]
mod tests {
    use guidekit_validate::{Related, Span, output};

    use super::*;

    /// xorshift64*: deterministic, so that a failure can be replayed from its case number.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Bytes that are likely to break a printer: line breaks of every kind, tabs, control characters,
    /// multi-byte characters, stray continuation bytes, truncated sequences, overlong and CESU-8 forms.
    fn random_bytes(rng: &mut Rng) -> Vec<u8> {
        const PIECES: &[&[u8]] = &[
            b"\n",
            b"\r\n",
            b"\r",
            b"\t",
            b"\0",
            b"\x1b[31m",
            b"{",
            b"\"",
            b" ",
            b"a",
            b"GK",
            b"\\",
            "é".as_bytes(),
            "€".as_bytes(),
            "😀".as_bytes(),
            "\u{200b}".as_bytes(),
            "\u{feff}".as_bytes(),
            "\u{0301}".as_bytes(),
            "界".as_bytes(),
            b"\xe9",
            b"\xff",
            b"\x80",
            b"\xc3",
            b"\xe2\x82",
            b"\xc0\xaf",
            b"\xed\xa0\x80",
            b"\xf4\x90\x80\x80",
            b"\x00a",
        ];
        let len = rng.below(40);
        (0..len).flat_map(|_| PIECES[rng.below(PIECES.len())].iter().copied()).collect()
    }

    fn random_span(rng: &mut Rng, len: usize) -> Span {
        let mut offset = || match rng.below(4) {
            0 => 0,
            1 => len + rng.below(5),
            2 => usize::MAX - rng.below(2),
            _ => rng.below(len + 1),
        };
        let (start, end) = (offset(), offset());
        let (line, column, end_line, end_column) = (offset(), offset(), offset(), offset());
        Span { start, end, line, column, end_line, end_column }
    }

    /// Any span on any bytes renders in all three formats without a panic.
    #[test]
    fn every_diagnostic_renders_whatever_its_span_and_the_bytes() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..3000 {
            let bytes = random_bytes(&mut rng);
            let source = SourceText::new(&bytes);
            assert_eq!(source.as_str().len(), bytes.len(), "case {case}");
            let mut diagnostic =
                Diagnostic::new("GK001", Severity::Error, "/a/0", String::from_utf8_lossy(&bytes).into_owned());
            diagnostic.span = (rng.below(8) > 0).then(|| random_span(&mut rng, bytes.len()));
            for _ in 0..rng.below(3) {
                let span = (rng.below(4) > 0).then(|| random_span(&mut rng, bytes.len()));
                diagnostic.related.push(Related { message: "here".into(), pointer: "/b".into(), span });
            }
            diagnostic.hints.push("a hint\nwith a line break".into());
            let report = Report { name: format!("case {case}.json"), diagnostics: vec![diagnostic], guide: None };
            let checked = [Checked { report, source }];
            let mut err = Vec::new();
            Human::for_stderr().write(&checked[0], &mut err).unwrap_or_else(|e| panic!("case {case}: {e}"));
            assert!(!err.is_empty(), "case {case}");
            let reports = || checked.iter().map(|c| &c.report);
            serde_json::to_string(&output::json(reports())).expect("JSON");
            serde_json::to_string(&output::sarif(reports())).expect("SARIF");
        }
    }
}
