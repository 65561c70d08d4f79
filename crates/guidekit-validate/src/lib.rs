//! Checks research guides and says exactly what is wrong and where.
//!
//! ```
//! let report = guidekit_validate::validate(br#"{"schema_version": "1.0", "metadta": {}}"#, "guide.json");
//! let unknown = report.diagnostics.iter().find(|d| d.code == "GK011").expect("the misspelt key");
//! assert_eq!(unknown.message, "unknown key `metadta` in the guide");
//! assert_eq!(unknown.hints[0], "did you mean `metadata`?");
//! assert_eq!(unknown.span.map(|s| (s.line, s.column)), Some((1, 27)));
//! assert!(report.has_errors() && report.guide.is_none());
//! ```
//!
//! [`validate`] runs three stages and returns every problem found, never only the first:
//!
//! 1. **parsing** — UTF-8, JSON syntax, duplicate keys, size and nesting limits;
//! 2. **the schema** — the guide JSON Schema (the one `guidekit-model` generates and the project commits
//!    as `schemas/guide.schema.json`), with the `jsonschema` crate, errors rewritten for people;
//! 3. **domain rules** — citations, ids, identifiers, quantities, diagrams, text and dates; see [`rules`].
//!
//! Each [`Diagnostic`] carries a stable code, a severity, a message, the JSON Pointer, the line and column
//! and hints. The crate never prints, never touches the disk or the network, and never panics on input.
//! [`output`] writes reports as guidekit's diagnostics JSON or SARIF; [`Config`] sets rule levels.

mod config;
mod diagnostic;
mod error;
pub mod output;
mod parse;
pub mod rules;
mod schema;
mod source;

pub use config::{Config, Level};
pub use diagnostic::{Diagnostic, Related, Report, Severity, Span};
pub use error::Error;
pub use output::FailOn;

/// Limits that protect against files that are not guides.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of objects and arrays accepted.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // The Aniracetam guide is 30 KiB and nests 9 levels deep.
        Limits { max_bytes: 8 * 1024 * 1024, max_depth: 64 }
    }
}

/// Why a guide's bytes could not be read. Reading is the caller's job (this crate does no I/O); a caller
/// that meets one of these reports it with [`input_problem`], so that a batch goes on and the problem shows
/// up in every output format like any other diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    /// The file is larger than [`Limits::max_bytes`]; `size` is what the file system said, or a lower
    /// bound when the file grew while it was read.
    TooLarge {
        /// Size in bytes.
        size: u64,
    },
    /// The path names something that is not a regular file: a FIFO, a device, a socket or a directory.
    NotAFile {
        /// What it is, e.g. `a FIFO (named pipe)`.
        kind: &'static str,
    },
    /// The operating system refused to read it.
    Unreadable {
        /// The system's reason.
        reason: String,
    },
}

/// The report for a guide whose bytes could not be read (see [`InputProblem`]).
pub fn input_problem(name: &str, problem: &InputProblem, config: &Config) -> Report {
    let diagnostic = match problem {
        InputProblem::TooLarge { size } => parse::too_large(*size, config.limits.max_bytes),
        InputProblem::NotAFile { kind } => Diagnostic::of(
            &rules::stages::UNREADABLE_INPUT,
            "",
            format!("cannot read the guide: it is {kind}, not a file"),
        )
        .hint("guidekit reads guides from regular files only, and never waits on a pipe or a device"),
        InputProblem::Unreadable { reason } => {
            Diagnostic::of(&rules::stages::UNREADABLE_INPUT, "", format!("cannot read the guide: {reason}"))
                .hint("check that the file exists and that you may read it")
        }
    };
    Report { name: name.to_owned(), diagnostics: vec![diagnostic], guide: None }
}

/// Whether `instance` passes the guide schema alone, as the `jsonschema` crate checks it in [`validate`]'s
/// second stage: no limits, no duplicate-key check, no domain rule. For tools that want the schema's answer
/// without a report (the benchmark's "floor plus schema" measures what that costs).
pub fn conforms_to_schema(instance: &serde_json::Value) -> bool {
    schema::validator().is_valid(instance)
}

/// Validates a guide with the default configuration. `name` is how the guide is named in the report.
pub fn validate(source: &[u8], name: &str) -> Report {
    validate_with(source, name, &Config::default())
}

/// Validates a guide with a configuration (rule levels, limits, today's date).
pub fn validate_with(source: &[u8], name: &str, config: &Config) -> Report {
    let mut diagnostics = Vec::new();
    let mut guide = None;
    if let Some(mut parsed) = parse::parse(source, &config.limits, &mut diagnostics) {
        let syntax_ok = diagnostics.is_empty();
        schema::check(&parsed.value, &mut diagnostics);
        let schema_ok = diagnostics.is_empty();
        // The value is not needed after this: the guide takes its strings over instead of copying them.
        match serde_json::from_value::<guidekit_model::Guide>(std::mem::take(&mut parsed.value)) {
            Ok(read) => {
                if syntax_ok {
                    rules::check(&read, &parsed, config, &mut diagnostics);
                }
                guide = Some(read);
            }
            Err(error) if schema_ok => {
                // The schema is generated from the types, so this means the two disagree: a bug in guidekit.
                diagnostics.push(
                    Diagnostic::of(
                        &rules::stages::SCHEMA_MODEL_DISAGREEMENT,
                        "",
                        format!("the guide passes the schema but cannot be read: {error}"),
                    )
                    .hint("this is a bug in guidekit (the schema and the model disagree); please report it"),
                );
            }
            Err(_) => {}
        }
        for diagnostic in &mut diagnostics {
            if diagnostic.span.is_none() {
                diagnostic.span = locate(&parsed, &diagnostic.pointer, diagnostic.code);
            }
            for related in &mut diagnostic.related {
                if related.span.is_none() {
                    related.span = locate(&parsed, &related.pointer, diagnostic.code);
                }
            }
        }
    }
    config.apply(&mut diagnostics);
    diagnostics.sort_by_key(|d| (d.span.map_or(0, |s| s.start), d.severity, d.code));
    Report { name: name.to_owned(), diagnostics, guide }
}

/// The span to show for a pointer: the key for an unknown key, the value otherwise.
fn locate(parsed: &parse::Parsed<'_>, pointer: &str, code: &str) -> Option<Span> {
    let pointers = parsed.pointers();
    let exact = pointers.get(parsed.text, pointer);
    let location = exact.or_else(|| pointers.locate(parsed.text, pointer))?;
    let is_container = matches!(parsed.text.as_bytes().get(location.value.start), Some(b'{' | b'['));
    let range = match (&location.key, code) {
        (Some(key), "GK011") => key.clone(),
        // A whole object or array would underline many lines: show where it starts instead.
        (Some(key), _) if is_container => key.clone(),
        _ if exact.is_none() || is_container => location.value.start..location.value.start + 1,
        _ => location.value.clone(),
    };
    Some(parsed.lines().span(range))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_byte_order_mark_is_accepted_and_positions_stay_right() {
        let text = "\u{feff}{\n  \"schema_version\": \"1.0\",\n  \"metadta\": {}\n}";
        let report = super::validate(text.as_bytes(), "bom.json");
        let unknown = report.diagnostics.iter().find(|d| d.code == "GK011").expect("the misspelt key is found");
        let span = unknown.span.expect("located");
        assert_eq!((span.line, span.column), (3, 3));
        assert_eq!(&text[span.start..span.end], "\"metadta\"");
        assert!(report.diagnostics.iter().all(|d| d.code != "GK001" && d.code != "GK003"));
    }
}
