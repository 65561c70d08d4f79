//! The facade: one dependency for the whole of guidekit. Its README, below, is the crate's documentation
//! and a doctest.
#![doc = ""]
#![doc = include_str!("../README.md")]
//!
//! The three crates are re-exported whole, so that depending on this crate pins their versions together:
//! [`model`] is `guidekit-model`, [`validate`] is `guidekit-validate` and [`render`] is `guidekit-render`.

pub use guidekit_model as model;
pub use guidekit_render as render;
pub use guidekit_validate as validate;

/// The repository README's Rust examples, compiled and run as doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
