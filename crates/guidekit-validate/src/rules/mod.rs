//! Every diagnostic code, as typed [`Rule`]s, and stage 3: the domain rules.
//!
//! Codes below `GK100` come from parsing (`GK00x`) and the schema (`GK01x`, `GK020`), declared in `stages`;
//! they cannot be configured, since a guide that breaks them cannot be read. Each domain rule (`GK100` on)
//! has a file of its own in this folder holding its code, name, default severity, explanation, a failing
//! example and its check, as rust-analyzer's `ide-diagnostics/src/handlers/` does: adding a rule is a new
//! file and its test cases: `build.rs` finds the file and puts its rule in [`CATALOG`], in code order. Emit sites name the rule itself, never a
//! string, so a code cannot be misspelt.

use std::ops::Range;

use guidekit_model::{Guide, walk::Citation};

use crate::{Config, Diagnostic, Severity, Span, parse::Parsed, source::literal_offset};

/// Which stage of validation reports a code. Only domain rules can be configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Stage 1: bytes to JSON (encoding, syntax, duplicate keys, limits).
    Parse,
    /// Stage 2: the JSON Schema, and reading the guide into the model.
    Schema,
    /// Stage 3: the domain rules (citations, identifiers, diagrams, ...).
    Domain,
}

impl Stage {
    /// `parse`, `schema` or `domain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Parse => "parse",
            Stage::Schema => "schema",
            Stage::Domain => "domain",
        }
    }
}

/// A diagnostic code and everything about it.
#[derive(Debug)]
pub struct Rule {
    /// The stable code, e.g. `GK101`.
    pub code: &'static str,
    /// A short kebab-case name, e.g. `unknown-citation`; accepted wherever a code is.
    pub name: &'static str,
    /// The severity unless configured otherwise.
    pub severity: Severity,
    /// The stage that reports it.
    pub stage: Stage,
    /// One paragraph: what the rule checks, why it matters, and how to fix a finding.
    pub explanation: &'static str,
    /// A failing example: for a domain rule, a JSON merge patch that makes the bundled Aniracetam guide
    /// break the rule (an object patches an array element by index); for the parse and schema stages, a
    /// whole file. Empty when no file can trigger the code.
    pub example: &'static str,
    /// The check; `None` for the parse and schema stages, and for a rule checked in the same pass as
    /// another (the DOT rules share one parse of each diagram).
    pub(crate) check: Option<fn(&mut Checker<'_, '_>)>,
}

impl Rule {
    /// Whether a `guidekit.toml` can set this rule's level.
    pub fn is_configurable(&self) -> bool {
        self.stage == Stage::Domain
    }
}

pub(crate) mod stages;

// The domain rule modules and `CATALOG`, listed by `build.rs` from the files of this folder.
include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// The rule with `code` (in any case) or `name`, if there is one.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    CATALOG.iter().copied().find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
}

/// What a check sees, and where its findings go.
pub(crate) struct Checker<'g, 'p> {
    pub guide: &'g Guide,
    /// Every citation of the guide (`walk::citations`), walked once for all the rules that need them.
    pub citations: &'p [Citation<'g>],
    pub parsed: &'p Parsed<'p>,
    pub config: &'p Config,
    pub out: Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    /// Reports a finding of `rule` at its default severity (the configuration is applied afterwards).
    pub fn emit(
        &mut self,
        rule: &'static Rule,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.out.push(Diagnostic::of(rule, pointer, message));
        self.out.last_mut().expect("just pushed")
    }

    /// The span of bytes `range` inside the text (string value) at `pointer`.
    pub fn text_span(&self, pointer: &str, range: Range<usize>) -> Option<Span> {
        let location = self.parsed.pointers().get(self.parsed.text, pointer)?;
        if !location.is_string {
            return None;
        }
        let literal = &self.parsed.text[location.value.clone()];
        let start = location.value.start + literal_offset(literal, range.start);
        let end = location.value.start + literal_offset(literal, range.end);
        Some(self.parsed.lines().span(start..end))
    }
}

/// Runs every domain rule, in code order.
pub(crate) fn check(guide: &Guide, parsed: &Parsed<'_>, config: &Config, out: &mut Vec<Diagnostic>) {
    let citations = guidekit_model::walk::citations(guide);
    let mut checker = Checker { guide, citations: &citations, parsed, config, out: Vec::new() };
    for rule in CATALOG {
        if let Some(check) = rule.check {
            check(&mut checker);
        }
    }
    out.append(&mut checker.out);
}

/// Whether `text` is one or more ASCII digits.
pub(crate) fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The rules reference, `docs/rules.md`: every code with its name, level, stage, explanation and a failing
/// example. `cargo xtask codegen` writes it and a test checks that the committed file is up to date.
pub fn reference_markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         <!-- Generated by `cargo xtask codegen` from crates/guidekit-validate/src/rules/; do not edit. -->\n\n\
         Every code `guidekit validate` reports. `guidekit explain CODE` prints one entry. Domain rules (GK100 and \
         up) can be set to `allow`, `warn` or `deny` in a `guidekit.toml`, by code or by name; parse and schema \
         codes cannot, since a guide that breaks them cannot be read.\n\n\
         | code | name | level | stage |\n|---|---|---|---|\n",
    );
    for rule in CATALOG {
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} |",
            rule.code,
            rule.code.to_lowercase(),
            rule.name,
            rule.severity.as_str(),
            rule.stage.as_str()
        );
    }
    for rule in CATALOG {
        let _ = write!(out, "\n## {}\n\n`{}`, {} by default", rule.code, rule.name, rule.severity.as_str());
        out.push_str(if rule.is_configurable() { ".\n\n" } else { "; cannot be configured.\n\n" });
        let _ = writeln!(out, "{}", rule.explanation);
        if rule.example.is_empty() {
            continue;
        }
        if rule.stage == Stage::Domain {
            let patch: serde_json::Value = serde_json::from_str(rule.example).unwrap_or_default();
            let patch = serde_json::to_string_pretty(&patch).unwrap_or_default();
            let _ = writeln!(
                out,
                "\nFails: the bundled guide `guides/aniracetam.json` with this JSON merge patch (an object patches \
                 an array by index, `-` appends):\n\n```json\n{patch}\n```"
            );
        } else {
            let _ = writeln!(out, "\nFails:\n\n```json\n{}\n```", rule.example);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_unique_explained_and_in_its_stage() {
        for (i, rule) in CATALOG.iter().enumerate() {
            assert!(rule.code.starts_with("GK") && rule.code.len() == 5, "{}", rule.code);
            assert!(rule.explanation.len() > 60, "{} needs an explanation", rule.code);
            assert!(CATALOG[..i].iter().all(|r| r.code < rule.code && r.name != rule.name), "{} repeats", rule.code);
            let domain = rule.code >= "GK100";
            assert_eq!(domain, rule.stage == Stage::Domain, "{}: stage", rule.code);
            assert_eq!(domain, rule.check.is_some() || rule.code.starts_with("GK15"), "{}: check", rule.code);
            assert!(!domain || !rule.example.is_empty(), "{} needs a failing example", rule.code);
        }
    }
}
