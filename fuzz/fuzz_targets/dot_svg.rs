//! Fuzz target: Draws arbitrary DOT as SVG with the embedded engine, through the public render API.
//! The body is `guidekit_fuzz::dot_svg`, which the replay test `tests/tests/fuzz_corpus.rs` also runs.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| guidekit_fuzz::dot_svg(data));
