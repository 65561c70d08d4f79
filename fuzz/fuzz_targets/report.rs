//! Fuzz target: Validates arbitrary bytes and prints the report as the CLI does: human, JSON and SARIF.
//! The body is `guidekit_fuzz::report`, which the replay test `tests/tests/fuzz_corpus.rs` also runs.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| guidekit_fuzz::report(data));
