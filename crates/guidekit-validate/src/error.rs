//! The crate's error type. Validation itself does not fail: problems in a guide are diagnostics.

use crate::rules::Stage;

/// What can go wrong outside of a guide's content: reading a configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A `guidekit.toml` is not valid TOML, or has keys or levels guidekit does not know.
    #[error("invalid configuration: {0}")]
    Toml(#[from] toml::de::Error),
    /// A configuration names a rule that does not exist.
    #[error("unknown rule `{0}` in configuration (see `guidekit explain --list`)")]
    UnknownRule(String),
    /// A configuration sets the level of a parse or schema code, which cannot be configured.
    #[error(
        "`{key}` ({code}) cannot be configured: it is a {} check, and a guide that fails it cannot be read; \
         only domain rules (GK100 and up) have levels",
        stage.as_str()
    )]
    NotConfigurable {
        /// The key as written.
        key: String,
        /// Its code.
        code: &'static str,
        /// The stage that reports it.
        stage: Stage,
    },
    /// A configuration sets the same rule twice (by code and by name, say).
    #[error("rule {code} is configured twice, as `{first}` and as `{second}`")]
    RuleConfiguredTwice {
        /// The first key.
        first: String,
        /// The second key.
        second: String,
        /// The rule's code.
        code: &'static str,
    },
}
