//! Per-collection configuration: which rules are allowed, warned about or denied.
//!
//! A `guidekit.toml` beside the guides names rules by code or by name:
//!
//! ```
//! use guidekit_validate::{Config, Level};
//!
//! let config = Config::from_toml("[rules]\nduplicate-reference = \"allow\"\nGK140 = \"deny\"\n").unwrap();
//! assert_eq!(config.level("GK103"), Some(Level::Allow));
//!
//! // Parse and schema checks cannot be configured: a guide that breaks them cannot be read.
//! let error = Config::from_toml("[rules]\nGK011 = \"allow\"\n").unwrap_err();
//! assert!(error.to_string().contains("cannot be configured"));
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{Diagnostic, Error, Limits, Severity, rules::rule_by_code};

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
    /// Rule code → level, overriding the rule's default severity. Set with [`Config::set`], which resolves
    /// names and refuses codes that cannot be configured.
    levels: BTreeMap<&'static str, Level>,
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
        let file: File = toml::from_str(text)?;
        let mut config = Config::default();
        let mut given: BTreeMap<&'static str, String> = BTreeMap::new();
        for (key, level) in file.rules {
            let code = config.set(&key, level)?;
            if let Some(first) = given.insert(code, key.clone()) {
                return Err(Error::RuleConfiguredTwice { first, second: key, code });
            }
        }
        Ok(config)
    }

    /// Sets the level of the rule with code or name `rule` (`GK103` or `duplicate-reference`); returns its
    /// code. Fails for an unknown rule, and for parse and schema codes, which cannot be configured.
    pub fn set(&mut self, rule: &str, level: Level) -> Result<&'static str, Error> {
        let found = rule_by_code(rule).ok_or_else(|| Error::UnknownRule(rule.to_owned()))?;
        if !found.is_configurable() {
            return Err(Error::NotConfigurable { key: rule.to_owned(), code: found.code, stage: found.stage });
        }
        self.levels.insert(found.code, level);
        Ok(found.code)
    }

    /// The configured level of the rule with code `code`, if one was set.
    pub fn level(&self, code: &str) -> Option<Level> {
        self.levels.get(code).copied()
    }

    /// Applies the configured levels: drops allowed diagnostics and changes the severity of the others.
    pub(crate) fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|diagnostic| match self.levels.get(diagnostic.code) {
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
