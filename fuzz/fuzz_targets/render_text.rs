//! Fuzz target: Renders a guide whose every text field is the input, to HTML and Markdown.
//! The body is `guidekit_fuzz::render_text`, which the replay test `tests/tests/fuzz_corpus.rs` also runs.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| guidekit_fuzz::render_text(data));
