//! Diagnostics as data: what is wrong, where, and what to do about it. Printing is the CLI's job.

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The guide is wrong and will not be built.
    Error,
    /// The guide is probably wrong; it is still built.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A place in the source file. Lines and columns count from 1; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Byte offset where the span starts.
    pub start: usize,
    /// Byte offset just past the span's end.
    pub end: usize,
    /// Line of `start`.
    pub line: usize,
    /// Column of `start`.
    pub column: usize,
    /// Line of `end`.
    pub end_line: usize,
    /// Column of `end`.
    pub end_column: usize,
}

/// A second place that explains a diagnostic ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// What is at that place.
    pub message: String,
    /// JSON Pointer of the place.
    pub pointer: String,
    /// Where it is in the file.
    pub span: Option<Span>,
}

/// One problem found in a guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// A stable code, e.g. `GK101`; `guidekit explain CODE` says more.
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, in one line: lowercase, no final period, values in backticks.
    pub message: String,
    /// JSON Pointer (RFC 6901) to the value concerned; empty for the whole document.
    pub pointer: String,
    /// Where it is in the file, when known.
    pub span: Option<Span>,
    /// What to do about it.
    pub hints: Vec<String>,
    /// Other places that explain the problem.
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic with no span, hints or related places yet.
    pub fn new(code: &'static str, severity: Severity, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            pointer: pointer.into(),
            span: None,
            hints: Vec::new(),
            related: Vec::new(),
        }
    }

    /// A finding of `rule`, at the rule's default severity.
    pub fn of(rule: &crate::rules::Rule, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(rule.code, rule.severity, pointer, message)
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

/// Everything found in one guide.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The name the guide was validated under (usually its path).
    pub name: String,
    /// The problems, ordered by position in the file.
    pub diagnostics: Vec<Diagnostic>,
    /// The guide, when it could be read into the model (even if rules found problems).
    #[serde(skip)]
    pub guide: Option<guidekit_model::Guide>,
}

impl Report {
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }
}

/// Shows a JSON value in a message: strings quoted, long values cut to about 40 characters.
pub fn show_value(value: &serde_json::Value) -> String {
    let text = value.to_string();
    truncate(&text, 40)
}

/// Cuts `text` to at most `max` characters, marking the cut with `…`.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}
