//! The crate's error type. Validation itself does not fail: problems in a guide are diagnostics.

/// What can go wrong outside of a guide's content: reading a configuration.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A `guidekit.toml` could not be parsed.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A configuration names a rule that does not exist.
    #[error("unknown rule `{0}` in configuration (see `guidekit explain --list`)")]
    UnknownRule(String),
}
