//! Per-collection configuration: which rules are allowed, warned about or denied.
//!
//! A `guidekit.toml` beside the guides:
//!
//! ```toml
//! [rules]
//! GK103 = "allow"   # or "warn" or "deny"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{Diagnostic, Error, Limits, Severity};

/// How a rule's findings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

/// How to validate.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Rule code → level, overriding the rule's default severity.
    pub levels: BTreeMap<String, Level>,
    /// Size and nesting limits.
    pub limits: Limits,
    /// Today's date as (year, month, day), for "published in the future"; `None` skips that check.
    pub today: Option<(u16, u8, u8)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rules: BTreeMap<String, Level>,
}

impl Config {
    /// Reads the text of a `guidekit.toml`.
    pub fn from_toml(text: &str) -> Result<Config, Error> {
        let file: File = toml::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        for code in file.rules.keys() {
            if crate::rules::rule_by_code(code).is_none() {
                return Err(Error::UnknownRule(code.clone()));
            }
        }
        Ok(Config { levels: file.rules, ..Config::default() })
    }

    /// Applies the configured levels: drops allowed diagnostics and changes the severity of the others.
    /// Parse and schema errors (codes below GK100) cannot be lowered: a guide that breaks them cannot be read.
    pub(crate) fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|diagnostic| match self.levels.get(diagnostic.code) {
            Some(_) if diagnostic.code < "GK100" => true,
            Some(Level::Allow) => false,
            Some(Level::Warn) => {
                diagnostic.severity = Severity::Warning;
                true
            }
            Some(Level::Deny) => {
                diagnostic.severity = Severity::Error;
                true
            }
            None => true,
        });
    }
}
