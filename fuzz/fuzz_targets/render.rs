//! Fuzz target: Reads arbitrary bytes as a guide and renders it to HTML and Markdown.
//! The body is `guidekit_fuzz::render`, which the replay test `tests/tests/fuzz_corpus.rs` also runs.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| guidekit_fuzz::render(data));
